package org.karellab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.karellab.world.Action;
import org.karellab.world.Semantics;
import picocli.CommandLine;

/** {@code --semantics} lists keep a mapping's pairs together (README: any mapping is accepted). */
class SemanticsListTest {
    @Test
    void aMappingIsOneEntryBetweenNamedSemantics() {
        String list = "original,flip,pickMarker=putMarker,putMarker=pickMarker,adversarial";
        assertEquals(List.of("original", "flip", "pickMarker=putMarker,putMarker=pickMarker", "adversarial"),
                List.of(list.split(Semantics.LIST_SPLIT)));
    }

    @Test
    void twoMappingsInARowAreSeparatedBySemicolon() {
        assertEquals(List.of("original", "turnLeft=turnRight,turnRight=turnLeft", "pick_marker=put_marker,put_marker=pick_marker"),
                List.of("original,turnLeft=turnRight,turnRight=turnLeft;pick_marker=put_marker,put_marker=pick_marker"
                        .split(Semantics.LIST_SPLIT)));
    }

    @Test
    void sweepAndTraceParseTheMappingAsOneSemantics() {
        SweepCommand sweep = new SweepCommand();
        new CommandLine(sweep).parseArgs("--run", "r", "--semantics", "original,pickMarker=putMarker,putMarker=pickMarker");
        assertEquals(2, sweep.semantics.size());
        Semantics swap = Semantics.parse(sweep.semantics.get(1));
        assertEquals(Action.PUT_MARKER, swap.apply(Action.PICK_MARKER));
        assertEquals(Action.PICK_MARKER, swap.apply(Action.PUT_MARKER), "both pairs of the mapping are kept");
        TraceCommand trace = new TraceCommand();
        new CommandLine(trace).parseArgs("--run", "r", "--out", "o", "--semantics", "flip,move=move;original");
        assertEquals(List.of("flip", "move=move", "original"), trace.semantics);
    }
}
