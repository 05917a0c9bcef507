package org.karellab.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Turn algebra (paper-facts: turnLeft is counter-clockwise, East -> North). */
class FacingTest {

    @ParameterizedTest
    @EnumSource(Facing.class)
    void fourLeftTurnsAreTheIdentity(Facing f) {
        assertEquals(f, f.left().left().left().left());
        assertNotEquals(f, f.left());
        assertNotEquals(f, f.left().left());
        assertNotEquals(f, f.left().left().left());
    }

    @ParameterizedTest
    @EnumSource(Facing.class)
    void leftThenRightAndRightThenLeftAreTheIdentity(Facing f) {
        assertEquals(f, f.left().right());
        assertEquals(f, f.right().left());
    }

    @ParameterizedTest
    @EnumSource(Facing.class)
    void rightIsThreeLefts(Facing f) {
        assertEquals(f.left().left().left(), f.right());
    }

    @Test
    void leftIsCounterClockwise() {
        assertEquals(Facing.NORTH, Facing.EAST.left());
        assertEquals(Facing.WEST, Facing.NORTH.left());
        assertEquals(Facing.SOUTH, Facing.WEST.left());
        assertEquals(Facing.EAST, Facing.SOUTH.left());
        assertEquals(Facing.EAST, Facing.NORTH.right());
        assertEquals(Facing.SOUTH, Facing.EAST.right());
    }

    @ParameterizedTest
    @EnumSource(Facing.class)
    void interpreterTurnAlgebra(Facing f) {
        World w = World.empty(3, 4, f).setMarkers(2, 2, 1);
        Interpreter in = Interpreter.REFERENCE;
        Action l = Action.TURN_LEFT;
        Action r = Action.TURN_RIGHT;
        assertEquals(w, in.run(w, new Program(l, l, l, l)));
        assertEquals(w, in.run(w, new Program(l, r)));
        assertEquals(w, in.run(w, new Program(r, l)));
        assertEquals(in.run(w, new Program(r)), in.run(w, new Program(l, l, l)));
        assertEquals(f.left(), in.run(w, new Program(l)).facing());
    }

    @Test
    void interpreterTurnLeftTurnsEastToNorth() {
        World w = World.empty(2, 2, Facing.EAST);
        assertEquals(Facing.NORTH, Interpreter.REFERENCE.run(w, new Program(Action.TURN_LEFT)).facing());
        assertEquals(Facing.SOUTH, Interpreter.REFERENCE.run(w, new Program(Action.TURN_RIGHT)).facing());
    }

    @Test
    void glyphsAndSteps() {
        assertEquals('^', Facing.NORTH.glyph);
        assertEquals('>', Facing.EAST.glyph);
        assertEquals('v', Facing.SOUTH.glyph);
        assertEquals('<', Facing.WEST.glyph);
        for (Facing f : Facing.values()) {
            assertEquals(f, Facing.byGlyph(f.glyph));
            assertEquals(f, Facing.of(f.ordinal()));
            assertEquals(1, Math.abs(f.dRow) + Math.abs(f.dCol));
        }
        assertNull(Facing.byGlyph('x'));
        // rows grow southward
        assertEquals(-1, Facing.NORTH.dRow);
        assertEquals(1, Facing.SOUTH.dRow);
        assertEquals(1, Facing.EAST.dCol);
        assertEquals(-1, Facing.WEST.dCol);
    }

    @Test
    void declarationOrderIsTheStorageOrder() {
        assertEquals(0, Facing.NORTH.ordinal());
        assertEquals(1, Facing.EAST.ordinal());
        assertEquals(2, Facing.SOUTH.ordinal());
        assertEquals(3, Facing.WEST.ordinal());
    }
}
