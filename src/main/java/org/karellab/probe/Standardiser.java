package org.karellab.probe;

import java.io.Serializable;

/**
 * Per-feature standardisation {@code (x - mean) / sd} with statistics of the training rows (sample
 * standard deviation; a constant feature gets sd 1, so it maps to 0). Part of a probe network's
 * model, applied unchanged to every row it predicts.
 */
record Standardiser(double[] mean, double[] sd) implements Serializable {

    /** Statistics of the {@code x.length / width} rows of row-major {@code x} (two passes, in double). */
    static Standardiser fit(float[] x, int width) {
        int rows = x.length / width;
        double[] mean = new double[width];
        for (int offset = 0; offset < x.length; offset += width) {
            for (int j = 0; j < width; j++) {
                mean[j] += x[offset + j];
            }
        }
        for (int j = 0; j < width; j++) {
            mean[j] /= rows;
        }
        double[] squares = new double[width];
        for (int offset = 0; offset < x.length; offset += width) {
            for (int j = 0; j < width; j++) {
                double d = x[offset + j] - mean[j];
                squares[j] += d * d;
            }
        }
        double[] sd = new double[width];
        for (int j = 0; j < width; j++) {
            double s = rows > 1 ? Math.sqrt(squares[j] / (rows - 1)) : 0;
            sd[j] = s > 1e-12 ? s : 1;
        }
        return new Standardiser(mean, sd);
    }

    /** A standardised copy of row-major {@code x}. */
    float[] apply(float[] x, int width) {
        float[] out = x.clone();
        applyInPlace(out, width);
        return out;
    }

    /** Standardises row-major {@code x} in place. */
    void applyInPlace(float[] x, int width) {
        float[] shift = new float[width];
        float[] scale = new float[width];
        for (int j = 0; j < width; j++) {
            scale[j] = (float) (1 / sd[j]);
            shift[j] = (float) (-mean[j] / sd[j]);
        }
        for (int offset = 0; offset < x.length; offset += width) {
            for (int j = 0; j < width; j++) {
                x[offset + j] = x[offset + j] * scale[j] + shift[j];
            }
        }
    }
}
