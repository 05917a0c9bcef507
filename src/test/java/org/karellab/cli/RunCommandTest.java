package org.karellab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run}: before/after worlds and one abstract-state line per action, for a hand-made world. */
class RunCommandTest {
    @TempDir
    Path dir;

    /* robot at (3,2) facing east; a wall north of it at (2,2); two markers east of it at (3,3) */
    static final List<String> BEFORE = List.of("########", "#......#", "#.#....#", "#.>2...#", "#......#", "#......#",
            "#......#", "########");
    /* after move (onto the markers, hidden by the glyph) and turnLeft (east -> north) */
    static final List<String> AFTER = List.of("########", "#......#", "#.#....#", "#..^...#", "#......#", "#......#",
            "#......#", "########");

    private Path world() throws IOException {
        Path f = dir.resolve("world.txt");
        Files.writeString(f, String.join("\n", BEFORE) + "\n");
        return f;
    }

    /** The lines after {@code header}, {@code n} of them. */
    private static List<String> block(List<String> lines, String header, int n) {
        int i = lines.indexOf(header);
        assertTrue(i >= 0, "no line '" + header + "' in " + lines);
        return lines.subList(i + 1, i + 1 + n);
    }

    /** The state part of the line numbered {@code step}: "N. NAME STATE[ notes]". */
    private static String state(List<String> lines, int step, String name) {
        List<String> hits = lines.stream().filter(l -> l.startsWith(step + ". ")).toList();
        assertEquals(1, hits.size(), "one line for step " + step + ": " + lines);
        String rest = hits.get(0).substring((step + ". ").length()).strip();
        assertTrue(rest.startsWith(name + " "), rest);
        return rest.substring(name.length()).strip();
    }

    private static long stepLines(List<String> lines) {
        return lines.stream().filter(l -> l.matches("\\d+\\. .*")).count();
    }

    @Test
    void moveTurnLeft() throws IOException {
        Cli.Result r = Cli.ok("run", "--program", "move turnLeft", "--world", world());
        List<String> lines = r.outLines();
        assertEquals("", r.err());
        assertEquals(BEFORE, block(lines, "before:", 8));
        assertEquals(AFTER, block(lines, "after:", 8));
        assertEquals(3, stepLines(lines), "the start and one line per action");
        assertEquals("facing=E dx=+0 dy=+0 facingWall=no pos=(3,2) walls=N---", state(lines, 0, "start"));
        assertEquals("facing=E dx=+1 dy=+0 facingWall=no pos=(3,3) walls=----", state(lines, 1, "move"));
        assertEquals("facing=N dx=+1 dy=+0 facingWall=no pos=(3,3) walls=----", state(lines, 2, "turnLeft"));
        assertTrue(lines.get(0).contains("move turnLeft") && lines.get(0).contains("semantics original")
                && lines.get(0).contains("crash policy noop"), lines.get(0));
        assertTrue(lines.indexOf("before:") < lines.indexOf("after:"));
    }

    @Test
    void referenceFormGivesTheSameRun() throws IOException {
        Path w = world();
        Cli.Result a = Cli.ok("run", "--program", "move turnLeft", "--world", w);
        Cli.Result b = Cli.ok("run", "--program", "def run() {\n  move(); turn_left()\n}", "--world", w);
        assertEquals(a.out(), b.out());
    }

    @Test
    void crashesAndHaltsAreMarked() throws IOException {
        // turnLeft faces the wall at (2,2); the move crashes and halts the run; the last turn does nothing
        Cli.Result r = Cli.ok("run", "--program", "turnLeft move turnRight", "--world", world(), "--crash-policy",
                "halt");
        List<String> lines = r.outLines();
        assertEquals("facing=N dx=+0 dy=+0 facingWall=yes pos=(3,2) walls=N---", state(lines, 1, "turnLeft"));
        assertEquals("facing=N dx=+0 dy=+0 facingWall=yes pos=(3,2) walls=N--- (crashed)", state(lines, 2, "move")
                .replaceAll("\\s+", " "));
        assertEquals("facing=N dx=+0 dy=+0 facingWall=yes pos=(3,2) walls=N--- (halted)", state(lines, 3,
                "turnRight").replaceAll("\\s+", " "));
        assertEquals(BEFORE.get(3).replace('>', '^'), block(lines, "after:", 8).get(3));
    }

    @Test
    void semanticsShowTheExecutedAction() throws IOException {
        Cli.Result r = Cli.ok("run", "--program", "turnLeft", "--world", world(), "--semantics", "flip");
        List<String> lines = r.outLines();
        assertEquals("facing=S dx=+0 dy=+0 facingWall=no pos=(3,2) walls=N--- as turnRight",
                state(lines, 1, "turnLeft"));
        assertTrue(lines.get(0).contains("semantics flip"), lines.get(0));
        assertEquals(BEFORE.get(3).replace('>', 'v'), block(lines, "after:", 8).get(3));
    }

    @Test
    void errorPolicyCrashIsBadInput() throws IOException {
        String line = Cli.assertBadInput(Cli.run("run", "--program", "turnLeft move", "--world", world(),
                "--crash-policy", "error"), "action 2 (move) crashed");
        assertTrue(line.startsWith("karel-lab: "), line);
    }

    @Test
    void randomWorldFromSeed() {
        Cli.Result a = Cli.ok("run", "--program", "move", "--seed", 5);
        Cli.Result b = Cli.ok("run", "--program", "move", "--seed", 5);
        assertEquals(a.out(), b.out());
        assertEquals(2, stepLines(a.outLines()));
        assertEquals("facing=", state(a.outLines(), 0, "start").substring(0, 7));
    }
}
