package org.karellab.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.karellab.world.Action.MOVE;
import static org.karellab.world.Action.PICK_MARKER;
import static org.karellab.world.Action.PUT_MARKER;
import static org.karellab.world.Action.TURN_LEFT;
import static org.karellab.world.Action.TURN_RIGHT;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tables of paper-facts, "Alternative semantics" (probe/alt.py). */
class SemanticsTest {

    private static void assertTable(Semantics s, Action pick, Action put, Action right, Action left, Action move) {
        assertEquals(pick, s.apply(PICK_MARKER), "pickMarker");
        assertEquals(put, s.apply(PUT_MARKER), "putMarker");
        assertEquals(right, s.apply(TURN_RIGHT), "turnRight");
        assertEquals(left, s.apply(TURN_LEFT), "turnLeft");
        assertEquals(move, s.apply(MOVE), "move");
    }

    @Test
    void originalTable() {
        assertTable(Semantics.ORIGINAL, PICK_MARKER, PUT_MARKER, TURN_RIGHT, TURN_LEFT, MOVE);
        assertEquals("original", Semantics.ORIGINAL.name());
        assertTrue(Semantics.ORIGINAL.isPermutation());
    }

    @Test
    void flipTable() {
        assertTable(Semantics.FLIP, PUT_MARKER, PICK_MARKER, TURN_LEFT, TURN_RIGHT, MOVE);
        assertEquals("flip", Semantics.FLIP.name());
        assertTrue(Semantics.FLIP.isPermutation());
    }

    @Test
    void adversarialTableIsNotAPermutation() {
        assertTable(Semantics.ADVERSARIAL, TURN_RIGHT, TURN_LEFT, MOVE, TURN_RIGHT, TURN_LEFT);
        assertEquals("adversarial", Semantics.ADVERSARIAL.name());
        assertFalse(Semantics.ADVERSARIAL.isPermutation());
        long toTurnRight = Set.of(Action.values()).stream()
                .filter(a -> Semantics.ADVERSARIAL.apply(a) == TURN_RIGHT).count();
        assertEquals(2, toTurnRight, "two written actions execute turnRight");
    }

    @Test
    void namedTablesByName() {
        assertEquals(List.of("original", "flip", "adversarial"), List.copyOf(Semantics.named()));
        assertEquals(Semantics.ORIGINAL, Semantics.parse("original"));
        assertEquals(Semantics.FLIP, Semantics.parse("flip"));
        assertEquals(Semantics.ADVERSARIAL, Semantics.parse(" Adversarial "));
        assertEquals("adversarial", Semantics.parse("ADVERSARIAL").name());
    }

    @Test
    void tableView() {
        Map<Action, Action> t = Semantics.FLIP.table();
        assertEquals(5, t.size());
        assertEquals(PICK_MARKER, t.get(PUT_MARKER));
        assertEquals(MOVE, t.get(MOVE));
    }

    @Test
    void userMappingCamelCase() {
        Semantics s = Semantics.parse("pickMarker=turnRight,putMarker=turnLeft");
        assertTable(s, TURN_RIGHT, TURN_LEFT, TURN_RIGHT, TURN_LEFT, MOVE);
        assertNotNull(s.name());
        assertFalse(Semantics.named().contains(s.name()));
        assertEquals(s.canonical(), s.name(), "an unnamed mapping is named by its canonical text");
        assertEquals("move=move,turnLeft=turnLeft,turnRight=turnRight,pickMarker=turnRight,putMarker=turnLeft",
                s.canonical());
        assertFalse(s.isPermutation());
        assertEquals(s, Semantics.parse(s.canonical()), "the canonical text parses back to the same table");
    }

    @Test
    void userMappingSnakeCaseAndSpaces() {
        Semantics camel = Semantics.parse("pickMarker=turnRight,putMarker=turnLeft");
        Semantics snake = Semantics.parse("pick_marker=turn_right, put_marker = turn_left");
        assertEquals(camel, snake);
        assertEquals(camel.name(), snake.name());
    }

    @Test
    void userPermutationThreeCycle() {
        // the reference's other permutations: pick<->put with move, turnLeft, turnRight as a 3-cycle
        Semantics s = Semantics.parse("pickMarker=putMarker,putMarker=pickMarker,move=turnLeft,turnLeft=turnRight,"
                + "turnRight=move");
        assertTrue(s.isPermutation());
        assertTable(s, PUT_MARKER, PICK_MARKER, MOVE, TURN_RIGHT, TURN_LEFT);
    }

    @Test
    void mappingEqualToANamedTableGetsItsName() {
        Semantics flip = Semantics.parse("put_marker=pick_marker,turn_right=turn_left,pick_marker=put_marker,"
                + "turn_left=turn_right,move=move");
        assertEquals("flip", flip.name());
        assertEquals(Semantics.FLIP, flip);
        Semantics adv = Semantics.parse(
                "move=turnLeft,turnLeft=turnRight,turnRight=move,putMarker=turnLeft,pickMarker=turnRight");
        assertEquals("adversarial", adv.name());
        assertEquals("original", Semantics.parse("move=move").name());
        assertEquals("original", Semantics.parse("turnLeft=turnLeft,pickMarker=pickMarker").name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "flipped", "", "move"})
    void unknownNamesAreErrors(String spec) {
        KarelException e = assertThrows(KarelException.class, () -> Semantics.parse(spec));
        assertTrue(e.getMessage().contains("unknown semantics"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jump=move", "move=jump", "pickMarker=turnRight,fly=move"})
    void unknownActionsAreErrors(String spec) {
        KarelException e = assertThrows(KarelException.class, () -> Semantics.parse(spec));
        assertTrue(e.getMessage().contains("unknown action"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"move=turnLeft,move=turnRight", "pickMarker=putMarker,pick_marker=putMarker"})
    void actionMappedTwiceIsAnError(String spec) {
        KarelException e = assertThrows(KarelException.class, () -> Semantics.parse(spec));
        assertTrue(e.getMessage().contains("mapped twice"), e.getMessage());
    }

    @Test
    void malformedPairIsAnError() {
        assertThrows(KarelException.class, () -> Semantics.parse("move=turnLeft=move"));
    }

    // ---------------------------------------------------------------- applied at execution time

    /* robot at (3,3) facing north, a marker at (3,2), a wall at (2,3) */
    private static final World START = Worlds.parse("########", "#......#", "#..#...#", "#.1^...#", "#......#",
            "#......#", "#......#", "########");
    private static final Program P = new Program(PUT_MARKER, TURN_LEFT, MOVE);

    private static Trace trace(Semantics s) {
        return new Interpreter(s, CrashPolicy.NOOP).trace(START, P);
    }

    @Test
    void originalExecution() {
        Trace t = trace(Semantics.ORIGINAL);
        // put at (3,3), turn west, move onto the marker at (3,2)
        World expected = Worlds.parse("########", "#......#", "#..#...#", "#.<1...#", "#......#", "#......#",
                "#......#", "########").setMarkers(3, 2, 1);
        assertEquals(expected, t.end());
        assertEquals(P.actions(), t.executed());
    }

    @Test
    void flipExecution() {
        Trace t = trace(Semantics.FLIP);
        // putMarker runs pickMarker on an empty cell (a no-op crash), turnLeft runs turnRight (east), move east
        assertEquals(List.of(PICK_MARKER, TURN_RIGHT, MOVE), t.executed());
        assertEquals(List.of(true, false, false), t.failed());
        assertEquals(Worlds.parse("########", "#......#", "#..#...#", "#.1.>..#", "#......#", "#......#",
                "#......#", "########"), t.end());
        assertEquals(P, t.program(), "the program is unchanged");
        assertEquals("def run() {\n  put_marker(); turn_left(); move()\n}", t.program().toReference());
        assertEquals(Semantics.FLIP, t.semantics());
    }

    @Test
    void adversarialExecution() {
        Trace t = trace(Semantics.ADVERSARIAL);
        // put -> turnLeft (W), turnLeft -> turnRight (N), move -> turnLeft (W): the robot only turns
        assertEquals(List.of(TURN_LEFT, TURN_RIGHT, TURN_LEFT), t.executed());
        assertEquals(Worlds.parse("########", "#......#", "#..#...#", "#.1<...#", "#......#", "#......#",
                "#......#", "########"), t.end());
        assertEquals(P, t.program());
    }

    @Test
    void userMappingExecution() {
        Semantics s = Semantics.parse("pickMarker=turnRight,putMarker=turnLeft");
        Program p = new Program(PUT_MARKER, MOVE, PICK_MARKER);
        World end = new Interpreter(s, CrashPolicy.ERROR).run(START, p);
        // put -> turnLeft (W), move to (3,2) (onto the marker), pick -> turnRight (N); the marker stays
        assertEquals(Worlds.parse("########", "#......#", "#..#...#", "#.^....#", "#......#", "#......#",
                "#......#", "########").setMarkers(3, 2, 1), end);
        assertNotEquals(Interpreter.REFERENCE.run(START, p), end);
    }

    @Test
    void crashesFollowTheExecutedAction() {
        // under flip a written pickMarker puts, so it cannot crash; a written putMarker picks and can
        Interpreter flipError = new Interpreter(Semantics.FLIP, CrashPolicy.ERROR);
        World empty = World.empty(4, 4, Facing.NORTH);
        assertEquals(1, flipError.run(empty, new Program(PICK_MARKER)).markers(4, 4));
        CrashException e = assertThrows(CrashException.class,
                () -> flipError.run(empty, new Program(TURN_LEFT, PUT_MARKER)));
        assertEquals(1, e.step);
    }
}
