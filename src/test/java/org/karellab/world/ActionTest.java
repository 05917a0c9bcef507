package org.karellab.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActionTest {

    @Test
    void namesAreTheReferences() {
        assertEquals("move", Action.MOVE.snake);
        assertEquals("turn_left", Action.TURN_LEFT.snake);
        assertEquals("turn_right", Action.TURN_RIGHT.snake);
        assertEquals("pick_marker", Action.PICK_MARKER.snake);
        assertEquals("put_marker", Action.PUT_MARKER.snake);
        assertEquals("pickMarker", Action.PICK_MARKER.camel);
        assertEquals("turnLeft", Action.TURN_LEFT.toString());
    }

    @Test
    void ordinalsAreTheStorageCodes() {
        // the dataset format and the statement weights (5,3,3,2,2) rely on this order
        assertEquals(5, Action.count());
        assertEquals(Action.MOVE, Action.of(0));
        assertEquals(Action.TURN_LEFT, Action.of(1));
        assertEquals(Action.TURN_RIGHT, Action.of(2));
        assertEquals(Action.PICK_MARKER, Action.of(3));
        assertEquals(Action.PUT_MARKER, Action.of(4));
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void byNameAcceptsEveryForm(Action a) {
        assertEquals(a, Action.byName(a.camel));
        assertEquals(a, Action.byName(a.snake));
        assertEquals(a, Action.byName(a.name()));
        assertEquals(a, Action.byName(" " + a.camel.toUpperCase() + " "));
        assertEquals(a, Action.byLetter(a.letter));
        assertEquals(a, Action.byLetter(Character.toLowerCase(a.letter)));
    }

    @Test
    void unknownNames() {
        assertNull(Action.byName("jump"));
        assertNull(Action.byName(""));
        assertNull(Action.byName("turn left"));
        assertNull(Action.byLetter('X'));
    }
}
