package org.karellab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.world.KarelException;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void successRenamesIntoPlace() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "one");
        assertEquals("one", Files.readString(f));
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        assertEquals(List.of("a.txt"), TestData.names(dir));
    }

    @Test
    void failingWriterLeavesNothing() throws IOException {
        Path target = dir.resolve("folder");
        assertThrows(KarelException.class, () -> AtomicFiles.write(target, tmp -> {
            Files.createDirectories(tmp);
            Files.writeString(tmp.resolve("half"), "x");
            throw new KarelException("bad record");
        }));
        KarelException e = assertThrows(KarelException.class, () -> AtomicFiles.write(target, tmp -> {
            Files.writeString(tmp, "x");
            throw new IOException("disk full");
        }));
        assertEquals(true, e.getMessage().contains("disk full"));
        assertFalse(Files.exists(target));
        assertEquals(List.of(), TestData.names(dir));
    }

    @Test
    void failureKeepsTheOldTarget() throws IOException {
        Path f = dir.resolve("keep.txt");
        AtomicFiles.writeString(f, "old");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, tmp -> {
            Files.writeString(tmp, "new");
            throw new IllegalStateException("boom");
        }));
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("keep.txt"), TestData.names(dir));
    }
}
