package org.karellab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.data.Dataset;
import org.karellab.data.DatasetFile;
import org.karellab.data.Importer;
import org.karellab.data.Sample;
import org.karellab.data.Split;
import org.karellab.world.KarelException;
import org.karellab.world.ProgramText;

/**
 * Regression tests, one per bug found while the suite was written (all fixed): each states the
 * expected behaviour; the comment above it gives the input that used to fail.
 */
class RegressionTest {
    @TempDir
    static Path shared;
    static Path data;
    static Path jsonl;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        data = shared.resolve("data");
        Cli.ok("generate", "--out", data, "--train", 50, "--val", 20, "--test", 200, "--seed", 13, "--threads", 1,
                "--quiet");
        jsonl = shared.resolve("test.jsonl");
        Cli.ok("export", "--data", data, "--split", "test", "--out", jsonl);
    }

    /*
     * BUG 1 (acceptance point 7, "dataset -> export -> import -> identical samples").
     * data/Importer.java importFiles/writeSplit stores the outputs parsed from the rendered text
     * (ReferenceJsonl.Record.toSample -> WorldText.parse), and the text form hides markers under the
     * robot (WorldText.render draws the glyph over them) and keeps only the first digit of counts
     * above 9. Any output where the robot ends on a marker (e.g. a program ending in put_marker())
     * comes back with 0 markers on the robot's cell.
     * Input: generate --seed 13 --test 200, export --split test, import --test.
     * Expected: every imported Sample equals the generated one. Actual: inputs and programs are equal,
     * but many outputs differ (the marker under the robot is gone).
     * Possible fix: on import, run the program on each input with the reference interpreter and, when
     * the rendered result equals the record's output text, store the executed world (exact counts);
     * otherwise keep the parsed one (or reject the record).
     */
    @Test
    void exportImportRoundTripGivesIdenticalSamples() {
        Path out = dir.resolve("imported");
        Importer.importFiles(Map.of(Split.TEST, jsonl), out);
        try (Dataset a = Dataset.open(data, true); Dataset b = Dataset.open(out, true)) {
            DatasetFile x = a.split(Split.TEST);
            DatasetFile y = b.split(Split.TEST);
            int differing = 0;
            int first = -1;
            for (int i = 0; i < x.size(); i++) {
                Sample s = x.sample(i);
                Sample t = y.sample(i);
                if (!s.equals(t)) {
                    differing++;
                    first = first < 0 ? i : first;
                }
            }
            assertEquals(0, differing, differing + " of " + x.size() + " imported samples differ from the generated"
                    + " ones (first: record " + first + ")");
        }
    }

    /*
     * BUG 2: world/ProgramText.java parseReference (lines 55-59) checks only that the squeezed text
     * starts with "def run()", then takes the body from the first '{'. Anything between "def run()"
     * and '{' is silently ignored.
     * Input: "def run() move() { turn_left() }".
     * Expected: KarelException (malformed program). Actual: parses as the one-statement program
     * turnLeft -- the move() is silently dropped (check/import would accept such a record).
     */
    @Test
    void textBetweenHeaderAndBodyIsRejected() {
        assertThrows(KarelException.class, () -> ProgramText.parse("def run() move() { turn_left() }"));
        assertThrows(KarelException.class, () -> ProgramText.parse("def run() garbage { move() }"));
        Cli.assertBadInput(Cli.run("run", "--program", "def run() move() { turn_left() }"), "--program");
    }

    /*
     * BUG 3: data/ReferenceJsonl.java parse (line 173) uses ObjectMapper.readTree(String), which by
     * default ignores whatever follows the first JSON value on the line
     * (DeserializationFeature.FAIL_ON_TRAILING_TOKENS is off). A line holding two records (a lost
     * newline) or a record followed by garbage is accepted, and the rest is silently dropped.
     * Input: a JSONL line "{record}{record}" (and "{record} garbage") given to `check`.
     * Expected: exit 2, one line "FILE:1: not a JSON object ...". Actual: exit 0,
     * "checked 1 records, 0 mismatches" -- the second record is silently lost.
     * Fix: enable FAIL_ON_TRAILING_TOKENS on the mapper (or check parser.nextToken() == null).
     */
    @Test
    void jsonlLineWithTrailingContentIsRejected() throws IOException {
        String good = Files.readAllLines(jsonl).get(0);
        Path two = Files.writeString(dir.resolve("two.jsonl"), good + good + "\n");
        Cli.assertBadInput(Cli.run("check", two), two + ":1:");
        Path garbage = Files.writeString(dir.resolve("garbage.jsonl"), good + " garbage\n");
        Cli.assertBadInput(Cli.run("check", garbage), garbage + ":1:");
        Path outs = Files.createDirectories(dir.resolve("outs"));
        Cli.assertBadInput(Cli.run("import", "--test", two, "--out", outs.resolve("o")), two + ":1:");
        assertEquals(List.of(), Cli.names(outs));
    }

    /*
     * BUG 4: data/Importer.java importFiles (lines 81-83) builds the manifest's GenConfig after all
     * records were read; a record whose program has more than LengthRange.LIMIT (64) statements makes
     * `new LengthRange(..)` throw "length range 65-65 is invalid (want 1 <= min <= max <= 64)",
     * which names neither the file nor the record (the bad-input contract of acceptance point 8).
     * Input: import --test FILE where line 2 has a 65-statement program.
     * Expected: exit 2 with one line naming FILE:2 and the problem (program too long).
     * Actual: "karel-lab: length range 65-65 is invalid (want 1 <= min <= max <= 64)".
     */
    @Test
    void importOfOverlongProgramNamesFileAndLine() throws IOException {
        List<String> lines = Files.readAllLines(jsonl).subList(0, 3);
        String longCode = "def run() {\\n  " + String.join("; ", Collections.nCopies(65, "turn_left()")) + "\\n}";
        String line2 = lines.get(1).replaceAll("\"code\":\"[^\"]*\"",
                java.util.regex.Matcher.quoteReplacement("\"code\":\"" + longCode + "\""));
        assertTrue(line2.contains("\"code\":\"def run() {\\n  turn_left(); turn_left();"), line2);
        Path f = dir.resolve("long.jsonl");
        Files.writeString(f, lines.get(0) + "\n" + line2 + "\n" + lines.get(2) + "\n");
        Path outs = Files.createDirectories(dir.resolve("outs"));
        Cli.assertBadInput(Cli.run("import", "--test", f, "--out", outs.resolve("o")), f + ":2:");
        assertEquals(List.of(), Cli.names(outs));
    }

    /*
     * BUG 5: data/AtomicFiles.java write (line 42) builds its message with the IOException's
     * toString(): "cannot write: java.nio.file.FileAlreadyExistsException: /x/afile". The bad-input
     * contract says stderr carries no "Exception" text.
     * Input: generate --out FILE/data (and export --out FILE/x.jsonl) where FILE is a regular file.
     * Expected: one line like "karel-lab: FILE/data: cannot write: FILE is not a folder".
     * Actual: "karel-lab: FILE/data: cannot write: java.nio.file.FileAlreadyExistsException: FILE".
     */
    @Test
    void unwritableOutputHasNoExceptionText() throws IOException {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        Cli.assertBadInput(Cli.run("generate", "--out", file.resolve("data"), "--train", 5, "--val", 5, "--test", 5,
                "--quiet"), "afile");
        Cli.assertBadInput(Cli.run("export", "--data", data, "--split", "val", "--out", file.resolve("x.jsonl")),
                "afile");
    }

    /*
     * BUG 6: data/DatasetFile.java constructor (lines 71-83) trusts the header's maxLength and examples:
     * with maxLength -761 and examples 10 the record size is 0, a 32-byte file "matches" any count,
     * and reading record 0 throws java.lang.IndexOutOfBoundsException. Through `check` that is an
     * uncaught exception: exit 1 and a stack trace on stderr.
     * Input: a 32-byte .bin with magic KARELDS1, version 1, maxLength -761, examples 10, count 5.
     * Expected: exit 2, one line "FILE: not a Karel Lab split file (bad header ...)".
     * Actual: exit 1, "java.lang.IndexOutOfBoundsException: Range [-728, -728 + 38) out of bounds ..."
     * plus a stack trace.
     * Fix: reject maxLength outside 1..LengthRange.LIMIT, examples outside 1..100 and count < 0.
     */
    @Test
    void damagedSplitHeaderIsBadInput() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        h.put("KARELDS1".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(-761).putInt(10).putLong(5).putInt(0);
        Path f = Files.write(dir.resolve("bad.bin"), h.array());
        Cli.assertBadInput(Cli.run("check", f), f.toString());
    }

    /*
     * BUG 7: data/DatasetFile.java decodeWorld (line 234, and World.setWall via line 242) throws
     * KarelException without the file or record: `check` on a .bin whose record 0 has a damaged
     * robot-cell byte prints "karel-lab: damaged world record (robot cell 200, facing 3)", naming
     * neither the file nor the record (bad-input contract, acceptance point 8).
     * Expected: the line names FILE and "record 0". Fix: wrap in world()/sample() with
     * e.at(path + ": record " + i).
     */
    @Test
    void damagedWorldRecordNamesFileAndRecord() throws IOException {
        byte[] b = Files.readAllBytes(data.resolve("val.bin"));
        int maxLength = 10;
        b[32 + 1 + maxLength + 36] = (byte) 200; // robot cell of record 0, input 0
        Path f = Files.write(dir.resolve("damaged.bin"), b);
        String line = Cli.assertBadInput(Cli.run("check", f), "damaged");
        assertTrue(line.contains(f.toString()) && line.contains("record 0"), line);
        assertFalse(line.contains("Exception"));
    }
}
