package org.karellab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.world.KarelException;
import org.karellab.world.World;
import org.karellab.world.WorldText;

/** Dataset folder -> reference JSONL -> dataset folder. */
class ImporterTest {
    @TempDir
    static Path shared;
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        data = TestData.generate(shared.resolve("data"), TestData.config(21, 600, 200, 300, false), 2);
    }

    /** Can the text form hold this world exactly (nothing under the robot, at most 9 per cell)? */
    static boolean textExact(World w) {
        if (w.markers(w.robotRow(), w.robotCol()) != 0) {
            return false;
        }
        for (int r = 1; r <= 6; r++) {
            for (int c = 1; c <= 6; c++) {
                if (w.markers(r, c) > 9) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Same program and inputs; outputs equal as rendered text always, and as worlds wherever the text
     * form can hold them. (Exact equality of all outputs is in KnownBugsTest.)
     */
    static void assertSameSamples(DatasetFile a, DatasetFile b) {
        assertEquals(a.size(), b.size());
        int exactOutputs = 0;
        for (int i = 0; i < a.size(); i++) {
            Sample x = a.sample(i);
            Sample y = b.sample(i);
            assertEquals(x.program(), y.program(), "record " + i);
            assertEquals(x.inputs(), y.inputs(), "record " + i);
            for (int k = 0; k < x.examples(); k++) {
                World want = x.outputs().get(k);
                World got = y.outputs().get(k);
                assertEquals(WorldText.render(want), WorldText.render(got), "record " + i + " output " + k);
                if (textExact(want)) {
                    assertEquals(want, got, "record " + i + " output " + k);
                    exactOutputs++;
                }
            }
        }
        assertTrue(exactOutputs > 0);
    }

    @Test
    void exportImportRoundTripPlainAndGzip() throws IOException {
        for (String name : List.of("test.jsonl", "test.jsonl.gz")) {
            Path f = dir.resolve(name);
            assertEquals(300, Importer.export(data, Split.TEST, f));
            Path out = dir.resolve("imported-" + name);
            Manifest m = Importer.importFiles(Map.of(Split.TEST, f), out);
            assertEquals("import", m.generator());
            assertEquals(Set.of("test"), m.splits().keySet());
            assertEquals(300, m.splits().get("test").count());
            assertTrue(m.sources().get("test").endsWith("sha256:" + TestData.sha256(f)), m.sources().get("test"));
            assertEquals(Manifest.read(data).splits().get("test").lengths(), m.splits().get("test").lengths());
            try (Dataset a = Dataset.open(data, true); Dataset b = Dataset.open(out, true)) {
                assertFalse(b.has(Split.TRAIN));
                assertSameSamples(a.split(Split.TEST), b.split(Split.TEST));
            }
            // and the imported folder exports to the very same text
            Path again = dir.resolve("again-" + name.replace(".gz", ""));
            Importer.export(out, Split.TEST, again);
            Path plain = dir.resolve("plain-" + name.replace(".gz", ""));
            Importer.export(data, Split.TEST, plain);
            assertEquals(Files.readString(plain), Files.readString(again));
        }
    }

    @Test
    void importAllSplits() throws IOException {
        Map<Split, Path> files = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            Path f = dir.resolve(s.id() + ".jsonl" + (s == Split.VAL ? ".gz" : ""));
            Importer.export(data, s, f);
            files.put(s, f);
        }
        Path out = dir.resolve("all");
        Manifest m = Importer.importFiles(files, out);
        assertEquals(600, m.config().train());
        assertEquals(200, m.config().val());
        assertEquals(300, m.config().test());
        assertEquals(LengthRange.parse("6-10"), m.config().trainLengths());
        assertEquals(LengthRange.parse("1-10"), m.config().evalLengths());
        assertEquals(10, m.config().examples());
        assertEquals(m, Manifest.read(out));
        try (Dataset a = Dataset.open(data, false); Dataset b = Dataset.open(out, true)) {
            for (Split s : Split.values()) {
                assertSameSamples(a.split(s), b.split(s));
                Manifest.SplitEntry e = m.splits().get(s.id());
                assertEquals(Files.size(out.resolve(e.file())), e.bytes());
                assertEquals(TestData.sha256(out.resolve(e.file())), e.sha256());
            }
        }
        assertEquals(List.of("manifest.json", "test.bin", "train.bin", "val.bin"), TestData.names(out));
    }

    @Test
    void refusesAnExistingOutput() throws IOException {
        Path f = dir.resolve("t.jsonl");
        Importer.export(data, Split.TEST, f);
        Path out = Files.createDirectories(dir.resolve("exists"));
        assertThrows(KarelException.class, () -> Importer.importFiles(Map.of(Split.TEST, f), out));
        assertThrows(KarelException.class, () -> Importer.importFiles(Map.of(), dir.resolve("none")));
        assertFalse(Files.exists(dir.resolve("none")));
    }

    @Test
    void badRecordLeavesNothing() throws IOException {
        Path f = dir.resolve("t.jsonl");
        Importer.export(data, Split.TEST, f);
        List<String> lines = Files.readAllLines(f);
        lines.set(250, lines.get(250).replace("\"code\":\"def run() {", "\"code\":\"def run() x"));
        Files.write(f, lines);
        Path out = dir.resolve("out");
        KarelException e = assertThrows(KarelException.class, () -> Importer.importFiles(Map.of(Split.TEST, f), out));
        assertTrue(e.getMessage().startsWith(f + ":251: field code"), e.getMessage());
        assertFalse(Files.exists(out));
        assertEquals(List.of("t.jsonl"), TestData.names(dir), "no temporary files left");
    }

    @Test
    void splitsMustAgreeOnExamples() throws IOException {
        Path five = dir.resolve("five.jsonl");
        Path ten = dir.resolve("ten.jsonl");
        Importer.export(data, Split.TEST, ten);
        List<String> fiveLines = Files.readAllLines(ten).stream()
                .map(l -> l.replaceAll(",\"input[5-9]\":\"[^\"]*\"", "").replaceAll(",\"output[5-9]\":\"[^\"]*\"", ""))
                .toList();
        Files.write(five, fiveLines);
        Path out = dir.resolve("five-only");
        Importer.importFiles(Map.of(Split.VAL, five), out);
        try (Dataset d = Dataset.open(out, true)) {
            assertEquals(5, d.split(Split.VAL).examples());
        }
        Path mixed = dir.resolve("mixed");
        assertThrows(KarelException.class, () -> Importer.importFiles(Map.of(Split.VAL, five, Split.TEST, ten), mixed));
        assertFalse(Files.exists(mixed));
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        Path f = Files.writeString(dir.resolve("empty.jsonl"), "\n\n");
        KarelException e = assertThrows(KarelException.class,
                () -> Importer.importFiles(Map.of(Split.TEST, f), dir.resolve("o")));
        assertTrue(e.getMessage().contains("no records"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("o")));
    }
}
