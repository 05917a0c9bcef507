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
}
