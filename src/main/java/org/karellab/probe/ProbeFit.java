package org.karellab.probe;

import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model selection on a VALIDATION split: trains each candidate on the training split, keeps the
 * one with the best validation score (the first listed wins ties), and only then scores the chosen
 * one on the test split, and on the training split (training accuracy, to see over-fitting). The
 * reference implementation selects on test; this never reads the test split before choosing.
 *
 * <p>Per-row results of the test split (correctness, predictions) come back in dataset order, so a
 * caller can bootstrap over programs. Each split is converted to a dense matrix once and shared by
 * every {@link ProbeNetworkTrainer} candidate; other Tribuo trainers see the datasets themselves.
 */
public final class ProbeFit {
    private ProbeFit() {}

    /**
     * @param chosen the selected candidate's name
     * @param model the selected candidate's model
     * @param validation validation score of every candidate, in candidate order
     * @param train the selected model's score on the training split
     * @param test the selected model's test score
     * @param testCorrect whether the selected model is right on each test row, in dataset order
     * @param testPredicted the selected model's class for each test row, in dataset order
     */
    public record Result(String chosen, Model<Label> model, Map<String, ProbeScore> validation, ProbeScore train,
                         ProbeScore test, boolean[] testCorrect, String[] testPredicted) {}

    /**
     * @param chosen the selected candidate's name
     * @param model the selected candidate's model
     * @param validationR2 validation R^2 of every candidate, in candidate order
     * @param trainR2 the selected model's R^2 on the training split
     * @param testR2 the selected model's test R^2
     * @param testPredicted the selected model's prediction for each test row, in dataset order
     */
    public record RegressionResult(String chosen, Model<Regressor> model, Map<String, Double> validationR2,
                                   double trainR2, double testR2, double[] testPredicted) {}

    /** Trains every candidate on {@code train}, selects by {@code validation} accuracy, then scores {@code test} and {@code train}. */
    public static Result select(Map<String, ? extends Trainer<Label>> candidates, Dataset<Label> train,
                                Dataset<Label> validation, Dataset<Label> test) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no probe candidates to select from");
        }
        Splits splits = new Splits(train, validation);
        Map<String, ProbeScore> scores = new LinkedHashMap<>();
        String chosen = null;
        Model<Label> best = null;
        String[] validationTruth = labels(validation);
        for (Map.Entry<String, ? extends Trainer<Label>> candidate : candidates.entrySet()) {
            Trainer<Label> trainer = candidate.getValue();
            Model<Label> model = trainer instanceof ProbeNetworkTrainer network
                    ? network.train(splits.train(), train)
                    : trainer.train(train);
            ProbeScore score = ProbeScore.of(validationTruth, predictLabels(model, validation, splits.validation()));
            scores.put(candidate.getKey(), score);
            if (best == null || score.accuracy() > scores.get(chosen).accuracy()) {
                chosen = candidate.getKey();
                best = model;
            }
        }
        // Only now is the test split read.
        String[] testPredicted = predictLabels(best, test, null);
        String[] testTruth = labels(test);
        ProbeScore trainScore = ProbeScore.of(labels(train), predictLabels(best, train, splits.train()));
        return new Result(chosen, best, Collections.unmodifiableMap(scores), trainScore,
                ProbeScore.of(testTruth, testPredicted), ProbeScore.correct(testTruth, testPredicted), testPredicted);
    }

    /** As {@link #select}, for regression probes of one target dimension, selecting by validation R^2. */
    public static RegressionResult selectRegression(Map<String, ? extends Trainer<Regressor>> candidates,
                                                    Dataset<Regressor> train, Dataset<Regressor> validation,
                                                    Dataset<Regressor> test) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no probe candidates to select from");
        }
        for (Dataset<Regressor> split : List.of(train, validation, test)) {
            if (split.getOutputInfo().size() != 1) {
                throw new IllegalArgumentException("expected one target dimension, found " + split.getOutputInfo().getDomain());
            }
        }
        Splits splits = new Splits(train, validation);
        Map<String, Double> scores = new LinkedHashMap<>();
        String chosen = null;
        Model<Regressor> best = null;
        double[] validationTruth = targets(validation);
        for (Map.Entry<String, ? extends Trainer<Regressor>> candidate : candidates.entrySet()) {
            Trainer<Regressor> trainer = candidate.getValue();
            Model<Regressor> model = trainer instanceof RegressionProbeTrainer network
                    ? network.train(splits.train(), train)
                    : trainer.train(train);
            double r2 = RegressionProbes.r2(validationTruth, predictValues(model, validation, splits.validation()));
            scores.put(candidate.getKey(), r2);
            if (best == null || r2 > scores.get(chosen)) {
                chosen = candidate.getKey();
                best = model;
            }
        }
        double[] testPredicted = predictValues(best, test, null);
        return new RegressionResult(chosen, best, Collections.unmodifiableMap(scores),
                RegressionProbes.r2(targets(train), predictValues(best, train, splits.train())),
                RegressionProbes.r2(targets(test), testPredicted), testPredicted);
    }

    /** Dense matrices of the training and validation splits over the training features, made on first use. */
    private static final class Splits {
        private final Dataset<?> train;
        private final Dataset<?> validation;
        private ProbeMatrix trainRows;
        private ProbeMatrix validationRows;

        Splits(Dataset<?> train, Dataset<?> validation) {
            this.train = train;
            this.validation = validation;
        }

        ProbeMatrix train() {
            if (trainRows == null) {
                trainRows = ProbeMatrix.of(train);
            }
            return trainRows;
        }

        ProbeMatrix validation() {
            if (validationRows == null) {
                validationRows = ProbeMatrix.of(validation, train().features());
            }
            return validationRows;
        }
    }

    /** True classes of {@code dataset}, in dataset order. */
    static String[] labels(Dataset<Label> dataset) {
        String[] labels = new String[dataset.size()];
        int i = 0;
        for (Example<Label> example : dataset) {
            labels[i++] = example.getOutput().getLabel();
        }
        return labels;
    }

    /** True values of {@code dataset}'s single target dimension, in dataset order. */
    static double[] targets(Dataset<Regressor> dataset) {
        double[] values = new double[dataset.size()];
        int i = 0;
        for (Example<Regressor> example : dataset) {
            values[i++] = example.getOutput().getValues()[0];
        }
        return values;
    }

    /**
     * {@code model}'s class for every row of {@code dataset}; a probe network runs straight on
     * {@code rows} (its dense matrix over the model's features) when given, or on a matrix made here.
     */
    static String[] predictLabels(Model<Label> model, Dataset<Label> dataset, ProbeMatrix rows) {
        if (model instanceof ProbeNetworkModel<Label> network
                && network.head() instanceof ProbeHead.Classification head) {
            float[] out = network.outputs(rows != null ? rows : ProbeMatrix.of(dataset, network.getFeatureIDMap()));
            int k = head.outputs();
            String[] labels = new String[out.length / k];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = head.name(ProbeHead.Classification.argMax(out, i * k, k));
            }
            return labels;
        }
        List<Prediction<Label>> predictions = model.predict(dataset);
        String[] labels = new String[predictions.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = predictions.get(i).getOutput().getLabel();
        }
        return labels;
    }

    /** {@code model}'s value of the single target dimension for every row of {@code dataset}. */
    static double[] predictValues(Model<Regressor> model, Dataset<Regressor> dataset, ProbeMatrix rows) {
        if (model instanceof ProbeNetworkModel<Regressor> network
                && network.head() instanceof ProbeHead.Regression head) {
            float[] out = network.outputs(rows != null ? rows : ProbeMatrix.of(dataset, network.getFeatureIDMap()));
            double[] values = new double[out.length / head.outputs()];
            for (int i = 0; i < values.length; i++) {
                values[i] = head.value(out, i * head.outputs(), 0);
            }
            return values;
        }
        List<Prediction<Regressor>> predictions = model.predict(dataset);
        double[] values = new double[predictions.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = predictions.get(i).getOutput().getValues()[0];
        }
        return values;
    }
}
