package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.data.Dataset;
import org.karellab.data.Manifest;
import org.karellab.world.KarelException;

class RunDirTest {
    @TempDir
    Path tmp;

    /** A folder standing for a dataset: RunDir only reads its manifest's checksum. */
    private Path dataset(Path dir, String manifest) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(Manifest.FILE), manifest);
        return dir;
    }

    @Test
    void theDatasetIsRecordedRelativeToTheRunSoBothMoveTogether() throws IOException {
        Path data = dataset(tmp.resolve("job/data"), "{\"a\": 1}");
        Path run = tmp.resolve("job/run");
        RunDir.bind(run, data);
        assertEquals("../data", RunDir.info(run).data());
        assertEquals(data.toAbsolutePath().normalize(), RunDir.data(run));

        Files.move(tmp.resolve("job"), tmp.resolve("moved"));
        assertEquals(tmp.resolve("moved/data").toAbsolutePath().normalize(), RunDir.data(tmp.resolve("moved/run")));
    }

    @Test
    void aRunMovedWithoutItsDataFindsItWhereItWas() throws IOException {
        Path data = dataset(tmp.resolve("data"), "{\"a\": 1}");
        RunDir.bind(tmp.resolve("runs/one"), data);
        Files.move(tmp.resolve("runs/one"), tmp.resolve("elsewhere"));
        assertEquals(data.toAbsolutePath().normalize(), RunDir.data(tmp.resolve("elsewhere")));
    }

    @Test
    void oldAbsolutePathsStillReadAndAMovedPairIsFoundByName() throws IOException {
        Path data = dataset(tmp.resolve("old/data"), "{\"a\": 1}");
        Path run = Files.createDirectories(tmp.resolve("old/run"));
        String sha = Dataset.sha256(data.resolve(Manifest.FILE));
        Files.writeString(run.resolve(RunDir.FILE), "{\n  \"data\" : \"" + data.toAbsolutePath() + "\",\n"
                + "  \"manifestSha256\" : \"" + sha + "\"\n}\n");
        assertEquals(data.toAbsolutePath(), RunDir.data(run));
        Files.move(tmp.resolve("old"), tmp.resolve("new"));
        assertEquals(tmp.resolve("new/data").toAbsolutePath().normalize(), RunDir.data(tmp.resolve("new/run")));
    }

    @Test
    void aMissingDatasetIsNamedWithEveryPlaceLookedAt() throws IOException {
        Path data = dataset(tmp.resolve("job/data"), "{\"a\": 1}");
        Path run = tmp.resolve("job/run");
        RunDir.bind(run, data);
        Files.writeString(data.resolve(Manifest.FILE), "{\"a\": 2}");
        KarelException e = assertThrows(KarelException.class, () -> RunDir.data(run));
        assertTrue(e.getMessage().startsWith(run + ": its dataset is missing: run.json names ../data with manifest sha256 "),
                e.getMessage());
        assertTrue(e.getMessage().contains(data.toAbsolutePath() + " (another dataset: its manifest differs)"), e.getMessage());

        Files.delete(data.resolve(Manifest.FILE));
        e = assertThrows(KarelException.class, () -> RunDir.data(run));
        assertTrue(e.getMessage().contains(data.toAbsolutePath() + " (missing)"), e.getMessage());
    }
}
