package org.karellab.probe;

import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.tribuo.transform.TransformTrainer;

/**
 * Regression probes for numeric targets such as the position offsets dx and dy, scored by R^2
 * (the method of Gurnee and Tegmark 2023): the {@code linear} probe network with a
 * mean-squared-error head ({@link ProbeNetworkTrainer#regressor()}), so least squares with
 * decoupled weight decay as the ridge-like penalty, standardised inputs and targets, early
 * stopping on held-out R^2.
 *
 * <p>The sweep's regression probe is named ({@code sweep --regression-probe}, default
 * {@value #LINEAR}); {@link #register} adds another, e.g. from a notebook. A registered trainer
 * that does not standardise its inputs itself is wrapped by {@link ProbeData#standardised}.
 */
public final class RegressionProbes {
    /** The built-in regression probe. */
    public static final String LINEAR = "linear";
    private static final Registry<LongFunction<? extends Trainer<Regressor>>> NAMED =
            new Registry<>("regression probe", new LinkedHashMap<>(Map.of(LINEAR, RegressionProbes::linear)));

    private RegressionProbes() {}

    /** The registered regression probe names, the built-in first. */
    public static List<String> names() {
        return NAMED.names();
    }

    /**
     * Registers a regression probe with one trainer per seed under {@code name}. Registering a name
     * again replaces it; the built-in name cannot be replaced.
     */
    public static void register(String name, LongFunction<? extends Trainer<Regressor>> factory) {
        NAMED.register(name, factory);
    }

    /** Removes a registered regression probe; returns whether it was registered. */
    public static boolean unregister(String name) {
        return NAMED.unregister(name);
    }

    /**
     * The regression probe {@code name} seeded with {@code seed}, standardising its inputs.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Trainer<Regressor> trainer(String name, long seed) {
        LongFunction<? extends Trainer<Regressor>> factory = NAMED.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown regression probe '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        Trainer<Regressor> t = factory.apply(seed);
        if (t == null) {
            throw new IllegalArgumentException("regression probe '" + name + "' made no trainer for seed " + seed);
        }
        return t instanceof RegressionProbeTrainer || t instanceof TransformTrainer ? t : ProbeData.standardised(t);
    }

    /** The default linear regression probe: the first of {@link #linearCandidates}. */
    public static Trainer<Regressor> linear(long seed) {
        return linearCandidates(seed).values().iterator().next();
    }

    /**
     * Linear regression probes with the {@code linear} classification probe's settings and weight
     * decays (0.2, 0.01, 1.0), for {@link ProbeFit#selectRegression}.
     */
    public static LinkedHashMap<String, Trainer<Regressor>> linearCandidates(long seed) {
        LinkedHashMap<String, Trainer<Regressor>> grid = new LinkedHashMap<>();
        for (double weightDecay : new double[] {0.2, 0.01, 1.0}) {
            ProbeNetworkTrainer.Settings s = ProbeRegistry.linearSettings(seed).optWeightDecay(weightDecay);
            grid.put(s.describe(), new LinearProbeTrainer(s).regressor());
        }
        return grid;
    }

    /** Coefficient of determination of {@code model} on {@code dataset}'s single target dimension (Tribuo's evaluator). */
    public static double r2(Model<Regressor> model, Dataset<Regressor> dataset) {
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("cannot score a regression probe on an empty dataset");
        }
        if (dataset.getOutputInfo().size() != 1) {
            throw new IllegalArgumentException("expected one target dimension, found " + dataset.getOutputInfo().getDomain());
        }
        return new RegressionEvaluator().evaluate(model, dataset).averageR2();
    }

    /** {@code 1 - sum (y - p)^2 / sum (y - mean y)^2} of predictions {@code predicted} of {@code truth}. */
    public static double r2(double[] truth, double[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " targets but " + predicted.length + " predictions");
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("cannot score a regression probe on an empty dataset");
        }
        double mean = 0;
        for (double y : truth) {
            mean += y;
        }
        mean /= truth.length;
        double residual = 0;
        double spread = 0;
        for (int i = 0; i < truth.length; i++) {
            residual += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
            spread += (truth[i] - mean) * (truth[i] - mean);
        }
        return 1 - residual / spread;
    }
}
