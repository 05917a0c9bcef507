package org.karellab.analysis;

import org.karellab.data.Dataset;
import org.karellab.data.DatasetFile;
import org.karellab.data.GenConfig;
import org.karellab.data.Split;
import org.karellab.world.Action;
import org.karellab.world.Program;
import org.karellab.world.World;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Statistics of a split file next to what the reference's distribution predicts. */
public final class DatasetStats {
    private DatasetStats() {
    }

    /**
     * One row per statistic: wall rate of interior cells, marker rate of free cells other than
     * the robot's, facing and statement frequencies, each with its expected value under
     * {@code config}.
     */
    public static Table distribution(DatasetFile f, GenConfig config) {
        long cells = 0;
        long walls = 0;
        long free = 0;
        long markers = 0;
        long[] facing = new long[4];
        long[] actions = new long[Action.count()];
        long statements = 0;
        int n = f.size();
        for (int i = 0; i < n; i++) {
            Program p = f.program(i);
            for (Action a : p.actions()) {
                actions[a.ordinal()]++;
                statements++;
            }
            for (int k = 0; k < f.examples(); k++) {
                World w = f.world(i, k, false);
                facing[w.facing().ordinal()]++;
                for (int r = 1; r <= World.INTERIOR; r++) {
                    for (int c = 1; c <= World.INTERIOR; c++) {
                        boolean robot = r == w.robotRow() && c == w.robotCol();
                        cells++;
                        if (w.isWall(r, c)) {
                            walls++;
                        } else if (!robot) {
                            free++;
                            markers += w.markers(r, c) > 0 ? 1 : 0;
                        }
                    }
                }
            }
        }
        int interior = World.INTERIOR * World.INTERIOR;
        double worlds = (double) n * f.examples();
        StringColumn stat = StringColumn.create("statistic");
        DoubleColumn got = DoubleColumn.create("observed");
        DoubleColumn want = DoubleColumn.create("expected");
        // the robot's cell is never a wall: 35 of 36 cells can be
        add(stat, got, want, "wall rate (interior cells)", (double) walls / cells,
                config.wallRate() * (interior - 1) / interior);
        add(stat, got, want, "marker rate (free cells, robot's excluded)", (double) markers / free, config.markerRate());
        for (int d = 0; d < 4; d++) {
            add(stat, got, want, "facing " + "NESW".charAt(d), facing[d] / worlds, 0.25);
        }
        int total = config.weights().stream().mapToInt(Integer::intValue).sum();
        for (Action a : Action.values()) {
            add(stat, got, want, "statement " + a.camel, (double) actions[a.ordinal()] / statements,
                    (double) config.weights().get(a.ordinal()) / total);
        }
        return Table.create("distribution of " + f.path().getFileName(), stat, got, want);
    }

    private static void add(StringColumn s, DoubleColumn g, DoubleColumn w, String name, double got, double want) {
        s.append(name);
        g.append(got);
        w.append(want);
    }

    /** Programs per length, one column per split, over every length any split has. */
    public static Table lengths(Dataset d) {
        int max = 0;
        for (Split s : Split.values()) {
            if (d.has(s)) {
                max = Math.max(max, d.split(s).maxLength());
            }
        }
        IntColumn len = IntColumn.create("length");
        for (int l = 1; l <= max; l++) {
            len.append(l);
        }
        Table t = Table.create("programs per length", len);
        for (Split s : Split.values()) {
            if (d.has(s)) {
                DatasetFile f = d.split(s);
                int[] counts = new int[max + 1];
                for (int i = 0; i < f.size(); i++) {
                    counts[f.programLength(i)]++;
                }
                IntColumn c = IntColumn.create(s.id());
                for (int l = 1; l <= max; l++) {
                    c.append(counts[l]);
                }
                t.addColumns(c);
            }
        }
        return t;
    }
}
