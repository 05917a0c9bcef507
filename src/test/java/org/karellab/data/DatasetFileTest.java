package org.karellab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.world.Action;
import org.karellab.world.Facing;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.World;

/** The binary split file: layout, exact round trip, and damaged files. */
class DatasetFileTest {
    @TempDir
    Path dir;

    private static List<Sample> samples(int n, int examples, int maxLength, long seed) {
        Sampler s = new Sampler(GenConfig.defaults());
        SplittableRandom rng = new SplittableRandom(seed);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s.sample(rng, s.program(rng, 1 + rng.nextInt(maxLength)), examples));
        }
        return out;
    }

    private Path write(String name, List<Sample> samples, int maxLength, int examples) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(f)) {
            DatasetFile.write(os, samples, maxLength, examples);
        }
        return f;
    }

    @Test
    void roundTripIsExact() throws IOException {
        List<Sample> in = samples(40, 3, 12, 1);
        // exact counts the text form cannot keep: markers under the robot and more than 9
        World special = World.empty(2, 2, Facing.SOUTH).setMarkers(2, 2, 4).setMarkers(5, 5, 254).setWall(1, 1, true);
        in.add(new Sample(new Program(Action.PUT_MARKER), List.of(special, special, special),
                List.of(special, special, special)));
        Path f = write("x.bin", in, 12, 3);
        try (DatasetFile d = DatasetFile.open(f)) {
            assertEquals(41, d.size());
            assertEquals(3, d.examples());
            assertEquals(12, d.maxLength());
            for (int i = 0; i < in.size(); i++) {
                assertEquals(in.get(i), d.sample(i), "record " + i);
                assertEquals(in.get(i).program(), d.program(i));
                assertEquals(in.get(i).outputs().get(2), d.world(i, 2, true));
            }
            assertEquals(4, d.sample(40).inputs().get(0).markers(2, 2));
            assertEquals(254, d.sample(40).inputs().get(0).markers(5, 5));
            assertThrows(IndexOutOfBoundsException.class, () -> d.sample(41));
        }
    }

    @Test
    void layoutIsAsDocumented() throws IOException {
        World w = World.empty(3, 5, Facing.WEST).setWall(1, 2, true).setMarkers(6, 6, 7);
        Sample s = new Sample(new Program(Action.TURN_RIGHT, Action.PUT_MARKER), List.of(w), List.of(w));
        Path f = write("one.bin", List.of(s), 4, 1);
        byte[] b = Files.readAllBytes(f);
        int recordSize = 1 + 4 + 2 * 38;
        assertEquals(32 + recordSize, b.length);
        assertEquals("KARELDS1", new String(b, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, h.getInt(8), "version");
        assertEquals(4, h.getInt(12), "maxLength");
        assertEquals(1, h.getInt(16), "examples");
        assertEquals(1L, h.getLong(20), "count");
        int r = 32;
        assertEquals(2, b[r]);
        assertEquals(Action.TURN_RIGHT.ordinal(), b[r + 1]);
        assertEquals(Action.PUT_MARKER.ordinal(), b[r + 2]);
        assertEquals((byte) 0xFF, b[r + 3], "padding");
        assertEquals((byte) 0xFF, b[r + 4], "padding");
        int world = r + 5;
        assertEquals((byte) 0xFF, b[world + 1], "wall at (1,2) is cell 1");
        assertEquals(7, b[world + 35], "markers at (6,6) are cell 35");
        assertEquals((3 - 1) * 6 + (5 - 1), b[world + 36], "robot cell");
        assertEquals(Facing.WEST.ordinal(), b[world + 37], "facing");
        assertEquals(38, DatasetFile.WORLD_BYTES);
    }

    @Test
    void tooManyMarkersForTheFormat() {
        World w = World.empty(3, 3, Facing.NORTH).setMarkers(4, 4, 255);
        Sample s = new Sample(new Program(Action.MOVE), List.of(w), List.of(w));
        KarelException e = assertThrows(KarelException.class, () -> write("big.bin", List.of(s), 2, 1));
        assertTrue(e.getMessage().contains("255"), e.getMessage());
    }

    @Test
    void programLongerThanMaxLength() {
        World w = World.empty(3, 3, Facing.NORTH);
        Sample s = new Sample(new Program(Action.MOVE, Action.MOVE, Action.MOVE), List.of(w), List.of(w));
        assertThrows(KarelException.class, () -> write("long.bin", List.of(s), 2, 1));
    }

    @Test
    void truncatedFileIsRefused() throws IOException {
        Path f = write("t.bin", samples(5, 2, 4, 2), 4, 2);
        byte[] b = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(b, b.length - 10));
        KarelException e = assertThrows(KarelException.class, () -> DatasetFile.open(cut));
        assertTrue(e.getMessage().contains("cut.bin") && e.getMessage().contains("truncated"), e.getMessage());
        Files.write(cut, Arrays.copyOf(b, 20));
        e = assertThrows(KarelException.class, () -> DatasetFile.open(cut));
        assertTrue(e.getMessage().contains("shorter than its header"), e.getMessage());
        Files.write(cut, Arrays.copyOf(b, b.length + 1));
        assertThrows(KarelException.class, () -> DatasetFile.open(cut), "trailing bytes are damage too");
    }

    @Test
    void badMagicIsRefused() throws IOException {
        Path f = dir.resolve("bad.bin");
        byte[] b = new byte[64];
        System.arraycopy("KARELDS2".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 0, 8);
        Files.write(f, b);
        KarelException e = assertThrows(KarelException.class, () -> DatasetFile.open(f));
        assertTrue(e.getMessage().contains("not a Karel Lab split file"), e.getMessage());
        assertTrue(!DatasetFile.looksLikeSplitFile(f));
    }

    @Test
    void damagedRecordsAreReported() throws IOException {
        Path f = write("d.bin", samples(2, 1, 3, 3), 3, 1);
        byte[] b = Files.readAllBytes(f);
        b[32 + 1] = 9; // action code 9 does not exist
        Files.write(f, b);
        try (DatasetFile d = DatasetFile.open(f)) {
            KarelException e = assertThrows(KarelException.class, () -> d.program(0));
            assertTrue(e.getMessage().contains("record 0") && e.getMessage().contains("bad action code 9"),
                    e.getMessage());
        }
    }

    @Test
    void emptySplitFile() throws IOException {
        Path f = write("e.bin", List.of(), 10, 10);
        assertEquals(32, Files.size(f));
        try (DatasetFile d = DatasetFile.open(f)) {
            assertEquals(0, d.size());
        }
        assertTrue(DatasetFile.looksLikeSplitFile(f));
    }
}
