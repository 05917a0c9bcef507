package org.karellab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.karellab.data.GenConfig;
import org.karellab.data.Sampler;
import org.karellab.lm.LmException;
import org.karellab.lm.SpecEncodings;
import org.karellab.world.Action;
import org.karellab.world.Facing;
import org.karellab.world.Interpreter;
import org.karellab.world.Program;
import org.karellab.world.Trace;
import org.karellab.world.World;

class LabelsTest {
    @Test
    void semanticFeaturesFollowTheEncodingsFrame() {
        assertEquals(List.of("rel_facing", "rel_position", "wall"), Labels.semantic("ego"));
        assertEquals(List.of("facing", "position", "wall"), Labels.semantic("grid"));
        assertEquals(List.of("facing", "position", "wall"), Labels.semantic("text"));
        assertEquals(List.of("facing", "position", "wall"), Labels.semantic("north4"));
        for (String name : SpecEncodings.names()) {
            assertTrue(Labels.PROBED.containsAll(Labels.semantic(name)), name + ": the sweep probes its semantic features");
        }
        assertEquals("unknown encoding 'pixels' (known: grid, text, ego, north, north4, abs, abs4)",
                assertThrows(LmException.class, () -> Labels.semantic("pixels")).getMessage());
    }

    @Test
    void pastOffsetsNeverLabelTheStartState() {
        Trace tr = Interpreter.REFERENCE.trace(World.empty(3, 3, Facing.EAST),
                new Program(Action.MOVE, Action.TURN_LEFT, Action.MOVE));
        assertNull(Labels.value(tr, 0, -1, "rel_facing"), "before the first action is the start state");
        assertNull(Labels.value(tr, 1, -2, "position"));
        assertEquals("0", Labels.value(tr, 1, -1, "rel_facing"), "the state after the first action");
        assertEquals("270", Labels.value(tr, 2, 0, "rel_facing"));
        assertEquals("1,-1", Labels.value(tr, 2, 0, "rel_position"), "one ahead, one to the left");
        assertNull(Labels.value(tr, 2, 1, "wall"), "past the end");
    }

    @Test
    void worldDependentMarksBlockedMovesOnly() {
        // robot at column 6 facing east: the first move is blocked by the outer wall
        Trace tr = Interpreter.REFERENCE.trace(World.empty(3, 6, Facing.EAST),
                new Program(Action.TURN_RIGHT, Action.MOVE, Action.TURN_RIGHT, Action.TURN_RIGHT, Action.TURN_RIGHT,
                        Action.MOVE));
        assertEquals("false", Labels.value(tr, 1, 0, Labels.WORLD_DEPENDENT), "moving south is free");
        assertEquals("true", Labels.value(tr, 5, 0, Labels.WORLD_DEPENDENT), "the east move was blocked");
        assertEquals("1", Labels.value(tr, 5, 0, "right"));
    }

    /**
     * The wrong-world control relabels with another world from the same start pose. Facing in
     * the start frame never depends on the world, so its labels never change; facing a wall
     * and the position do on a measurable share of rows (stated here, measured on 2,000 random
     * programs of lengths 1-10 from the reference's distribution).
     */
    @Test
    void wrongWorldLabelsDifferOnAStatedShareOfRows() {
        Sampler sampler = new Sampler(GenConfig.defaults());
        SplittableRandom rng = new SplittableRandom(5);
        int rows = 0;
        int facing = 0;
        int wall = 0;
        int position = 0;
        for (int i = 0; i < 2000; i++) {
            Program p = sampler.program(rng, 1 + rng.nextInt(10));
            World real = sampler.world(rng);
            World wrong = Tracer.atPose(sampler.world(rng), real);
            assertEquals(real.robotRow(), wrong.robotRow());
            assertEquals(real.facing(), wrong.facing());
            Trace a = Interpreter.REFERENCE.trace(real, p);
            Trace b = Interpreter.REFERENCE.trace(wrong, p);
            for (int t = 0; t < p.length(); t++) {
                rows++;
                facing += Labels.value(a, t, 0, "rel_facing").equals(Labels.value(b, t, 0, "rel_facing")) ? 0 : 1;
                wall += Labels.value(a, t, 0, "wall").equals(Labels.value(b, t, 0, "wall")) ? 0 : 1;
                position += Labels.value(a, t, 0, "rel_position").equals(Labels.value(b, t, 0, "rel_position")) ? 0 : 1;
            }
        }
        assertEquals(0, facing, "turns never depend on the world");
        double w = wall / (double) rows;
        double pos = position / (double) rows;
        assertTrue(w > 0.10 && w < 0.30, "facing a wall differs on 10-30% of rows: " + w);
        assertTrue(pos > 0.03 && pos < 0.20, "the position differs on 3-20% of rows: " + pos);
    }
}
