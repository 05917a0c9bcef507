package org.karellab.causal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.analysis.Measures;
import org.karellab.data.GenConfig;
import org.karellab.data.Generator;
import org.karellab.data.LengthRange;
import org.karellab.lm.AdamW;
import org.karellab.lm.Checkpoint;
import org.karellab.lm.EvaluationBatchingTest;
import org.karellab.lm.Gpt;
import org.karellab.lm.TrainRecipe;
import org.karellab.probe.Bootstrap;
import org.karellab.probe.ProgramScores;
import org.karellab.trace.Tracer;
import org.karellab.world.KarelException;
import tech.tablesaw.api.Table;

/** The interventions and P-probing on a tiny trained run: invariants that hold whatever the LM learned. */
class CausalTest {
    @TempDir
    static Path tmp;
    static Path run;
    static Table edits;
    static Table varied;
    static Table variedRest;
    static Table variedMeans;
    static Table pprobe;
    static Table pprobeExamples;
    static Table pprobeInput0;
    static Table pprobeShuffled;
    static Table pprobeFirst;
    static Table pprobeFirstForced;
    static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
    static final List<String> LAYERS = List.of("blocks.0.resid_post", "ln_final.normalized");

    @BeforeAll
    static void trainAndRun() throws Exception {
        GenConfig d = GenConfig.defaults();
        Path data = tmp.resolve("data");
        new Generator(new GenConfig(7, 1500, 120, 120, new LengthRange(1, 10), d.evalLengths(), d.examples(),
                d.specExamples(), d.wallRate(), d.markerRate(), d.weights(), false)).generate(data, 2, false);
        run = tmp.resolve("run");
        TrainRecipe.train(data, run, "smoke", Map.of(), false, QUIET);
        edits = Intervention.run(run, small().build(), tmp.resolve("edits.csv"), QUIET);
        pprobe = PProbe.run(run, PProbe.Options.builder().layers(LAYERS).features(List.of("rel_facing", "wall")).samples(80)
                .evalSamples(40).resamples(50).build(), tmp.resolve("pprobe.csv"), QUIET);
        PProbe.Options examples = PProbe.Options.builder().layers(List.of("blocks.0.resid_pre")).features(List.of("facing", "wall"))
                .samples(1200).evalSamples(120).resamples(50).examples(List.of(0, 3)).build();
        pprobeExamples = PProbe.run(run, examples.toBuilder().programScores(tmp.resolve("pprobe-examples-programs.csv")).build(),
                tmp.resolve("pprobe-examples.csv"), QUIET);
        pprobeShuffled = PProbe.run(run, examples.toBuilder().shuffle(5L).build(), tmp.resolve("pprobe-shuffled.csv"), QUIET);
        String first = Long.toString(Checkpoint.stepOf(Checkpoint.list(run).get(0)));
        pprobeFirst = PProbe.run(run, examples.toBuilder().checkpoint(first).build(), tmp.resolve("pprobe-first.csv"), QUIET);
        pprobeFirstForced = PProbe.run(run, examples.toBuilder().checkpoint(first).programsFrom("last")
                .programScores(tmp.resolve("pprobe-first-forced-programs.csv")).build(), tmp.resolve("pprobe-first-forced.csv"), QUIET);
        pprobeInput0 = PProbe.run(run, examples.toBuilder().features(List.of("facing")).examples(List.of(0)).build(),
                tmp.resolve("pprobe-input0.csv"), QUIET);
        // the smoke LM hardly ever turns, so its facing probe has one class: a checkpoint with its weights
        // scaled up writes varied programs, and edits of all of them (mostly wrong) exercise every method
        Path last = Checkpoint.list(run).get(Checkpoint.list(run).size() - 1);
        try (Checkpoint.Loaded l = Checkpoint.read(last); Gpt sensitive = EvaluationBatchingTest.sensitive(l.config().model())) {
            Checkpoint.save(Checkpoint.file(run, l.step() + 1), l.config(), l.step() + 1, sensitive, new AdamW(l.config(), sensitive));
        }
        varied = Intervention.run(run, small().allPrograms(true).build(), tmp.resolve("varied.csv"), QUIET);
        List<String> rest = new java.util.ArrayList<>(List.of("direction", "shuffled"));
        rest.addAll(Intervention.REST_METHODS);
        variedRest = Intervention.run(run, small().allPrograms(true).methods(rest).build(), tmp.resolve("varied-rest.csv"), QUIET);
        variedMeans = Intervention.run(run, small().allPrograms(true).methods(rest).push("mean").layers(List.of("blocks.0.resid_post"))
                .build(), tmp.resolve("varied-means.csv"), QUIET);
        Files.delete(Checkpoint.file(run, Checkpoint.stepOf(last) + 1));
    }

    private static double value(Table t, String layer, String method, String measure) {
        Table r = t.where(t.stringColumn("layer").isEqualTo(layer).and(t.stringColumn("method").isEqualTo(method))
                .and(t.stringColumn("measure").isEqualTo(measure)));
        assertEquals(1, r.rowCount(), layer + " " + method + " " + measure);
        return r.doubleColumn("value").get(0);
    }

    static Intervention.Builder small() {
        return Intervention.Options.defaults().toBuilder().layers(LAYERS).samples(40).probeSamples(60).resamples(50);
    }

    private static double value(String layer, String method, String measure) {
        return value(edits, layer, method, measure);
    }

    @Test
    void everyLayerHasEveryMethodAndTheDifference() {
        assertTrue(Files.isRegularFile(tmp.resolve("varied.csv")));
        for (String layer : LAYERS) {
            for (String method : List.of("none", "direction", "patch", "random", "opposite", "direction_minus_random",
                    "direction_minus_opposite")) {
                assertTrue(varied.where(varied.stringColumn("layer").isEqualTo(layer)
                        .and(varied.stringColumn("method").isEqualTo(method))).rowCount() > 0, layer + " " + method);
            }
        }
        for (Table t : List.of(edits, varied)) {
            for (int r = 0; r < t.rowCount(); r++) {
                double v = t.doubleColumn("value").get(r);
                double lo = t.doubleColumn("ci_low").get(r);
                double hi = t.doubleColumn("ci_high").get(r);
                assertTrue(lo <= v + 1e-9 && v <= hi + 1e-9, "the interval holds the point estimate, row " + r);
            }
        }
    }

    /** The paired differences of success and of changed are the differences of the rates, when both edits cover the same programs. */
    @Test
    void pairedDifferencesAreTheDifferencesOfTheRates() {
        int checked = 0;
        for (Table t : List.of(varied, variedRest)) {
            for (String layer : LAYERS) {
                for (String[] pair : new String[][] {{"direction", "random"}, {"direction", "opposite"}, {"direction", "shuffled"},
                        {"direction_rest", "random_rest"}, {"direction_rest", "shuffled_rest"}}) {
                    String diff = pair[0] + "_minus_" + pair[1];
                    if (!t.stringColumn("method").contains(pair[1])) {
                        continue;
                    }
                    int n = nPrograms(t, layer, pair[0]);
                    if (n != nPrograms(t, layer, pair[1]) || n != nPrograms(t, layer, diff)) {
                        continue;                               // the edits cover different programs: not a difference of rates
                    }
                    for (String measure : List.of("success", "changed")) {
                        assertEquals(value(t, layer, pair[0], measure) - value(t, layer, pair[1], measure), value(t, layer, diff, measure),
                                1e-9, layer + " " + diff + ", " + measure);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked >= 8, "most pairs cover the same programs, got " + checked);
    }

    private static int nPrograms(Table t, String layer, String method) {
        Table r = t.where(t.stringColumn("layer").isEqualTo(layer).and(t.stringColumn("method").isEqualTo(method))
                .and(t.stringColumn("measure").isEqualTo("success")));
        return r.intColumn("n_programs").get(0);
    }

    /** The LM's continuation of its own prefix (decoded again, with no edit) is the rest of its program: it fits the real state. */
    @Test
    void noEditReproducesTheProgramAndNeverFitsATurnedRobot() {
        for (String layer : LAYERS) {
            assertEquals(0.0, value(layer, "none", "changed"));
            assertEquals(1.0, value(layer, "none", "still_correct"));
            assertEquals(0.0, value(layer, "none", "success"), "a turn changes the final facing, so the unedited rest cannot fit");
        }
    }

    /** A direction edit is built to make the probe read the target. */
    @Test
    void directionEditsMakeTheProbeReadTheTarget() {
        for (String layer : LAYERS) {
            assertEquals(1.0, value(varied, layer, "direction", "reads_target"), layer);
            double norm = value(varied, layer, "direction", "edit_norm");
            assertTrue(norm > 0);
            assertEquals(norm, value(varied, layer, "random", "edit_norm"), 1e-3 * norm, "random edits have the direction edits' norms");
            assertEquals(0.0, value(varied, layer, "opposite", "reads_target"), "the opposite edit lands on a - 90, never on b");
            assertTrue(value(varied, layer, "direction", "relative_norm") > 0);
        }
    }

    /** The edits at every position from t on: each layer has the three and their paired differences; the random one has its norm. */
    @Test
    void restEditsHaveTheirControlsAndTheRandomOneTheirNorm() {
        for (String layer : LAYERS) {
            for (String method : List.of("direction_rest", "random_rest", "opposite_rest", "shuffled_rest",
                    "direction_rest_minus_random_rest", "direction_rest_minus_opposite_rest", "direction_rest_minus_shuffled_rest",
                    "direction_minus_shuffled")) {
                assertFalse(Double.isNaN(value(variedRest, layer, method, "success")), layer + " " + method);   // one row each
            }
            double norm = value(variedRest, layer, "direction_rest", "edit_norm");
            assertTrue(norm > 0);
            assertEquals(norm, value(variedRest, layer, "random_rest", "edit_norm"), 1e-3 * norm, "random pushes have its norms");
            assertEquals(norm, value(variedRest, layer, "shuffled_rest", "edit_norm"), 1e-3 * norm, "shuffled pushes have its norms");
            double one = value(variedRest, layer, "direction", "edit_norm");
            assertEquals(one, value(variedRest, layer, "shuffled", "edit_norm"), 1e-3 * one, "the one-position shuffled push too");
        }
    }

    /** Mean pushes: recorded as such, the random control has their norm, and they are not the probe's least step. */
    @Test
    void meanPushesAreRecordedAndKeepTheirControls() {
        String layer = "blocks.0.resid_post";
        assertEquals(List.of("mean"), variedMeans.stringColumn("push").unique().asList());
        assertEquals(List.of("probe"), varied.stringColumn("push").unique().asList());
        double norm = value(variedMeans, layer, "direction_rest", "edit_norm");
        assertTrue(norm > 0);
        assertEquals(norm, value(variedMeans, layer, "random_rest", "edit_norm"), 1e-3 * norm);
        assertNotEquals(value(varied, layer, "direction", "edit_norm"), value(variedMeans, layer, "direction", "edit_norm"),
                "a mean push is not the probe's least step");
    }

    /** Class means by hand: two classes, features in the probe's order, a feature missing from a row counts as 0. */
    @Test
    void classMeansAverageEachClassesRows() {
        org.tribuo.MutableDataset<org.tribuo.classification.Label> d = new org.tribuo.MutableDataset<>(
                new org.tribuo.provenance.SimpleDataSourceProvenance("hand", new org.tribuo.classification.LabelFactory()),
                new org.tribuo.classification.LabelFactory());
        d.add(new org.tribuo.impl.ArrayExample<>(new org.tribuo.classification.Label("0"), new String[] {"h0", "h1"}, new double[] {1, 2}));
        d.add(new org.tribuo.impl.ArrayExample<>(new org.tribuo.classification.Label("0"), new String[] {"h0"}, new double[] {3}));
        d.add(new org.tribuo.impl.ArrayExample<>(new org.tribuo.classification.Label("90"), new String[] {"h0", "h1"}, new double[] {-4, 8}));
        var probe = new org.karellab.probe.LinearProbeTrainer(new org.karellab.probe.ProbeNetworkTrainer.Settings(2, 1e-2, 0, 0, 4, 0, 1, 1L)).train(d);
        java.util.Map<String, float[]> means = Intervention.classMeans(d, (org.karellab.probe.ProbeNetworkModel<org.tribuo.classification.Label>) probe);
        int h0 = probe.getFeatureIDMap().getID("h0");
        int h1 = probe.getFeatureIDMap().getID("h1");
        assertEquals(2.0f, means.get("0")[h0]);
        assertEquals(1.0f, means.get("0")[h1]);
        assertEquals(-4.0f, means.get("90")[h0]);
        assertEquals(8.0f, means.get("90")[h1]);
        assertThrows(KarelException.class, () -> small().push("median").build());
        assertThrows(KarelException.class, () -> small().methods(List.of("shuffle")).build());
    }

    /**
     * Shuffled class means: every class keeps its size, so the size-weighted mean of the class
     * means is the mean of all rows; the same seed gives the same means; and across seeds the
     * rows fall in other classes (three rows 1, 2, 3 in classes of 2 and 1: the lone row's "mean"
     * is one of the three, and some seed picks another than the true 3).
     */
    @Test
    void shuffledClassMeansKeepTheClassSizesAndMoveTheRows() {
        org.tribuo.MutableDataset<org.tribuo.classification.Label> d = new org.tribuo.MutableDataset<>(
                new org.tribuo.provenance.SimpleDataSourceProvenance("hand", new org.tribuo.classification.LabelFactory()),
                new org.tribuo.classification.LabelFactory());
        d.add(new org.tribuo.impl.ArrayExample<>(new org.tribuo.classification.Label("0"), new String[] {"h0"}, new double[] {1}));
        d.add(new org.tribuo.impl.ArrayExample<>(new org.tribuo.classification.Label("0"), new String[] {"h0"}, new double[] {2}));
        d.add(new org.tribuo.impl.ArrayExample<>(new org.tribuo.classification.Label("90"), new String[] {"h0"}, new double[] {3}));
        var probe = (org.karellab.probe.ProbeNetworkModel<org.tribuo.classification.Label>) new org.karellab.probe.LinearProbeTrainer(
                new org.karellab.probe.ProbeNetworkTrainer.Settings(2, 1e-2, 0, 0, 4, 0, 1, 1L)).train(d);
        java.util.Set<Float> lone = new java.util.TreeSet<>();
        for (long seed = 0; seed < 20; seed++) {
            java.util.Map<String, float[]> m = Intervention.classMeans(d, probe, new java.util.SplittableRandom(seed));
            assertEquals(6.0f, 2 * m.get("0")[0] + m.get("90")[0], 1e-6f, "sizes kept: the weighted means add up to the rows' sum");
            assertArrayEquals(m.get("90"), Intervention.classMeans(d, probe, new java.util.SplittableRandom(seed)).get("90"));
            lone.add(m.get("90")[0]);
        }
        assertEquals(java.util.Set.of(1f, 2f, 3f), lone, "over 20 seeds the lone class takes each row");
        assertEquals(3.0f, Intervention.classMeans(d, probe).get("90")[0], "unshuffled, the true class");
        assertArrayEquals(new float[] {3, 4}, Intervention.scaledTo(new float[] {0.6f, 0.8f}, new float[] {0, 5}), 1e-6f);
        assertNull(Intervention.scaledTo(new float[] {0, 0}, new float[] {1, 0}), "no direction to scale");
    }

    /**
     * The steer the {@code _rest} edits decode with, gated to each case's position emitting action
     * t, writes exactly what the one-position ADD edit writes, over more than one batch of 128
     * cases (so each part's rows map to their own cases); and the edit changes some continuations,
     * so the agreement is not two runs without an edit.
     */
    @Test
    void aSteerAtEachCasesTDecodesAsTheOnePositionEdit() {
        Path last = Checkpoint.list(run).get(Checkpoint.list(run).size() - 1);
        try (org.karellab.data.Dataset data = org.karellab.data.Dataset.open(org.karellab.lm.RunDir.data(run), false);
                Gpt model = Checkpoint.loadModel(last)) {
            int specExamples = data.config().specExamples();
            org.karellab.lm.SpecEncoding enc = org.karellab.lm.SpecEncoding.byName(model.config().encoding());
            List<Intervention.Case> cases = new ArrayList<>();
            for (org.karellab.data.Sample s : org.karellab.lm.Evaluation.samples(data.split(org.karellab.data.Split.TRAIN), 0)) {
                int n = s.program().length();
                if (n >= 2 && cases.size() < 200) {
                    cases.add(Intervention.caseOf(s, s.program(), 1 + cases.size() % (n - 1), "rel_facing", specExamples));
                }
            }
            assertEquals(200, cases.size());
            org.karellab.data.Sample s0 = cases.get(0).sample();
            int first = Intervention.firstAction(enc.encode(List.of(org.karellab.lm.Spec.of(s0.inputs(), s0.outputs(), specExamples)),
                    List.of(s0.program())), enc, specExamples);
            java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
            float[][] delta = new float[cases.size()][];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = new float[model.config().dModel()];
                for (int k = 0; k < delta[i].length; k++) {
                    delta[i][k] = (float) (8 * rng.nextGaussian());
                }
            }
            String layer = "blocks.0.resid_post";
            var none = Intervention.continueEdited(model, enc, cases, specExamples, layer, first, new float[cases.size()][]);
            var added = Intervention.continueEdited(model, enc, cases, specExamples, layer, first, delta);
            var steered = Intervention.continueSteered(model, enc, cases, specExamples, layer, first,
                    (i, position, state) -> position == first + cases.get(i).t() ? delta[i] : null);
            int changed = 0;
            for (int i = 0; i < cases.size(); i++) {
                assertEquals(added.get(i).actions(), steered.get(i).actions(), "case " + i);
                changed += added.get(i).actions().equals(none.get(i).actions()) ? 0 : 1;
            }
            assertTrue(changed > 0, "the edit changes some continuations");
        }
    }

    @Test
    void sameSeedSameBytes() throws Exception {
        Path again = tmp.resolve("edits-again.csv");
        Intervention.run(run, small().layers(List.of("ln_final.normalized")).build(), again, QUIET);
        Path first = tmp.resolve("edits-first.csv");
        Intervention.run(run, small().layers(List.of("ln_final.normalized")).build(), first, QUIET);
        assertEquals(Files.readString(first), Files.readString(again));
    }

    @Test
    void badInputFailsBeforeWriting() {
        Path never = tmp.resolve("never.csv");
        assertThrows(KarelException.class, () -> Intervention.run(run, small().layers(List.of("blocks.9.resid_post")).build(), never, QUIET));
        assertThrows(KarelException.class, () -> small().feature("position").build());
        assertThrows(KarelException.class, () -> small().methods(List.of("steer")).build());
        assertThrows(KarelException.class, () -> small().samples(0).build());
        assertThrows(KarelException.class, () -> Intervention.run(run, small().checkpoint("12345").build(), never, QUIET));
        assertThrows(KarelException.class, () -> PProbe.run(run, PProbe.Options.builder().layers(List.of("mean")).build(), never, QUIET));
        assertThrows(KarelException.class, () -> PProbe.Options.builder().features(List.of("color")).build());
        for (org.junit.jupiter.api.function.Executable bad : List.<org.junit.jupiter.api.function.Executable>of(
                () -> PProbe.run(run, PProbe.Options.builder().examples(List.of(5)).build(), never, QUIET), // inputs 0-4 only
                () -> PProbe.Options.builder().examples(List.of()).build(),
                () -> PProbe.Options.builder().examples(List.of(-1)).build(),
                () -> PProbe.Options.builder().examples(List.of(2, 2)).build())) {
            KarelException e = assertThrows(KarelException.class, bad);
            assertTrue(e.getMessage().startsWith("--examples: ") && !e.getMessage().contains("\n"), e.getMessage());
        }
        assertFalse(Files.exists(never));
    }

    /** The start state in the start frame is the same for every program: k = 0 is read perfectly, and it is the majority. */
    @Test
    void pprobeStartStateIsConstantInTheStartFrame() {
        Table k0 = pprobe.where(pprobe.intColumn("k").isEqualTo(0).and(pprobe.stringColumn("feature").isEqualTo("rel_facing")));
        assertTrue(k0.rowCount() > 0);
        for (int r = 0; r < k0.rowCount(); r++) {
            assertEquals(1.0, k0.doubleColumn("accuracy").get(r));
            assertEquals(1.0, k0.doubleColumn("majority").get(r));
        }
    }

    @Test
    void pprobeCoversEveryLayerPositionKindAndK() {
        assertEquals(Set.copyOf(LAYERS), Set.copyOf(pprobe.stringColumn("layer").asList()));
        Set<String> kinds = Set.copyOf(pprobe.stringColumn("position_name").asList().stream().map(s -> s.replaceAll("\\.\\d+$", "")).toList());
        assertTrue(kinds.contains("spec") && kinds.contains("emit"), kinds.toString());
        for (int r = 0; r < pprobe.rowCount(); r++) {
            double a = pprobe.doubleColumn("accuracy").get(r);
            assertTrue(a >= 0 && a <= 1);
            assertTrue(pprobe.doubleColumn("ci_low").get(r) <= a + 1e-12 && a <= pprobe.doubleColumn("ci_high").get(r) + 1e-12);
            int pos = pprobe.intColumn("position").get(r);
            String name = pprobe.stringColumn("position_name").get(r);
            if (name.startsWith("emit.")) {
                int j = Integer.parseInt(name.substring(5));
                assertTrue(pprobe.intColumn("n_programs").get(r) > 0);
                assertTrue(j <= 12 && pos >= j);
            }
        }
        assertFalse(pprobe.stringColumn("layer").asList().contains(Tracer.MEAN));
    }

    /** A column of the one facing cell at (position, k) labelled on input {@code example}. */
    private static double cell(Table t, String position, int k, int example, String column) {
        Table r = t.where(t.stringColumn("position_name").isEqualTo(position).and(t.intColumn("k").isEqualTo(k))
                .and(t.intColumn("example").isEqualTo(example)).and(t.stringColumn("feature").isEqualTo("facing")));
        assertEquals(1, r.rowCount(), position + " k=" + k + " input " + example);
        return r.doubleColumn(column).get(0);
    }

    private static double cell(Table t, String position, int k, int example) {
        return cell(t, position, k, example, "accuracy");
    }

    /**
     * The input embedding at example e's own position holds that example's absolute start pose (ego
     * appends it as a one-hot), and nothing of another example's: labels follow the named input.
     */
    @Test
    void pprobeReadsEachExamplesStartFacingAtItsOwnPosition() {
        assertEquals(Set.of(0, 3), Set.copyOf(pprobeExamples.intColumn("example").asList()));
        assertEquals(Set.of("facing", "wall"), Set.copyOf(pprobeExamples.stringColumn("feature").asList()));
        assertEquals(Set.of(0), Set.copyOf(pprobe.intColumn("example").asList()), "input 0 by default, as the reference");
        // a 32-wide embedding of 2,315 features holds the start facing weakly (the canvas dominates): compare, with a margin
        for (int[] own : new int[][] {{0, 3}, {3, 0}}) {
            String at = "spec." + own[0];
            double mine = cell(pprobeExamples, at, 0, own[0]);
            double other = cell(pprobeExamples, at, 0, own[1]);
            double majority = cell(pprobeExamples, at, 0, own[0], "majority");
            assertTrue(mine >= majority + 0.15, at + ": input " + own[0] + "'s start facing read above majority: " + mine + " vs " + majority);
            assertTrue(mine >= other + 0.15, at + ": input " + own[0] + "'s start facing read better than input " + own[1] + "'s: " + mine + " vs " + other);
        }
    }

    /** Hand-computed labels: the program runs on the input each label set names. */
    @Test
    void labelsRunTheProgramOnTheNamedInput() {
        String wall = "########\n";
        String north = wall + "#......#\n#......#\n#..^...#\n#......#\n#......#\n#......#\n" + wall;
        String east = wall + "#......#\n#......#\n#......#\n#......#\n#.....>#\n#......#\n" + wall;
        org.karellab.world.World n = org.karellab.world.WorldText.parse(north);
        org.karellab.world.World e = org.karellab.world.WorldText.parse(east);
        org.karellab.world.Program p = new org.karellab.world.Program(org.karellab.world.Action.TURN_RIGHT,
                org.karellab.world.Action.MOVE);
        org.karellab.data.Sample s = new org.karellab.data.Sample(p, List.of(n, e), List.of(n, e)); // outputs unused
        PProbe.LabelSet facing0 = new PProbe.LabelSet("facing", 0);
        PProbe.LabelSet facing1 = new PProbe.LabelSet("facing", 1);
        PProbe.LabelSet position1 = new PProbe.LabelSet("position", 1);
        PProbe.LabelSet wall1 = new PProbe.LabelSet("wall", 1);
        Map<PProbe.LabelSet, String[]> y = PProbe.labels(s, p, List.of(facing0, facing1, position1, wall1));
        assertEquals(List.of("NORTH", "EAST", "EAST"), List.of(y.get(facing0)));
        assertEquals(List.of("EAST", "SOUTH", "SOUTH"), List.of(y.get(facing1)));
        assertEquals(List.of("0,0", "0,0", "0,1"), List.of(y.get(position1)), "input 1 moves one cell south");
        assertEquals(List.of("true", "false", "true"), List.of(y.get(wall1)), "input 1 starts facing the east wall and ends facing the south one");
    }

    /**
     * Hand-computed facts: input 0 starts facing north, input 1 east; the program turns left, moves,
     * turns right twice (clockwise quarter turns from the start after each action: 3, 3, 0, 1). The
     * specification's outputs (another program's) face east and north. With 3 specification
     * positions, emit.j is position 3 + j; emit.4 emits EOS.
     */
    @Test
    void factsHoldEachInputsStartFacingAndTurns() {
        String wall = "########\n";
        org.karellab.world.World n = org.karellab.world.WorldText.parse(
                wall + "#......#\n#......#\n#..^...#\n#......#\n#......#\n#......#\n" + wall);
        org.karellab.world.World e = org.karellab.world.WorldText.parse(
                wall + "#......#\n#......#\n#......#\n#......#\n#.....>#\n#......#\n" + wall);
        org.karellab.world.Program p = new org.karellab.world.Program(org.karellab.world.Action.TURN_LEFT,
                org.karellab.world.Action.MOVE, org.karellab.world.Action.TURN_RIGHT, org.karellab.world.Action.TURN_RIGHT);
        org.karellab.data.Sample s = new org.karellab.data.Sample(p, List.of(n, e), List.of(e, n));
        int[] writtenTurns = {0, 0, 0, 0, 3, 3, 0, 1};  // per position: spec.0-2, then emit.0-4
        int[] nextTurns = {0, 0, 0, 3, 3, 0, 1, 1};
        for (int ahead = 0; ahead <= 1; ahead++) {
            float[][] x = PProbe.facts(s, p, 2, ahead, 3);
            assertEquals(8, x.length, "positions through the one emitting EOS");
            for (int pos = 0; pos < 8; pos++) {
                float[] want = new float[24];
                int turns = (ahead == 0 ? writtenTurns : nextTurns)[pos];
                want[0] = 1;            // input 0: starts NORTH
                want[4 + turns] = 1;
                want[8 + 1] = 1;        // its output faces EAST
                want[12 + 1] = 1;       // input 1: starts EAST
                want[16 + turns] = 1;
                want[20] = 1;           // its output faces NORTH
                assertArrayEquals(want, x[pos], "ahead " + ahead + ", position " + pos);
            }
        }
    }

    /**
     * The facts pseudo-layers probe the same rows and labels as a hidden state, and read each input's
     * start facing exactly (it is one of their one-hots); an unknown layer names them.
     */
    @Test
    void factsPseudoLayersReadTheStartFacingOnTheSameRows() {
        PProbe.Options o = PProbe.Options.builder().layers(List.of("blocks.0.resid_pre", "facts.written", "facts.next"))
                .features(List.of("facing")).samples(1200).evalSamples(120).resamples(50).examples(List.of(0, 3))
                .positions(List.of("spec.1", "emit.0", "emit.2")).build();
        Table t = PProbe.run(run, o, tmp.resolve("pprobe-facts.csv"), QUIET);
        Table hidden = t.where(t.stringColumn("layer").isEqualTo("blocks.0.resid_pre"));
        for (String facts : PProbe.FACTS) {
            Table f = t.where(t.stringColumn("layer").isEqualTo(facts));
            assertEquals(hidden.rowCount(), f.rowCount(), facts);
            for (String c : List.of("example", "position_name", "k", "majority", "n_train", "n_programs")) {
                assertEquals(hidden.column(c).asList(), f.column(c).asList(), facts + " " + c);
            }
            Table start = f.where(f.intColumn("k").isEqualTo(0));
            assertTrue(start.rowCount() >= 6, facts + ": " + start.rowCount());
            for (int r = 0; r < start.rowCount(); r++) {
                assertEquals(1.0, start.doubleColumn("accuracy").get(r), 1e-9, facts + " " + start.row(r));
            }
        }
        KarelException bad = assertThrows(KarelException.class, () -> PProbe.run(run,
                o.toBuilder().layers(List.of("facts.later")).build(), tmp.resolve("never-facts.csv"), QUIET));
        assertTrue(bad.getMessage().contains("'facts.later'") && bad.getMessage().contains("facts.next")
                && !bad.getMessage().contains("\n"), bad.getMessage());
        assertFalse(Files.exists(tmp.resolve("never-facts.csv")));
    }

    /** A label set's cells do not depend on the other label sets asked for (each has its own ridge). */
    @Test
    void input0CellsAreTheSameWhateverElseIsProbed() {
        Table alone = pprobeInput0;
        Table among = pprobeExamples.where(pprobeExamples.intColumn("example").isEqualTo(0)
                .and(pprobeExamples.stringColumn("feature").isEqualTo("facing")));
        assertEquals(alone.rowCount(), among.rowCount());
        assertTrue(alone.rowCount() > 0);
        assertEquals(alone.print(alone.rowCount()), among.print(among.rowCount()));
    }

    /**
     * --programs-from: the first checkpoint's states on the last checkpoint's programs. Every column
     * that depends on the programs alone (cells, rows, labels, so the majority rate) is the last
     * checkpoint's; the accuracies are the first checkpoint's states'; without the option the first
     * checkpoint writes other programs.
     */
    @Test
    void pprobeProgramsFromAnotherCheckpointKeepItsLabels() {
        long last = pprobeExamples.longColumn("step").get(0);
        long first = pprobeFirst.longColumn("step").get(0);
        assertTrue(first < last, first + " vs " + last);
        assertEquals(Set.of(last), Set.copyOf(pprobeExamples.longColumn("programs_step").asList()), "own programs");
        assertEquals(Set.of(first), Set.copyOf(pprobeFirst.longColumn("programs_step").asList()), "own programs");
        assertEquals(Set.of(first), Set.copyOf(pprobeFirstForced.longColumn("step").asList()));
        assertEquals(Set.of(last), Set.copyOf(pprobeFirstForced.longColumn("programs_step").asList()));
        List<String> labelOnly = List.of("layer", "feature", "example", "position", "position_name", "k", "majority", "n_train", "n_programs");
        for (String c : labelOnly) {
            assertEquals(pprobeExamples.column(c).asList(), pprobeFirstForced.column(c).asList(), c);
        }
        assertFalse(pprobeExamples.doubleColumn("accuracy").asList().equals(pprobeFirstForced.doubleColumn("accuracy").asList()),
                "the probed states are the first checkpoint's, not the writer's");
        // where the programs cannot matter (the start state at the specification's positions: the same rows and
        // labels, and states the causal mask keeps from the programs) the forced run is the first checkpoint's own
        Table own = pprobeFirst.where(pprobeFirst.stringColumn("position_name").startsWith("spec.")
                .and(pprobeFirst.intColumn("k").isEqualTo(0)));
        Table forced = pprobeFirstForced.where(pprobeFirstForced.stringColumn("position_name").startsWith("spec.")
                .and(pprobeFirstForced.intColumn("k").isEqualTo(0)));
        assertTrue(own.rowCount() > 0);
        for (String c : List.of("layer", "feature", "example", "position", "k", "n_programs", "majority", "accuracy", "ci_low", "ci_high")) {
            assertEquals(own.column(c).asList(), forced.column(c).asList(), c);
        }
        boolean same = pprobeFirst.rowCount() == pprobeExamples.rowCount()
                && pprobeFirst.column("n_programs").asList().equals(pprobeExamples.column("n_programs").asList())
                && pprobeFirst.column("majority").asList().equals(pprobeExamples.column("majority").asList());
        assertFalse(same, "without --programs-from the first checkpoint labels its own, other programs");
    }

    /**
     * --program-scores: each cell's per-program sums hold its test rows (n, accuracy and majority
     * of the table), and the paired difference of the forced control against the trained LM is the
     * mean over the cells of their accuracy difference: the two hold the same programs in every cell.
     */
    @Test
    void programScoresHoldEachCellsRowsAndPairTheForcedControl() {
        ProgramScores trained = ProgramScores.read(tmp.resolve("pprobe-examples-programs.csv"));
        ProgramScores control = ProgramScores.read(tmp.resolve("pprobe-first-forced-programs.csv"));
        int programs = trained.programs();
        assertTrue(programs > 0);
        List<String> ids = new ArrayList<>();
        double sum = 0;
        for (int r = 0; r < pprobeExamples.rowCount(); r++) {
            String id = PProbe.scoreId(pprobeExamples.stringColumn("layer").get(r), pprobeExamples.stringColumn("feature").get(r),
                    pprobeExamples.intColumn("example").get(r), pprobeExamples.stringColumn("position_name").get(r),
                    pprobeExamples.intColumn("k").get(r));
            double[] total = Bootstrap.total(trained.sums(id, programs));
            assertEquals(pprobeExamples.intColumn("n_programs").get(r), (int) total[Bootstrap.N], id);
            assertEquals(pprobeExamples.doubleColumn("accuracy").get(r), total[Bootstrap.CORRECT] / total[Bootstrap.N], 1e-12, id);
            assertEquals(pprobeExamples.doubleColumn("majority").get(r), total[Bootstrap.MAJORITY] / total[Bootstrap.N], 1e-12, id);
            ids.add(id);
            sum += pprobeFirstForced.doubleColumn("accuracy").get(r) - pprobeExamples.doubleColumn("accuracy").get(r);
        }
        Table d = Measures.cellDifference(control, trained, ids, Measures.Measure.SEMANTIC_CONTENT);
        assertEquals(sum / ids.size(), d.doubleColumn(Measures.VALUE).get(0), 1e-9);
        assertEquals(ids.size(), d.intColumn(Measures.CELLS).get(0));
        assertEquals(0, d.intColumn(Measures.A_ONLY).get(0) + d.intColumn(Measures.B_ONLY).get(0), "the same programs in every cell");
    }

    /** --positions fits only the positions named, and each of their cells is the one a full run gives. */
    @Test
    void pprobePositionsKeepOnlyTheNamedCells() {
        PProbe.Options examples = PProbe.Options.builder().layers(List.of("blocks.0.resid_pre")).features(List.of("facing", "wall"))
                .samples(1200).evalSamples(120).resamples(50).examples(List.of(0, 3)).positions(List.of("spec.1", "emit.1")).build();
        Table some = PProbe.run(run, examples, tmp.resolve("pprobe-positions.csv"), QUIET);
        Table full = pprobeExamples.where(pprobeExamples.stringColumn("position_name").isIn("spec.1", "emit.1"));
        assertEquals(Set.of("spec.1", "emit.1"), Set.copyOf(some.stringColumn("position_name").asList()));
        assertEquals(full.print(full.rowCount()), some.print(some.rowCount()));
        Path never = tmp.resolve("never-positions.csv");
        Path neverScores = tmp.resolve("never-positions-programs.csv");
        for (org.junit.jupiter.api.function.Executable bad : List.<org.junit.jupiter.api.function.Executable>of(
                () -> PProbe.Options.builder().positions(List.of("emit")).build(),
                () -> PProbe.Options.builder().positions(List.of()).build(),
                () -> PProbe.Options.builder().positions(List.of("emit.1", "emit.1")).build(),
                () -> PProbe.run(run, examples.toBuilder().positions(List.of("emit.99")).programScores(neverScores).build(),
                        never, QUIET))) {
            KarelException e = assertThrows(KarelException.class, bad);
            assertTrue(e.getMessage().startsWith("--positions: ") && !e.getMessage().contains("\n"), e.getMessage());
        }
        assertFalse(Files.exists(never));
        assertFalse(Files.exists(neverScores));
        KarelException same = assertThrows(KarelException.class,
                () -> PProbe.run(run, examples.toBuilder().programScores(never).build(), never, QUIET));
        assertTrue(same.getMessage().startsWith("--program-scores: "), same.getMessage());
        assertFalse(Files.exists(never));
    }

    /** Only a run's own reading passes for its P-probing; each control is named in the error. */
    @Test
    void onlyTheOwnReadingPassesForTheRunsPprobing() {
        Path csv = tmp.resolve("pprobe.csv");
        assertEquals(pprobe, PProbe.requireOwnReading(pprobe, csv));
        KarelException shuffled = assertThrows(KarelException.class, () -> PProbe.requireOwnReading(pprobeShuffled, csv));
        assertTrue(shuffled.getMessage().contains("--shuffle-labels"), shuffled.getMessage());
        KarelException forced = assertThrows(KarelException.class, () -> PProbe.requireOwnReading(pprobeFirstForced, csv));
        assertTrue(forced.getMessage().contains("--programs-from"), forced.getMessage());
    }

    @Test
    void pprobeProgramsFromRejectsWhatIsNotOneCheckpoint() {
        Path never = tmp.resolve("never-forced.csv");
        for (String bad : List.of("12345", "soon", "all")) {
            KarelException e = assertThrows(KarelException.class,
                    () -> PProbe.run(run, PProbe.Options.builder().programsFrom(bad).build(), never, QUIET));
            assertTrue(e.getMessage().startsWith("--programs-from: ") && !e.getMessage().contains("\n"), e.getMessage());
            assertFalse(e.getMessage().contains("or 'all'"), "one checkpoint is asked for: " + e.getMessage());
        }
        assertFalse(Files.exists(never));
    }

    /** {@code t} written as a CSV of an older pprobe, without {@code column}, and read back by {@link PProbe#read}. */
    private static Table writtenWithoutAndReadBack(Table t, String column) throws java.io.IOException {
        Path old = tmp.resolve("old-pprobe-without-" + column + ".csv");
        t.copy().removeColumns(column).write().csv(old.toFile());
        return PProbe.read(old);
    }

    /** A pprobe table written before --programs-from existed reads as each checkpoint's own programs. */
    @Test
    void oldPprobeTablesReadAsOwnPrograms() throws Exception {
        Table back = writtenWithoutAndReadBack(pprobeFirst, "programs_step");
        assertEquals(pprobeFirst.columnNames(), back.columnNames());
        assertEquals(pprobeFirst.longColumn("step").asList(), back.longColumn("programs_step").asList());
    }

    /** A pprobe table written before --examples existed reads as input 0's. */
    @Test
    void oldPprobeTablesReadAsInput0() throws Exception {
        Table back = writtenWithoutAndReadBack(pprobe, "example");
        assertEquals(pprobe.columnNames(), back.columnNames());
        assertEquals(Set.of(0), Set.copyOf(back.intColumn("example").asList()));
        assertEquals(pprobe.rowCount(), back.rowCount());
    }

    /**
     * The shuffle control hands labels to other programs of the same length: every cell keeps its
     * rows and its label distribution (so the majority rate), and loses what the states said.
     */
    @Test
    void shuffledLabelsKeepTheMajorityAndLoseTheReading() {
        assertEquals(pprobeExamples.rowCount(), pprobeShuffled.rowCount());
        assertEquals(pprobeExamples.rowCount(), pprobeExamples.longColumn("shuffle").countMissing(), "real labels: no shuffle seed");
        assertEquals(java.util.Set.of(5L), java.util.Set.copyOf(pprobeShuffled.longColumn("shuffle").asList()));
        for (int r = 0; r < pprobeExamples.rowCount(); r++) {
            assertEquals(pprobeExamples.intColumn("n_programs").get(r), pprobeShuffled.intColumn("n_programs").get(r));
            assertEquals(pprobeExamples.doubleColumn("majority").get(r), pprobeShuffled.doubleColumn("majority").get(r), 1e-12,
                    "row " + r);
        }
        for (int e : new int[] {0, 3}) {
            double real = cell(pprobeExamples, "spec." + e, 0, e);
            double shuffled = cell(pprobeShuffled, "spec." + e, 0, e);
            assertTrue(shuffled < real - 0.1, "input " + e + "'s start facing at its own position: " + real + " real, " + shuffled + " shuffled");
        }
    }
}
