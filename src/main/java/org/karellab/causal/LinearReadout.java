package org.karellab.causal;

import java.util.Arrays;
import java.util.Map;
import org.karellab.probe.ProbeNetworkModel;
import org.tribuo.classification.Label;
import org.tribuo.ImmutableOutputInfo;

/**
 * A trained linear probe as plain arithmetic on raw hidden states: {@code logits = W h + b}, with
 * the probe's standardisation folded in ({@code W[k] = w[k] / sd}, {@code b[k] = bias[k] - w[k].(mean / sd)}).
 * Its rows are the class directions the probe-direction intervention moves a state along.
 *
 * @param classes class names, in row order of {@code weights}
 * @param weights {@code (K, C)}: class k's direction in the raw hidden space
 * @param bias    {@code (K)}
 */
public record LinearReadout(String[] classes, float[][] weights, float[] bias) {

    /** The readout of a {@code linear} probe ({@link org.karellab.probe.LinearProbeTrainer}). */
    public static LinearReadout of(ProbeNetworkModel<Label> probe) {
        Map<String, float[]> p = probe.parameters();
        float[] w = null;
        float[] bias = null;
        for (Map.Entry<String, float[]> e : p.entrySet()) {
            if (e.getKey().endsWith("weight")) {
                if (w != null) {
                    throw new IllegalArgumentException("not a linear probe: more than one weight (" + p.keySet() + ")");
                }
                w = e.getValue();
            } else if (e.getKey().endsWith("bias")) {
                bias = e.getValue();
            }
        }
        if (w == null || bias == null) {
            throw new IllegalArgumentException("not a linear probe: parameters " + p.keySet());
        }
        double[] mean = probe.inputMean();
        double[] sd = probe.inputSd();
        int c = mean.length;
        int k = bias.length;
        if (w.length != k * c) {
            throw new IllegalArgumentException("linear probe weight has " + w.length + " values, not " + k + " x " + c);
        }
        ImmutableOutputInfo<Label> info = probe.getOutputIDInfo();
        String[] classes = new String[k];
        float[][] weights = new float[k][c];
        float[] b = new float[k];
        for (int j = 0; j < k; j++) {
            classes[j] = info.getOutput(j).getLabel();
            double shift = bias[j];
            for (int i = 0; i < c; i++) {
                double wi = w[j * c + i] / sd[i];
                weights[j][i] = (float) wi;
                shift -= wi * mean[i];
            }
            b[j] = (float) shift;
        }
        return new LinearReadout(classes, weights, b);
    }

    public int width() {
        return weights[0].length;
    }

    /** Row of class {@code name}, or -1 when the probe never saw it. */
    public int index(String name) {
        for (int j = 0; j < classes.length; j++) {
            if (classes[j].equals(name)) {
                return j;
            }
        }
        return -1;
    }

    /** {@code (K)} logits of {@code h}. */
    public double[] logits(float[] h) {
        double[] out = new double[classes.length];
        for (int j = 0; j < out.length; j++) {
            double s = bias[j];
            float[] w = weights[j];
            for (int i = 0; i < w.length; i++) {
                s += w[i] * h[i];
            }
            out[j] = s;
        }
        return out;
    }

    /** The class the probe reads from {@code h}. */
    public String read(float[] h) {
        double[] l = logits(h);
        int best = 0;
        for (int j = 1; j < l.length; j++) {
            if (l[j] > l[best]) {
                best = j;
            }
        }
        return classes[best];
    }

    /**
     * The smallest step along class directions that makes the probe read {@code target} with a
     * logit lead of at least {@code margin} over every other class: repeatedly, the step along
     * {@code W[target] - W[rival]} that beats the strongest rival by the margin (at most
     * {@code 4 K} rounds). Returns the vector to add to {@code h} ({@code (C)}).
     *
     * @throws IllegalArgumentException when the probe has no such class
     */
    public float[] pushTowards(float[] h, String target, double margin) {
        int b = index(target);
        if (b < 0) {
            throw new IllegalArgumentException("the probe has no class '" + target + "' (it has " + Arrays.toString(classes) + ")");
        }
        int c = width();
        float[] delta = new float[c];
        float[] x = h.clone();
        for (int round = 0; round < 4 * classes.length; round++) {
            double[] l = logits(x);
            int rival = -1;
            for (int j = 0; j < l.length; j++) {
                if (j != b && (rival < 0 || l[j] > l[rival])) {
                    rival = j;
                }
            }
            if (rival < 0 || l[b] - l[rival] >= margin - 1e-9) {
                break;
            }
            double[] d = new double[c];
            double slope = 0;                 // d(l_b - l_rival)/d(lambda) along d = W_b - W_rival
            for (int i = 0; i < c; i++) {
                d[i] = weights[b][i] - weights[rival][i];
                slope += d[i] * d[i];
            }
            if (slope == 0) {
                break;
            }
            double lambda = (margin - (l[b] - l[rival])) / slope * 1.0001;
            for (int i = 0; i < c; i++) {
                float step = (float) (lambda * d[i]);
                delta[i] += step;
                x[i] += step;
            }
        }
        return delta;
    }

    static double norm(float[] v) {
        double s = 0;
        for (float f : v) {
            s += (double) f * f;
        }
        return Math.sqrt(s);
    }
}
