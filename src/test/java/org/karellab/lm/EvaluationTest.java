package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.data.Dataset;
import org.karellab.data.Importer;
import org.karellab.data.ProgramSet;
import org.karellab.data.ReferenceJsonl;
import org.karellab.data.Sample;
import org.karellab.data.Split;
import org.karellab.world.Facing;
import org.karellab.world.Interpreter;
import org.karellab.world.Program;
import org.karellab.world.ProgramText;
import org.karellab.world.World;
import tech.tablesaw.api.Table;

/**
 * Accuracy on test programs unseen in training (issue 9 item 8), on a hand-made dataset whose
 * train split holds some of the test programs verbatim.
 */
class EvaluationTest {
    @TempDir
    Path dir;

    /* input 0: robot in the top-left corner facing the wall (a move does nothing); input 1: free to move */
    private static final List<World> INPUTS = List.of(World.empty(1, 1, Facing.NORTH), World.empty(3, 3, Facing.EAST));
    private static final double EPS = 1e-12;

    private static Program p(String text) {
        return ProgramText.parseShort(text);
    }

    private static Sample sample(String program) {
        Program p = p(program);
        return new Sample(p, INPUTS, INPUTS.stream().map(w -> Interpreter.REFERENCE.run(w, p)).toList());
    }

    /** Test programs in order, and what the "model" wrote for each (comments: spec-correct, all-correct, in train). */
    private static final List<String> TEST = List.of(
            "turnLeft",            // A: yes yes seen
            "turnRight",           // B: no  no  seen
            "move",                // C: yes no  unseen  (4 turns = a move into the wall on input 0, not on input 1)
            "move move",           // D: yes yes unseen
            "turnLeft move",       // E: no  no  unseen
            "putMarker move",      // F: yes yes seen
            "move turnLeft move"); // G: yes yes seen
    private static final List<String> WRITTEN = List.of("turnLeft", "turnLeft", "turnLeft turnLeft turnLeft turnLeft",
            "move move", "turnRight", "putMarker move", "move turnLeft move");
    private static final List<String> TRAIN = List.of("turnLeft", "turnRight", "putMarker move", "move turnLeft move",
            "turnRight turnRight", "move move move", "turnLeft");

    private Dataset dataset() {
        Path train = dir.resolve("train.jsonl");
        Path test = dir.resolve("test.jsonl");
        ReferenceJsonl.write(train, TRAIN.stream().map(EvaluationTest::sample).toList());
        ReferenceJsonl.write(test, TEST.stream().map(EvaluationTest::sample).toList());
        Path data = dir.resolve("data");
        Importer.importFiles(Map.of(Split.TRAIN, train, Split.TEST, test), data);
        return Dataset.open(data, true);
    }

    private static boolean[] seen(List<Sample> samples, ProgramSet train) {
        boolean[] seen = new boolean[samples.size()];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = train.contains(samples.get(i).program());
        }
        return seen;
    }

    private static List<EvalRow> score(List<Sample> samples, ProgramSet train) {
        List<Program> written = WRITTEN.stream().map(EvaluationTest::p).toList();
        int n = samples.size();
        // specification = input 0 only; input 1 is held out
        return EvalRow.score(7, samples, 1, written, new double[n], new int[n], seen(samples, train));
    }

    private static void assertRow(EvalRow r, String length, int n, double acc, double gen, int unseenN,
            double unseenAcc, double unseenGen, double seenShare) {
        assertEquals(length, r.length());
        assertEquals(n, r.n(), length + ": n");
        assertEquals(acc, r.accuracy(), EPS, length + ": accuracy");
        assertEquals(gen, r.generalization(), EPS, length + ": generalization");
        assertEquals(unseenN, r.unseenN(), length + ": unseen_n");
        assertEquals(unseenAcc, r.unseenAccuracy(), EPS, length + ": unseen_accuracy");
        assertEquals(unseenGen, r.unseenGeneralization(), EPS, length + ": unseen_generalization");
        assertEquals(seenShare, r.seenShare(), EPS, length + ": seen_share");
    }

    @Test
    void countsAndAccuraciesOnSeenAndUnseenPrograms() {
        try (Dataset d = dataset()) {
            List<Sample> samples = Evaluation.samples(d.split(Split.TEST), 0);
            assertEquals(TEST.stream().map(EvaluationTest::p).toList(), samples.stream().map(Sample::program).toList());
            ProgramSet train = Evaluation.trainPrograms(d, LmConfig.smoke().with("trainLengths", "all"));
            assertEquals(6, train.size(), "7 train records, one repeated");
            List<EvalRow> rows = score(samples, train);
            assertEquals(4, rows.size());
            assertRow(rows.get(0), "1", 3, 2 / 3.0, 1 / 3.0, 1, 1.0, 0.0, 2 / 3.0);
            assertRow(rows.get(1), "2", 3, 2 / 3.0, 2 / 3.0, 2, 0.5, 0.5, 1 / 3.0);
            assertRow(rows.get(2), "3", 1, 1.0, 1.0, 0, Double.NaN, Double.NaN, 1.0);
            assertRow(rows.get(3), EvalRow.ALL, 7, 5 / 7.0, 4 / 7.0, 3, 2 / 3.0, 1 / 3.0, 4 / 7.0);
        }
    }

    @Test
    void onlyTheLengthsTheRunTrainedOnCountAsSeen() {
        try (Dataset d = dataset()) {
            List<Sample> samples = Evaluation.samples(d.split(Split.TEST), 0);
            ProgramSet train = Evaluation.trainPrograms(d, LmConfig.smoke().with("trainLengths", "2-10"));
            assertEquals(4, train.size());
            List<EvalRow> rows = score(samples, train);
            // length 1: A, B, C all unseen now (turnLeft and turnRight are length 1)
            assertRow(rows.get(0), "1", 3, 2 / 3.0, 1 / 3.0, 3, 2 / 3.0, 1 / 3.0, 0.0);
            assertRow(rows.get(3), EvalRow.ALL, 7, 5 / 7.0, 4 / 7.0, 5, 3 / 5.0, 2 / 5.0, 2 / 7.0);
        }
    }

    @Test
    void noTrainSplitMeansEverythingUnseen() {
        ProgramSet none = ProgramSet.empty();
        List<Sample> samples = TEST.stream().map(EvaluationTest::sample).toList();
        EvalRow all = score(samples, none).get(3);
        assertRow(all, EvalRow.ALL, 7, 5 / 7.0, 4 / 7.0, 7, 5 / 7.0, 4 / 7.0, 0.0);
    }

    /** A (random) model through Evaluation.evaluate: which programs are unseen does not depend on it. */
    @Test
    void evaluateReportsUnseenProgramsWithAModel() {
        try (Dataset d = dataset()) {
            int spec = d.config().specExamples();
            LmConfig cfg = TrainRecipe.config("smoke", Map.of(), spec);
            List<Sample> samples = Evaluation.samples(d.split(Split.TEST), 0);
            ProgramSet train = Evaluation.trainPrograms(d, cfg);
            List<EvalRow> rows;
            try (Gpt model = Gpt.create(cfg.model(), Device.cpu())) {
                rows = Evaluation.evaluate(model, 3, samples, spec, 4, train).rows();
            }
            assertEquals(List.of(1, 2, 0, 3), rows.stream().map(EvalRow::unseenN).toList());
            assertEquals(4 / 7.0, rows.get(3).seenShare(), EPS);
            for (EvalRow r : rows) {
                int seenN = r.n() - r.unseenN();
                double seenCorrect = r.accuracy() * r.n() - (r.unseenN() == 0 ? 0 : r.unseenAccuracy() * r.unseenN());
                assertTrue(seenCorrect > -EPS && seenCorrect < seenN + EPS, r.toString());
            }
        }
    }

    @Test
    void tableRoundTripKeepsUnseenColumns() {
        try (Dataset d = dataset()) {
            List<EvalRow> rows = score(Evaluation.samples(d.split(Split.TEST), 0),
                    Evaluation.trainPrograms(d, LmConfig.smoke()));
            Path csv = dir.resolve("eval.csv");
            Evaluation.merge(csv, rows);
            Table t = Evaluation.read(csv);
            assertEquals(List.of(1, 2, 0, 3), t.intColumn(Evaluation.UNSEEN_N).asList());
            assertEquals(0.5, t.doubleColumn(Evaluation.UNSEEN_ACCURACY).get(1), EPS);
            assertTrue(Double.isNaN(t.doubleColumn(Evaluation.UNSEEN_ACCURACY).getDouble(2)),
                    "no unseen programs of length 3");
            assertEquals(4 / 7.0, t.doubleColumn(Evaluation.SEEN_SHARE).get(3), 1e-9);
        }
    }

    /** An eval.csv written before the unseen columns existed is still read, and merges with new rows. */
    @Test
    void oldEvalCsvWithoutUnseenColumns() throws IOException {
        Path csv = dir.resolve("eval.csv");
        Files.writeString(csv, """
                step,length,n,accuracy,generalization,exact_match,perplexity,distinct,action_entropy,mean_length
                0,1,10,0.1,0.1,0.0,4.5,0.2,1.5,3.0
                0,all,10,0.1,0.1,0.0,4.5,0.2,1.5,3.0
                """);
        Table old = Evaluation.read(csv);
        assertEquals(2, old.rowCount());
        assertTrue(old.intColumn(Evaluation.UNSEEN_N).isMissing(0));
        assertTrue(Double.isNaN(old.doubleColumn(Evaluation.UNSEEN_ACCURACY).getDouble(1)));
        assertTrue(Double.isNaN(old.doubleColumn(Evaluation.SEEN_SHARE).getDouble(0)));
        assertEquals(0.1, old.doubleColumn("accuracy").get(0), EPS);

        List<EvalRow> fresh = new ArrayList<>(score(TEST.stream().map(EvaluationTest::sample).toList(),
                ProgramSet.of(TRAIN.stream().map(EvaluationTest::p).toList())));
        Table merged = Evaluation.merge(csv, fresh);
        assertEquals(2 + 4, merged.rowCount());
        Table back = Evaluation.read(csv);
        assertEquals(List.of(0L, 0L, 7L, 7L, 7L, 7L), back.longColumn("step").asList());
        assertTrue(back.intColumn(Evaluation.UNSEEN_N).isMissing(0), "old rows stay without unseen counts");
        assertEquals(3, back.intColumn(Evaluation.UNSEEN_N).get(5));
        assertEquals(2 / 3.0, back.doubleColumn(Evaluation.UNSEEN_ACCURACY).get(5), 1e-9);
    }

    /** Per-program rows: the hand-written flags of the fixture, and their means are the rows' accuracies. */
    @Test
    void perProgramRowsMatchTheFixtureAndAverageToTheRows() {
        List<Sample> samples = TEST.stream().map(EvaluationTest::sample).toList();
        ProgramSet train = ProgramSet.of(TRAIN.stream().map(EvaluationTest::p).toList());
        List<Program> written = WRITTEN.stream().map(EvaluationTest::p).toList();
        List<EvalProgram> programs = EvalProgram.score(7, samples, 1, written, seen(samples, train));
        assertEquals(List.of(true, false, true, true, false, true, true),
                programs.stream().map(EvalProgram::correct).toList(), "spec-correct, column 1 of the fixture");
        assertEquals(List.of(true, false, false, true, false, true, true),
                programs.stream().map(EvalProgram::generalizes).toList(), "all-correct, column 2");
        assertEquals(List.of(true, true, false, false, false, true, true),
                programs.stream().map(EvalProgram::seen).toList(), "in train, column 3");
        assertEquals(List.of(true, false, false, true, false, true, true),
                programs.stream().map(EvalProgram::exact).toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), programs.stream().map(EvalProgram::program).toList());
        assertEquals("turnLeft turnLeft turnLeft turnLeft", programs.get(2).written());
        assertEquals(TEST, programs.stream().map(EvalProgram::reference).toList());
        List<EvalRow> rows = score(samples, train);
        for (EvalRow r : rows) {
            List<EvalProgram> of = programs.stream()
                    .filter(q -> r.length().equals(EvalRow.ALL) || r.length().equals(Integer.toString(q.length()))).toList();
            assertEquals(r.n(), of.size(), r.length());
            assertEquals(r.accuracy(), of.stream().filter(EvalProgram::correct).count() / (double) of.size(), EPS);
            assertEquals(r.generalization(), of.stream().filter(EvalProgram::generalizes).count() / (double) of.size(), EPS);
            assertEquals(r.exactMatch(), of.stream().filter(EvalProgram::exact).count() / (double) of.size(), EPS);
        }
    }

    /** The per-program table round-trips, sits beside its eval table, and a re-scored step replaces its rows. */
    @Test
    void perProgramTableRoundTripsAndMergesByStep() {
        List<Sample> samples = TEST.stream().map(EvaluationTest::sample).toList();
        List<Program> written = WRITTEN.stream().map(EvaluationTest::p).toList();
        boolean[] none = new boolean[samples.size()];
        Path csv = dir.resolve("eval-val.csv");
        assertEquals(dir.resolve("eval-val-programs.csv"), Evaluation.programsCsv(csv));
        List<EvalProgram> at7 = EvalProgram.score(7, samples, 1, written, none);
        List<EvalProgram> at3 = EvalProgram.score(3, samples, 1, samples.stream().map(Sample::program).toList(), none);
        new Evaluation.Result(score(samples, ProgramSet.empty()), at7).mergeInto(csv);
        new Evaluation.Result(score(samples, ProgramSet.empty()), at3).mergeInto(csv);
        new Evaluation.Result(score(samples, ProgramSet.empty()), at7).mergeInto(csv);   // step 7 again: replaces
        Table t = Evaluation.readPrograms(Evaluation.programsCsv(csv));
        assertEquals(14, t.rowCount());
        List<EvalProgram> back = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            back.add(new EvalProgram(t.longColumn("step").get(i), t.intColumn("program").get(i),
                    t.intColumn("length").get(i), t.booleanColumn("seen").get(i), t.booleanColumn("correct").get(i),
                    t.booleanColumn("generalizes").get(i), t.booleanColumn("exact").get(i),
                    t.stringColumn("written").get(i), t.stringColumn("reference").get(i)));
        }
        List<EvalProgram> expected = new ArrayList<>(at3);
        expected.addAll(at7);
        assertEquals(expected, back, "sorted by step, then program");
    }

    /** Re-scoring a step gives the bytes of a fresh write: a step's rows keep their order through a merge. */
    @Test
    void mergingAgainGivesTheSameBytes() throws IOException {
        List<Sample> samples = TEST.stream().map(EvaluationTest::sample).toList();
        List<Program> written = WRITTEN.stream().map(EvaluationTest::p).toList();
        int n = samples.size();
        boolean[] none = new boolean[n];
        java.util.function.LongFunction<Evaluation.Result> at = step -> new Evaluation.Result(
                EvalRow.score(step, samples, 1, written, new double[n], new int[n], none),
                EvalProgram.score(step, samples, 1, written, none));
        assertTrue(at.apply(3).rows().size() > 2, "several length rows a step, so their order can change");
        assertTrue(Files.notExists(dir.resolve("fresh")));
        Path fresh = dir.resolve("fresh").resolve("eval.csv");
        Path again = dir.resolve("again").resolve("eval.csv");
        Files.createDirectories(fresh.getParent());
        Files.createDirectories(again.getParent());
        // a run's eval table: 41 checkpoints (Tablesaw's sort keeps small tables in order by luck, not large ones)
        for (long step = 0; step <= 5000; step += 125) {
            at.apply(step).mergeInto(fresh);
            at.apply(step).mergeInto(again);
        }
        at.apply(125).mergeInto(again);                                                   // step 125 scored again
        assertEquals(Files.readString(fresh), Files.readString(again));
        assertEquals(Files.readString(Evaluation.programsCsv(fresh)), Files.readString(Evaluation.programsCsv(again)));
    }

    @Test
    void perProgramTableOfAnotherKindIsRefusedByName() throws IOException {
        Path csv = dir.resolve("eval.csv");
        Evaluation.merge(csv, score(TEST.stream().map(EvaluationTest::sample).toList(), ProgramSet.empty()));
        org.karellab.world.KarelException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.karellab.world.KarelException.class, () -> Evaluation.readPrograms(csv));
        assertTrue(e.getMessage().startsWith(csv + ": not a per-program eval table"), e.getMessage());
    }

    @Test
    void missingPerProgramTableAndCollidingFileNamesAreOneLineErrors() {
        Path none = dir.resolve("eval-full-programs.csv");
        org.karellab.world.KarelException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.karellab.world.KarelException.class, () -> Evaluation.readPrograms(none));
        assertTrue(e.getMessage().startsWith(none + ": no such per-program eval table"), e.getMessage());
        org.karellab.world.KarelException clash = org.junit.jupiter.api.Assertions.assertThrows(
                org.karellab.world.KarelException.class, () -> EvalRecipe.evaluate(dir, "last", "test",
                        dir.resolve("val-programs.jsonl"), 0, 8, r -> { }));
        assertTrue(clash.getMessage().contains("a name ending in 'programs'"), clash.getMessage());
        assertTrue(!clash.getMessage().contains("\n"));
    }
}
