package org.karellab.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.data.GenConfig;
import org.karellab.data.Generator;
import org.karellab.data.LengthRange;
import org.karellab.lm.TrainRecipe;
import org.karellab.trace.TraceMeta;
import org.karellab.world.KarelException;
import tech.tablesaw.api.Table;

class SweepTest {
    @TempDir
    static Path tmp;
    static Path run;
    static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @BeforeAll
    static void train() {
        GenConfig d = GenConfig.defaults();
        Path data = tmp.resolve("data");
        new Generator(new GenConfig(7, 1500, 40, 40, new LengthRange(1, 10), d.evalLengths(), d.examples(),
                d.specExamples(), d.wallRate(), d.markerRate(), d.weights(), false)).generate(data, 2, false);
        run = tmp.resolve("run");
        TrainRecipe.train(data, run, "smoke", Map.of(), false, QUIET);
    }

    static Sweep.Options small() {
        return new Sweep.Options("last", List.of("linear"), List.of("original", "flip"), List.of(0, 1), List.of("mean", "ln_final.normalized"),
                List.of("linear"), 30, 1, true, true);
    }

    @Test
    void writesEveryMeasurementOnceAndResumes() {
        Path csv = tmp.resolve("results.csv");
        Table t = Sweep.run(run, small(), csv, QUIET);
        // 5 features probed; curve: 5; final: 2 semantics x 2 offsets x 5 (5 of them the curve's)
        // + random-init 5 + control 5 + layers 2 x 5 (5 already measured) + dummy 5 + copy-current 2 x 5
        assertEquals(5 + (20 - 5) + 5 + 5 + (10 - 5) + 5 + 10, Sweep.read(csv).rowCount());
        // the smoke profile uses the ego encoding: semantic content is in the start frame
        Table sem = t.where(t.booleanColumn("semantic").isTrue());
        assertEquals(Set.of("rel_facing", "rel_position", "wall"), Set.copyOf(sem.stringColumn("feature").asList()));
        assertEquals(t.rowCount(), Sweep.read(csv).rowCount());
        Set<String> tasks = Set.copyOf(t.stringColumn("task").asList());
        assertEquals(Set.of("real", "control", "copy_current"), tasks);
        Set<String> lms = Set.copyOf(t.stringColumn("lm").asList());
        assertEquals(Set.of("trained", "random_init"), lms);
        for (int i = 0; i < t.rowCount(); i++) {
            double a = t.doubleColumn("accuracy").get(i);
            assertTrue(a >= 0 && a <= 1, "accuracy in [0, 1]");
        }
        // the curve row at the last step is also the final sweep's row: measured once
        long keys = t.stream().map(r -> r.getLong("step") + r.getString("lm") + r.getString("task") + r.getString("probe")
                + r.getString("layer") + r.getString("semantics") + r.getInt("offset") + r.getString("feature"))
                .collect(Collectors.toSet()).size();
        assertEquals(t.rowCount(), keys);
        long before = System.nanoTime();
        Table again = Sweep.run(run, small(), csv, QUIET);
        assertEquals(t.rowCount(), again.rowCount(), "a second run measures nothing new");
        assertTrue((System.nanoTime() - before) / 1e9 < 30, "and trains nothing");
    }

    @Test
    void traceFoldersOfAnOlderFormatAreRegenerated() throws Exception {
        Path csv = tmp.resolve("curve-only.csv");
        Sweep.Options o = small();
        Sweep.Options curve = new Sweep.Options("last", o.probes(), o.semantics(), o.offsets(), o.layers(),
                o.layerProbes(), 30, 1, true, false);
        Sweep.run(run, curve, csv, QUIET);
        Path train;
        try (var steps = Files.list(run.resolve("traces"))) {
            train = steps.sorted().reduce((a, b) -> b).orElseThrow().resolve("train");
        }
        Path meta = train.resolve(TraceMeta.FILE);
        Files.writeString(meta, Files.readString(meta).replaceFirst("\\s*\"formatVersion\" : 2,", ""));
        assertThrows(KarelException.class, () -> TraceMeta.read(train), "an old folder does not open");
        Sweep.run(run, curve, csv, QUIET);
        assertEquals(TraceMeta.FORMAT_VERSION, TraceMeta.read(train).formatVersion(), "the sweep traced it again");
    }

    @Test
    void unknownProbeOrSemanticsFailBeforeAnyWork() {
        Path csv = tmp.resolve("never.csv");
        Sweep.Options o = small();
        assertThrows(KarelException.class, () -> Sweep.run(run, new Sweep.Options("last", List.of("oracle"),
                o.semantics(), o.offsets(), o.layers(), o.layerProbes(), 30, 1, true, true), csv, QUIET));
        assertThrows(KarelException.class, () -> Sweep.run(run, new Sweep.Options("last", o.probes(),
                List.of("mirror"), o.offsets(), o.layers(), o.layerProbes(), 30, 1, true, true), csv, QUIET));
        assertFalse(Files.exists(csv));
    }
}
