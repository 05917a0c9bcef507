package org.karellab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    @TempDir
    static Path shared;
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        data = Cli.dataset(shared.resolve("data"), 120, 30, 60, 4, 1);
    }

    @Test
    void exportPlainAndGzipHoldTheSameRecords() throws IOException {
        Path plain = dir.resolve("val.jsonl");
        Path gz = dir.resolve("val.jsonl.gz");
        assertEquals("exported 30 records to " + plain + "\n", Cli.ok("export", "--data", data, "--split", "val",
                "--out", plain).out());
        Cli.ok("export", "--data", data, "--split", "val", "--out", gz);
        String text = Files.readString(plain);
        assertEquals(30, text.lines().count());
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            assertEquals(text, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertTrue(text.lines().allMatch(l -> l.startsWith("{\"input0\":\"########\\n#") && l.contains(
                "\"code\":\"def run() {\\n  ")), text.lines().findFirst().orElse(""));
    }

    @Test
    void badSplitAndFormat() throws IOException {
        Path out = dir.resolve("x.jsonl");
        Cli.assertBadInput(Cli.run("export", "--data", data, "--split", "dev", "--out", out), "unknown split 'dev'");
        Cli.assertBadInput(Cli.run("export", "--data", data, "--split", "val", "--out", out, "--format", "csv"),
                "--format 'csv'");
        assertFalse(Files.exists(out));
        assertEquals(0, Cli.names(dir).size());
    }
}
