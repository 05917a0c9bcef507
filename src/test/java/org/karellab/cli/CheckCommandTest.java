package org.karellab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    @TempDir
    static Path shared;
    static Path data;
    static Path jsonl;
    static Path gz;

    @BeforeAll
    static void generate() {
        data = shared.resolve("data");
        Cli.ok("generate", "--out", data, "--train", 400, "--val", 100, "--test", 250, "--seed", 9, "--threads", 2,
                "--quiet");
        jsonl = shared.resolve("test.jsonl");
        gz = shared.resolve("test.jsonl.gz");
        Cli.ok("export", "--data", data, "--split", "test", "--out", jsonl);
        Cli.ok("export", "--data", data, "--split", "test", "--out", gz);
    }

    @Test
    void exportedFileHasNoMismatches() {
        for (Path f : List.of(jsonl, gz)) {
            Cli.Result r = Cli.run("check", f);
            assertEquals(0, r.exit(), r.describe());
            assertEquals("checked 250 records, 0 mismatches\n", r.out());
            assertEquals("", r.err());
        }
    }

    @Test
    void anEmptyFileIsNothingToCheck(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
        Cli.Result r = Cli.run("check", empty);
        assertEquals(2, r.exit(), r.describe());
        assertEquals("", r.out());
        assertEquals("karel-lab: " + empty + ": holds no records: nothing to check\n", r.err());
    }

    @Test
    void flipSemanticsGivesMismatchesAndExitOne() {
        for (Path f : List.of(jsonl, gz)) {
            Cli.Result r = Cli.run("check", f, "--semantics", "flip");
            assertEquals(1, r.exit(), r.describe());
            assertEquals(1, r.outLines().size(), r.describe());
            Matcher m = Pattern.compile("checked 250 records, (\\d+) mismatches").matcher(r.outLines().get(0));
            assertTrue(m.matches(), r.out());
            int mismatches = Integer.parseInt(m.group(1));
            assertTrue(mismatches > 0 && mismatches <= 250, r.out());
            // a few mismatches are described on stderr, each naming the record
            assertTrue(r.errLines().size() >= 1 && r.errLines().size() <= 5, r.describe());
            for (String l : r.errLines()) {
                assertTrue(l.startsWith("mismatch: " + f + ":"), l);
            }
        }
    }

    @Test
    void userMappingEqualToFlipGivesTheSameCount() {
        Cli.Result flip = Cli.run("check", jsonl, "--semantics", "flip");
        Cli.Result mapping = Cli.run("check", jsonl, "--semantics",
                "pick_marker=put_marker,put_marker=pick_marker,turn_left=turn_right,turn_right=turn_left");
        assertEquals(flip.out(), mapping.out());
        assertEquals(1, mapping.exit());
        Cli.Result identity = Cli.run("check", jsonl, "--semantics", "move=move");
        assertEquals("checked 250 records, 0 mismatches\n", identity.out());
    }

    @Test
    void datasetFolderAndSplitFile() {
        Cli.Result all = Cli.ok("check", data);
        assertEquals("checked 750 records, 0 mismatches\n", all.out());
        assertEquals("checked 100 records, 0 mismatches\n", Cli.ok("check", data.resolve("val.bin")).out());
        Cli.Result flip = Cli.run("check", data.resolve("val.bin"), "--semantics", "adversarial");
        assertEquals(1, flip.exit());
        assertTrue(flip.out().startsWith("checked 100 records, "), flip.out());
    }

    @Test
    void crashPolicyErrorCountsCrashingRecords() {
        Cli.Result r = Cli.run("check", jsonl, "--crash-policy", "error");
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.errLines().get(0).contains("crashed"), r.describe());
        Cli.Result halt = Cli.run("check", jsonl, "--crash-policy", "HALT");
        assertTrue(halt.exit() == 1 && halt.out().startsWith("checked 250 records, "), halt.describe());
    }

    @Test
    void tamperedRecordIsReported(@TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(jsonl);
        // record 4's output0 gets one extra marker on an empty cell: no longer what the program gives
        String out0 = lines.get(3).replaceAll(".*\"output0\":\"([^\"]*)\".*", "$1");
        String changed = out0.replaceFirst("\\.", "1");
        lines.set(3, lines.get(3).replace("\"output0\":\"" + out0 + "\"", "\"output0\":\"" + changed + "\""));
        Path f = dir.resolve("t.jsonl");
        Files.write(f, lines);
        Cli.Result r = Cli.run("check", f);
        assertEquals(1, r.exit(), r.describe());
        assertEquals("checked 250 records, 1 mismatches\n", r.out());
        assertEquals(List.of("mismatch: " + f + ":4: example 0: output differs"), r.errLines());
    }
}
