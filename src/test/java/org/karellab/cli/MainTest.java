package org.karellab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line's bad-input contract: exit status 2, exactly one line on stderr naming the place
 * and the problem, no stack trace, and nothing left behind.
 */
class MainTest {
    @TempDir
    static Path shared;
    static Path data;
    static Path jsonl;
    static Path gz;
    /** the first record of the exported test split, one JSON object */
    static String goodLine;

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws IOException {
        data = shared.resolve("data");
        Cli.ok("generate", "--out", data, "--train", 100, "--val", 50, "--test", 300, "--seed", 3, "--threads", 1,
                "--quiet");
        jsonl = shared.resolve("test.jsonl");
        gz = shared.resolve("test.jsonl.gz");
        Cli.ok("export", "--data", data, "--split", "test", "--out", jsonl);
        Cli.ok("export", "--data", data, "--split", "test", "--out", gz);
        goodLine = Files.readAllLines(jsonl).get(0);
    }

    @Test
    void everyHelpTextFormatsWithoutPicocliWarnings() {
        // a lone '%' in a description makes picocli print a WARN and show the raw text
        java.io.PrintStream before = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String name : new picocli.CommandLine(new Main()).getSubcommands().keySet()) {
                Cli.Result r = Cli.ok(name, "--help");
                assertTrue(r.out().startsWith("Usage: karel-lab " + name), name);
                assertFalse(r.out().contains("%n") || r.out().contains("%%"), name + ": unformatted help\n" + r.out());
            }
        } finally {
            System.setErr(before);
        }
        assertEquals("", captured.toString(java.nio.charset.StandardCharsets.UTF_8), "picocli warnings");
    }

    // ---------------------------------------------------------------- bad records, for check and import

    private static UnaryOperator<String> field(String name, UnaryOperator<String> change) {
        return line -> {
            try {
                ObjectNode n = (ObjectNode) JSON.readTree(line);
                String v = change.apply(n.get(name).asText());
                if (v == null) {
                    n.remove(name);
                } else {
                    n.put(name, v);
                }
                return JSON.writeValueAsString(n);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static String dropLastLine(String grid) {
        return grid.substring(0, grid.lastIndexOf('\n'));
    }

    private static String widenLine2(String grid) {
        String[] l = grid.split("\n");
        l[1] = l[1] + ".";
        return String.join("\n", l);
    }

    static Stream<Arguments> badRecords() {
        return Stream.of(
                Arguments.of("grid of 7 lines", field("input0", MainTest::dropLastLine),
                        List.of("field input0", "grid has 7 lines, expected 8")),
                Arguments.of("grid line of 9 characters", field("output3", MainTest::widenLine2),
                        List.of("field output3", "grid line 2 has 9 characters, expected 8")),
                Arguments.of("unknown character", field("input1", g -> g.replaceFirst("\\.", "x")),
                        List.of("field input1", "unknown character 'x'")),
                Arguments.of("two robots", field("input2", g -> g.replaceFirst("\\.", "^")),
                        List.of("field input2", "a second robot")),
                Arguments.of("no robot", field("output0", g -> g.replaceAll("[<>^v]", ".")),
                        List.of("field output0", "no robot")),
                Arguments.of("unknown action", field("code", c -> "def run() { jump() }"),
                        List.of("field code", "unknown action 'jump'")),
                Arguments.of("missing braces", field("code", c -> "def run() move(); turn_left()"),
                        List.of("field code", "not enclosed in { }")),
                Arguments.of("missing close brace", field("code", c -> "def run() {\n  move()\n"),
                        List.of("field code", "not enclosed in { }")),
                Arguments.of("no output3", field("output3", g -> null), List.of("record is missing field output3")),
                Arguments.of("no code", field("code", c -> null), List.of("record is missing field code")),
                Arguments.of("not JSON", (UnaryOperator<String>) l -> "this is not json",
                        List.of("not a JSON object")),
                Arguments.of("JSON array", (UnaryOperator<String>) l -> "[1, 2, 3]", List.of("not a JSON object")),
                Arguments.of("code not a string", (UnaryOperator<String>) l -> l.replaceFirst(
                        "\"code\":\"[^\"]*\"", "\"code\":42"), List.of("field code is not a string")));
    }

    /** A file whose line 1 is a good record and line 2 the bad one. */
    private Path badFile(UnaryOperator<String> change) throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path f = in.resolve("bad.jsonl");
        String bad = change.apply(goodLine);
        assertFalse(bad.equals(goodLine));
        Files.writeString(f, goodLine + "\n" + bad + "\n" + goodLine + "\n");
        return f;
    }

    @ParameterizedTest(name = "check: {0}")
    @MethodSource("badRecords")
    void checkRejectsBadRecord(String name, UnaryOperator<String> change, List<String> problem) throws IOException {
        Path f = badFile(change);
        String line = Cli.assertBadInput(Cli.run("check", f), problem.toArray(String[]::new));
        assertTrue(line.contains(f + ":2:"), "names file and line: " + line);
    }

    @ParameterizedTest(name = "import: {0}")
    @MethodSource("badRecords")
    void importRejectsBadRecordAndLeavesNothing(String name, UnaryOperator<String> change, List<String> problem)
            throws IOException {
        Path f = badFile(change);
        Path outs = Files.createDirectories(dir.resolve("outs"));
        Path out = outs.resolve("imported");
        String line = Cli.assertBadInput(Cli.run("import", "--test", f, "--out", out),
                problem.toArray(String[]::new));
        assertTrue(line.contains(f + ":2:"), "names file and line: " + line);
        assertFalse(Files.exists(out));
        assertEquals(List.of(), Cli.names(outs), "no temporary files next to --out");
    }

    private Path truncatedGzip() throws IOException {
        byte[] b = Files.readAllBytes(gz);
        Path f = Files.createDirectories(dir.resolve("in")).resolve("cut.jsonl.gz");
        Files.write(f, Arrays.copyOf(b, b.length / 2));
        return f;
    }

    @Test
    void checkRejectsTruncatedGzip() throws IOException {
        Path f = truncatedGzip();
        String line = Cli.assertBadInput(Cli.run("check", f), "truncated or damaged gzip");
        assertTrue(line.matches("karel-lab: " + java.util.regex.Pattern.quote(f.toString()) + ":\\d+: .*"), line);
    }

    @Test
    void importRejectsTruncatedGzipAndLeavesNothing() throws IOException {
        Path f = truncatedGzip();
        Path outs = Files.createDirectories(dir.resolve("outs"));
        Path out = outs.resolve("imported");
        Cli.assertBadInput(Cli.run("import", "--test", f, "--val", jsonl, "--out", out), f.toString(),
                "truncated or damaged gzip");
        assertFalse(Files.exists(out));
        assertEquals(List.of(), Cli.names(outs));
    }

    @Test
    void importOfAMissingFile() throws IOException {
        Path outs = Files.createDirectories(dir.resolve("outs"));
        Cli.assertBadInput(Cli.run("import", "--test", dir.resolve("nope.jsonl"), "--out", outs.resolve("o")),
                "nope.jsonl");
        assertEquals(List.of(), Cli.names(outs));
    }

    @Test
    void importWithoutSplitFiles() throws IOException {
        Path outs = Files.createDirectories(dir.resolve("outs"));
        Cli.assertBadInput(Cli.run("import", "--out", outs.resolve("o")), "name at least one split file");
        assertEquals(List.of(), Cli.names(outs));
    }

    // ---------------------------------------------------------------- bad options

    @ParameterizedTest
    @ValueSource(strings = {"check", "run"})
    void unknownSemantics(String command) {
        Cli.Result r = command.equals("check") ? Cli.run("check", jsonl, "--semantics", "sideways")
                : Cli.run("run", "--program", "move", "--semantics", "sideways");
        Cli.assertBadInput(r, "unknown semantics 'sideways'");
        r = command.equals("check") ? Cli.run("check", jsonl, "--semantics", "move=fly")
                : Cli.run("run", "--program", "move", "--semantics", "move=fly");
        Cli.assertBadInput(r, "unknown action 'fly'");
        r = command.equals("check") ? Cli.run("check", jsonl, "--semantics", "move=turnLeft,move=turnRight")
                : Cli.run("run", "--program", "move", "--semantics", "move=turnLeft,move=turnRight");
        Cli.assertBadInput(r, "mapped twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"check", "run"})
    void unknownCrashPolicy(String command) {
        Cli.Result r = command.equals("check") ? Cli.run("check", jsonl, "--crash-policy", "explode")
                : Cli.run("run", "--program", "move", "--crash-policy", "explode");
        Cli.assertBadInput(r, "unknown crash policy 'explode'");
    }

    static Stream<Arguments> badSizes() {
        return Stream.of(
                Arguments.of(List.of("--train", "-5"), "--train"),
                Arguments.of(List.of("--val", "-1"), "--val"),
                Arguments.of(List.of("--train", "999999999999"), "--train"),
                Arguments.of(List.of("--test", "50000001"), "--test"),
                Arguments.of(List.of("--train", "12x"), "--train"),
                Arguments.of(List.of("--train-lengths", "0-5"), "length range"),
                Arguments.of(List.of("--eval-lengths", "10-6"), "length range"),
                Arguments.of(List.of("--train-lengths", "six"), "six"),
                Arguments.of(List.of("--threads", "0"), "--threads"));
    }

    @ParameterizedTest
    @MethodSource("badSizes")
    void generateRejectsBadSizes(List<String> option, String named) throws IOException {
        Path outs = Files.createDirectories(dir.resolve("outs"));
        Path out = outs.resolve("data");
        Cli.assertBadInput(Cli.run("generate", "--out", out, "--quiet", option.get(0), option.get(1)), named);
        assertFalse(Files.exists(out));
        assertEquals(List.of(), Cli.names(outs));
    }

    @Test
    void generateRefusesNonEmptyFolder() throws IOException {
        Path out = Files.createDirectories(dir.resolve("data"));
        Files.writeString(out.resolve("notes.txt"), "keep me");
        Cli.assertBadInput(Cli.run("generate", "--out", out, "--quiet", "--train", 5, "--val", 5, "--test", 5),
                out.toString(), "already exists");
        assertEquals(List.of("notes.txt"), Cli.names(out));
    }

    // ---------------------------------------------------------------- bad files and folders

    @Test
    void checkOnTruncatedSplitFile() throws IOException {
        byte[] b = Files.readAllBytes(data.resolve("test.bin"));
        Path f = dir.resolve("test.bin");
        Files.write(f, Arrays.copyOf(b, b.length - b.length / 3));
        Cli.assertBadInput(Cli.run("check", f), f.toString(), "truncated or damaged", "300 records");
    }

    @Test
    void checkOnFolderThatIsNotADataset() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "hello");
        Cli.assertBadInput(Cli.run("check", dir), dir.toString(), "not a dataset folder");
        Cli.assertBadInput(Cli.run("export", "--data", dir, "--split", "test", "--out", dir.resolve("x.jsonl")),
                dir.toString(), "not a dataset folder");
        assertEquals(List.of("readme.txt"), Cli.names(dir));
    }

    @Test
    void checkOnMissingPath() {
        Cli.assertBadInput(Cli.run("check", dir.resolve("absent.jsonl")), "absent.jsonl", "no such file");
    }

    @Test
    void checkOnDatasetWithDamagedSplit() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        for (String n : Cli.names(data)) {
            Files.copy(data.resolve(n), copy.resolve(n));
        }
        byte[] b = Files.readAllBytes(copy.resolve("val.bin"));
        Files.write(copy.resolve("val.bin"), Arrays.copyOf(b, 100));
        Cli.assertBadInput(Cli.run("check", copy), "val.bin", "truncated or damaged");
    }

    static Stream<Arguments> badWorldFiles() {
        String good = String.join("\n", "########", "#......#", "#.#....#", "#.>2...#", "#......#", "#......#",
                "#......#", "########");
        return Stream.of(
                Arguments.of(good.substring(0, good.lastIndexOf('\n')), "grid has 7 lines, expected 8"),
                Arguments.of(good.replace("#.#....#", "#.#.....#"), "grid line 3 has 9 characters, expected 8"),
                Arguments.of(good.replace("#.#....#", "#.#..?.#"), "grid line 3 column 6: unknown character '?'"),
                Arguments.of(good.replace("#.#....#", "#.#..<.#"), "a second robot"),
                Arguments.of(good.replace('>', '.'), "grid has no robot"));
    }

    @ParameterizedTest
    @MethodSource("badWorldFiles")
    void runRejectsBadWorldFile(String text, String problem) throws IOException {
        Path f = dir.resolve("world.txt");
        Files.writeString(f, text + "\n");
        String line = Cli.assertBadInput(Cli.run("run", "--program", "move", "--world", f), problem);
        assertTrue(line.startsWith("karel-lab: " + f + ": "), line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"def run() { jump() }", "def run() move()", "move jump", ""})
    void runRejectsMalformedProgram(String program) {
        Cli.assertBadInput(Cli.run("run", "--program", program), "--program");
    }

    // ---------------------------------------------------------------- picocli's own errors

    @Test
    void usageErrors() {
        Cli.assertBadInput(Cli.run(), "name a command");
        Cli.assertBadInput(Cli.run("fly"), "fly");
        Cli.assertBadInput(Cli.run("generate", "--train", 5), "--out");
        Cli.assertBadInput(Cli.run("check"), "FILE");
        Cli.assertBadInput(Cli.run("check", jsonl, "--bogus"), "--bogus");
    }

    @Test
    void helpAndVersion() {
        Cli.Result r = Cli.ok("--help");
        assertTrue(r.out().contains("generate") && r.out().contains("check") && r.out().contains("import"),
                r.out());
        assertTrue(Cli.ok("--version").out().contains("karel-lab"));
        assertTrue(Cli.ok("check", "--help").out().contains("--semantics"));
    }
}
