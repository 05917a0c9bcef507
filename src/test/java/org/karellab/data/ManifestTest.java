package org.karellab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.world.KarelException;

class ManifestTest {
    @TempDir
    Path dir;

    private static Manifest sample() {
        Map<String, Manifest.SplitEntry> splits = new LinkedHashMap<>();
        splits.put("test", new Manifest.SplitEntry("test.bin", 3, 100, "ab", new TreeMap<>(Map.of(1, 2, 4, 1))));
        return new Manifest(Manifest.KIND, 1, "generate", TestData.config(9, 0, 0, 3, true), null, splits);
    }

    @Test
    void jsonRoundTrip() throws IOException {
        Manifest m = sample();
        Files.writeString(dir.resolve(Manifest.FILE), m.toJson());
        assertEquals(m, Manifest.read(dir));
        String json = m.toJson();
        assertFalse(json.contains("sources"), "null fields are left out");
        assertTrue(json.contains("\"trainLengths\" : \"6-10\""), json);
        assertTrue(json.contains("\"dedup\" : true"), json);
        assertEquals(json, sample().toJson(), "no time stamps: same content, same text");
    }

    @Test
    void folderWithoutManifest() {
        KarelException e = assertThrows(KarelException.class, () -> Manifest.read(dir));
        assertTrue(e.getMessage().contains("not a dataset folder"), e.getMessage());
    }

    @Test
    void unreadableManifest() throws IOException {
        Files.writeString(dir.resolve(Manifest.FILE), "{ not json");
        KarelException e = assertThrows(KarelException.class, () -> Manifest.read(dir));
        assertTrue(e.getMessage().contains("unreadable manifest") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void otherKindOfJson() throws IOException {
        Files.writeString(dir.resolve(Manifest.FILE), "{\"kind\":\"something-else\"}");
        KarelException e = assertThrows(KarelException.class, () -> Manifest.read(dir));
        assertTrue(e.getMessage().contains("not a Karel Lab dataset manifest"), e.getMessage());
    }

    @Test
    void invalidConfigInManifest() throws IOException {
        Files.writeString(dir.resolve(Manifest.FILE), sample().toJson().replace("\"6-10\"", "\"10-6\""));
        KarelException e = assertThrows(KarelException.class, () -> Manifest.read(dir));
        assertTrue(e.getMessage().contains(Manifest.FILE), e.getMessage());
    }

    @Test
    void datasetOpenChecksListedFiles() throws IOException {
        Files.writeString(dir.resolve(Manifest.FILE), sample().toJson());
        KarelException e = assertThrows(KarelException.class, () -> Dataset.open(dir, false));
        assertTrue(e.getMessage().contains("test.bin") && e.getMessage().contains("missing"), e.getMessage());
        e = assertThrows(KarelException.class, () -> Dataset.open(dir.resolve("nope"), false));
        assertTrue(e.getMessage().contains("not a dataset folder"), e.getMessage());
    }
}
