package org.karellab.probe;

import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluator;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * Linear regression probes for numeric targets such as the position offsets dx and dy, scored by
 * R^2 (the method of Gurnee and Tegmark 2023, without their ridge penalty).
 */
public final class RegressionProbes {
    private RegressionProbes() {}

    /** Least squares by SGD (AdaGrad 0.1, 10 epochs, minibatch 32) on standardised inputs. */
    public static Trainer<Regressor> linear(long seed) {
        return ProbeData.standardised(new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1, 0.1), 10, -1, 32, seed));
    }

    /** Coefficient of determination of {@code model} on {@code dataset}'s single target dimension. */
    public static double r2(Model<Regressor> model, Dataset<Regressor> dataset) {
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("cannot score a regression probe on an empty dataset");
        }
        if (dataset.getOutputInfo().size() != 1) {
            throw new IllegalArgumentException("expected one target dimension, found " + dataset.getOutputInfo().getDomain());
        }
        return new RegressionEvaluator().evaluate(model, dataset).averageR2();
    }
}
