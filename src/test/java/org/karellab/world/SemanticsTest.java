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
    void opposite1TableAndItsAliasFlip() {
        assertTable(Semantics.OPPOSITE1, PUT_MARKER, PICK_MARKER, TURN_LEFT, TURN_RIGHT, MOVE);
        assertEquals("opposite1", Semantics.OPPOSITE1.name());
        assertTrue(Semantics.OPPOSITE1.isPermutation());
        assertEquals(Semantics.parse("opposite1"), Semantics.parse("flip"), "flip is an alias of opposite1");
        assertEquals("flip", Semantics.parse("flip").name(), "an alias keeps the name it was asked for");
        assertEquals("flip", Semantics.FLIP.name());
    }

    @Test
    void unsemantic1TableAndItsAliasAdversarialIsNotAPermutation() {
        assertTable(Semantics.UNSEMANTIC1, TURN_RIGHT, TURN_LEFT, MOVE, TURN_RIGHT, TURN_LEFT);
        assertEquals(Semantics.parse("unsemantic1"), Semantics.parse("adversarial"));
        assertEquals("adversarial", Semantics.ADVERSARIAL.name());
        assertFalse(Semantics.ADVERSARIAL.isPermutation());
        long toTurnRight = Set.of(Action.values()).stream()
                .filter(a -> Semantics.ADVERSARIAL.apply(a) == TURN_RIGHT).count();
        assertEquals(2, toTurnRight, "two written actions execute turnRight");
    }

    /** paper-facts, "Alternative semantics", the ICML'24 set (reference indices 0, 3, 5, 8, 11). */
    @Test
    void icmlTablesAsInPaperFacts() {
        assertTable(Semantics.parse("unsemantic3"), PUT_MARKER, PICK_MARKER, MOVE, TURN_RIGHT, TURN_LEFT);
        assertTable(Semantics.parse("perm_nomarks_2"), PUT_MARKER, PICK_MARKER, TURN_RIGHT, MOVE, TURN_LEFT);
        assertTable(Semantics.parse("perm_nomarks_5"), PUT_MARKER, PICK_MARKER, TURN_LEFT, MOVE, TURN_RIGHT);
        assertEquals(List.of("original", "opposite1", "unsemantic1", "unsemantic3", "perm_nomarks_2", "perm_nomarks_5"),
                Semantics.REFERENCE_ICML.stream().map(Semantics::name).toList());
        for (int i : new int[] {0, 3, 5, 8, 11}) {
            assertTrue(Semantics.REFERENCE_ICML.contains(Semantics.reference(i)), "index " + i);
        }
    }

    /** probe/alt.py of the reference, functions opposite1 .. perm_nomarks_5, indices 0-11. */
    @Test
    void theReferencesTwelveTables() {
        Action[][] expected = {  // pick, put, turnRight, turnLeft, move
            {PUT_MARKER, PICK_MARKER, TURN_LEFT, TURN_RIGHT, MOVE},        // 0 opposite1
            {TURN_LEFT, MOVE, PICK_MARKER, PUT_MARKER, TURN_RIGHT},        // 1 random1
            {PUT_MARKER, TURN_RIGHT, TURN_LEFT, MOVE, PICK_MARKER},        // 2 perm1
            {TURN_RIGHT, TURN_LEFT, MOVE, TURN_RIGHT, TURN_LEFT},          // 3 unsemantic1
            {TURN_RIGHT, MOVE, PUT_MARKER, PICK_MARKER, TURN_LEFT},        // 4 unsemantic2
            {PUT_MARKER, PICK_MARKER, MOVE, TURN_RIGHT, TURN_LEFT},        // 5 unsemantic3
            {PUT_MARKER, PICK_MARKER, MOVE, TURN_RIGHT, TURN_LEFT},        // 6 unsemantic4
            {PUT_MARKER, PICK_MARKER, TURN_LEFT, TURN_RIGHT, MOVE},        // 7 perm_nomarks_1
            {PUT_MARKER, PICK_MARKER, TURN_RIGHT, MOVE, TURN_LEFT},        // 8 perm_nomarks_2
            {PUT_MARKER, PICK_MARKER, MOVE, TURN_LEFT, TURN_RIGHT},        // 9 perm_nomarks_3
            {PUT_MARKER, PICK_MARKER, MOVE, TURN_RIGHT, TURN_LEFT},        // 10 perm_nomarks_4
            {PUT_MARKER, PICK_MARKER, TURN_LEFT, MOVE, TURN_RIGHT},        // 11 perm_nomarks_5
        };
        List<String> names = List.of("opposite1", "random1", "perm1", "unsemantic1", "unsemantic2", "unsemantic3",
                "unsemantic4", "perm_nomarks_1", "perm_nomarks_2", "perm_nomarks_3", "perm_nomarks_4",
                "perm_nomarks_5");
        assertEquals(12, Semantics.REFERENCE.size());
        for (int i = 0; i < 12; i++) {
            Semantics s = Semantics.reference(i);
            assertEquals(names.get(i), s.name());
            assertEquals(s, Semantics.parse(names.get(i)));
            Action[] e = expected[i];
            assertTable(s, e[0], e[1], e[2], e[3], e[4]);
            assertEquals(i != 3, s.isPermutation(), names.get(i) + " is a permutation unless it is unsemantic1");
        }
        assertThrows(KarelException.class, () -> Semantics.reference(12));
        assertThrows(KarelException.class, () -> Semantics.reference(-1));
    }

    @Test
    void referenceDuplicatesShareATableButKeepTheirNames() {
        assertEquals(Semantics.UNSEMANTIC3, Semantics.UNSEMANTIC4);
        assertEquals(Semantics.UNSEMANTIC3, Semantics.PERM_NOMARKS_4);
        assertEquals(Semantics.OPPOSITE1, Semantics.PERM_NOMARKS_1);
        assertEquals("perm_nomarks_4", Semantics.parse("perm_nomarks_4").name());
        assertEquals(Semantics.UNSEMANTIC3.hashCode(), Semantics.PERM_NOMARKS_4.hashCode());
        assertNotEquals(Semantics.UNSEMANTIC2, Semantics.UNSEMANTIC3);
    }

    @Test
    void namedTablesByName() {
        assertEquals(List.of("original", "opposite1", "random1", "perm1", "unsemantic1", "unsemantic2", "unsemantic3",
                "unsemantic4", "perm_nomarks_1", "perm_nomarks_2", "perm_nomarks_3", "perm_nomarks_4", "perm_nomarks_5",
                "flip", "adversarial"), List.copyOf(Semantics.named()));
        assertEquals(Semantics.ORIGINAL, Semantics.parse("original"));
        assertEquals(Semantics.FLIP, Semantics.parse("flip"));
        assertEquals(Semantics.ADVERSARIAL, Semantics.parse(" Adversarial "));
        assertEquals("adversarial", Semantics.parse("ADVERSARIAL").name());
        assertEquals("perm_nomarks_2", Semantics.parse("PERM_NOMARKS_2").name());
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
        // pick<->put with move, turnLeft, turnRight as a 3-cycle: the reference's unsemantic3
        Semantics s = Semantics.parse("pickMarker=putMarker,putMarker=pickMarker,move=turnLeft,turnLeft=turnRight,"
                + "turnRight=move");
        assertTrue(s.isPermutation());
        assertTable(s, PUT_MARKER, PICK_MARKER, MOVE, TURN_RIGHT, TURN_LEFT);
        assertEquals("unsemantic3", s.name());
    }

    @Test
    void mappingEqualToANamedTableGetsTheFirstReferenceName() {
        Semantics flip = Semantics.parse("put_marker=pick_marker,turn_right=turn_left,pick_marker=put_marker,"
                + "turn_left=turn_right,move=move");
        assertEquals("opposite1", flip.name(), "the reference name, not perm_nomarks_1 or the alias flip");
        assertEquals(Semantics.FLIP, flip);
        Semantics adv = Semantics.parse(
                "move=turnLeft,turnLeft=turnRight,turnRight=move,putMarker=turnLeft,pickMarker=turnRight");
        assertEquals("unsemantic1", adv.name());
        assertEquals("unsemantic3", Semantics.parse(Semantics.PERM_NOMARKS_4.canonical()).name());
        assertEquals("original", Semantics.parse("move=move").name());
        assertEquals("original", Semantics.parse("turnLeft=turnLeft,pickMarker=pickMarker").name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "flipped", "", "move", "perm_nomarks_6", "unsemantic5", "perm-nomarks-2"})
    void unknownNamesAreErrors(String spec) {
        KarelException e = assertThrows(KarelException.class, () -> Semantics.parse(spec));
        assertTrue(e.getMessage().contains("unknown semantics"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        for (String known : Semantics.named()) {
            assertTrue(e.getMessage().contains(known), "lists " + known + ": " + e.getMessage());
        }
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
