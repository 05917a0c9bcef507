package org.karellab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.world.Action;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.World;

/**
 * Generated datasets: the reference's distribution (paper-facts, "World" and "Programs and
 * datasets"), exact length histograms, outputs, determinism, dedup and the manifest.
 */
class GeneratorTest {
    @TempDir
    static Path tmp;

    /** 4000 train (lengths 6-10), 500 val and 500 test (1-10): 50,000 input worlds. */
    static GenConfig cfg;
    static Path data;

    @BeforeAll
    static void generateOnce() {
        cfg = TestData.config(7, 4000, 500, 500, false);
        data = TestData.generate(tmp.resolve("data"), cfg, 2);
    }

    // ---------------------------------------------------------------- distribution

    @Test
    void worldStatisticsMatchTheReference() {
        long worlds = 0;
        long wallsNonRobot = 0;
        long wallsAll = 0;
        long freeNonRobot = 0;
        long markers = 0;
        long[] facing = new long[4];
        long[][] pos = new long[7][7];
        try (Dataset d = Dataset.open(data, false)) {
            for (Split s : Split.values()) {
                DatasetFile f = d.split(s);
                for (int i = 0; i < f.size(); i++) {
                    for (int k = 0; k < f.examples(); k++) {
                        World w = f.world(i, k, false);
                        worlds++;
                        facing[w.facing().ordinal()]++;
                        pos[w.robotRow()][w.robotCol()]++;
                        assertEquals(0, w.markers(w.robotRow(), w.robotCol()), "no marker on the robot's cell");
                        for (int r = 1; r <= 6; r++) {
                            for (int c = 1; c <= 6; c++) {
                                boolean robot = r == w.robotRow() && c == w.robotCol();
                                if (w.isWall(r, c)) {
                                    wallsAll++;
                                    wallsNonRobot++;
                                    assertFalse(robot);
                                } else if (!robot) {
                                    freeNonRobot++;
                                    int m = w.markers(r, c);
                                    assertTrue(m == 0 || m == 1, "at most one marker per cell in an input");
                                    markers += m;
                                }
                            }
                        }
                    }
                }
            }
        }
        assertEquals(50_000, worlds);
        // 35 non-robot cells per world, each a wall with p = 0.1
        TestData.assertRate("wall rate, interior cells other than the robot's", wallsNonRobot, worlds * 35, 0.1);
        // over all 36 interior cells the robot's cell is never a wall: E = 0.1 * 35/36 = 0.09722
        TestData.assertRate("wall rate, all interior cells", wallsAll, worlds * 36, 0.1 * 35 / 36);
        TestData.assertRate("marker rate, free cells other than the robot's", markers, freeNonRobot, 0.1);
        for (int f = 0; f < 4; f++) {
            TestData.assertRate("facing " + f, facing[f], worlds, 0.25);
        }
        for (int r = 1; r <= 6; r++) {
            for (int c = 1; c <= 6; c++) {
                TestData.assertRate("robot at (" + r + "," + c + ")", pos[r][c], worlds, 1.0 / 36);
            }
        }
    }

    @Test
    void statementFrequenciesAreFiveThreeThreeTwoTwo() {
        long[] counts = new long[Action.count()];
        long total = 0;
        try (Dataset d = Dataset.open(data, false)) {
            for (Split s : Split.values()) {
                DatasetFile f = d.split(s);
                for (int i = 0; i < f.size(); i++) {
                    for (Action a : f.program(i).actions()) {
                        counts[a.ordinal()]++;
                        total++;
                    }
                }
            }
        }
        // 4000 * 8 + 1000 * 5.5 statements
        assertEquals(4000 * 8 + 1000 * 55 / 10, total);
        double[] p = {5 / 15.0, 3 / 15.0, 3 / 15.0, 2 / 15.0, 2 / 15.0};
        for (Action a : Action.values()) {
            TestData.assertRate("statement " + a, counts[a.ordinal()], total, p[a.ordinal()]);
        }
    }

    // ---------------------------------------------------------------- lengths and outputs

    @Test
    void lengthHistogramIsExactInManifestAndFile() {
        Manifest m = Manifest.read(data);
        Map<Integer, Integer> train = new TreeMap<>();
        Map<Integer, Integer> eval = new TreeMap<>();
        for (int len = 6; len <= 10; len++) {
            train.put(len, 800);
        }
        for (int len = 1; len <= 10; len++) {
            eval.put(len, 50);
        }
        assertEquals(train, m.splits().get("train").lengths());
        assertEquals(eval, m.splits().get("val").lengths());
        assertEquals(eval, m.splits().get("test").lengths());
        try (Dataset d = Dataset.open(data, false)) {
            assertEquals(train, histogram(d.split(Split.TRAIN)));
            assertEquals(eval, histogram(d.split(Split.VAL)));
            assertEquals(eval, histogram(d.split(Split.TEST)));
        }
    }

    private static Map<Integer, Integer> histogram(DatasetFile f) {
        Map<Integer, Integer> h = new TreeMap<>();
        for (int i = 0; i < f.size(); i++) {
            h.merge(f.program(i).length(), 1, Integer::sum);
        }
        return h;
    }

    @Test
    void remainderGoesToTheShortestLengths(@TempDir Path dir) {
        GenConfig c = TestData.config(3, 13, 0, 503, "6-10", "1-10", false);
        Path out = TestData.generate(dir.resolve("d"), c, 1);
        Map<Integer, Integer> test = new TreeMap<>();
        for (int len = 1; len <= 10; len++) {
            test.put(len, len <= 3 ? 51 : 50);
        }
        assertEquals(test, Manifest.read(out).splits().get("test").lengths());
        assertEquals(Map.of(6, 3, 7, 3, 8, 3, 9, 2, 10, 2), Manifest.read(out).splits().get("train").lengths());
        try (Dataset d = Dataset.open(out, true)) {
            assertEquals(test, histogram(d.split(Split.TEST)));
            assertEquals(0, d.split(Split.VAL).size());
        }
    }

    @Test
    void lengthsAreShuffledNotSorted() {
        try (Dataset d = Dataset.open(data, false)) {
            DatasetFile f = d.split(Split.TEST);
            int changes = 0;
            for (int i = 1; i < f.size(); i++) {
                if (f.program(i).length() != f.program(i - 1).length()) {
                    changes++;
                }
            }
            // sorted order would change length 9 times; a random order about 450 times
            assertTrue(changes > 300, "length changes: " + changes);
        }
    }

    @Test
    void outputsAreTheProgramRunOnTheInputs() {
        long checked = 0;
        try (Dataset d = Dataset.open(data, false)) {
            for (Split s : Split.values()) {
                DatasetFile f = d.split(s);
                assertEquals(10, f.examples());
                for (int i = 0; i < f.size(); i++) {
                    Sample sample = f.sample(i);
                    for (int k = 0; k < sample.examples(); k++) {
                        World expected = Interpreter.REFERENCE.run(sample.inputs().get(k), sample.program());
                        assertEquals(expected, sample.outputs().get(k), s + " record " + i + " example " + k);
                        checked++;
                    }
                }
            }
        }
        assertEquals(50_000, checked);
    }

    @Test
    void examplesOfOneProgramAreDifferentWorlds() {
        try (Dataset d = Dataset.open(data, false)) {
            Sample s = d.split(Split.TRAIN).sample(0);
            assertEquals(10, new HashSet<>(s.inputs()).size());
        }
    }

    // ---------------------------------------------------------------- determinism

    private static Map<String, String> checksums(Path dir) throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String name : TestData.names(dir)) {
            m.put(name, TestData.sha256(dir.resolve(name)));
        }
        return m;
    }

    @Test
    void sameSeedSameBytesForOneAndTwoThreads(@TempDir Path dir) throws IOException {
        // train spans three chunks of 2048, so two threads really interleave
        GenConfig c = TestData.config(11, 4500, 300, 300, false);
        Map<String, String> one = checksums(TestData.generate(dir.resolve("t1a"), c, 1));
        assertEquals(List.of("manifest.json", "test.bin", "train.bin", "val.bin"), List.copyOf(new TreeMap<>(one)
                .keySet()));
        assertEquals(one, checksums(TestData.generate(dir.resolve("t1b"), c, 1)), "1 thread, twice");
        Map<String, String> two = checksums(TestData.generate(dir.resolve("t2a"), c, 2));
        assertEquals(two, checksums(TestData.generate(dir.resolve("t2b"), c, 2)), "2 threads, twice");
        assertEquals(one, two, "1 thread vs 2 threads");
        assertArrayEquals(Files.readAllBytes(dir.resolve("t1a/train.bin")), Files.readAllBytes(dir.resolve(
                "t2a/train.bin")));
    }

    @Test
    void anotherSeedGivesOtherFiles(@TempDir Path dir) throws IOException {
        GenConfig c = TestData.config(11, 2000, 300, 300, false);
        GenConfig c2 = TestData.config(12, 2000, 300, 300, false);
        Map<String, String> a = checksums(TestData.generate(dir.resolve("a"), c, 2));
        Map<String, String> b = checksums(TestData.generate(dir.resolve("b"), c2, 2));
        for (String f : List.of("train.bin", "val.bin", "test.bin", "manifest.json")) {
            assertNotEquals(a.get(f), b.get(f), f);
        }
        try (Dataset da = Dataset.open(dir.resolve("a"), true); Dataset db = Dataset.open(dir.resolve("b"), true)) {
            assertNotEquals(da.split(Split.TRAIN).program(0), db.split(Split.TRAIN).program(0));
        }
    }

    @Test
    void splitsDifferFromEachOther() {
        try (Dataset d = Dataset.open(data, false)) {
            // val and test have the same lengths and sizes but their own random streams
            assertNotEquals(d.split(Split.VAL).sample(0), d.split(Split.TEST).sample(0));
        }
    }

    // ---------------------------------------------------------------- dedup

    private static Map<Program, Set<Split>> programsBySplit(Path dir) {
        Map<Program, Set<Split>> seen = new HashMap<>();
        try (Dataset d = Dataset.open(dir, true)) {
            for (Split s : Split.values()) {
                DatasetFile f = d.split(s);
                for (int i = 0; i < f.size(); i++) {
                    seen.computeIfAbsent(f.program(i), p -> new HashSet<>()).add(s);
                }
            }
        }
        return seen;
    }

    @Test
    void withoutDedupShortProgramsRepeatAcrossSplits() {
        // 50 programs of length 1 in val and in test, but only 5 such programs exist
        long shared = programsBySplit(data).values().stream().filter(s -> s.size() > 1).count();
        assertTrue(shared >= 5, "shared programs: " + shared);
    }

    @Test
    void dedupKeepsEveryProgramInOneSplit(@TempDir Path dir) {
        GenConfig c = TestData.config(5, 3000, 1000, 1000, "1-10", "1-10", true);
        Path out = TestData.generate(dir.resolve("d"), c, 2);
        Map<Program, Set<Split>> seen = programsBySplit(out);
        for (Map.Entry<Program, Set<Split>> e : seen.entrySet()) {
            assertEquals(1, e.getValue().size(), e.getKey() + " is in " + e.getValue());
        }
        Manifest m = Manifest.read(out);
        assertTrue(m.config().dedup());
        try (Dataset d = Dataset.open(out, true)) {
            for (Split s : Split.values()) {
                // the manifest's histogram is what was made, even where dedup moved lengths
                assertEquals(histogram(d.split(s)), m.splits().get(s.id()).lengths(), s.id());
                assertEquals(c.count(s), d.split(s).size());
            }
            // the test split is generated first and keeps the reference distribution
            assertEquals(100, histogram(d.split(Split.TEST)).get(1));
            // all 5 programs of length 1 went to test, so val and train have none
            assertFalse(histogram(d.split(Split.VAL)).containsKey(1));
            assertFalse(histogram(d.split(Split.TRAIN)).containsKey(1));
        }
        // and outputs are still right
        try (Dataset d = Dataset.open(out, false)) {
            Sample s = d.split(Split.TRAIN).sample(17);
            assertEquals(Interpreter.REFERENCE.run(s.inputs().get(3), s.program()), s.outputs().get(3));
        }
    }

    @Test
    void dedupThatCannotBeSatisfiedFailsAndLeavesNothing(@TempDir Path dir) throws IOException {
        // eval lengths 1-1: 200 test programs take all 5 programs of length 1, val finds none
        GenConfig c = TestData.config(5, 10, 20, 200, "6-10", "1", true);
        Path out = dir.resolve("d");
        KarelException e = assertThrows(KarelException.class, () -> new Generator(c).generate(out, 2, false));
        assertTrue(e.getMessage().contains("--dedup"), e.getMessage());
        assertFalse(Files.exists(out));
        assertEquals(List.of(), TestData.names(dir), "no temporary files left");
    }

    // ---------------------------------------------------------------- manifest and output folder

    @Test
    void manifestRecordsConfigAndChecksumsOfTheFiles() throws IOException {
        Manifest m = Manifest.read(data);
        assertEquals(Manifest.KIND, m.kind());
        assertEquals("generate", m.generator());
        assertEquals(1, m.formatVersion());
        assertEquals(cfg, m.config());
        assertEquals(Set.of("train", "val", "test"), m.splits().keySet());
        for (Split s : Split.values()) {
            Manifest.SplitEntry e = m.splits().get(s.id());
            Path f = data.resolve(e.file());
            assertEquals(s.id() + ".bin", e.file());
            assertEquals(cfg.count(s), e.count());
            assertEquals(Files.size(f), e.bytes());
            assertEquals(TestData.sha256(f), e.sha256());
            assertEquals(cfg.count(s), e.lengths().values().stream().mapToInt(Integer::intValue).sum());
        }
        assertEquals(List.of("manifest.json", "test.bin", "train.bin", "val.bin"), TestData.names(data));
        String json = Files.readString(data.resolve(Manifest.FILE));
        assertTrue(json.contains("\"seed\" : 7"), json);
        assertEquals(m, Manifest.read(data), "reads the same twice");
        try (Dataset d = Dataset.open(data, true)) {
            assertEquals(cfg, d.config());
        }
    }

    @Test
    void tamperedFileFailsVerification(@TempDir Path dir) throws IOException {
        Path out = TestData.generate(dir.resolve("d"), TestData.config(2, 50, 10, 10, false), 1);
        Path f = out.resolve("val.bin");
        byte[] b = Files.readAllBytes(f);
        b[b.length - 1] ^= 1;
        Files.write(f, b);
        try (Dataset d = Dataset.open(out, false)) {
            assertEquals(10, d.split(Split.VAL).size(), "opening without verify does not hash");
        }
        KarelException e = assertThrows(KarelException.class, () -> Dataset.open(out, true));
        assertTrue(e.getMessage().contains("val.bin") && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void refusesANonEmptyOutputFolder(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("d");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        GenConfig c = TestData.config(2, 10, 10, 10, false);
        assertThrows(KarelException.class, () -> new Generator(c).generate(out, 1, false));
        assertEquals(List.of("keep.txt"), TestData.names(out));
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void acceptsAnEmptyOutputFolder(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("d");
        Files.createDirectories(out);
        Generator.Result r = new Generator(TestData.config(2, 10, 10, 10, false)).generate(out, 1, false);
        assertEquals(30, r.samples());
        assertEquals(List.of("manifest.json", "test.bin", "train.bin", "val.bin"), TestData.names(out));
        assertEquals(List.of("d"), TestData.names(dir));
    }

    @Test
    void zeroThreadsIsAnError(@TempDir Path dir) {
        assertThrows(KarelException.class,
                () -> new Generator(TestData.config(2, 10, 10, 10, false)).generate(dir.resolve("d"), 0, false));
        assertFalse(Files.exists(dir.resolve("d")));
    }

    @Test
    void chunkSeedsAreDistinct() {
        Set<Long> seeds = new HashSet<>();
        for (int split = 0; split < 3; split++) {
            for (int chunk = -1; chunk < 100; chunk++) {
                seeds.add(Generator.mix(1, split, chunk));
                seeds.add(Generator.mix(2, split, chunk));
            }
        }
        assertEquals(2 * 3 * 101, seeds.size());
    }

    @Test
    void theProgressBarChangesNoByte(@TempDir Path dir) throws IOException {
        GenConfig c = TestData.config(5, 300, 100, 100, true);
        Map<String, String> quiet = checksums(TestData.generate(dir.resolve("quiet"), c, 2));
        new Generator(c).generate(dir.resolve("bar"), 2, true);
        assertEquals(quiet, checksums(dir.resolve("bar")));
    }

    @Test
    void theProgressBarHasAFixedWidthUnlessColumnsSaysOtherwise() {
        assertEquals(Generator.BAR_WIDTH, Generator.barWidth(null));
        assertEquals(79, Generator.barWidth("80"));
        assertEquals(Generator.BAR_WIDTH, Generator.barWidth("wide"));
        assertEquals(Generator.BAR_WIDTH, Generator.barWidth("3"), "too narrow to draw a bar");
    }
}
