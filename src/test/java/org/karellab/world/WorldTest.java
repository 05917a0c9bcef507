package org.karellab.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorldTest {

    @Test
    void emptyWorldHasWallBorderAndFreeInterior() {
        World w = World.empty(2, 5, Facing.SOUTH);
        for (int r = 0; r < World.SIZE; r++) {
            for (int c = 0; c < World.SIZE; c++) {
                boolean border = r == 0 || c == 0 || r == 7 || c == 7;
                assertEquals(border, w.isWall(r, c), r + "," + c);
                assertEquals(border, !World.isInterior(r, c));
                assertEquals(0, w.markers(r, c));
            }
        }
        assertEquals(2, w.robotRow());
        assertEquals(5, w.robotCol());
        assertEquals(Facing.SOUTH, w.facing());
        assertEquals(8, World.SIZE);
        assertEquals(6, World.INTERIOR);
    }

    @Test
    void copyIsIndependent() {
        World w = World.empty(2, 2, Facing.NORTH).setMarkers(3, 3, 2);
        World c = w.copy();
        assertEquals(w, c);
        assertEquals(w.hashCode(), c.hashCode());
        c.setMarkers(3, 3, 5).setWall(4, 4, true).placeRobot(1, 1, Facing.EAST);
        assertEquals(2, w.markers(3, 3));
        assertFalse(w.isWall(4, 4));
        assertEquals(2, w.robotRow());
        assertNotEquals(w, c);
    }

    @Test
    void equalityCoversEveryPart() {
        World base = World.empty(3, 3, Facing.NORTH);
        assertNotEquals(base, World.empty(3, 3, Facing.EAST));
        assertNotEquals(base, World.empty(3, 4, Facing.NORTH));
        assertNotEquals(base, World.empty(3, 3, Facing.NORTH).setMarkers(3, 3, 1), "markers under the robot count");
        assertNotEquals(base, World.empty(3, 3, Facing.NORTH).setWall(5, 5, true));
    }

    @Test
    void invalidChangesAreRefused() {
        World w = World.empty(3, 3, Facing.NORTH);
        assertThrows(KarelException.class, () -> w.setWall(3, 3, true), "no wall under the robot");
        assertThrows(KarelException.class, () -> w.setWall(0, 3, false), "the border stays wall");
        assertThrows(KarelException.class, () -> w.setMarkers(7, 7, 1));
        assertThrows(KarelException.class, () -> w.setMarkers(2, 2, -1));
        w.setWall(2, 2, true);
        assertThrows(KarelException.class, () -> w.setMarkers(2, 2, 1), "no markers on a wall");
        assertThrows(KarelException.class, () -> w.placeRobot(2, 2, Facing.EAST), "no robot on a wall");
        assertThrows(KarelException.class, () -> World.empty(0, 0, Facing.EAST));
        assertEquals(World.empty(3, 3, Facing.NORTH).setWall(2, 2, true), w, "failed changes change nothing");
    }

    @Test
    void clearingAWallLeavesAnEmptyCell() {
        World w = World.empty(3, 3, Facing.NORTH).setWall(2, 2, true).setWall(2, 2, false);
        assertFalse(w.isWall(2, 2));
        assertEquals(World.empty(3, 3, Facing.NORTH), w);
        assertTrue(w.setMarkers(2, 2, 300).markers(2, 2) == 300, "markers are unbounded");
    }

    @Test
    void turningMovesCellsMarkersAndTheRobotAQuarterClockwise() {
        // a wall at (1, 2), two markers at (2, 5), the robot at (3, 1) facing north
        World w = World.empty(3, 1, Facing.NORTH).setWall(1, 2, true).setMarkers(2, 5, 2);
        World t = w.turned();
        assertTrue(t.isWall(2, 6), "(1, 2) goes to (2, 7 - 1)");
        assertEquals(2, t.markers(5, 5), "(2, 5) goes to (5, 7 - 2)");
        assertEquals(1, t.robotRow());
        assertEquals(4, t.robotCol(), "(3, 1) goes to (1, 4)");
        assertEquals(Facing.EAST, t.facing());
        assertNotEquals(w, t);
        assertEquals(w, t.turned().turned().turned(), "four quarter turns are the identity");
        assertEquals(w, World.empty(3, 1, Facing.NORTH).setWall(1, 2, true).setMarkers(2, 5, 2), "w is unchanged");
    }

    @Test
    void everyActionCommutesWithTurningTheWorld() {
        // run(turned(w), p) == turned(run(w, p)) for each action and for random programs on random worlds
        org.karellab.data.Sampler s = new org.karellab.data.Sampler(org.karellab.data.GenConfig.defaults());
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (int i = 0; i < 300; i++) {
            World w = s.world(rng);
            Program p = s.program(rng, 1 + rng.nextInt(10));
            assertEquals(Interpreter.REFERENCE.run(w, p).turned(), Interpreter.REFERENCE.run(w.turned(), p), p.toString());
        }
        // and a move that is blocked stays blocked: facing the border at (1, 1) north
        World corner = World.empty(1, 1, Facing.NORTH);
        Program move = ProgramText.parse("move");
        assertEquals(corner.turned(), Interpreter.REFERENCE.run(corner.turned(), move));
    }
}
