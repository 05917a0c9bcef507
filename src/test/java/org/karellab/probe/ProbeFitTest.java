package org.karellab.probe;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.MutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.ConfusionMetrics;
import org.tribuo.classification.evaluation.LabelConfusionMatrix;
import org.tribuo.evaluation.metrics.MetricTarget;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.regression.Regressor;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeFitTest {

    @Test
    void selectsOnValidationAndOnlyReportsTest() {
        SplittableRandom random = new SplittableRandom(30);
        Synthetic.Rows train = Synthetic.linear(1500, 16, 2, 31, random);
        Synthetic.Rows validation = Synthetic.linear(500, 16, 2, 31, random);
        // A test split on which the majority baseline is perfect: choosing on test would pick "dummy".
        String majority = ProbeScore.of(ProbeRegistry.trainer("dummy").train(train.dataset("train")),
                train.dataset("train")).classCounts().entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String[] allMajority = new String[300];
        Arrays.fill(allMajority, majority);
        MutableDataset<Label> test = new Synthetic.Rows(Synthetic.gaussian(300, 16, random), allMajority).dataset("test");

        Map<String, Trainer<Label>> candidates = new LinkedHashMap<>();
        candidates.put("dummy", ProbeRegistry.trainer("dummy"));
        candidates.put("linear", ProbeRegistry.trainer("linear"));
        ProbeFit.Result result = ProbeFit.select(candidates, train.dataset("train"), validation.dataset("val"), test);

        assertEquals("linear", result.chosen());
        assertEquals(List.of("dummy", "linear"), List.copyOf(result.validation().keySet()));
        assertTrue(result.validation().get("linear").accuracy() > result.validation().get("dummy").accuracy());
        // the fast path (dense rows straight through the network) agrees with Tribuo's predict
        assertEquals(ProbeScore.of(result.model(), test), result.test());
        assertEquals(ProbeScore.of(result.model(), train.dataset("train")), result.train());
        assertEquals(1.0, ProbeScore.of(candidates.get("dummy").train(train.dataset("train")), test).accuracy());
    }

    /** A test split that records whether anything read its rows. */
    private static final class WatchedDataset extends MutableDataset<Label> {
        boolean read;

        WatchedDataset(MutableDataset<Label> rows) {
            super(rows.getProvenance(), new LabelFactory());
            rows.forEach(this::add);
        }

        @Override
        public Iterator<Example<Label>> iterator() {
            read = true;
            return super.iterator();
        }

        @Override
        public List<Example<Label>> getData() {
            read = true;
            return super.getData();
        }

        @Override
        public Example<Label> getExample(int index) {
            read = true;
            return super.getExample(index);
        }
    }

    /** Fails if the test split was read before this candidate trained. */
    private record Unpeeking(Trainer<Label> inner, WatchedDataset test) implements Trainer<Label> {
        @Override
        public Model<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
            return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
        }

        @Override
        public Model<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount) {
            assertFalse(test.read, "the test split was read before every candidate was trained");
            return inner.train(examples, runProvenance, invocationCount);
        }

        @Override
        public int getInvocationCount() {
            return inner.getInvocationCount();
        }

        @Override
        public void setInvocationCount(int invocationCount) {
            inner.setInvocationCount(invocationCount);
        }

        @Override
        public TrainerProvenance getProvenance() {
            return inner.getProvenance();
        }
    }

    @Test
    void choosesTheBestValidationAccuracyWithoutReadingTest() {
        SplittableRandom random = new SplittableRandom(32);
        Synthetic.Rows train = Synthetic.xor(1000, 4, random);
        Synthetic.Rows validation = Synthetic.xor(400, 4, random);
        WatchedDataset test = new WatchedDataset(Synthetic.xor(300, 4, random).dataset("test"));
        test.read = false;
        ProbeNetworkTrainer.Settings quick = ProbeNetworkTrainer.Settings.defaults(1).optLearningRate(1e-2)
                .optBatchSize(64).optEpochs(40);
        Map<String, Trainer<Label>> candidates = new LinkedHashMap<>();
        candidates.put("majority", new Unpeeking(ProbeRegistry.trainer("dummy"), test));
        candidates.put("linear", new Unpeeking(ProbeRegistry.trainer("linear", 1), test));
        candidates.put("mlp", new Unpeeking(new MlpTrainer(quick, 16), test));
        candidates.put("majority again", new Unpeeking(ProbeRegistry.trainer("dummy"), test));

        ProbeFit.Result result = ProbeFit.select(candidates, train.dataset("train"), validation.dataset("val"), test);

        Map<String, Double> accuracy = new LinkedHashMap<>();
        result.validation().forEach((name, score) -> accuracy.put(name, score.accuracy()));
        double best = accuracy.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertEquals("mlp", result.chosen(), accuracy.toString());
        assertEquals(best, accuracy.get("mlp"));
        assertTrue(best > 0.85 && accuracy.get("linear") < 0.65, accuracy.toString());
        assertTrue(test.read, "the chosen model was scored on test");
        // ties go to the first candidate listed
        Map<String, Trainer<Label>> twins = new LinkedHashMap<>();
        twins.put("first", ProbeRegistry.trainer("dummy"));
        twins.put("second", ProbeRegistry.trainer("dummy"));
        assertEquals("first", ProbeFit.select(twins, train.dataset("train"), validation.dataset("val"), test).chosen());
    }

    @Test
    void perRowCorrectnessAgreesWithAccuracy() {
        SplittableRandom random = new SplittableRandom(33);
        Synthetic.Rows train = Synthetic.linear(800, 8, 5, 34, random);
        Synthetic.Rows validation = Synthetic.linear(200, 8, 5, 34, random);
        MutableDataset<Label> test = Synthetic.linear(300, 8, 5, 34, random).dataset("test");
        for (String probe : List.of("linear", "tree")) {
            ProbeFit.Result result = ProbeFit.select(ProbeRegistry.candidates(probe, 2), train.dataset("train"),
                    validation.dataset("val"), test);
            assertEquals(test.size(), result.testCorrect().length);
            int correct = 0;
            for (int i = 0; i < test.size(); i++) {
                Example<Label> row = test.getExample(i);
                String predicted = result.model().predict(row).getOutput().getLabel();
                assertEquals(predicted, result.testPredicted()[i], probe + " row " + i);
                assertEquals(row.getOutput().getLabel().equals(predicted), result.testCorrect()[i], probe + " row " + i);
                correct += result.testCorrect()[i] ? 1 : 0;
            }
            assertEquals(result.test().accuracy(), correct / (double) test.size(), 1e-12, probe);
            assertTrue(result.test().accuracy() < 1 && result.test().accuracy() > 0.5, probe + " " + result.test());
        }
    }

    @Test
    void scoresMatchTribuosConfusionMetrics() {
        SplittableRandom random = new SplittableRandom(35);
        Synthetic.Rows train = Synthetic.linear(300, 6, 6, 36, random);
        MutableDataset<Label> test = Synthetic.linear(300, 6, 6, 36, random).dataset("test");
        Model<Label> tree = ProbeRegistry.trainer("tree").train(train.dataset("train"));
        List<Prediction<Label>> predictions = tree.predict(test);
        MutableOutputInfo<Label> domain = new LabelFactory().generateInfo();
        for (Prediction<Label> p : predictions) {
            domain.observe(p.getExample().getOutput());
            domain.observe(p.getOutput());
        }
        LabelConfusionMatrix matrix = new LabelConfusionMatrix(domain.generateImmutableOutputInfo(), predictions);
        ProbeScore score = ProbeScore.of(tree, test);
        assertEquals(ConfusionMetrics.accuracy(MetricTarget.microAverageTarget(), matrix), score.accuracy(), 1e-12);
        assertEquals(ConfusionMetrics.f1(MetricTarget.macroAverageTarget(), matrix), score.macroF1(), 1e-12);
        // a hand-computed case: a (tp 1, fp 1, fn 1) F1 = 2/4; b (tp 1, fp 1) F1 = 2/3; c (fn 1) F1 = 0
        ProbeScore small = ProbeScore.of(new String[]{"a", "a", "b", "c"}, new String[]{"a", "b", "b", "a"});
        assertEquals(0.5, small.accuracy());
        assertEquals((0.5 + 2 / 3.0 + 0) / 3, small.macroF1(), 1e-12);
        assertEquals(Map.of("a", 2L, "b", 1L, "c", 1L), small.classCounts());
    }

    @Test
    void regressionSelectionReportsR2AndPredictions() {
        SplittableRandom random = new SplittableRandom(37);
        float[][] x = Synthetic.gaussian(3000, 8, random);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 2 * x[i][0] - x[i][3] + 0.5 * Synthetic.gaussian(random);
        }
        MutableDataset<Regressor> train = ProbeData.regression(Arrays.copyOfRange(x, 0, 2000), Arrays.copyOfRange(y, 0, 2000), "dx", Map.of());
        MutableDataset<Regressor> validation = ProbeData.regression(Arrays.copyOfRange(x, 2000, 2500), Arrays.copyOfRange(y, 2000, 2500), "dx", Map.of());
        MutableDataset<Regressor> test = ProbeData.regression(Arrays.copyOfRange(x, 2500, 3000), Arrays.copyOfRange(y, 2500, 3000), "dx", Map.of());

        ProbeFit.RegressionResult result = ProbeFit.selectRegression(RegressionProbes.linearCandidates(1), train, validation, test);

        assertEquals(List.copyOf(RegressionProbes.linearCandidates(1).keySet()), List.copyOf(result.validationR2().keySet()));
        double best = result.validationR2().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertEquals(best, result.validationR2().get(result.chosen()));
        // signal variance 5, noise 0.25: R^2 near 5 / 5.25
        assertEquals(5 / 5.25, result.testR2(), 0.03);
        // the same as Tribuo's evaluator (up to float rounding of the network's outputs)
        assertEquals(RegressionProbes.r2(result.model(), test), result.testR2(), 1e-6);
        assertEquals(RegressionProbes.r2(result.model(), train), result.trainR2(), 1e-6);
        for (int i = 0; i < test.size(); i++) {
            assertEquals(result.model().predict(test.getExample(i)).getOutput().getValues()[0], result.testPredicted()[i], 1e-5);
        }
    }

    @Test
    void noCandidatesIsAClearError() {
        Synthetic.Rows rows = Synthetic.linear(10, 2, 2, 1, new SplittableRandom(1));
        assertEquals("no probe candidates to select from", assertThrows(IllegalArgumentException.class,
                () -> ProbeFit.select(Map.of(), rows.dataset("a"), rows.dataset("b"), rows.dataset("c"))).getMessage());
    }
}
