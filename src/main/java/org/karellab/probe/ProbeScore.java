package org.karellab.probe;

import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A probe's score on one split.
 *
 * <p>Computed over the classes seen in the split's truth or predictions (as scikit-learn does), from
 * the predicted and true class of every row; the same numbers as Tribuo's confusion-matrix metrics
 * (tested), without building a Tribuo prediction per row on the fast path of {@link ProbeFit}.
 * Tribuo's {@code LabelEvaluator} is not used because it rejects rows whose true class the probe
 * never saw in training; here those rows simply count as errors, which is common for rare position
 * offsets.
 *
 * @param accuracy fraction of rows predicted correctly
 * @param macroF1 unweighted mean of per-class F1 over the classes seen in truth or predictions
 * @param n number of rows
 * @param classCounts rows per true class, sorted by class name
 */
public record ProbeScore(double accuracy, double macroF1, int n, Map<String, Long> classCounts) {

    public ProbeScore {
        classCounts = Collections.unmodifiableMap(new TreeMap<>(classCounts));
    }

    /** Scores {@code model} on every row of {@code dataset}. */
    public static ProbeScore of(Model<Label> model, Dataset<Label> dataset) {
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("cannot score a probe on an empty dataset");
        }
        List<Prediction<Label>> predictions = model.predict(dataset);
        String[] truth = new String[predictions.size()];
        String[] predicted = new String[predictions.size()];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = predictions.get(i).getExample().getOutput().getLabel();
            predicted[i] = predictions.get(i).getOutput().getLabel();
        }
        return of(truth, predicted);
    }

    /**
     * Scores predicted classes against true classes, row by row. Macro F1 averages, over the
     * classes seen in truth or predictions, {@code 2 tp / (2 tp + fp + fn)} (Tribuo's and
     * scikit-learn's F1).
     */
    public static ProbeScore of(String[] truth, String[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true classes but " + predicted.length + " predictions");
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("cannot score a probe on an empty dataset");
        }
        Map<String, Long> counts = new TreeMap<>();
        Map<String, long[]> confusion = new TreeMap<>(); // class -> {tp, fp, fn}
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            counts.merge(truth[i], 1L, Long::sum);
            long[] t = confusion.computeIfAbsent(truth[i], k -> new long[3]);
            if (truth[i].equals(predicted[i])) {
                correct++;
                t[0]++;
            } else {
                t[2]++;
                confusion.computeIfAbsent(predicted[i], k -> new long[3])[1]++;
            }
        }
        double f1 = 0;
        for (long[] c : confusion.values()) {
            f1 += 2.0 * c[0] / (2 * c[0] + c[1] + c[2]);
        }
        return new ProbeScore((double) correct / truth.length, f1 / confusion.size(), truth.length, counts);
    }

    /** Whether each prediction equals its true class, row by row. */
    public static boolean[] correct(String[] truth, String[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true classes but " + predicted.length + " predictions");
        }
        boolean[] correct = new boolean[truth.length];
        for (int i = 0; i < truth.length; i++) {
            correct[i] = truth[i].equals(predicted[i]);
        }
        return correct;
    }

    /** Frequency of the most common true class in this split. */
    public double majorityFraction() {
        return classCounts.values().stream().mapToLong(Long::longValue).max().orElseThrow() / (double) n;
    }

    /** Selectivity (Hewitt and Liang 2019): this accuracy minus the accuracy on a control task. */
    public double selectivity(ProbeScore control) {
        return accuracy - control.accuracy;
    }
}
