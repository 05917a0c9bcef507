package org.karellab.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.karellab.world.Action.MOVE;
import static org.karellab.world.Action.PICK_MARKER;
import static org.karellab.world.Action.PUT_MARKER;
import static org.karellab.world.Action.TURN_LEFT;
import static org.karellab.world.Action.TURN_RIGHT;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Golden traces worked out by hand from the rules in paper-facts ("World"): move into a wall and
 * pick on an empty cell are crashes, put never crashes, markers are unbounded; the crash policy
 * decides what a crash does (noop: nothing; halt: nothing, and nothing afterwards; error: throw).
 */
class InterpreterTest {

    /*
     * Start world S: robot at (3,3) facing north; a wall right in front of it at (2,3); one marker
     * west of it at (3,2).
     */
    static final String START = Worlds.interior(
            "#......#",
            "#..#...#",
            "#.1^...#",
            "#......#",
            "#......#",
            "#......#");

    /** Program A: starts with a blocked move, later a pick on an empty cell. */
    static final Program A = new Program(MOVE, TURN_LEFT, MOVE, PICK_MARKER, PICK_MARKER, PUT_MARKER, PUT_MARKER,
            TURN_RIGHT, MOVE);

    /** Program B: the first crash is a pick on an empty cell (step 4). */
    static final Program B = new Program(TURN_LEFT, MOVE, PICK_MARKER, PICK_MARKER, PUT_MARKER, TURN_RIGHT, MOVE);

    private static World start() {
        return WorldText.parse(START);
    }

    /** A world given by rows 2 and 3 (other interior rows empty), with {@code hidden} markers set at (3,2). */
    private static World rows23(String row2, String row3, int markersAt32) {
        World w = WorldText.parse(Worlds.interior("#......#", row2, row3, "#......#", "#......#", "#......#"));
        return w.setMarkers(3, 2, markersAt32);
    }

    private static Interpreter interp(CrashPolicy p) {
        return new Interpreter(Semantics.ORIGINAL, p);
    }

    private static List<Boolean> flags(int n, int... trueAt) {
        List<Boolean> l = new ArrayList<>(Collections.nCopies(n, false));
        for (int i : trueAt) {
            l.set(i, true);
        }
        return l;
    }

    // ---------------------------------------------------------------- noop

    @Test
    void noopGoldenTraceOfProgramA() {
        Trace t = interp(CrashPolicy.NOOP).trace(start(), A);
        List<World> expected = List.of(
                start(),                                       // 0: start
                start(),                                       // 1: move into the wall: nothing
                rows23("#..#...#", "#.1<...#", 1),             // 2: turnLeft: N -> W
                rows23("#..#...#", "#.<....#", 1),             // 3: move onto the marker (hidden by the glyph)
                rows23("#..#...#", "#.<....#", 0),             // 4: pick: 1 -> 0
                rows23("#..#...#", "#.<....#", 0),             // 5: pick on empty: nothing
                rows23("#..#...#", "#.<....#", 1),             // 6: put
                rows23("#..#...#", "#.<....#", 2),             // 7: put
                rows23("#..#...#", "#.^....#", 2),             // 8: turnRight: W -> N
                rows23("#.^#...#", "#.2....#", 2));            // 9: move north to (2,2)
        assertEquals(expected.size(), t.worlds().size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), t.worlds().get(i), "world after " + i + " actions");
            assertEquals(WorldText.render(expected.get(i)), WorldText.render(t.worlds().get(i)), "text after " + i);
        }
        assertEquals(2, t.worlds().get(7).markers(3, 2), "markers are counted under the robot");
        assertEquals(flags(9, 0, 4), t.failed());
        assertEquals(flags(9), t.halted());
        assertEquals(A.actions(), t.executed());
        assertEquals(A, t.program());
        assertEquals(expected.get(9), interp(CrashPolicy.NOOP).run(start(), A), "run() agrees with trace()");
    }

    @Test
    void noopGoldenAbstractStatesOfProgramA() {
        Trace t = interp(CrashPolicy.NOOP).trace(start(), A);
        String s0 = "facing=N dx=+0 dy=+0 facingWall=yes pos=(3,3) walls=N---";
        String s2 = "facing=W dx=+0 dy=+0 facingWall=no pos=(3,3) walls=N---";
        String s3 = "facing=W dx=-1 dy=+0 facingWall=no pos=(3,2) walls=----";
        String s8 = "facing=N dx=-1 dy=+0 facingWall=no pos=(3,2) walls=----";
        String s9 = "facing=N dx=-1 dy=-1 facingWall=no pos=(2,2) walls=-E--";
        List<String> expected = List.of(s0, s0, s2, s3, s3, s3, s3, s3, s8, s9);
        for (int i = 0; i <= A.length(); i++) {
            assertEquals(expected.get(i), t.state(i).describe(), "state after " + i + " actions");
        }
        // start facing north: one row north is one step ahead, one column west one step to the left
        assertEquals(new AbstractState(Facing.NORTH, -1, -1, false, 2, 2, false, true, false, false, 0, 1, -1),
                t.state(9));
        assertEquals(new AbstractState(Facing.NORTH, 0, 0, true, 3, 3, true, false, false, false, 0, 0, 0), t.state(1));
    }

    @Test
    void noopGoldenTraceOfProgramB() {
        Trace t = interp(CrashPolicy.NOOP).trace(start(), B);
        // turnLeft, move to (3,2), pick 1->0, pick on empty (nothing), put 0->1, turnRight, move to (2,2)
        assertEquals(rows23("#.^#...#", "#.1....#", 1), t.end());
        assertEquals(flags(7, 3), t.failed());
        assertEquals(flags(7), t.halted());
    }

    // ---------------------------------------------------------------- halt

    @Test
    void haltAfterBlockedMoveEveryLaterActionIsANoop() {
        Trace t = interp(CrashPolicy.HALT).trace(start(), A);
        for (int i = 0; i <= A.length(); i++) {
            assertEquals(start(), t.worlds().get(i), "nothing changes after the crash, step " + i);
        }
        assertEquals(flags(9, 0), t.failed(), "only the first action crashed; later ones were not tried");
        assertEquals(flags(9, 0, 1, 2, 3, 4, 5, 6, 7, 8), t.halted(), "halted from the crash on");
        assertEquals(start(), interp(CrashPolicy.HALT).run(start(), A));
    }

    @Test
    void haltAfterPickOnEmptyEveryLaterActionIsANoop() {
        Trace t = interp(CrashPolicy.HALT).trace(start(), B);
        World atCrash = rows23("#..#...#", "#.<....#", 0);  // at (3,2) facing W, marker picked
        assertEquals(rows23("#..#...#", "#.1<...#", 1), t.worlds().get(1));
        assertEquals(rows23("#..#...#", "#.<....#", 1), t.worlds().get(2));
        for (int i = 3; i <= B.length(); i++) {
            assertEquals(atCrash, t.worlds().get(i), "world after " + i + " actions");
        }
        assertEquals(flags(7, 3), t.failed());
        assertEquals(flags(7, 3, 4, 5, 6), t.halted());
        assertEquals(atCrash, interp(CrashPolicy.HALT).run(start(), B), "run() halts the same way");
        assertNotEquals(interp(CrashPolicy.NOOP).run(start(), B), interp(CrashPolicy.HALT).run(start(), B));
    }

    @Test
    void haltWithoutCrashIsLikeNoop() {
        Program p = new Program(TURN_LEFT, MOVE, PICK_MARKER, PUT_MARKER, PUT_MARKER, TURN_RIGHT, MOVE);
        Trace t = interp(CrashPolicy.HALT).trace(start(), p);
        assertEquals(interp(CrashPolicy.NOOP).trace(start(), p).worlds(), t.worlds());
        assertEquals(flags(7), t.halted());
        assertEquals(flags(7), t.failed());
    }

    // ---------------------------------------------------------------- error

    @Test
    void errorOnBlockedMoveNamesStepZero() {
        CrashException e = assertThrows(CrashException.class, () -> interp(CrashPolicy.ERROR).run(start(), A));
        assertEquals(0, e.step);
        assertEquals(MOVE, e.action);
        assertTrue(e.getMessage().startsWith("action 1 (move) crashed"), e.getMessage());
        CrashException e2 = assertThrows(CrashException.class, () -> interp(CrashPolicy.ERROR).trace(start(), A));
        assertEquals(0, e2.step);
    }

    @Test
    void errorOnPickOnEmptyNamesTheStep() {
        World s = start();
        CrashException e = assertThrows(CrashException.class, () -> interp(CrashPolicy.ERROR).run(s, B));
        assertEquals(3, e.step);
        assertEquals(PICK_MARKER, e.action);
        assertTrue(e.getMessage().contains("action 4 (pickMarker)"), e.getMessage());
        assertEquals(start(), s, "run() does not change its input");
        CrashException e2 = assertThrows(CrashException.class, () -> interp(CrashPolicy.ERROR).trace(start(), B));
        assertEquals(3, e2.step);
        assertTrue(e2 instanceof KarelException);
    }

    @Test
    void errorWithoutCrashRunsNormally() {
        Program p = new Program(TURN_LEFT, MOVE, PICK_MARKER, PUT_MARKER, PUT_MARKER, TURN_RIGHT, MOVE);
        assertEquals(rows23("#.^#...#", "#.2....#", 2), interp(CrashPolicy.ERROR).run(start(), p));
    }

    // ---------------------------------------------------------------- single actions, every policy

    @ParameterizedTest
    @EnumSource(CrashPolicy.class)
    void moveIntoFreeCell(CrashPolicy policy) {
        World w = Worlds.parse("########", "#......#", "#......#", "#..>...#", "#......#", "#......#", "#......#",
                "########");
        World after = interp(policy).run(w, new Program(MOVE));
        assertEquals(Worlds.parse("########", "#......#", "#......#", "#...>..#", "#......#", "#......#",
                "#......#", "########"), after);
    }

    @ParameterizedTest
    @EnumSource(CrashPolicy.class)
    void moveInEveryDirection(CrashPolicy policy) {
        // from (3,3): N -> (2,3), E -> (3,4), S -> (4,3), W -> (3,2)
        int[][] to = {{2, 3}, {3, 4}, {4, 3}, {3, 2}};
        for (Facing f : Facing.values()) {
            World w = World.empty(3, 3, f);
            World after = interp(policy).run(w, new Program(MOVE));
            assertEquals(to[f.ordinal()][0], after.robotRow(), f.name());
            assertEquals(to[f.ordinal()][1], after.robotCol(), f.name());
            assertEquals(f, after.facing());
        }
    }

    @ParameterizedTest
    @EnumSource(CrashPolicy.class)
    void moveIntoBorderWall(CrashPolicy policy) {
        // robot in the top-left interior corner facing north: the border is in front
        World w = Worlds.parse("########", "#^.....#", "#......#", "#......#", "#......#", "#......#", "#......#",
                "########");
        Program p = new Program(MOVE, TURN_RIGHT);
        if (policy == CrashPolicy.ERROR) {
            CrashException e = assertThrows(CrashException.class, () -> interp(policy).run(w, p));
            assertEquals(0, e.step);
            return;
        }
        Trace t = interp(policy).trace(w, p);
        assertEquals(w, t.worlds().get(1), "a blocked move does nothing");
        assertEquals(List.of(true, false), t.failed());
        if (policy == CrashPolicy.HALT) {
            assertEquals(w, t.end(), "halted: the turn is not done");
            assertEquals(List.of(true, true), t.halted());
        } else {
            assertEquals(Facing.EAST, t.end().facing(), "noop: the turn is done");
            assertEquals(List.of(false, false), t.halted());
        }
    }

    @ParameterizedTest
    @EnumSource(CrashPolicy.class)
    void pickOnEmptyCell(CrashPolicy policy) {
        World w = World.empty(4, 4, Facing.SOUTH);
        Program p = new Program(PICK_MARKER, MOVE);
        if (policy == CrashPolicy.ERROR) {
            CrashException e = assertThrows(CrashException.class, () -> interp(policy).run(w, p));
            assertEquals(0, e.step);
            assertEquals(PICK_MARKER, e.action);
            return;
        }
        Trace t = interp(policy).trace(w, p);
        assertEquals(w, t.worlds().get(1));
        assertEquals(0, t.worlds().get(1).markers(4, 4), "marker count never goes negative");
        assertEquals(List.of(true, false), t.failed());
        assertEquals(policy == CrashPolicy.HALT ? w : World.empty(5, 4, Facing.SOUTH), t.end());
    }

    @ParameterizedTest
    @EnumSource(CrashPolicy.class)
    void pickOnMarkerRemovesOne(CrashPolicy policy) {
        World w = World.empty(2, 5, Facing.WEST).setMarkers(2, 5, 3);
        Trace t = interp(policy).trace(w, new Program(PICK_MARKER, PICK_MARKER));
        assertEquals(2, t.worlds().get(1).markers(2, 5));
        assertEquals(1, t.end().markers(2, 5));
        assertEquals(List.of(false, false), t.failed());
        assertEquals(3, w.markers(2, 5), "the start world is not changed");
    }

    @ParameterizedTest
    @EnumSource(CrashPolicy.class)
    void putMarkerNeverCrashesAndMarkersAreUnbounded(CrashPolicy policy) {
        World w = World.empty(1, 1, Facing.EAST);
        List<Action> puts = new ArrayList<>(Collections.nCopies(12, PUT_MARKER));
        Trace t = interp(policy).trace(w, new Program(puts));
        for (int i = 1; i <= 12; i++) {
            assertEquals(i, t.worlds().get(i).markers(1, 1), "after " + i + " puts");
        }
        assertEquals(flags(12), t.failed());
        assertEquals(flags(12), t.halted());
        // step off the cell: 12 markers render as their first digit
        puts.add(MOVE);
        World after = interp(policy).run(w, new Program(puts));
        assertEquals(12, after.markers(1, 1));
        assertEquals(Worlds.grid("########", "#1>....#", "#......#", "#......#", "#......#", "#......#",
                "#......#", "########"), WorldText.render(after));
        // walk back: 12 picks take them all back
        List<Action> back = new ArrayList<>(List.of(TURN_LEFT, TURN_LEFT, MOVE));
        back.addAll(Collections.nCopies(12, PICK_MARKER));
        World emptied = interp(policy).run(after, new Program(back));
        assertEquals(0, emptied.markers(1, 1));
        assertEquals(World.empty(1, 1, Facing.WEST), emptied);
    }

    @ParameterizedTest
    @EnumSource(CrashPolicy.class)
    void turnsNeverCrash(CrashPolicy policy) {
        World w = Worlds.parse("########", "#^.....#", "#......#", "#......#", "#......#", "#......#", "#......#",
                "########");
        Trace t = interp(policy).trace(w, new Program(TURN_LEFT, TURN_LEFT, TURN_RIGHT));
        assertEquals(Facing.WEST, t.worlds().get(1).facing());
        assertEquals(Facing.SOUTH, t.worlds().get(2).facing());
        assertEquals(Facing.WEST, t.end().facing());
        assertEquals(flags(3), t.failed());
        assertEquals(1, t.end().robotRow());
        assertEquals(1, t.end().robotCol());
    }

    @Test
    void traceRecordsNPlusOneWorldsAndCopiesThem() {
        World w = start();
        Trace t = interp(CrashPolicy.NOOP).trace(w, B);
        assertEquals(B.length() + 1, t.worlds().size());
        assertEquals(B.length(), t.executed().size());
        assertEquals(B.length(), t.length());
        assertEquals(start(), w, "the start world is not changed");
        assertEquals(start(), t.start());
        assertFalse(t.worlds().get(1) == t.worlds().get(2));
    }

    @Test
    void runInPlaceChangesTheWorld() {
        World w = start();
        interp(CrashPolicy.NOOP).runInPlace(w, B);
        assertEquals(rows23("#.^#...#", "#.1....#", 1), w);
    }

    @Test
    void referenceInterpreterIsOriginalNoop() {
        assertEquals(Semantics.ORIGINAL, Interpreter.REFERENCE.semantics());
        assertEquals(CrashPolicy.NOOP, Interpreter.REFERENCE.policy());
    }
}
