package org.karellab.probe;

import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.ConfusionMetrics;
import org.tribuo.classification.evaluation.LabelConfusionMatrix;
import org.tribuo.evaluation.metrics.MetricTarget;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A probe's score on one split.
 *
 * <p>Computed with Tribuo's confusion-matrix metrics over the classes seen in the split's truth or
 * predictions (as scikit-learn does). Tribuo's {@code LabelEvaluator} is not used directly because
 * it rejects rows whose true class the probe never saw in training; here those rows simply count
 * as errors, which is common for rare position offsets.
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
        MutableOutputInfo<Label> domain = new LabelFactory().generateInfo();
        Map<String, Long> counts = new TreeMap<>();
        for (Prediction<Label> prediction : predictions) {
            Label truth = prediction.getExample().getOutput();
            domain.observe(truth);
            domain.observe(prediction.getOutput());
            counts.merge(truth.getLabel(), 1L, Long::sum);
        }
        LabelConfusionMatrix matrix = new LabelConfusionMatrix(domain.generateImmutableOutputInfo(), predictions);
        return new ProbeScore(
                ConfusionMetrics.accuracy(MetricTarget.microAverageTarget(), matrix),
                ConfusionMetrics.f1(MetricTarget.macroAverageTarget(), matrix),
                predictions.size(),
                counts);
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
