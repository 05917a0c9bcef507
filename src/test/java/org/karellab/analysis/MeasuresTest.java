package org.karellab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.analysis.Measures.Measure;
import org.karellab.probe.ProgramScores;
import org.karellab.probe.Results;
import org.karellab.world.KarelException;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Measures on small hand-made results with hand-computed answers. */
class MeasuresTest {
    @TempDir
    Path tmp;

    /** Two features (f1, f2) for two probes (a, b) at one checkpoint. */
    static Table results() {
        Table t = Table.create("r", LongColumn.create(Results.STEP), StringColumn.create(Results.LM),
                StringColumn.create(Results.TASK), StringColumn.create(Results.PROBE), StringColumn.create(Results.LAYER),
                StringColumn.create(Results.SEMANTICS), IntColumn.create(Results.OFFSET), StringColumn.create(Results.FEATURE),
                StringColumn.create(Results.METRIC), StringColumn.create(Results.ROWS), StringColumn.create(Results.SEED),
                DoubleColumn.create(Results.ACCURACY), BooleanColumn.create(Results.SEMANTIC), StringColumn.create(Results.VS));
        for (String probe : List.of("a", "b")) {
            for (String f : List.of("f1", "f2")) {
                t.longColumn(Results.STEP).append(10);
                t.stringColumn(Results.LM).append("trained");
                t.stringColumn(Results.TASK).append("real");
                t.stringColumn(Results.PROBE).append(probe);
                t.stringColumn(Results.LAYER).append("mean");
                t.stringColumn(Results.SEMANTICS).append("original");
                t.intColumn(Results.OFFSET).append(0);
                t.stringColumn(Results.FEATURE).append(f);
                t.stringColumn(Results.METRIC).append("accuracy");
                t.stringColumn(Results.ROWS).append("all");
                t.stringColumn(Results.SEED).append("all");
                t.doubleColumn(Results.ACCURACY).append(0);
                t.booleanColumn(Results.SEMANTIC).append(true);
                t.stringColumn(Results.VS).append("-");
            }
        }
        return t;
    }

    /** Per-program sums {rows, correct, majority} of the four rows on 2 test programs. */
    ProgramScores scores(Table results) throws Exception {
        double[][][] sums = {
            {{4, 4, 2}, {4, 2, 2}}, // a f1: 6/8 correct, majority 4/8
            {{4, 3, 4}, {4, 1, 4}}, // a f2: 4/8, majority 8/8
            {{4, 2, 2}, {4, 2, 2}}, // b f1: 4/8
            {{4, 2, 4}, {4, 2, 4}}, // b f2: 4/8
        };
        return write(results, sums);
    }

    /** Per-program sums {rows, correct, majority} of row i of {@code results} on program p: {@code sums[i][p]}. */
    ProgramScores write(Table results, double[][][] sums) throws Exception {
        StringBuilder csv = new StringBuilder("id,program,n,a,b,c\n");
        for (int i = 0; i < sums.length; i++) {
            for (int p = 0; p < sums[i].length; p++) {
                csv.append(ProgramScores.id(results, i)).append(',').append(p).append(',').append(sums[i][p][0]).append(',')
                        .append(sums[i][p][1]).append(',').append(sums[i][p][2]).append(",0\n");
            }
        }
        Path f = Files.createTempFile(tmp, "scores", ".csv");
        Files.writeString(f, csv);
        return ProgramScores.read(f);
    }

    @Test
    void semanticContentIsTheMeanOverFeaturesOfPooledAccuracy() throws Exception {
        Table r = results();
        Table s = Measures.summarize(r, scores(r), Measure.SEMANTIC_CONTENT, "probe");
        assertEquals(2, s.rowCount());
        assertEquals((6 / 8.0 + 4 / 8.0) / 2, s.doubleColumn(Measures.VALUE).get(0), 1e-12, "probe a");
        assertEquals(0.5, s.doubleColumn(Measures.VALUE).get(1), 1e-12, "probe b");
        assertEquals("f1+f2", s.stringColumn(Measures.FEATURES).get(0));
        assertEquals(2, s.intColumn(Measures.N_PROGRAMS).get(0));
        assertTrue(s.doubleColumn(Measures.CI_LOW).get(0) <= 0.625 && 0.625 <= s.doubleColumn(Measures.CI_HIGH).get(0));
    }

    @Test
    void gainOverMajorityUsesEachFeaturesMajority() throws Exception {
        Table r = results();
        Table s = Measures.summarize(r, scores(r), Measure.GAIN_OVER_MAJORITY, "probe");
        // a: f1 (0.75 - 0.5) / 0.5 = 0.5; f2 majority 1 -> 0; mean 0.25
        assertEquals(0.25, s.doubleColumn(Measures.VALUE).get(0), 1e-12);
        // b: f1 (0.5 - 0.5) / 0.5 = 0; f2 0; mean 0
        assertEquals(0, s.doubleColumn(Measures.VALUE).get(1), 1e-12);
    }

    @Test
    void majorityRateIsTheMeanOverFeaturesOfTheLabelsMajorityShare() throws Exception {
        Table r = results();
        Table s = Measures.summarize(r, scores(r), Measure.MAJORITY_RATE, "probe");
        // a: f1 4/8, f2 8/8 -> 0.75; b: f1 4/8, f2 8/8 -> 0.75: the same rows give the same rate whatever the probe
        assertEquals(0.75, s.doubleColumn(Measures.VALUE).get(0), 1e-12);
        assertEquals(0.75, s.doubleColumn(Measures.VALUE).get(1), 1e-12);
        Table d = Measures.difference(r, scores(r), Measure.MAJORITY_RATE, Results.PROBE, "a", "b", Results.STEP);
        assertEquals(0, d.doubleColumn(Measures.VALUE).get(0), 0, "paired on the same rows: no difference");
    }

    @Test
    void pairedDifferenceMatchesFeaturesAndHasItsOwnInterval() throws Exception {
        Table r = results();
        ProgramScores s = scores(r);
        Table d = Measures.difference(r, s, Measure.SEMANTIC_CONTENT, Results.PROBE, "a", "b", Results.STEP);
        assertEquals(1, d.rowCount());
        assertEquals(0.625 - 0.5, d.doubleColumn(Measures.VALUE).get(0), 1e-12);
        // program 0 alone: a (4+3)/8 vs b 4/8 -> +0.375; program 1 alone: a (2+1)/8 vs b 4/8 -> -0.125
        assertEquals(-0.125, d.doubleColumn(Measures.CI_LOW).get(0), 1e-12);
        assertEquals(0.375, d.doubleColumn(Measures.CI_HIGH).get(0), 1e-12);
        Table same = Measures.difference(r, s, Measure.SEMANTIC_CONTENT, Results.PROBE, "a", "a", Results.STEP);
        assertEquals(0, same.doubleColumn(Measures.CI_LOW).get(0), 0);
        assertEquals(0, same.doubleColumn(Measures.CI_HIGH).get(0), 0);
    }

    /** The four rows of {@link #results} on the trained LM, and the same four on the random-init LM, with their sums. */
    ProgramScores scoresBothLms(Table r) throws Exception {
        return scoresBothLms(r, 10);
    }

    /** The same, with the random-init rows at checkpoint {@code randomStep}. */
    ProgramScores scoresBothLms(Table r, long randomStep) throws Exception {
        Table random = results();
        for (int i = 0; i < random.rowCount(); i++) {
            random.stringColumn(Results.LM).set(i, "random_init");
            random.longColumn(Results.STEP).set(i, randomStep);
        }
        r.append(random);
        double[][][] sums = {
            {{4, 4, 2}, {4, 2, 2}}, // trained a f1
            {{4, 3, 4}, {4, 1, 4}}, // trained a f2: a 0.625
            {{4, 2, 2}, {4, 2, 2}}, // trained b f1
            {{4, 2, 4}, {4, 2, 4}}, // trained b f2: b 0.5
            {{4, 3, 2}, {4, 3, 2}}, // random a f1
            {{4, 2, 4}, {4, 2, 4}}, // random a f2: a 0.625
            {{4, 1, 2}, {4, 1, 2}}, // random b f1
            {{4, 2, 4}, {4, 2, 4}}, // random b f2: b 0.375
        };
        return write(r, sums);
    }

    @Test
    void differenceOfDifferencesIsPairedOnPrograms() throws Exception {
        Table r = results();
        ProgramScores s = scoresBothLms(r);
        Table d = Measures.differenceOfDifferences(r, s, Measure.SEMANTIC_CONTENT, Results.PROBE, "a", "b", Results.LM,
                "trained", "random_init", Results.STEP);
        assertEquals(1, d.rowCount());
        // (0.625 - 0.5) - (0.625 - 0.375)
        assertEquals(-0.125, d.doubleColumn(Measures.VALUE).get(0), 1e-12);
        // program 0 alone: trained (f1 4/4, f2 3/4) 0.875 - 0.5, random (3/4 + 2/4) / 2 - (1/4 + 2/4) / 2 -> 0.375 - 0.25
        // program 1 alone: trained (2/4 + 1/4) / 2 - 0.5 = -0.125, random 0.25 -> -0.375
        assertEquals(-0.375, d.doubleColumn(Measures.CI_LOW).get(0), 1e-12);
        assertEquals(0.125, d.doubleColumn(Measures.CI_HIGH).get(0), 1e-12);
        assertEquals(2, d.intColumn(Measures.N_PROGRAMS).get(0));
        assertEquals("f1+f2", d.stringColumn(Measures.FEATURES).get(0));
        assertEquals(List.of("a", "b", "trained", "random_init"), List.of(d.stringColumn("a").get(0), d.stringColumn("b").get(0),
                d.stringColumn("c").get(0), d.stringColumn("d").get(0)));
        // the same difference on both sides is exactly 0 in every resample; each side alone is not
        Table same = Measures.differenceOfDifferences(r, s, Measure.SEMANTIC_CONTENT, Results.PROBE, "a", "b", Results.LM,
                "trained", "trained", Results.STEP);
        assertEquals(0, same.doubleColumn(Measures.CI_LOW).get(0), 0);
        assertEquals(0, same.doubleColumn(Measures.CI_HIGH).get(0), 0);
    }

    @Test
    void differenceOfDifferencesUsesFeaturesPresentInAllFourCells() throws Exception {
        Table r = results();
        ProgramScores s = scoresBothLms(r);
        Table without = r.dropWhere(r.stringColumn(Results.LM).isEqualTo("random_init")
                .and(r.stringColumn(Results.PROBE).isEqualTo("b")).and(r.stringColumn(Results.FEATURE).isEqualTo("f2")));
        Table d = Measures.differenceOfDifferences(without, s, Measure.SEMANTIC_CONTENT, Results.PROBE, "a", "b", Results.LM,
                "trained", "random_init", Results.STEP);
        assertEquals("f1", d.stringColumn(Measures.FEATURES).get(0));
        // f1 alone: (6/8 - 4/8) - (6/8 - 2/8)
        assertEquals(-0.25, d.doubleColumn(Measures.VALUE).get(0), 1e-12);
    }

    @Test
    void differenceOfDifferencesAsShares() throws Exception {
        Table r = results();
        ProgramScores s = scoresBothLms(r);
        Table d = Measures.differenceOfDifferences(r, s, Measure.SEMANTIC_CONTENT, Measures.Scale.SHARE_OF_A, Results.PROBE,
                "a", "b", Results.LM, "trained", "random_init", Results.STEP);
        // trained loses (0.625 - 0.5) / 0.625 = 0.2 of a, random-init (0.625 - 0.375) / 0.625 = 0.4
        assertEquals(-0.2, d.doubleColumn(Measures.VALUE).get(0), 1e-12);
    }

    @Test
    void differenceOfDifferencesMatchesFeaturesByNameInAnyOrder() throws Exception {
        Table r = results();
        ProgramScores s = scoresBothLms(r);
        Table shuffled = r.emptyCopy();
        for (int i : new int[] {1, 0, 2, 3, 4, 5, 7, 6}) {      // trained a and random-init b list f2 before f1
            shuffled.addRow(i, r);
        }
        Table d = Measures.differenceOfDifferences(shuffled, s, Measure.SEMANTIC_CONTENT, Results.PROBE, "a", "b", Results.LM,
                "trained", "random_init", Results.STEP);
        assertEquals(-0.125, d.doubleColumn(Measures.VALUE).get(0), 1e-12);
    }

    @Test
    void contrastsRefuseBadGroupingDuplicatesAndMixedCheckpoints() throws Exception {
        Table r = results();
        ProgramScores s = scoresBothLms(r);
        for (String bad : List.of(Results.PROBE, Results.LM)) {
            KarelException e = assertThrows(KarelException.class, () -> Measures.differenceOfDifferences(r, s,
                    Measure.SEMANTIC_CONTENT, Results.PROBE, "a", "b", Results.LM, "trained", "random_init", bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(KarelException.class, () -> Measures.difference(r, s, Measure.SEMANTIC_CONTENT, Results.PROBE, "a", "b",
                Results.PROBE));
        Table twice = r.copy();
        twice.addRow(0, r);
        assertThrows(KarelException.class, () -> Measures.differenceOfDifferences(twice, s, Measure.SEMANTIC_CONTENT,
                Results.PROBE, "a", "b", Results.LM, "trained", "random_init", Results.STEP), "f1 twice for trained a");
        Table later = results();
        ProgramScores s20 = scoresBothLms(later, 20);         // the random-init rows at another checkpoint
        assertThrows(KarelException.class, () -> Measures.differenceOfDifferences(later, s20, Measure.SEMANTIC_CONTENT,
                Results.PROBE, "a", "b", Results.LM, "trained", "random_init"));
    }

    /** Probe a's feature f1 at steps 10, 20, 30 on 2 test programs, and the LM's accuracy on 2 eval programs. */
    static final long[] STEPS = {10, 20, 30};

    ProgramScores curveScores(Table r) throws Exception {
        for (int t = 1; t < STEPS.length; t++) {
            r.append(r.first(1));
        }
        for (int t = 0; t < STEPS.length; t++) {
            r.longColumn(Results.STEP).set(t, STEPS[t]);
        }
        double[][][] sums = {
            {{4, 0, 2}, {4, 1, 2}}, // step 10: 1/8 correct
            {{4, 2, 2}, {4, 2, 2}}, // step 20: 4/8
            {{4, 4, 2}, {4, 2, 2}}, // step 30: 6/8
        };
        return write(r, sums);
    }

    static Table evalPrograms(boolean[][] correct) {
        List<org.karellab.lm.EvalProgram> rows = new java.util.ArrayList<>();
        for (int t = 0; t < correct.length; t++) {
            for (int p = 0; p < correct[t].length; p++) {
                rows.add(new org.karellab.lm.EvalProgram(STEPS[t], p, 3, false, correct[t][p], correct[t][p], false, "move", "move"));
            }
        }
        return org.karellab.lm.Evaluation.programsTable(rows);
    }

    @Test
    void correlationWithAccuracyResamplesEachSeriesAcrossCheckpoints() throws Exception {
        Table r = results().first(1);
        ProgramScores s = curveScores(r);
        // accuracy: step 10 none right, step 20 program 0 only, step 30 both
        Table eval = evalPrograms(new boolean[][] {{false, false}, {true, false}, {true, true}});
        Table c = Measures.correlationWithAccuracy(r, s, Measure.SEMANTIC_CONTENT, eval, Results.PROBE);
        assertEquals(1, c.rowCount());
        // content (1/8, 1/2, 3/4) against accuracy (0, 1/2, 1): deviations (-1/3, 1/24, 7/24) and (-1/2, 0, 1/2),
        // r = (1/6 + 7/48) / sqrt(19/96 * 1/2)
        double r0 = (1 / 6.0 + 7 / 48.0) / Math.sqrt(19 / 96.0 * 0.5);
        assertEquals(r0, c.doubleColumn(Measures.VALUE).get(0), 1e-12);
        assertEquals(r0 * r0, c.doubleColumn(Measures.R2).get(0), 1e-12);
        // two programs a side: every pair of draws has probability >= 1/16, so the interval's ends are the
        // extreme pairs: both sides drawing their second program twice, content (1/4, 1/2, 1/2) against
        // accuracy (0, 0, 1), gives r = 1/2; content from program 0 twice (0, 1/2, 1) against accuracy (0, 1/2, 1)
        // gives 1. Drawing the two sides with the same programs would never pair those and end at 0.993.
        assertEquals(0.5, c.doubleColumn(Measures.CI_LOW).get(0), 1e-12);
        assertEquals(1.0, c.doubleColumn(Measures.CI_HIGH).get(0), 1e-12);
        assertEquals(3, c.intColumn(Measures.N_CHECKPOINTS).get(0));
        assertEquals(2, c.intColumn(Measures.N_PROGRAMS).get(0));
        assertEquals(2, c.intColumn(Measures.N_EVAL_PROGRAMS).get(0));
    }

    @Test
    void correlationWithAccuracyRefusesMissingOrUnequalEvaluations() throws Exception {
        Table r = results().first(1);
        ProgramScores s = curveScores(r);
        Table twoSteps = evalPrograms(new boolean[][] {{false, false}, {true, false}});
        assertThrows(KarelException.class, () -> Measures.correlationWithAccuracy(r, s, Measure.SEMANTIC_CONTENT, twoSteps,
                Results.PROBE), "no evaluation at step 30");
        Table unequal = evalPrograms(new boolean[][] {{false, false}, {true, false}, {true}});
        assertThrows(KarelException.class, () -> Measures.correlationWithAccuracy(r, s, Measure.SEMANTIC_CONTENT, unequal,
                Results.PROBE), "other programs at step 30");
        Table twice = evalPrograms(new boolean[][] {{false, false}, {true, false}, {true, true}});
        twice.append(twice.first(1));
        assertThrows(KarelException.class, () -> Measures.correlationWithAccuracy(r, s, Measure.SEMANTIC_CONTENT, twice,
                Results.PROBE), "a program twice");
    }

    /** The final part's checkpoint (more programs, not comparable with the curve) is left out and named. */
    @Test
    void correlationLeavesOutACheckpointMeasuredOnOtherPrograms() throws Exception {
        Table r = results().first(1);
        for (int t = 1; t < 4; t++) {
            r.append(results().first(1));
        }
        long[] steps = {10, 20, 30, 40};
        for (int t = 0; t < 4; t++) {
            r.longColumn(Results.STEP).set(t, steps[t]);
        }
        ProgramScores s = write(r, new double[][][] {
            {{4, 0, 2}, {4, 1, 2}}, {{4, 2, 2}, {4, 2, 2}}, {{4, 4, 2}, {4, 2, 2}},
            {{4, 0, 2}, {4, 0, 2}, {4, 0, 2}}});                   // step 40: 3 programs, all wrong
        Table eval = evalPrograms(new boolean[][] {{false, false}, {true, false}, {true, true}});
        Table c = Measures.correlationWithAccuracy(r, s, Measure.SEMANTIC_CONTENT, eval, Results.PROBE);
        assertEquals(3, c.intColumn(Measures.N_CHECKPOINTS).get(0));
        assertEquals("40", c.stringColumn(Measures.LEFT_OUT).get(0));
        assertEquals((1 / 6.0 + 7 / 48.0) / Math.sqrt(19 / 96.0 * 0.5), c.doubleColumn(Measures.VALUE).get(0), 1e-12);
    }

    @Test
    void correlationRefusesAFeatureTwiceOrFeaturesThatChange() throws Exception {
        Table r = results();
        ProgramScores s = scores(r);
        Table eval = evalPrograms(new boolean[][] {{false, false}});
        KarelException e = assertThrows(KarelException.class,
                () -> Measures.correlationWithAccuracy(r, s, Measure.SEMANTIC_CONTENT, eval));   // probes a and b pooled
        assertTrue(e.getMessage().contains("two rows"), e.getMessage());
        Table moved = results().where(results().stringColumn(Results.PROBE).isEqualTo("a"));
        moved.longColumn(Results.STEP).set(1, 20L);                                     // f1 at step 10, f2 at step 20
        ProgramScores sm = write(moved, new double[][][] {{{4, 1, 2}, {4, 1, 2}}, {{4, 1, 2}, {4, 1, 2}}});
        e = assertThrows(KarelException.class, () -> Measures.correlationWithAccuracy(moved, sm, Measure.SEMANTIC_CONTENT,
                evalPrograms(new boolean[][] {{false, false}, {true, false}}), Results.PROBE));
        assertTrue(e.getMessage().contains("features differ"), e.getMessage());
    }

    @Test
    void aShareOfNothingIsUndefined() throws Exception {
        Table r = results();
        ProgramScores s = scoresBothLms(r);
        // probe b on the trained LM has no gain over majority (f1 at its majority, f2's majority is every row)
        Table d = Measures.differenceOfDifferences(r, s, Measure.GAIN_OVER_MAJORITY, Measures.Scale.SHARE_OF_A,
                Results.PROBE, "b", "a", Results.LM, "trained", "random_init", Results.STEP);
        assertTrue(Double.isNaN(d.doubleColumn(Measures.VALUE).getDouble(0)), "no value, not a number");
    }

    @Test
    void aGroupAcrossCheckpointsIsRefused() throws Exception {
        Table r = results();
        ProgramScores s = scores(r);
        r.longColumn(Results.STEP).set(0, 20L);
        assertThrows(KarelException.class, () -> Measures.summarize(r, s, Measure.SEMANTIC_CONTENT, "probe"));
    }

    @Test
    void correlationOnHandComputedPoints() {
        assertEquals(1.0, Measures.correlation(List.of(1.0, 2.0, 3.0), List.of(2.0, 4.0, 6.0)), 1e-12);
        assertEquals(-1.0, Measures.correlation(List.of(1.0, 2.0, 3.0), List.of(3.0, 2.0, 1.0)), 1e-12);
        // x = 1,2,3,4; y = 1,3,2,4: sxy = 4, sxx = syy = 5 -> r = 0.8
        assertEquals(0.8, Measures.correlation(List.of(1.0, 2.0, 3.0, 4.0), List.of(1.0, 3.0, 2.0, 4.0)), 1e-12);
        assertTrue(Double.isNaN(Measures.correlation(List.of(1.0, 2.0), List.of(1.0, 2.0))), "fewer than 3 points");
        assertTrue(Double.isNaN(Measures.correlation(List.of(1.0, 1.0, 1.0), List.of(1.0, 2.0, 3.0))), "no spread");
    }

    @Test
    void phasesStartAtTheHalfRise() {
        Table eval = Table.create("eval", LongColumn.create("step", new long[] {0, 100, 200, 300, 400}),
                StringColumn.create("length", "all", "all", "all", "all", "all"),
                DoubleColumn.create("distinct", new double[] {0.1, 0.2, 0.7, 0.8, 0.9}),
                DoubleColumn.create("accuracy", new double[] {0.0, 0.05, 0.1, 0.6, 0.9}));
        Phases p = Measures.phases(eval);
        // distinct rises 0.1 -> 0.9: half is 0.5, first reached at step 200; accuracy: half 0.45 at step 300
        assertEquals(200, p.syntaxStart());
        assertEquals(300, p.semanticsStart());
        assertEquals(400, p.lastStep());
        Table flat = eval.copy();
        flat.replaceColumn("accuracy", DoubleColumn.create("accuracy", new double[] {0.5, 0.4, 0.3, 0.2, 0.1}));
        assertEquals(-1, Measures.phases(flat).semanticsStart(), "no rise, no phase");
    }

    /** A per-program eval table of one step, from program indices, lengths and outcomes. */
    static Table programs(long step, int[] program, int[] length, boolean... correct) {
        List<org.karellab.lm.EvalProgram> rows = new java.util.ArrayList<>();
        for (int i = 0; i < program.length; i++) {
            rows.add(new org.karellab.lm.EvalProgram(step, program[i], length[i], false, correct[i], correct[i], false, "move",
                    "move ".repeat(length[i]).trim() + " #" + program[i]));
        }
        return org.karellab.lm.Evaluation.programsTable(rows);
    }

    private static final List<org.karellab.data.LengthRange> HALVES =
            List.of(new org.karellab.data.LengthRange(1, 5), new org.karellab.data.LengthRange(6, 10));

    /**
     * A right on programs 0, 1, 3; B on 0 only (lengths 1, 2, 6, 7). Hand-computed: all 0.75 vs 0.25,
     * difference 0.5; lengths 1-5 1.0 vs 0.5; 6-10 0.5 vs 0. B's rows come in another order and are
     * matched by program. The per-program differences are 0 or 1, so every resample's difference
     * lies in [0, 1].
     */
    @Test
    void accuracyDifferenceIsPairedByProgram() {
        Table a = programs(5000, new int[] {0, 1, 2, 3}, new int[] {1, 2, 6, 7}, true, true, false, true);
        Table b = programs(5000, new int[] {3, 2, 1, 0}, new int[] {7, 6, 2, 1}, false, false, false, true);
        Table d = Measures.accuracyDifference(a, b, "correct", HALVES);
        assertEquals(List.of("all", "1-5", "6-10"), d.stringColumn(Measures.LENGTHS).asList());
        assertEquals(List.of(0.75, 1.0, 0.5), d.doubleColumn(Measures.A_RATE).asList());
        assertEquals(List.of(0.25, 0.5, 0.0), d.doubleColumn(Measures.B_RATE).asList());
        assertEquals(List.of(0.5, 0.5, 0.5), d.doubleColumn(Measures.VALUE).asList());
        assertEquals(List.of(4, 2, 2), d.intColumn(Measures.N_PROGRAMS).asList());
        assertEquals(List.of(2, 1, 1), d.intColumn(Measures.ONLY_A).asList(), "programs 1 and 3");
        assertEquals(List.of(0, 0, 0), d.intColumn(Measures.ONLY_B).asList());
        for (int r = 0; r < d.rowCount(); r++) {
            assertTrue(d.doubleColumn(Measures.CI_LOW).get(r) >= 0 && d.doubleColumn(Measures.CI_HIGH).get(r) <= 1);
            assertTrue(d.doubleColumn(Measures.CI_LOW).get(r) <= 0.5 && d.doubleColumn(Measures.CI_HIGH).get(r) >= 0.5);
        }
    }

    /**
     * The same outcomes on both sides: the paired difference is exactly 0 on every resample, while
     * each side's own interval is wide. An unpaired interval (A and B resampled apart) would not be.
     */
    @Test
    void accuracyDifferenceOfEqualOutcomesHasAZeroInterval() {
        int[] idx = new int[40];
        int[] len = new int[40];
        boolean[] ok = new boolean[40];
        for (int i = 0; i < 40; i++) {
            idx[i] = i;
            len[i] = 1 + i % 10;
            ok[i] = i % 2 == 0;
        }
        Table d = Measures.accuracyDifference(programs(1, idx, len, ok), programs(2, idx, len, ok), "correct", List.of());
        assertEquals(1, d.rowCount());
        assertEquals(0.0, d.doubleColumn(Measures.CI_LOW).get(0));
        assertEquals(0.0, d.doubleColumn(Measures.CI_HIGH).get(0));
        assertTrue(d.doubleColumn(Measures.A_HIGH).get(0) - d.doubleColumn(Measures.A_LOW).get(0) > 0.2,
                "40 programs at 50%: each side's interval is about +-0.15");
    }

    @Test
    void accuracyDifferenceRefusesUnmatchedPrograms() {
        Table a = programs(7, new int[] {0, 1}, new int[] {1, 2}, true, false);
        KarelException other = assertThrows(KarelException.class, () -> Measures.accuracyDifference(a,
                programs(7, new int[] {0, 2}, new int[] {1, 2}, true, false), "correct", List.of()));
        assertTrue(other.getMessage().contains("program 1 is in A but not in B"), other.getMessage());
        KarelException len = assertThrows(KarelException.class, () -> Measures.accuracyDifference(a,
                programs(7, new int[] {0, 1}, new int[] {1, 3}, true, false), "correct", List.of()));
        assertTrue(len.getMessage().contains("different splits"), len.getMessage());
        Table twoSteps = programs(7, new int[] {0, 1}, new int[] {1, 2}, true, false)
                .append(programs(8, new int[] {0, 1}, new int[] {1, 2}, true, false));
        KarelException steps = assertThrows(KarelException.class,
                () -> Measures.accuracyDifference(twoSteps, a, "correct", List.of()));
        assertTrue(steps.getMessage().contains("filter it to one step"), steps.getMessage());
        assertThrows(KarelException.class, () -> Measures.accuracyDifference(a, a, "accuracy", List.of()));
    }

    /** A length range without programs keeps its row (n = 0, NaN), so rows line up with the ranges asked for. */
    @Test
    void accuracyDifferenceKeepsEmptyRanges() {
        Table a = programs(3, new int[] {0, 1}, new int[] {1, 2}, true, false);
        Table b = programs(3, new int[] {0, 1}, new int[] {1, 2}, false, false);
        Table d = Measures.accuracyDifference(a, b, "correct",
                List.of(new org.karellab.data.LengthRange(7, 10), new org.karellab.data.LengthRange(1, 1)));
        assertEquals(List.of("all", "7-10", "1-1"), d.stringColumn(Measures.LENGTHS).asList());
        assertEquals(List.of(2, 0, 1), d.intColumn(Measures.N_PROGRAMS).asList());
        assertTrue(Double.isNaN(d.doubleColumn(Measures.VALUE).getDouble(1)) && Double.isNaN(d.doubleColumn(Measures.CI_LOW).getDouble(1)));
        assertEquals(1.0, d.doubleColumn(Measures.VALUE).get(2));
        assertEquals(0.5, d.doubleColumn(Measures.VALUE).get(0));
    }

    @Test
    void accuracyDifferenceRefusesDuplicatesOtherProgramsAndOtherTables() {
        Table a = programs(7, new int[] {0, 1}, new int[] {1, 2}, true, false);
        Table twice = programs(7, new int[] {0, 0}, new int[] {1, 1}, true, false);
        assertTrue(assertThrows(KarelException.class, () -> Measures.accuracyDifference(twice, a, "correct", List.of()))
                .getMessage().contains("table A holds a program more than once"));
        Table renamed = programs(7, new int[] {0, 1}, new int[] {1, 2}, true, false);
        renamed.stringColumn("reference").set(1, "turnLeft turnLeft");
        KarelException other = assertThrows(KarelException.class,
                () -> Measures.accuracyDifference(a, renamed, "correct", List.of()));
        assertTrue(other.getMessage().startsWith("program 1 is 'move move #1' in A but 'turnLeft turnLeft' in B"),
                other.getMessage());
        Table notPrograms = Table.create("eval", LongColumn.create("step", new long[] {1}));
        assertTrue(assertThrows(KarelException.class, () -> Measures.accuracyDifference(a, notPrograms, "correct", List.of()))
                .getMessage().startsWith("table B is not a per-program eval table"));
    }

    /** Per-program sums of cells written as P-probing writes them: {@code cells[c] = {id, {program, n, correct, majority}...}}. */
    ProgramScores cellScores(Object[][] cells) throws Exception {
        StringBuilder csv = new StringBuilder("id,program,n,a,b,c\n");
        for (Object[] cell : cells) {
            for (int r = 1; r < cell.length; r++) {
                int[] row = (int[]) cell[r];
                csv.append(cell[0]).append(',').append(row[0]).append(',').append(row[1]).append(',').append(row[2])
                        .append(',').append(row[3]).append(",0\n");
            }
        }
        Path f = Files.createTempFile(tmp, "cells", ".csv");
        Files.writeString(f, csv);
        return ProgramScores.read(f);
    }

    /** A: cell x right on programs 0, 1; cell y on program 0 only, program 2 absent. B: x right on 1; y on 2. */
    ProgramScores cellsA() throws Exception {
        return cellScores(new Object[][] {
            {"x", new int[] {0, 1, 1, 0}, new int[] {1, 1, 1, 1}, new int[] {2, 1, 0, 0}},
            {"y", new int[] {0, 1, 1, 0}, new int[] {1, 1, 0, 0}},
        });
    }

    ProgramScores cellsB() throws Exception {
        return cellScores(new Object[][] {
            {"x", new int[] {0, 1, 0, 0}, new int[] {1, 1, 1, 1}, new int[] {2, 1, 0, 0}},
            {"y", new int[] {0, 1, 0, 0}, new int[] {1, 1, 0, 0}, new int[] {2, 1, 1, 0}},
        });
    }

    @Test
    void cellDifferenceAveragesCellsOnTheProgramsInBoth() throws Exception {
        Table d = Measures.cellDifference(cellsA(), cellsB(), List.of("x", "y"), Measure.SEMANTIC_CONTENT);
        // x: A 2/3, B 1/3; y on programs 0 and 1 only (program 2 is not in A): A 1/2, B 0/2
        assertEquals((2 / 3.0 + 1 / 2.0) / 2, d.doubleColumn(Measures.A_RATE).get(0), 1e-12);
        assertEquals((1 / 3.0 + 0) / 2, d.doubleColumn(Measures.B_RATE).get(0), 1e-12);
        assertEquals((1 / 3.0 + 1 / 2.0) / 2, d.doubleColumn(Measures.VALUE).get(0), 1e-12);
        assertEquals(3, d.intColumn(Measures.N_PROGRAMS).get(0));
        assertEquals(2, d.intColumn(Measures.CELLS).get(0));
        assertEquals(2, d.intColumn(Measures.A_AHEAD).get(0));
        assertEquals(0, d.intColumn(Measures.B_AHEAD).get(0));
        assertEquals(0, d.intColumn(Measures.A_ONLY).get(0));
        assertEquals(1, d.intColumn(Measures.B_ONLY).get(0), "program 2 of cell y");
        double v = d.doubleColumn(Measures.VALUE).get(0);
        assertTrue(d.doubleColumn(Measures.CI_LOW).get(0) <= v && v <= d.doubleColumn(Measures.CI_HIGH).get(0));
        // gain over majority on x: A (2/3 - 1/3) / (2/3) = 1/2, B (1/3 - 1/3) / (2/3) = 0
        Table g = Measures.cellDifference(cellsA(), cellsB(), List.of("x"), Measure.GAIN_OVER_MAJORITY);
        assertEquals(0.5, g.doubleColumn(Measures.VALUE).get(0), 1e-12);
        // swapping A and B flips the sign and the counts
        Table swapped = Measures.cellDifference(cellsB(), cellsA(), List.of("x", "y"), Measure.SEMANTIC_CONTENT);
        assertEquals(-v, swapped.doubleColumn(Measures.VALUE).get(0), 1e-12);
        assertEquals(2, swapped.intColumn(Measures.B_AHEAD).get(0));
    }

    @Test
    void cellDifferenceOfAFileWithItselfIsExactlyZero() throws Exception {
        Table d = Measures.cellDifference(cellsB(), cellsB(), List.of("x", "y"), Measure.SEMANTIC_CONTENT);
        assertEquals(0, d.doubleColumn(Measures.VALUE).get(0));
        assertEquals(0, d.doubleColumn(Measures.CI_LOW).get(0));
        assertEquals(0, d.doubleColumn(Measures.CI_HIGH).get(0));
        assertEquals(0, d.intColumn(Measures.A_AHEAD).get(0) + d.intColumn(Measures.B_AHEAD).get(0));
    }

    /** A cell whose programs are never in both files is left out of the mean, its rows counted. */
    @Test
    void cellDifferenceLeavesOutACellWithoutCommonPrograms() throws Exception {
        ProgramScores a = cellScores(new Object[][] {{"x", new int[] {0, 1, 1, 0}, new int[] {1, 1, 0, 0}}, {"z", new int[] {0, 1, 1, 0}}});
        ProgramScores b = cellScores(new Object[][] {{"x", new int[] {0, 1, 0, 0}, new int[] {1, 1, 0, 0}}, {"z", new int[] {1, 1, 0, 0}}});
        Table d = Measures.cellDifference(a, b, List.of("x", "z"), Measure.SEMANTIC_CONTENT);
        assertEquals(0.5, d.doubleColumn(Measures.VALUE).get(0), 1e-12, "x alone: 1/2 - 0/2");
        assertEquals(1, d.intColumn(Measures.CELLS).get(0));
        assertEquals(1, d.intColumn(Measures.A_ONLY).get(0));
        assertEquals(1, d.intColumn(Measures.B_ONLY).get(0));
        KarelException e = assertThrows(KarelException.class, () -> Measures.cellDifference(a, b, List.of("z"), Measure.SEMANTIC_CONTENT));
        assertEquals("cell difference: no cell has programs in both A and B", e.getMessage());
    }

    /**
     * Cells of other names paired, crosswise: A's x against B's y, A's y against B's x (B's cells read
     * other rates on the shared programs, so pairing by A's names would give other numbers); and one
     * B cell standing against two of A's.
     */
    @Test
    void cellDifferencePairsCellsOfOtherNames() throws Exception {
        Table d = Measures.cellDifference(cellsA(), List.of("x", "y"), cellsB(), List.of("y", "x"), Measure.SEMANTIC_CONTENT);
        // (A x, B y) on programs 0-2: A 2/3, B 1/3; (A y, B x) on programs 0 and 1 (2 is not in A's y): A 1/2, B 1/2
        assertEquals((2 / 3.0 + 1 / 2.0) / 2, d.doubleColumn(Measures.A_RATE).get(0), 1e-12);
        assertEquals((1 / 3.0 + 1 / 2.0) / 2, d.doubleColumn(Measures.B_RATE).get(0), 1e-12);
        assertEquals((1 / 3.0 + 0) / 2, d.doubleColumn(Measures.VALUE).get(0), 1e-12);
        assertEquals(2, d.intColumn(Measures.CELLS).get(0));
        assertEquals(1, d.intColumn(Measures.A_AHEAD).get(0));
        assertEquals(0, d.intColumn(Measures.B_AHEAD).get(0), "level on (A y, B x)");
        assertEquals(0, d.intColumn(Measures.A_ONLY).get(0));
        assertEquals(1, d.intColumn(Measures.B_ONLY).get(0), "program 2 of B's x beside A's y");
        // one B cell against two: (A x, B y) as above, (A y, B y) on programs 0 and 1: A 1/2, B 0/2
        Table shared = Measures.cellDifference(cellsA(), List.of("x", "y"), cellsB(), List.of("y", "y"), Measure.SEMANTIC_CONTENT);
        assertEquals((1 / 3.0 + 0) / 2, shared.doubleColumn(Measures.B_RATE).get(0), 1e-12);
        assertEquals((1 / 3.0 + 1 / 2.0) / 2, shared.doubleColumn(Measures.VALUE).get(0), 1e-12);
        // the same names on both sides is the three-argument form
        assertEquals(Measures.cellDifference(cellsA(), cellsB(), List.of("x", "y"), Measure.SEMANTIC_CONTENT).print(),
                Measures.cellDifference(cellsA(), List.of("x", "y"), cellsB(), List.of("x", "y"), Measure.SEMANTIC_CONTENT).print());
        ProgramScores a = cellsA();
        assertEquals("cell difference: 2 cells of A but 1 of B to pair them with", assertThrows(KarelException.class,
                () -> Measures.cellDifference(a, List.of("x", "y"), a, List.of("y"), Measure.SEMANTIC_CONTENT)).getMessage());
        assertEquals("cell difference: a cell is named twice", assertThrows(KarelException.class,
                () -> Measures.cellDifference(a, List.of("x", "x"), a, List.of("x", "y"), Measure.SEMANTIC_CONTENT)).getMessage());
        assertEquals("cell difference: cell 'v' has no rows in A, nor 'w' in B", assertThrows(KarelException.class,
                () -> Measures.cellDifference(a, List.of("v"), a, List.of("w"), Measure.SEMANTIC_CONTENT)).getMessage());
        assertEquals("cell difference: cell 'w' has no rows in B", assertThrows(KarelException.class,
                () -> Measures.cellDifference(a, List.of("x"), a, List.of("w"), Measure.SEMANTIC_CONTENT)).getMessage());
    }

    @Test
    void cellDifferenceRefusesAnUnknownCell() throws Exception {
        ProgramScores a = cellsA();
        ProgramScores onlyX = cellScores(new Object[][] {{"x", new int[] {0, 1, 1, 0}}});
        KarelException e = assertThrows(KarelException.class,
                () -> Measures.cellDifference(a, onlyX, List.of("x", "y"), Measure.SEMANTIC_CONTENT));
        assertEquals("cell difference: cell 'y' has no rows in B", e.getMessage());
        assertThrows(KarelException.class, () -> Measures.cellDifference(a, a, List.of(), Measure.SEMANTIC_CONTENT));
        assertEquals("cell difference: cell 'w' has no rows in A or B",
                assertThrows(KarelException.class, () -> Measures.cellDifference(a, a, List.of("w"), Measure.SEMANTIC_CONTENT)).getMessage());
        assertThrows(KarelException.class, () -> Measures.cellDifference(a, a, List.of("x", "x"), Measure.SEMANTIC_CONTENT));
        assertThrows(KarelException.class, () -> Measures.cellDifference(a, a, List.of("x"), Measure.R2));
    }

    /** eval.csv rows: three checkpoints over every length, and one per-length row that must not count. */
    private static Table evalRows() {
        return Table.create("eval", LongColumn.create("step", new long[] {200, 0, 100, 100}),
                StringColumn.create("length", "all", "all", "all", "1"),
                DoubleColumn.create("accuracy", new double[] {0.9, 0.1, 0.5, 0.99}));
    }

    @Test
    void overallKeepsTheAllRowsInStepOrderAndLastCheckpointTheLastStep() {
        Table all = Selections.overall(evalRows());
        assertEquals(List.of(0L, 100L, 200L), all.longColumn("step").asList());
        assertEquals(List.of(0.1, 0.5, 0.9), all.doubleColumn("accuracy").asList());
        Table last = Selections.lastCheckpoint(evalRows());
        assertEquals(1, last.rowCount());
        assertEquals(200L, last.longColumn("step").get(0));
    }

    @Test
    void againstAccuracyJoinsByStepAndItsCorrelationIsHandComputed() {
        Table summary = Table.create("s", LongColumn.create("step", new long[] {0, 100, 200, 300}),
                DoubleColumn.create(Measures.VALUE, new double[] {0.2, 0.4, 0.3, 0.9}),
                DoubleColumn.create(Measures.CI_LOW, new double[] {0.1, 0.3, 0.2, 0.8}),
                DoubleColumn.create(Measures.CI_HIGH, new double[] {0.3, 0.5, 0.4, 1.0}));
        Table p = Measures.againstAccuracy(summary, evalRows());
        // step 300 has no eval row; step 100's per-length row (0.99) is not its accuracy
        assertEquals(List.of(0L, 100L, 200L), p.longColumn("step").asList());
        assertEquals(List.of(0.1, 0.5, 0.9), p.doubleColumn(org.karellab.lm.Evaluation.ACCURACY).asList());
        assertEquals(List.of(0.3, 0.5, 0.4), p.doubleColumn(Measures.CI_HIGH).asList());
        // x - mean = -.4, 0, .4; y - mean = -.1, .1, 0: r = .04 / sqrt(.32 * .02) = 0.5
        assertEquals(0.5, Measures.correlation(p), 1e-12);
    }

    @Test
    void seenAccuracyIsWhatIsLeftOfTheAccuracyAfterTheUnseenPrograms() {
        IntColumn unseenN = IntColumn.create("unseen_n", new int[] {4, 2, 0});
        unseenN.appendMissing();
        Table full = Table.create("eval-full", StringColumn.create("length", "3", "4", "5", "old"),
                IntColumn.create("n", new int[] {10, 2, 5, 7}), DoubleColumn.create("accuracy", new double[] {0.7, 0.5, 0.6, 0.9}),
                unseenN, DoubleColumn.create("unseen_accuracy", new double[] {0.5, 0.5, Double.NaN, 0.1}),
                DoubleColumn.create("unseen_generalization", new double[] {0.25, 0.5, Double.NaN, 0.1}));
        Table t = Measures.seenAndUnseen(full);
        assertEquals(List.of("3", "4", "5"), t.stringColumn("length").asList(), "a row without unseen_n is left out");
        assertEquals(List.of(6, 0, 5), t.intColumn("seen_n").asList());
        assertEquals((7 - 2) / 6.0, t.doubleColumn("seen_accuracy").get(0), 1e-12); // 10 x .7 correct, 4 x .5 of them unseen
        assertTrue(Double.isNaN(t.doubleColumn("seen_accuracy").getDouble(1)), "no seen program: no seen accuracy");
        assertEquals(0.6, t.doubleColumn("seen_accuracy").get(2), 1e-12, "nothing unseen: seen accuracy is the accuracy");
        assertEquals(0.25, t.doubleColumn("unseen_generalization").get(0), 0);
    }
}
