package org.karellab.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The probes' labels (paper-facts, "Probing": facing, offset from the start, facing a wall, walls around). */
class AbstractStateTest {

    @Test
    void offsetsAreEastAndSouthPositive() {
        World start = World.empty(3, 3, Facing.NORTH);
        World now = World.empty(5, 2, Facing.WEST);
        AbstractState s = AbstractState.of(start, now);
        assertEquals(-1, s.dx());
        assertEquals(2, s.dy());
        assertEquals(5, s.row());
        assertEquals(2, s.col());
        assertEquals(Facing.WEST, s.facing());
        assertEquals("facing=W dx=-1 dy=+2 facingWall=no pos=(5,2) walls=----", s.describe());
    }

    @Test
    void wallsAroundAreAbsolute() {
        // robot at (1,6): north and east are the border; a wall at (2,6) south; (1,5) west is free
        World w = Worlds.parse("########", "#....<.#", "#......#", "#......#", "#......#", "#......#", "#......#",
                "########");
        w.placeRobot(1, 6, Facing.EAST);
        w.setWall(2, 6, true);
        AbstractState s = AbstractState.of(w, w);
        assertTrue(s.wallNorth());
        assertTrue(s.wallEast());
        assertTrue(s.wallSouth());
        assertFalse(s.wallWest());
        assertTrue(s.facingWall());
        assertEquals("facing=E dx=+0 dy=+0 facingWall=yes pos=(1,6) walls=NES-", s.describe());
    }

    @Test
    void facingWallFollowsTheFacing() {
        World w = World.empty(2, 1, Facing.SOUTH).setWall(3, 1, true);
        assertTrue(AbstractState.of(w, w).facingWall(), "wall south");
        w.placeRobot(2, 1, Facing.WEST);
        assertTrue(AbstractState.of(w, w).facingWall(), "border west");
        w.placeRobot(2, 1, Facing.EAST);
        assertFalse(AbstractState.of(w, w).facingWall());
        assertEquals("facing=E dx=+0 dy=+0 facingWall=no pos=(2,1) walls=--SW", AbstractState.of(w, w).describe());
    }

    @Test
    void maxOffsetCoversTheInterior() {
        assertTrue(AbstractState.MAX_OFFSET >= World.INTERIOR - 1);
        AbstractState s = AbstractState.of(World.empty(1, 1, Facing.NORTH), World.empty(6, 6, Facing.NORTH));
        assertEquals(5, s.dx());
        assertEquals(5, s.dy());
    }

    @Test
    void startFrameOffsetsAndTurns() {
        // start (3,3) facing east; now (2,5) facing south: 2 ahead (east), 1 to the left (north),
        // a quarter turn clockwise
        AbstractState s = AbstractState.of(World.empty(3, 3, Facing.EAST), World.empty(2, 5, Facing.SOUTH));
        assertEquals(1, s.turns());
        assertEquals(2, s.ahead());
        assertEquals(-1, s.right());
        AbstractState back = AbstractState.of(World.empty(3, 3, Facing.WEST), World.empty(3, 3, Facing.EAST));
        assertEquals(2, back.turns(), "half a turn");
        AbstractState left = AbstractState.of(World.empty(4, 4, Facing.NORTH), World.empty(4, 4, Facing.WEST));
        assertEquals(3, left.turns(), "a left turn is three quarter turns clockwise");
    }
}
