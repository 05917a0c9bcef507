package org.karellab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.world.Action;
import org.karellab.world.Facing;
import org.karellab.world.Interpreter;
import org.karellab.world.Program;
import org.karellab.world.ProgramText;
import org.karellab.world.World;

/** Which programs occur in a split: membership, duplicates, length filter, long programs. */
class ProgramSetTest {
    @TempDir
    Path dir;

    private static Program p(String text) {
        return ProgramText.parseShort(text);
    }

    private Path split(List<Program> programs) throws IOException {
        World in = World.empty(3, 3, Facing.EAST);
        List<Sample> samples = new ArrayList<>();
        for (Program p : programs) {
            samples.add(new Sample(p, List.of(in), List.of(Interpreter.REFERENCE.run(in, p))));
        }
        Path f = dir.resolve("train.bin");
        try (OutputStream out = Files.newOutputStream(f)) {
            DatasetFile.write(out, samples, 30, 1);
        }
        return f;
    }

    @Test
    void programsOfASplitFile() throws IOException {
        List<Program> train = List.of(p("move"), p("turnLeft move"), p("move"), p("putMarker pickMarker move"),
                p("turnLeft move"));
        try (DatasetFile f = DatasetFile.open(split(train))) {
            ProgramSet s = ProgramSet.of(f);
            assertEquals(3, s.size(), "duplicates count once");
            assertTrue(s.contains(p("move")));
            assertTrue(s.contains(p("turnLeft move")));
            assertTrue(s.contains(p("putMarker pickMarker move")));
            assertFalse(s.contains(p("move move")), "a repetition of a member is not a member");
            assertFalse(s.contains(p("move turnLeft")), "order matters");
            assertFalse(s.contains(p("turnLeft")), "a prefix of a member is not a member");
            assertFalse(s.contains(p("putMarker pickMarker move move")), "an extension is not a member");
        }
    }

    @Test
    void lengthFilterKeepsOnlyTheLengthsTrainedOn() throws IOException {
        try (DatasetFile f = DatasetFile.open(split(List.of(p("move"), p("turnLeft move"), p("move move move"))))) {
            ProgramSet s = ProgramSet.of(f, LengthRange.parse("2-3"));
            assertEquals(2, s.size());
            assertFalse(s.contains(p("move")), "length 1 is outside 2-3");
            assertTrue(s.contains(p("turnLeft move")));
            assertTrue(s.contains(p("move move move")));
        }
    }

    @Test
    void programsLongerThanAPackedKeyStillCount() throws IOException {
        Program long25 = p("move ".repeat(24) + "turnLeft");
        Program long30 = p("turnRight ".repeat(30).trim());
        Program long25other = p("move ".repeat(24) + "turnRight");
        try (DatasetFile f = DatasetFile.open(split(List.of(long25, long30, p("move ".repeat(24).trim()))))) {
            ProgramSet s = ProgramSet.of(f);
            assertEquals(3, s.size());
            assertTrue(s.contains(long25));
            assertTrue(s.contains(long30));
            assertTrue(s.contains(p("move ".repeat(24).trim())), "24 actions: the longest packed program");
            assertFalse(s.contains(long25other));
            assertFalse(s.contains(p("move ".repeat(23).trim())));
        }
    }

    /** Packing is one-to-one: every program of up to 6 actions (5^0 + ... + 5^6 of them) has its own key. */
    @Test
    void packedKeysAreDistinct() {
        List<Program> all = new ArrayList<>();
        all.add(new Program());
        for (int len = 1; len <= 6; len++) {
            int count = (int) Math.pow(Action.count(), len);
            for (int code = 0; code < count; code++) {
                Action[] a = new Action[len];
                for (int k = 0, c = code; k < len; k++, c /= Action.count()) {
                    a[k] = Action.of(c % Action.count());
                }
                all.add(new Program(a));
            }
        }
        Set<Long> keys = new HashSet<>();
        for (Program q : all) {
            keys.add(ProgramSet.pack(q));
        }
        assertEquals(all.size(), keys.size());
        assertEquals(19531, keys.size());
        assertNotEquals(ProgramSet.pack(p("move")), ProgramSet.pack(p("move move")));
        Program max = p("putMarker ".repeat(ProgramSet.PACKED_MAX).trim());
        assertTrue(ProgramSet.pack(max) > 0, "the longest packed program does not overflow");
    }

    @Test
    void aCollectionAgreesWithAHashSet() {
        SplittableRandom rng = new SplittableRandom(5);
        Sampler sampler = new Sampler(GenConfig.defaults());
        List<Program> members = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            members.add(sampler.program(rng, 1 + rng.nextInt(4)));
        }
        Collections.shuffle(members, new java.util.Random(1));
        ProgramSet s = ProgramSet.of(members);
        Set<Program> expected = new HashSet<>(members);
        assertEquals(expected.size(), s.size());
        for (int i = 0; i < 2000; i++) {
            Program q = sampler.program(rng, 1 + rng.nextInt(5));
            assertEquals(expected.contains(q), s.contains(q), q.toShort());
        }
        assertEquals(0, ProgramSet.empty().size());
        assertFalse(ProgramSet.empty().contains(p("move")));
    }
}
