package org.karellab.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.data.GenConfig;
import org.karellab.data.Generator;
import org.karellab.data.LengthRange;
import org.karellab.lm.TrainRecipe;
import org.karellab.trace.TraceSet;
import org.karellab.world.KarelException;
import tech.tablesaw.api.Table;

class SweepTest {
    @TempDir
    static Path tmp;
    static Path run;
    static Path csv;
    static Table results;
    static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

    @BeforeAll
    static void trainAndSweep() {
        GenConfig d = GenConfig.defaults();
        Path data = tmp.resolve("data");
        new Generator(new GenConfig(7, 1500, 120, 120, new LengthRange(1, 10), d.evalLengths(), d.examples(),
                d.specExamples(), d.wallRate(), d.markerRate(), d.weights(), false)).generate(data, 2, false);
        run = tmp.resolve("run");
        TrainRecipe.train(data, run, "smoke", Map.of(), false, QUIET);
        csv = tmp.resolve("results.csv");
        results = Sweep.run(run, small(), csv, QUIET);
    }

    static Sweep.Options small() {
        return Sweep.Options.builder().checkpoints("last").probes(List.of("linear"))
                .semantics(List.of("original", "flip", "adversarial")).offsets(List.of(-1, 0, 1))
                .layers(List.of("mean")).samples(60).evalSamples(30).curveSamples(20).seeds(2).resamples(100).build();
    }

    @Test
    void hasEveryTaskRowsAndMetric() {
        Table t = results;
        assertEquals(Set.of("real", "syntax", "control_prefix", "control_world", "copy_current"),
                Set.copyOf(t.stringColumn(Results.TASK).asList()));
        assertEquals(Set.of("all", "world_dependent", "not_relabelling"), Set.copyOf(t.stringColumn(Results.ROWS).asList()));
        assertEquals(Set.of("accuracy", "r2"), Set.copyOf(t.stringColumn(Results.METRIC).asList()));
        assertEquals(Set.of("trained", "random_init"), Set.copyOf(t.stringColumn(Results.LM).asList()));
        assertEquals(Set.of("0", "1", "all"), Set.copyOf(t.stringColumn(Results.SEED).asList()));
        assertEquals(Results.COLUMNS, t.columnNames());
        // the smoke profile uses the ego encoding: semantic content is in the start frame
        Table sem = t.where(t.booleanColumn(Results.SEMANTIC).isTrue());
        assertEquals(Set.of("rel_facing", "rel_position", "wall"), Set.copyOf(sem.stringColumn(Results.FEATURE).asList()));
    }

    @Test
    void dummyRowsScoreTheMajorityRateAndIntervalsHoldTheEstimate() {
        Table t = results;
        int dummies = 0;
        int inside = 0;
        int all = 0;
        for (int i = 0; i < t.rowCount(); i++) {
            double acc = t.doubleColumn(Results.ACCURACY).getDouble(i);
            if (t.stringColumn(Results.PROBE).get(i).equals(Results.DUMMY)) {
                assertEquals(t.doubleColumn(Results.MAJORITY).getDouble(i), acc, 1e-12, "majority class scores the majority rate");
                dummies++;
            }
            if (t.stringColumn(Results.METRIC).get(i).equals("accuracy") && t.intColumn(Results.N_TEST).get(i) > 0) {
                assertTrue(acc >= 0 && acc <= 1);
                assertTrue(t.doubleColumn(Results.CI_LOW).getDouble(i) <= t.doubleColumn(Results.CI_HIGH).getDouble(i));
            }
            if (!Double.isNaN(t.doubleColumn(Results.CI_LOW).getDouble(i))) {
                all++;
                inside += t.doubleColumn(Results.CI_LOW).getDouble(i) <= acc + 1e-9 && acc <= t.doubleColumn(Results.CI_HIGH).getDouble(i) + 1e-9 ? 1 : 0;
            }
        }
        assertTrue(dummies > 0);
        assertTrue(inside >= 0.95 * all, inside + " of " + all + " estimates inside their interval");
    }

    @Test
    void perProgramSumsReproduceEveryAggregatedRow() {
        ProgramScores p = ProgramScores.read(tmp.resolve(Sweep.PROGRAMS));
        Table t = results;
        for (int i = 0; i < t.rowCount(); i++) {
            if (!t.stringColumn(Results.SEED).get(i).equals(Results.ALL_SEEDS)) {
                continue;
            }
            double[][] sums = p.sums(ProgramScores.id(t, i), 10_000);
            double value = t.stringColumn(Results.METRIC).get(i).equals("r2") ? Bootstrap.point(sums, Bootstrap::r2)
                    : Bootstrap.point(sums, Bootstrap::accuracy);
            if (t.intColumn(Results.N_TEST).get(i) > 0) {
                assertEquals(t.doubleColumn(Results.ACCURACY).getDouble(i), value, 1e-9, ProgramScores.id(t, i));
            }
            assertEquals(t.intColumn(Results.N_TEST).get(i), (int) Math.round(Bootstrap.total(sums)[Bootstrap.N]));
        }
    }

    @Test
    void probeSplitsHoldDisjointProgramsAndPastOffsetsNeverLabelTheStart() throws Exception {
        Path step = Files.list(run.resolve("traces")).findFirst().orElseThrow();
        Set<String> seen = new HashSet<>();
        for (String split : List.of("final-train", "final-val", "final-test")) {
            TraceSet s = TraceSet.open(step.resolve(split), null);
            for (String program : Set.copyOf(s.referencePrograms())) {
                assertTrue(seen.add(program), program + " in two probe splits");
            }
            String[] before = s.column("original", -1, "rel_facing");
            int[] index = s.labels().intColumn("index").asIntArray();
            for (int r = 0; r < index.length; r++) {
                assertEquals(index[r] == 0, before[r].isEmpty(), "offset -1 exists exactly from the second action on");
            }
        }
    }

    /** The sweep's train, val and test trace folders of the last checkpoint. */
    static TraceSet[] finalSplits() throws java.io.IOException {
        Path step;
        try (var steps = Files.list(run.resolve("traces"))) {
            step = steps.filter(p -> Files.isDirectory(p.resolve("final-train"))).findFirst().orElseThrow();
        }
        TraceSet[] splits = new TraceSet[3];
        String[] names = {"final-train", "final-val", "final-test"};
        for (int i = 0; i < 3; i++) {
            splits[i] = TraceSet.open(step.resolve(names[i]), null);
        }
        return splits;
    }

    @Test
    void forTracesGivesTheSweepsRowsAtEveryOffsetAndItsNumbers() throws Exception {
        // notebook 08 builds its probe data with ProbeData.forTraces, the sweep with ProbeData.classification
        // on the same inputs: the same labelled rows, including the offsets where the first or last actions
        // have no label, and the same columns, so the public API retrains the sweep's own test numbers
        TraceSet[] splits = finalSplits();
        int compared = 0;
        for (int offset : List.of(-1, 0, 1)) {
            for (String feature : List.of("rel_facing", "wall")) {
                Table rows = results.where(results.stringColumn(Results.LM).isEqualTo(Results.Lm.TRAINED.id)
                        .and(results.stringColumn(Results.TASK).isEqualTo(Results.Task.REAL.id))
                        .and(results.stringColumn(Results.PROBE).isEqualTo("linear"))
                        .and(results.stringColumn(Results.LAYER).isEqualTo(Results.MEAN_LAYER))
                        .and(results.stringColumn(Results.SEMANTICS).isEqualTo(Results.ORIGINAL))
                        .and(results.intColumn(Results.OFFSET).isEqualTo(offset))
                        .and(results.stringColumn(Results.FEATURE).isEqualTo(feature))
                        .and(results.stringColumn(Results.ROWS).isEqualTo(Results.Rows.ALL.id)));
                assertEquals(3, rows.rowCount(), "seeds 0, 1 and all for offset " + offset + " " + feature);
                ProbeData.Splits<org.tribuo.classification.Label> sets =
                        ProbeData.forTraces(splits, Results.MEAN_LAYER, Results.ORIGINAL, offset, feature);
                assertEquals(rows.intColumn(Results.N_TRAIN).get(0), sets.train().size(), "train rows at " + offset + " " + feature);
                assertEquals(rows.intColumn(Results.N_TEST).get(0), sets.test().size(), "test rows at " + offset + " " + feature);
                // one split alone keeps the same labelled rows (Intervention reads its probe rows that way)
                assertEquals(sets.train().size(), ProbeData.forTraces(splits[0], Results.MEAN_LAYER, Results.ORIGINAL, offset, feature).size());
                assertEquals(sets.test().size(), ProbeData.forTraces(splits[2], Results.MEAN_LAYER, Results.ORIGINAL, offset, feature).size());
                // the kept rows are the labelled ones, and their labels are the trace's
                String[] y = splits[2].column(Results.ORIGINAL, offset, feature);
                for (int j = 0; j < sets.kept()[2].length; j++) {
                    assertEquals(y[sets.kept()[2][j]], sets.test().getExample(j).getOutput().getLabel());
                }
                if (offset == 0) {
                    String chosen = rows.stringColumn(Results.CHOSEN).get(0);
                    for (int seed : new int[] {0, 1}) {
                        Table row = rows.where(rows.stringColumn(Results.SEED).isEqualTo(Integer.toString(seed)));
                        var model = ProbeRegistry.candidates("linear", small().seed() + seed).get(chosen).train(sets.train());
                        assertEquals(row.doubleColumn(Results.ACCURACY).getDouble(0), ProbeScore.of(model, sets.test()).accuracy(),
                                1e-12, "seed " + seed + " retrained from the public API, " + feature);
                    }
                }
                compared++;
            }
        }
        assertEquals(6, compared);
        // the offsets differ in rows: past and future offsets drop the first or the last actions
        assertTrue(ProbeData.forTraces(splits, Results.MEAN_LAYER, Results.ORIGINAL, -1, "wall").train().size()
                < ProbeData.forTraces(splits, Results.MEAN_LAYER, Results.ORIGINAL, 0, "wall").train().size());
        // one split alone keeps every column of the layer, so sets built from different splits line up
        int width = splits[0].states(Results.MEAN_LAYER, false).cols();
        assertEquals(width, ProbeData.forTraces(splits[0], Results.MEAN_LAYER, Results.ORIGINAL, 0, "wall").getFeatureMap().size());
        assertEquals(width, ProbeData.forTraces(splits[2], Results.MEAN_LAYER, Results.ORIGINAL, 0, "wall").getFeatureMap().size());
        // the three splits must be train, val and test of one checkpoint, in that order
        assertThrows(KarelException.class, () -> ProbeData.forTraces(new TraceSet[] {splits[1], splits[0], splits[2]},
                Results.MEAN_LAYER, Results.ORIGINAL, 0, "wall"));
    }

    @Test
    void regressionRowsAreRetrainedFromTheirProbeRows() throws Exception {
        // every per-seed R^2 row of the trained LM's real task: the linear regression probe of that seed, fitted on
        // ProbeData.regression's rows, scores the row's R^2 on the test rows
        TraceSet[] splits = finalSplits();
        Table r2 = results.where(results.stringColumn(Results.METRIC).isEqualTo(Results.Metric.R2.id)
                .and(results.stringColumn(Results.LM).isEqualTo(Results.Lm.TRAINED.id))
                .and(results.stringColumn(Results.TASK).isEqualTo(Results.Task.REAL.id))
                .and(results.stringColumn(Results.SEED).isNotEqualTo(Results.ALL_SEEDS)));
        assertTrue(r2.rowCount() >= 2, "per-seed R^2 rows exist");
        int compared = 0;
        for (int i = 0; i < r2.rowCount(); i++) {
            String layer = r2.stringColumn(Results.LAYER).get(i);
            int offset = r2.intColumn(Results.OFFSET).get(i);
            String feature = r2.stringColumn(Results.FEATURE).get(i);
            int seed = Integer.parseInt(r2.stringColumn(Results.SEED).get(i));
            String[][] y = new String[3][];
            for (int s = 0; s < 3; s++) {
                y[s] = splits[s].column(Results.ORIGINAL, offset, feature);
            }
            ProbeData.Splits<org.tribuo.regression.Regressor> sets =
                    ProbeData.regression(s -> splits[s].states(layer, false).toArray(), y, feature, Map.of());
            assertEquals(r2.intColumn(Results.N_TEST).get(i), sets.test().size());
            double reported = r2.doubleColumn(Results.ACCURACY).getDouble(i);
            long distinct = java.util.stream.IntStream.range(0, sets.test().size())
                    .mapToDouble(j -> sets.test().getExample(j).getOutput().getValues()[0]).distinct().count();
            if (distinct == 1) {
                // a constant target has no variance to explain: the sweep reports R^2 as undefined
                assertTrue(Double.isNaN(reported), feature + " at offset " + offset + " is constant on test: R^2 is NaN");
                continue;
            }
            var model = RegressionProbes.linear(small().seed() + seed).train(sets.train());
            assertEquals(reported, RegressionProbes.r2(model, sets.test()), 1e-9, feature + " at offset " + offset + ", seed " + seed);
            compared++;
        }
        assertTrue(compared >= 2, "R^2 rows with a varying target were compared: " + compared);
    }

    @Test
    void resumesWithoutMeasuringAgain() {
        Table again = Sweep.run(run, small(), csv, QUIET);
        assertEquals(results.rowCount(), again.rowCount(), "a second run measures nothing new");
    }

    @Test
    void badOptionsFailBeforeAnyWork() {
        Path never = tmp.resolve("never.csv");
        Sweep.Options o = small();
        assertThrows(KarelException.class, () -> Sweep.run(run, o.toBuilder().probes(List.of("oracle")).build(), never, QUIET));
        assertThrows(KarelException.class, () -> Sweep.run(run, o.toBuilder().semantics(List.of("original", "mirror")).build(),
                never, QUIET));
        assertThrows(KarelException.class, () -> Sweep.run(run, o.toBuilder().semantics(List.of("flip")).build(), never, QUIET));
        assertThrows(KarelException.class, () -> o.toBuilder().samples(0).build());
        assertThrows(KarelException.class, () -> Sweep.run(run, o.toBuilder().regressionProbe("oracle").build(), never, QUIET));
        assertFalse(Files.exists(never));
    }
}
