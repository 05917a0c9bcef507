package org.karellab.probe;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import org.junit.jupiter.api.Test;
import org.karellab.world.KarelException;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeNetworkTrainerTest {

    /** A new architecture is a subclass with a network method: here a GELU MLP with LayerNorm. */
    static final class GeluLayerNormMlp extends ProbeNetworkTrainer {
        private final int hidden;

        GeluLayerNormMlp(Settings settings, int hidden) {
            super(settings);
            this.hidden = hidden;
        }

        @Override
        protected Block network(int inputs, int outputs) {
            return new SequentialBlock()
                    .add(Linear.builder().setUnits(hidden).build())
                    .add(LayerNorm.builder().build())
                    .add(Activation.geluBlock())
                    .add(dropoutBlock())
                    .add(Linear.builder().setUnits(outputs).build());
        }
    }

    private static ProbeNetworkTrainer.Settings settings(long seed) {
        return ProbeNetworkTrainer.Settings.defaults(seed);
    }

    @Test
    void aNewArchitectureIsJustItsNetwork() {
        SplittableRandom random = new SplittableRandom(40);
        Synthetic.Rows train = Synthetic.xor(1000, 4, random);
        Synthetic.Rows test = Synthetic.xor(500, 4, random);
        GeluLayerNormMlp trainer = new GeluLayerNormMlp(settings(3).optLearningRate(1e-2).optDropout(0.1)
                .optBatchSize(64).optPatience(4).optEpochs(30), 16);
        ProbeNetworkModel<Label> model = trainer.train(train.dataset("train"));
        double accuracy = ProbeScore.of(model, test.dataset("test")).accuracy();
        assertTrue(accuracy > 0.9, "GELU + LayerNorm MLP on XOR: " + accuracy);
        // its parameters are what the network declares: two dense layers and the norm's gain and shift
        assertEquals(List.of("01Linear_weight", "01Linear_bias", "02LayerNorm_gamma", "02LayerNorm_beta",
                "05Linear_weight", "05Linear_bias"), List.copyOf(model.parameters().keySet()));
        assertEquals(16 * 4, model.parameters().get("01Linear_weight").length);
    }

    @Test
    void earlyStoppingKeepsTheBestHeldOutEpoch() {
        // Noisy labels, a wide MLP and a high learning rate without regularisation: held-out accuracy
        // peaks early and falls as the network memorises the noise.
        SplittableRandom random = new SplittableRandom(41);
        Synthetic.Rows rows = Synthetic.linear(600, 16, 2, 42, random);
        String[] noisy = rows.labels().clone();
        for (int i = 0; i < noisy.length; i++) {
            if (random.nextDouble() < 0.3) {
                noisy[i] = noisy[i].equals("c0") ? "c1" : "c0";
            }
        }
        MutableDataset<Label> train = new Synthetic.Rows(rows.x(), noisy).dataset("train");
        ProbeNetworkTrainer.Settings s = settings(5).optLearningRate(1e-2).optBatchSize(64)
                .optHeldOutFraction(0.25).optPatience(8).optEpochs(60);
        ProbeNetworkModel<Label> model = new MlpTrainer(s, 128).train(train);
        ProbeNetworkModel.Fit fit = model.fit();
        double[] curve = fit.heldOutCurve();
        double max = Arrays.stream(curve).max().orElseThrow();

        assertEquals(fit.epochsRun(), curve.length);
        assertEquals(max, curve[fit.bestEpoch() - 1], "the best epoch has the highest held-out accuracy");
        assertEquals(max, fit.heldOutScore());
        assertTrue(curve[curve.length - 1] < max, "the scenario over-fits: " + Arrays.toString(curve));
        // stopped at least `patience` epochs after the best one (the held-out loss may make progress after it)
        assertTrue(fit.epochsRun() >= fit.bestEpoch() + 8 && fit.epochsRun() < 60, "ran " + fit.epochsRun());
        // the model holds the best epoch's parameters: its accuracy on the held-out rows is that epoch's
        int[] heldOut = fit.heldOut();
        assertEquals(150, heldOut.length);
        List<Example<Label>> held = new ArrayList<>();
        for (int row : heldOut) {
            held.add(train.getExample(row));
        }
        List<Prediction<Label>> predictions = model.predict(held);
        long correct = predictions.stream().filter(p -> p.getOutput().getLabel().equals(p.getExample().getOutput().getLabel())).count();
        assertEquals(max, correct / (double) heldOut.length, 1e-12);
        // and recorded it in the provenance
        var instance = model.getProvenance().getInstanceProvenance().getMap();
        assertEquals(fit.bestEpoch(), Integer.parseInt(instance.get(ProbeNetworkTrainer.BEST_EPOCH).toString()));
        assertEquals(fit.epochsRun(), Integer.parseInt(instance.get(ProbeNetworkTrainer.EPOCHS_RUN).toString()));
        assertEquals(max, Double.parseDouble(instance.get(ProbeNetworkTrainer.HELD_OUT_SCORE).toString()));
        assertEquals(fit.trainScore(), Double.parseDouble(instance.get(ProbeNetworkTrainer.TRAIN_SCORE).toString()));
        assertTrue(fit.trainScore() > max, "training accuracy " + fit.trainScore() + " above held-out " + max);
    }

    @Test
    void weightDecayShrinksWeightsButNotBiasesOrNorms() {
        // One full-batch step from the same initialisation with and without decay: AdamW's decoupled
        // decay subtracts lr * wd * w0 from every weight, and nothing from biases or LayerNorm gains/shifts.
        SplittableRandom random = new SplittableRandom(43);
        MutableDataset<Label> train = Synthetic.linear(200, 5, 3, 44, random).dataset("train");
        double lr = 0.1;
        double wd = 0.5;
        ProbeNetworkTrainer.Settings oneStep = settings(7).optEpochs(1).optBatchSize(1000).optHeldOutFraction(0)
                .optLearningRate(lr);
        Map<String, float[]> plain = new GeluLayerNormMlp(oneStep, 8).train(train).parameters();
        Map<String, float[]> decayed = new GeluLayerNormMlp(oneStep.optWeightDecay(wd), 8).train(train).parameters();

        for (String name : plain.keySet()) {
            float[] a = plain.get(name);
            float[] b = decayed.get(name);
            if (name.endsWith("_weight")) {
                int firstStepOfLr = 0;
                for (int i = 0; i < a.length; i++) {
                    // a = w0 - step, b = w0 (1 - lr wd) - step  =>  w0 = (a - b) / (lr wd)
                    double w0 = (a[i] - b[i]) / (lr * wd);
                    assertNotEquals(0.0, a[i] - b[i], name + "[" + i + "] decayed");
                    // Adam's first step moves every weight by lr (times the sign of its gradient)
                    firstStepOfLr += Math.abs(Math.abs(w0 - a[i]) - lr) < 1e-3 ? 1 : 0;
                }
                assertTrue(firstStepOfLr > 0.9 * a.length, name + ": " + firstStepOfLr + " of " + a.length);
            } else {
                assertArrayEquals(a, b, name + " is not decayed");
            }
        }
    }

    @Test
    void standardisationUsesTrainingStatisticsOnly() {
        SplittableRandom random = new SplittableRandom(45);
        int rows = 400;
        float[][] x = new float[rows][2];
        String[] labels = new String[rows];
        for (int i = 0; i < rows; i++) {
            x[i][0] = (float) (10 + 2 * Synthetic.gaussian(random));
            x[i][1] = (float) Synthetic.gaussian(random);
            labels[i] = x[i][1] > 0 ? "up" : "down";
        }
        double mean = Arrays.stream(x).mapToDouble(r -> r[0]).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(x).mapToDouble(r -> (r[0] - mean) * (r[0] - mean)).sum() / (rows - 1));
        ProbeNetworkModel<Label> model = new LinearProbeTrainer(ProbeRegistry.linearSettings(1))
                .train(new Synthetic.Rows(x, labels).dataset("train"));
        assertEquals(mean, model.inputMean()[0], 1e-9);
        assertEquals(sd, model.inputSd()[0], 1e-9);

        // a row is predicted the same alone and among rows from far away: nothing is re-estimated at prediction
        String[] names = ProbeData.featureNames(2);
        Example<Label> row = new ArrayExample<>(new Label("up"), names, new double[]{11, 1.5});
        List<Example<Label>> batch = new ArrayList<>();
        batch.add(row);
        for (int i = 0; i < 50; i++) {
            batch.add(new ArrayExample<>(new Label("down"), names, new double[]{1000 + i, -5 * i}));
        }
        Prediction<Label> alone = model.predict(row);
        Prediction<Label> among = model.predict(batch).get(0);
        assertEquals(alone.getOutput().getLabel(), among.getOutput().getLabel());
        // (batched matrix products may round differently in the last bits)
        assertEquals(alone.getOutput().getScore(), among.getOutput().getScore(), 1e-6);
        assertEquals("up", alone.getOutput().getLabel());
    }

    @Test
    void sameSeedSamePredictionsOtherSeedOthers() {
        SplittableRandom random = new SplittableRandom(46);
        MutableDataset<Label> train = Synthetic.xor(600, 4, random).dataset("train");
        MutableDataset<Label> test = Synthetic.xor(100, 4, random).dataset("test");
        ProbeNetworkTrainer.Settings s = settings(9).optDropout(0.2).optEpochs(5);
        List<Prediction<Label>> first = new MlpTrainer(s, 16).train(train).predict(test);
        List<Prediction<Label>> again = new MlpTrainer(s, 16).train(train).predict(test);
        List<Prediction<Label>> other = new MlpTrainer(s.optSeed(10), 16).train(train).predict(test);
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i).getOutput().getScore(), again.get(i).getOutput().getScore());
        }
        assertNotEquals(first.get(0).getOutput().getScore(), other.get(0).getOutput().getScore());
        // a second training of the same trainer is the next invocation: different, and reproducible
        MlpTrainer trainer = new MlpTrainer(s, 16);
        trainer.train(train);
        List<Prediction<Label>> second = trainer.train(train).predict(test);
        assertNotEquals(first.get(0).getOutput().getScore(), second.get(0).getOutput().getScore());
        MlpTrainer replay = new MlpTrainer(s, 16);
        replay.setInvocationCount(1);
        assertEquals(second.get(0).getOutput().getScore(), replay.train(train).predict(test).get(0).getOutput().getScore());
    }

    @Test
    void provenanceRecordsEveryHyperParameter() {
        MutableDataset<Label> train = Synthetic.linear(100, 4, 2, 1, new SplittableRandom(47)).dataset("train");
        ProbeNetworkModel<Label> model = new MlpTrainer(settings(11).optLearningRate(0.02).optWeightDecay(0.2)
                .optDropout(0.2).optEpochs(3), 64, 32).train(train);
        String trainer = model.getProvenance().getTrainerProvenance().toString();
        for (String expected : List.of("class-name=org.karellab.probe.MlpTrainer", "hiddenSizes=[64, 32]",
                "learningRate=0.02", "weightDecay=0.2", "dropout=0.2", "epochs=3", "batchSize=256",
                "heldOutFraction=0.1", "patience=10", "seed=11")) {
            assertTrue(trainer.contains(expected), expected + " in " + trainer);
        }
        var instance = model.getProvenance().getInstanceProvenance().getMap();
        for (String key : List.of(ProbeNetworkTrainer.EPOCHS_RUN, ProbeNetworkTrainer.BEST_EPOCH,
                ProbeNetworkTrainer.HELD_OUT_SCORE, ProbeNetworkTrainer.HELD_OUT_LOSS, ProbeNetworkTrainer.TRAIN_SCORE,
                ProbeNetworkTrainer.FIT_ROWS, ProbeNetworkTrainer.HELD_OUT_ROWS, ProbeNetworkTrainer.HELD_OUT_CURVE)) {
            assertTrue(instance.containsKey(key), key);
        }
        assertEquals("90", instance.get(ProbeNetworkTrainer.FIT_ROWS).toString());
        assertEquals("10", instance.get(ProbeNetworkTrainer.HELD_OUT_ROWS).toString());
    }

    @Test
    void badHyperParametersAreClearErrors() {
        ProbeNetworkTrainer.Settings s = settings(1);
        assertEquals("LinearProbeTrainer: learningRate must be positive, got -1.0",
                assertThrows(KarelException.class, () -> new LinearProbeTrainer(s.optLearningRate(-1))).getMessage());
        assertEquals("MlpTrainer: dropout must be in [0, 1), got 1.0",
                assertThrows(KarelException.class, () -> new MlpTrainer(s.optDropout(1), 8)).getMessage());
        assertEquals("MlpTrainer: heldOutFraction must be in [0, 1), got 1.5",
                assertThrows(KarelException.class, () -> new MlpTrainer(s.optHeldOutFraction(1.5), 8)).getMessage());
        assertEquals("MlpTrainer: weightDecay must be non-negative, got -0.1",
                assertThrows(KarelException.class, () -> new MlpTrainer(s.optWeightDecay(-0.1), 8)).getMessage());
        assertEquals("MlpTrainer: epochs must be positive, got 0",
                assertThrows(KarelException.class, () -> new MlpTrainer(s.optEpochs(0), 8)).getMessage());
        assertEquals("MlpTrainer: batchSize must be positive, got 0",
                assertThrows(KarelException.class, () -> new MlpTrainer(s.optBatchSize(0), 8)).getMessage());
        assertEquals("MlpTrainer: hiddenSizes must be one or more positive widths, got [256, 0]",
                assertThrows(KarelException.class, () -> new MlpTrainer(s, 256, 0)).getMessage());
        assertEquals("MlpTrainer: hiddenSizes must be one or more positive widths, got []",
                assertThrows(KarelException.class, () -> new MlpTrainer(s)).getMessage());
    }

    @Test
    void aSingleTrainingRowTrainsWithoutHoldingOut() {
        MutableDataset<Label> one = new Synthetic.Rows(new float[][]{{1, 2}}, new String[]{"a"}).dataset("train");
        ProbeNetworkModel<Label> model = new LinearProbeTrainer(settings(1).optEpochs(3)).train(one);
        assertEquals(0, model.fit().heldOut().length);
        assertEquals(3, model.fit().epochsRun());
        assertEquals("a", model.predict(one.getExample(0)).getOutput().getLabel());
        assertFalse(Double.isFinite(model.fit().heldOutScore()));
    }
}
