package org.karellab.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.karellab.world.Action;
import org.karellab.world.Program;
import org.karellab.world.Reckoning;
import org.karellab.world.Semantics;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class SyntaxFeaturesTest {
    static Table labels() {
        // program 0: move turnRight move; program 1: turnLeft
        return Table.create("labels", IntColumn.create("program", 0, 0, 0, 1), IntColumn.create("index", 0, 1, 2, 0),
                StringColumn.create("action", "move", "turnRight", "move", "turnLeft"));
    }

    @Test
    void deadReckoningFollowsTheSemantics() {
        Program p = new Program(Action.MOVE, Action.TURN_RIGHT, Action.MOVE);
        assertArrayEquals(new int[] {1, 1, 1}, Reckoning.of(p, Semantics.ORIGINAL).after(3), "ahead 1, then right 1");
        assertArrayEquals(new int[] {3, 1, -1}, Reckoning.of(p, Semantics.FLIP).after(3), "flip turns left instead");
        // adversarial: move -> turnLeft, turnRight -> move: L, M(facing left: right -1), L
        assertArrayEquals(new int[] {2, 0, -1}, Reckoning.of(p, Semantics.ADVERSARIAL).after(3));
        assertArrayEquals(new int[] {0, 0, 0}, Reckoning.of(p, Semantics.ORIGINAL).after(0));
    }

    @Test
    void featuresEncodeThePrefixOnlyUpToTheRow() {
        float[][] x = SyntaxFeatures.of(labels(), Semantics.ORIGINAL);
        assertEquals(SyntaxFeatures.WIDTH, x[0].length);
        int actions = Action.count() + 1;
        // row 0 (after "move"): position 0 holds move, position 1 is empty
        assertEquals(1f, x[0][Action.MOVE.ordinal()]);
        assertEquals(1f, x[0][actions + Action.count()]);
        // row 2 sees the whole program
        assertEquals(1f, x[2][actions + Action.TURN_RIGHT.ordinal()]);
        assertEquals(1f, x[2][2 * actions + Action.MOVE.ordinal()]);
        // the dead-reckoned state after row 2: turns 1, ahead 1, right 1
        int at = SyntaxFeatures.MAX_ACTIONS * actions + SyntaxFeatures.MAX_ACTIONS;
        assertEquals(1f, x[2][at + 1]);
        assertEquals(1f, x[2][at + 4 + 6 + 1]);
        assertEquals(1f, x[2][at + 4 + 13 + 6 + 1]);
        // program 1 starts afresh: turns 3 after turnLeft
        assertEquals(1f, x[3][at + 3]);
        for (float[] row : x) {
            float ones = 0;
            for (float v : row) {
                ones += v;
            }
            assertEquals(SyntaxFeatures.MAX_ACTIONS + 4, ones, "one-hot blocks: 12 positions, index, turns, ahead, right");
        }
    }

    @Test
    void theStartFacingTurnsTheReckoningToTheCompass() {
        // program 0: move turnRight move, input 0's robot starts facing EAST: after row 2 it faces
        // SOUTH, one east (ahead) and one south (right) of the start; its labels say EAST/0, SOUTH/90, SOUTH/90
        Table labels = labels();
        labels.addColumns(StringColumn.create("original:0:facing", "EAST", "SOUTH", "SOUTH", ""),
                StringColumn.create("original:0:rel_facing", "0", "90", "90", ""));
        float[][] x = SyntaxFeatures.of(labels, Semantics.ORIGINAL);
        int at = SyntaxFeatures.COMPASS;
        assertEquals(1f, x[2][at + 1], "start facing east");
        assertEquals(1f, x[2][at + 4 + 2], "facing south now");
        assertEquals(1f, x[2][at + 8 + 6 + 1], "one cell east");
        assertEquals(1f, x[2][at + 8 + 13 + 6 + 1], "one cell south");
        assertEquals(1f, x[0][at + 8 + 6 + 1], "row 0: one east after the first move");
        assertEquals(1f, x[0][at + 8 + 13 + 6], "row 0: no offset south");
        for (int r = 0; r < 3; r++) {
            float ones = 0;
            for (float v : x[r]) {
                ones += v;
            }
            assertEquals(SyntaxFeatures.MAX_ACTIONS + 8, ones, "row " + r + ": four more one-hot blocks");
        }
        for (int f = at; f < SyntaxFeatures.WIDTH; f++) {
            assertEquals(0f, x[3][f], "program 1's labels are missing: no start facing, no compass blocks");
        }
        // flip turns left instead: facing NORTH after row 2, one east and one north
        float[][] flip = SyntaxFeatures.of(labels, Semantics.FLIP);
        assertEquals(1f, flip[2][at + 4 + 0], "flip: facing north");
        assertEquals(1f, flip[2][at + 8 + 13 + 6 - 1], "flip: one cell north");
    }

    @Test
    void prefixesAreTheWrittenActionsSoFar() {
        assertArrayEquals(new String[] {"move", "move turnRight", "move turnRight move", "turnLeft"},
                SyntaxFeatures.prefixes(labels()));
    }
}
