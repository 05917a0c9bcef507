package org.karellab.causal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.karellab.data.Sample;
import org.karellab.world.Facing;
import org.karellab.world.Interpreter;
import org.karellab.world.Program;
import org.karellab.world.ProgramText;
import org.karellab.world.World;

/** Hand-computed cases of the probe read-out, the direction edit and the counterfactual. */
class LinearReadoutTest {
    /** Three classes in 2-d: logits (x, y, 0). */
    private static final LinearReadout R = new LinearReadout(new String[] {"a", "b", "c"},
            new float[][] {{1, 0}, {0, 1}, {0, 0}}, new float[] {0, 0, 0});

    @Test
    void readsTheArgmax() {
        assertEquals("a", R.read(new float[] {2, 1}));
        assertEquals("b", R.read(new float[] {-1, 0.5f}));
        assertEquals("c", R.read(new float[] {-1, -1}));
    }

    @Test
    void pushesAlongTheClassDirectionsByTheSmallestStep() {
        // h = (2, 0): logits (2, 0, 0). Target b with margin 1: rival a; step along W_b - W_a = (-1, 1):
        // lead of b over a goes from -2 by 2 per unit lambda, so lambda = 1.5 (times 1.0001): h' = (0.5, 1.5),
        // logits (0.5, 1.5, 0): b leads a by 1 and c by 1.5.
        float[] d = R.pushTowards(new float[] {2, 0}, "b", 1.0);
        assertArrayEquals(new float[] {-1.5f, 1.5f}, d, 1e-3f);
        assertEquals("b", R.read(new float[] {2 + d[0], d[1]}));
        // already leading by the margin: no step
        assertArrayEquals(new float[] {0, 0}, R.pushTowards(new float[] {0, 5}, "b", 1.0), 0f);
        assertThrows(IllegalArgumentException.class, () -> R.pushTowards(new float[] {0, 0}, "z", 1.0));
    }

    @Test
    void turnedValues() {
        assertEquals("90", Intervention.turnedValue("rel_facing", "0"));
        assertEquals("0", Intervention.turnedValue("rel_facing", "270"));
        assertEquals("EAST", Intervention.turnedValue("facing", "NORTH"));
        assertEquals("NORTH", Intervention.turnedValue("facing", "WEST"));
    }

    @Test
    void theCounterfactualTurnsTheRobotAfterThePrefixOnEveryInput() {
        List<World> inputs = List.of(World.empty(3, 3, Facing.NORTH), World.empty(4, 2, Facing.EAST));
        Program p = ProgramText.parseShort("move turnLeft move");
        Sample s = new Sample(p, inputs, inputs.stream().map(w -> Interpreter.REFERENCE.run(w, p)).toList());
        var c = Intervention.caseOf(s, p, 2, "rel_facing", 2);
        assertEquals("270", c.a(), "one left turn");
        assertEquals("0", c.b());
        World real0 = c.real().get(0);
        assertEquals(Facing.WEST, real0.facing());
        assertEquals(Facing.NORTH, c.counterfactual().get(0).facing());
        assertEquals(real0.robotRow(), c.counterfactual().get(0).robotRow());
        assertEquals(Facing.EAST, c.counterfactual().get(1).facing(), "EAST, turned left to NORTH, then right to EAST");
    }
}
