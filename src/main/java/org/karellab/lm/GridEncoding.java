package org.karellab.lm;

/**
 * {@code grid}: each world is ONE sequence position, a flattened one-hot per interior cell
 * projected to d_model by the model. The sequence is {@code [in1, out1, ..., in5, out5, BOS,
 * action..., EOS]}: 10 spec positions and about 12 token positions.
 *
 * <p>Per cell, {@value #CHANNELS} channels: wall; marker count 0, 1, 2, 3 or more; robot absent,
 * facing N, E, S, W. So F = 36 x 10 = 360.
 */
public final class GridEncoding extends FeatureEncoding {
    public static final String NAME = "grid";
    static final int CELLS = Spec.W - 2;
    static final int CHANNELS = 10;
    /** marker counts at or above this share one channel */
    static final int MARKER_CAP = 3;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int featDim() {
        return CELLS * CHANNELS;
    }

    @Override
    public int specLen(int examples) {
        return 2 * examples;
    }

    @Override
    void write(Spec spec, int position, float[] x, int at) {
        features(spec, position, x, at);
    }

    /** Writes the F features of world {@code w} of {@code spec} into {@code x} at {@code at}. */
    static void features(Spec spec, int w, float[] x, int at) {
        int robot = spec.robot(w);
        for (int c = 0; c < CELLS; c++) {
            int o = at + c * CHANNELS;
            int v = spec.cell(w, c);
            if (v == 0xFF) {
                x[o] = 1;
            } else {
                x[o + 1 + Math.min(v, MARKER_CAP)] = 1;
            }
            x[o + 5 + (c == robot ? 1 + spec.facing(w) : 0)] = 1;
        }
    }
}
