package org.karellab.analysis;

import org.karellab.world.AbstractState;
import org.karellab.world.Trace;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** A trace as a table: one row per step (0 = start) with the abstract state after it. */
public final class TraceTable {
    private TraceTable() {
    }

    public static Table of(Trace t) {
        IntColumn step = IntColumn.create("step");
        StringColumn written = StringColumn.create("written");
        StringColumn executed = StringColumn.create("executed");
        BooleanColumn crashed = BooleanColumn.create("crashed");
        StringColumn facing = StringColumn.create("facing");
        IntColumn dx = IntColumn.create("dx");
        IntColumn dy = IntColumn.create("dy");
        BooleanColumn wall = BooleanColumn.create("facingWall");
        IntColumn row = IntColumn.create("row");
        IntColumn col = IntColumn.create("col");
        for (int i = 0; i <= t.length(); i++) {
            AbstractState s = t.state(i);
            step.append(i);
            written.append(i == 0 ? "" : t.program().get(i - 1).camel);
            executed.append(i == 0 ? "" : t.executed().get(i - 1).camel);
            crashed.append(i > 0 && t.failed().get(i - 1));
            facing.append(s.facing().name());
            dx.append(s.dx());
            dy.append(s.dy());
            wall.append(s.facingWall());
            row.append(s.row());
            col.append(s.col());
        }
        return Table.create("trace under " + t.semantics(), step, written, executed, crashed, facing, dx, dy, wall,
                row, col);
    }
}
