package org.karellab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {
    @TempDir
    static Path shared;
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        data = Cli.dataset(shared.resolve("data"), 150, 40, 80, 6, 2);
    }

    @Test
    void importExportedSplitsAndCheckThem() throws IOException {
        Path train = dir.resolve("train.jsonl.gz");
        Path val = dir.resolve("val.jsonl");
        Path test = dir.resolve("test.jsonl");
        Cli.ok("export", "--data", data, "--split", "train", "--out", train);
        Cli.ok("export", "--data", data, "--split", "val", "--out", val);
        Cli.ok("export", "--data", data, "--split", "test", "--out", test);
        Path out = dir.resolve("imported");
        Cli.Result r = Cli.ok("import", "--train", train, "--val", val, "--test", test, "--out", out);
        assertEquals(List.of("imported test: 80 records", "imported val: 40 records", "imported train: 150 records"),
                r.outLines().stream().sorted((a, b) -> order(a) - order(b)).toList());
        assertEquals(List.of("manifest.json", "test.bin", "train.bin", "val.bin"), Cli.names(out));
        assertEquals("checked 270 records, 0 mismatches\n", Cli.ok("check", out).out());
        // exporting the imported folder gives the same text back
        Path again = dir.resolve("again.jsonl");
        Cli.ok("export", "--data", out, "--split", "test", "--out", again);
        assertEquals(Files.readString(test), Files.readString(again));
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"generator\" : \"import\""));
    }

    private static int order(String line) {
        return line.contains("test") ? 0 : line.contains("val") ? 1 : 2;
    }

    @Test
    void importRefusesAnExistingOutput() throws IOException {
        Path test = dir.resolve("test.jsonl");
        Cli.ok("export", "--data", data, "--split", "test", "--out", test);
        Path out = Files.createDirectories(dir.resolve("exists"));
        Cli.assertBadInput(Cli.run("import", "--test", test, "--out", out), out.toString(), "already exists");
        assertEquals(List.of(), Cli.names(out));
    }
}
