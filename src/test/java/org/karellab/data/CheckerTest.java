package org.karellab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.world.CrashPolicy;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import org.karellab.world.Semantics;
import org.karellab.world.Trace;
import org.karellab.world.World;
import org.karellab.world.WorldText;

/** Checking records: run each program, compare rendered outputs. */
class CheckerTest {
    @TempDir
    static Path shared;
    static Path data;
    static Path jsonl;
    static Path gz;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        data = TestData.generate(shared.resolve("data"), TestData.config(31, 600, 200, 300, false), 2);
        jsonl = shared.resolve("test.jsonl");
        gz = shared.resolve("test.jsonl.gz");
        Importer.export(data, Split.TEST, jsonl);
        Importer.export(data, Split.TEST, gz);
    }

    private static Checker.Result check(Path p, Semantics s, CrashPolicy c) {
        return Checker.check(p, new Interpreter(s, c));
    }

    @Test
    void exportedFilesCheckClean() {
        for (Path p : List.of(jsonl, gz)) {
            Checker.Result r = check(p, Semantics.ORIGINAL, CrashPolicy.NOOP);
            assertEquals(300, r.records());
            assertEquals(0, r.mismatches());
            assertEquals(List.of(), r.firstMismatches());
            assertEquals("checked 300 records, 0 mismatches", r.summary());
        }
    }

    @Test
    void datasetFolderAndSplitFile() {
        Checker.Result all = check(data, Semantics.ORIGINAL, CrashPolicy.NOOP);
        assertEquals(1100, all.records());
        assertEquals(0, all.mismatches());
        Checker.Result train = check(data.resolve("train.bin"), Semantics.ORIGINAL, CrashPolicy.NOOP);
        assertEquals("checked 600 records, 0 mismatches", train.summary());
    }

    /** Records whose rendered outputs differ from running under {@code in}: computed here from the samples. */
    private static long expectedMismatches(Interpreter in) {
        long n = 0;
        try (Dataset d = Dataset.open(data, false)) {
            DatasetFile f = d.split(Split.TEST);
            for (int i = 0; i < f.size(); i++) {
                Sample s = f.sample(i);
                boolean bad = false;
                for (int k = 0; k < s.examples(); k++) {
                    World got = in.run(s.inputs().get(k), s.program());
                    bad |= !WorldText.render(got).equals(WorldText.render(s.outputs().get(k)));
                }
                n += bad ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void flipMismatches() {
        Checker.Result r = check(jsonl, Semantics.FLIP, CrashPolicy.NOOP);
        long expected = expectedMismatches(new Interpreter(Semantics.FLIP, CrashPolicy.NOOP));
        assertTrue(expected > 100, "flip changes most programs: " + expected);
        assertEquals(expected, r.mismatches());
        assertEquals(300, r.records());
        assertEquals(Checker.SHOWN, r.firstMismatches().size());
        assertTrue(r.firstMismatches().get(0).startsWith(jsonl + ":"), r.firstMismatches().get(0));
        assertEquals("checked 300 records, " + expected + " mismatches", r.summary());
        assertEquals(expected, check(data.resolve("test.bin"), Semantics.FLIP, CrashPolicy.NOOP).mismatches());
    }

    @Test
    void haltPolicyMismatchesWhereHaltingChangesTheOutput() {
        long expected = expectedMismatches(new Interpreter(Semantics.ORIGINAL, CrashPolicy.HALT));
        assertTrue(expected > 0);
        assertEquals(expected, check(gz, Semantics.ORIGINAL, CrashPolicy.HALT).mismatches());
    }

    @Test
    void errorPolicyMismatchesEveryRecordThatCrashes() {
        long crashing = 0;
        try (Dataset d = Dataset.open(data, false)) {
            DatasetFile f = d.split(Split.TEST);
            for (int i = 0; i < f.size(); i++) {
                Sample s = f.sample(i);
                boolean crash = false;
                for (World w : s.inputs()) {
                    Trace t = Interpreter.REFERENCE.trace(w, s.program());
                    crash |= t.failed().contains(true);
                }
                crashing += crash ? 1 : 0;
            }
        }
        assertTrue(crashing > 0);
        Checker.Result r = check(jsonl, Semantics.ORIGINAL, CrashPolicy.ERROR);
        assertEquals(crashing, r.mismatches());
        assertTrue(r.firstMismatches().get(0).contains("crashed"), r.firstMismatches().get(0));
    }

    @Test
    void oneTamperedOutputIsOneMismatch() throws IOException {
        List<String> lines = Files.readAllLines(jsonl);
        String line = lines.get(6);
        // replace record 7's output4 by a different grid: its input4, or input4 with an extra marker when
        // the program leaves input4 unchanged
        String in4 = field(line, "input4");
        String out4 = field(line, "output4");
        String changed = in4.equals(out4) ? in4.replaceFirst("\\.", "1") : in4;
        lines.set(6, line.replace("\"output4\":\"" + out4 + "\"", "\"output4\":\"" + changed + "\""));
        Path f = dir.resolve("tampered.jsonl");
        Files.write(f, lines);
        Checker.Result r = check(f, Semantics.ORIGINAL, CrashPolicy.NOOP);
        assertEquals("checked 300 records, 1 mismatches", r.summary());
        assertEquals(List.of(f + ":7: example 4: output differs"), r.firstMismatches());
    }

    private static String field(String line, String name) {
        int i = line.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return line.substring(i, line.indexOf('"', i));
    }

    @Test
    void trailingNewlinesInRecordOutputsAreTolerated() throws IOException {
        List<String> lines = Files.readAllLines(jsonl).subList(0, 20).stream()
                .map(l -> l.replaceAll("(\"output\\d\":\"[^\"]*)\"", "$1\\\\n\"")).toList();
        assertTrue(lines.get(0).contains("########\\n\""), lines.get(0));
        Path f = dir.resolve("nl.jsonl");
        Files.write(f, lines);
        assertEquals("checked 20 records, 0 mismatches", check(f, Semantics.ORIGINAL, CrashPolicy.NOOP).summary());
    }

    @Test
    void missingSourceIsAnError() {
        KarelException e = assertThrows(KarelException.class,
                () -> check(dir.resolve("nope.jsonl"), Semantics.ORIGINAL, CrashPolicy.NOOP));
        assertTrue(e.getMessage().contains("nope.jsonl"), e.getMessage());
        e = assertThrows(KarelException.class, () -> check(dir, Semantics.ORIGINAL, CrashPolicy.NOOP));
        assertTrue(e.getMessage().contains("not a dataset folder"), e.getMessage());
    }
}
