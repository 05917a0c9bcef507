package org.karellab.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a probe network's outputs mean: the training loss, the held-out score used for early
 * stopping, and the Tribuo prediction of one output row. Chosen from the dataset's output factory:
 * {@link Classification} (softmax cross-entropy, accuracy) for {@link Label}, {@link Regression}
 * (mean squared error on standardised targets, R^2) for {@link Regressor}.
 *
 * <p>Targets are held in training-row order as Java arrays; {@link #targets} turns the rows of one
 * batch into an NDArray.
 */
abstract sealed class ProbeHead<T extends Output<T>> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The head for {@code dataset}'s output type. */
    @SuppressWarnings("unchecked")
    static <T extends Output<T>> ProbeHead<T> of(Dataset<T> dataset) {
        if (dataset.getOutputFactory() instanceof LabelFactory) {
            return (ProbeHead<T>) new Classification((ImmutableOutputInfo<Label>) dataset.getOutputIDInfo());
        }
        if (dataset.getOutputFactory() instanceof RegressionFactory) {
            return (ProbeHead<T>) Regression.fit((Dataset<Regressor>) dataset);
        }
        throw new IllegalArgumentException("probe networks predict Label or Regressor outputs, not "
                + dataset.getOutputFactory().getClass().getSimpleName());
    }

    /** Network output width. */
    abstract int outputs();

    /** Name of {@link #score}: {@code accuracy} or {@code r2}. */
    abstract String scoreName();

    /** Targets of every row of {@code dataset}, in dataset order, as a flat array ({@code rows * targetWidth}). */
    abstract float[] targets(Dataset<T> dataset);

    /** Floats per row in {@link #targets}. */
    abstract int targetWidth();

    /** The targets of rows {@code rows[from..to)} as the array {@link #loss} expects. */
    abstract NDArray targets(NDManager manager, float[] targets, int[] rows, int from, int to);

    /** Mean loss of a batch of network outputs {@code (B, outputs)}. */
    abstract NDArray loss(NDArray outputs, NDArray targets);

    /** Score of outputs {@code (N, outputs)} against targets (higher is better): accuracy or R^2. */
    abstract double score(float[] outputs, float[] targets, int[] rows);

    /** The Tribuo prediction of one row of network outputs starting at {@code offset}. */
    abstract Prediction<T> prediction(float[] outputs, int offset, int featuresUsed, Example<T> example);

    /** Softmax cross-entropy over the training label domain; scored by accuracy. */
    static final class Classification extends ProbeHead<Label> {
        private static final long serialVersionUID = 1L;
        private final String[] names;
        private transient SoftmaxCrossEntropyLoss loss;

        Classification(ImmutableOutputInfo<Label> info) {
            names = new String[info.size()];
            for (int id = 0; id < names.length; id++) {
                names[id] = info.getOutput(id).getLabel();
            }
        }

        /** Class name of output {@code id}. */
        String name(int id) {
            return names[id];
        }

        @Override
        int outputs() {
            return names.length;
        }

        @Override
        String scoreName() {
            return "accuracy";
        }

        @Override
        float[] targets(Dataset<Label> dataset) {
            ImmutableOutputInfo<Label> info = dataset.getOutputIDInfo();
            float[] ids = new float[dataset.size()];
            int row = 0;
            for (Example<Label> example : dataset) {
                ids[row++] = info.getID(example.getOutput());
            }
            return ids;
        }

        @Override
        int targetWidth() {
            return 1;
        }

        @Override
        NDArray targets(NDManager manager, float[] targets, int[] rows, int from, int to) {
            long[] ids = new long[to - from];
            for (int i = from; i < to; i++) {
                ids[i - from] = (long) targets[rows[i]];
            }
            return manager.create(ids);
        }

        @Override
        NDArray loss(NDArray outputs, NDArray targets) {
            if (loss == null) {
                loss = new SoftmaxCrossEntropyLoss("cross-entropy");
            }
            return loss.evaluate(new NDList(targets), new NDList(outputs));
        }

        @Override
        double score(float[] outputs, float[] targets, int[] rows) {
            int correct = 0;
            for (int i = 0; i < rows.length; i++) {
                correct += argMax(outputs, i * names.length, names.length) == (int) targets[rows[i]] ? 1 : 0;
            }
            return (double) correct / rows.length;
        }

        @Override
        Prediction<Label> prediction(float[] outputs, int offset, int featuresUsed, Example<Label> example) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < names.length; k++) {
                max = Math.max(max, outputs[offset + k]);
            }
            double[] p = new double[names.length];
            double sum = 0;
            for (int k = 0; k < names.length; k++) {
                p[k] = Math.exp(outputs[offset + k] - max);
                sum += p[k];
            }
            Map<String, Label> scores = new LinkedHashMap<>();
            Label best = null;
            for (int k = 0; k < names.length; k++) {
                Label label = new Label(names[k], p[k] / sum);
                scores.put(names[k], label);
                if (best == null || label.getScore() > best.getScore()) {
                    best = label;
                }
            }
            return new Prediction<>(best, scores, featuresUsed, example, true);
        }

        /** Index of the largest of {@code values[offset..offset+n)}; the first wins ties. */
        static int argMax(float[] values, int offset, int n) {
            int best = 0;
            for (int k = 1; k < n; k++) {
                if (values[offset + k] > values[offset + best]) {
                    best = k;
                }
            }
            return best;
        }
    }

    /**
     * Mean squared error on targets standardised with the training mean and standard deviation of
     * each dimension (so one learning rate suits any target scale); predictions are mapped back.
     * Scored by R^2 averaged over dimensions.
     */
    static final class Regression extends ProbeHead<Regressor> {
        private static final long serialVersionUID = 1L;
        private final String[] names;
        private final double[] mean;
        private final double[] sd;

        private Regression(String[] names, double[] mean, double[] sd) {
            this.names = names;
            this.mean = mean;
            this.sd = sd;
        }

        static Regression fit(Dataset<Regressor> dataset) {
            ImmutableOutputInfo<Regressor> info = dataset.getOutputIDInfo();
            String[] names = new String[info.size()];
            for (int id = 0; id < names.length; id++) {
                names[id] = info.getOutput(id).getNames()[0];
            }
            double[] mean = new double[names.length];
            double[] squares = new double[names.length];
            int n = 0;
            for (Example<Regressor> example : dataset) {
                n++;
                for (int d = 0; d < names.length; d++) {
                    double value = value(example, names[d]);
                    double delta = value - mean[d];
                    mean[d] += delta / n;
                    squares[d] += delta * (value - mean[d]);
                }
            }
            double[] sd = new double[names.length];
            for (int d = 0; d < names.length; d++) {
                double s = n > 1 ? Math.sqrt(squares[d] / (n - 1)) : 0;
                sd[d] = s > 1e-12 ? s : 1;
            }
            return new Regression(names, mean, sd);
        }

        private static double value(Example<Regressor> example, String name) {
            return example.getOutput().getDimension(name)
                    .orElseThrow(() -> new IllegalArgumentException("regression target lacks dimension " + name))
                    .getValue();
        }

        /** Target dimension names in output order. */
        String[] names() {
            return names.clone();
        }

        /** The prediction of output {@code d} of row {@code offset}, in target units. */
        double value(float[] outputs, int offset, int d) {
            return outputs[offset + d] * sd[d] + mean[d];
        }

        @Override
        int outputs() {
            return names.length;
        }

        @Override
        String scoreName() {
            return "r2";
        }

        @Override
        float[] targets(Dataset<Regressor> dataset) {
            float[] t = new float[dataset.size() * names.length];
            int row = 0;
            for (Example<Regressor> example : dataset) {
                for (int d = 0; d < names.length; d++) {
                    t[row * names.length + d] = (float) ((value(example, names[d]) - mean[d]) / sd[d]);
                }
                row++;
            }
            return t;
        }

        @Override
        int targetWidth() {
            return names.length;
        }

        @Override
        NDArray targets(NDManager manager, float[] targets, int[] rows, int from, int to) {
            int width = names.length;
            float[] batch = new float[(to - from) * width];
            for (int i = from; i < to; i++) {
                System.arraycopy(targets, rows[i] * width, batch, (i - from) * width, width);
            }
            return manager.create(batch, new Shape(to - from, width));
        }

        @Override
        NDArray loss(NDArray outputs, NDArray targets) {
            return outputs.sub(targets).square().mean();
        }

        @Override
        double score(float[] outputs, float[] targets, int[] rows) {
            int width = names.length;
            double total = 0;
            for (int d = 0; d < width; d++) {
                double m = 0;
                for (int row : rows) {
                    m += targets[row * width + d];
                }
                m /= rows.length;
                double residual = 0;
                double spread = 0;
                for (int i = 0; i < rows.length; i++) {
                    double t = targets[rows[i] * width + d];
                    double e = outputs[i * width + d] - t;
                    residual += e * e;
                    spread += (t - m) * (t - m);
                }
                total += spread > 0 ? 1 - residual / spread : (residual == 0 ? 1 : Double.NEGATIVE_INFINITY);
            }
            return total / width;
        }

        @Override
        Prediction<Regressor> prediction(float[] outputs, int offset, int featuresUsed, Example<Regressor> example) {
            double[] values = new double[names.length];
            for (int d = 0; d < names.length; d++) {
                values[d] = value(outputs, offset, d);
            }
            return new Prediction<>(new Regressor(names, values), featuresUsed, example);
        }
    }
}
