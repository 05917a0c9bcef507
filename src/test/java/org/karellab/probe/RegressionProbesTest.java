package org.karellab.probe;

import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.regression.Regressor;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressionProbesTest {

    private static double[] target(float[][] x, SplittableRandom random, double signal) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = signal * (3 * x[i][0] - 2 * x[i][5] + 0.5 * x[i][9]) + 0.3 * Synthetic.gaussian(random);
        }
        return y;
    }

    @Test
    void linearProbeRecoversAPlantedLinearTarget() {
        SplittableRandom random = new SplittableRandom(20);
        float[][] train = Synthetic.gaussian(3000, 16, random);
        float[][] test = Synthetic.gaussian(1000, 16, random);
        Model<Regressor> model = RegressionProbes.linear(1)
                .train(ProbeData.regression(train, target(train, random, 1), "dx", Map.of("split", "train")));
        double r2 = RegressionProbes.r2(model, ProbeData.regression(test, target(test, random, 1), "dx", Map.of("split", "test")));
        assertTrue(r2 > 0.97, "R^2 " + r2);
    }

    @Test
    void aRegisteredTribuoTrainerIsStandardisedAndReachedByName() {
        RegressionProbes.register("sgd_test", seed -> new org.tribuo.regression.sgd.linear.LinearSGDTrainer(
                new org.tribuo.regression.sgd.objectives.SquaredLoss(), new org.tribuo.math.optimisers.AdaGrad(0.1, 0.1), 10, -1, 32, seed));
        try {
            assertTrue(RegressionProbes.names().containsAll(java.util.List.of("linear", "sgd_test")));
            var trainer = RegressionProbes.trainer("sgd_test", 3);
            assertTrue(trainer instanceof org.tribuo.transform.TransformTrainer, "a plain Tribuo trainer is wrapped to standardise");
            var builtIn = RegressionProbes.trainer(RegressionProbes.LINEAR, 3);
            assertTrue(builtIn instanceof RegressionProbeTrainer, "the built-in network standardises by itself, unwrapped");
            assertEquals(RegressionProbes.linear(3).toString(), builtIn.toString(), "the name gives the sweep's default probe");
            SplittableRandom random = new SplittableRandom(22);
            float[][] train = Synthetic.gaussian(3000, 16, random);
            float[][] test = Synthetic.gaussian(1000, 16, random);
            Model<Regressor> model = trainer.train(ProbeData.regression(train, target(train, random, 1), "dx", Map.of()));
            double r2 = RegressionProbes.r2(model, ProbeData.regression(test, target(test, random, 1), "dx", Map.of()));
            assertTrue(r2 > 0.9, "R^2 " + r2);
        } finally {
            RegressionProbes.unregister("sgd_test");
        }
        assertTrue(!RegressionProbes.names().contains("sgd_test"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RegressionProbes.trainer("sgd_test", 1)).getMessage()
                .startsWith("unknown regression probe 'sgd_test' (known: linear"));
        assertEquals("regression probe 'linear' is built in; register under another name",
                assertThrows(IllegalArgumentException.class, () -> RegressionProbes.register("linear", RegressionProbes::linear)).getMessage());
        assertEquals("regression probe name 'a b' must be letters, digits and _.+- (not a file name)",
                assertThrows(IllegalArgumentException.class, () -> RegressionProbes.register("a b", RegressionProbes::linear)).getMessage());
        assertEquals("regression probe 'linear' is built in and cannot be removed",
                assertThrows(IllegalArgumentException.class, () -> RegressionProbes.unregister("linear")).getMessage());
        RegressionProbes.register("null_test", seed -> null);
        try {
            assertEquals("regression probe 'null_test' made no trainer for seed 1",
                    assertThrows(IllegalArgumentException.class, () -> RegressionProbes.trainer("null_test", 1)).getMessage());
        } finally {
            RegressionProbes.unregister("null_test");
        }
    }

    @Test
    void pureNoiseTargetHasNoExplainedVariance() {
        SplittableRandom random = new SplittableRandom(21);
        float[][] train = Synthetic.gaussian(3000, 16, random);
        float[][] test = Synthetic.gaussian(1000, 16, random);
        Model<Regressor> model = RegressionProbes.linear(1)
                .train(ProbeData.regression(train, target(train, random, 0), "dy", Map.of()));
        double r2 = RegressionProbes.r2(model, ProbeData.regression(test, target(test, random, 0), "dy", Map.of()));
        assertTrue(r2 < 0.05, "R^2 " + r2);
    }

    @Test
    void nonFiniteTargetIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProbeData.regression(new float[][]{{1}}, new double[]{Double.NaN}, "dx", Map.of()));
        assertEquals("target of row 0 is not finite: NaN", e.getMessage());
    }
}
