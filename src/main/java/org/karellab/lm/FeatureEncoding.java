package org.karellab.lm;

import java.util.List;
import org.karellab.world.Program;

/**
 * An encoding whose spec enters as feature vectors ({@code grid}, {@code ego}): no spec tokens,
 * the shared vocabulary; subclasses say how many positions a spec takes and which features of
 * each are 1 (all features are 0/1, so batches carry them as {@link Batch.ActiveFeatures}).
 */
abstract class FeatureEncoding implements SpecEncoding {
    @Override
    public int specTokens(int examples) {
        return 0;
    }

    @Override
    public int vocabSize() {
        return Tokens.FIRST_FREE;
    }

    /**
     * A batch whose spec is {@code specLen} positions per row, given by the indices of their ones
     * (no dense (B, S, F) array is made); tokens and targets as {@link SpecEncoding#tokens}.
     */
    @Override
    public Batch encode(List<Spec> specs, List<Program> programs) {
        int b = specs.size();
        int examples = specs.get(0).examples();
        int s = specLen(examples);
        Batch.ActiveFeatures.Builder ones = new Batch.ActiveFeatures.Builder(b * s, b * s * expectedOnes());
        for (Spec spec : specs) {
            if (spec.examples() != examples) {
                throw new IllegalArgumentException("specs in one batch must have the same number of examples");
            }
            for (int pos = 0; pos < s; pos++) {
                writeOnes(spec, pos, ones::add);
                ones.endPosition();
            }
        }
        return SpecEncoding.tokens(specs, programs, s, featDim(), ones.build());
    }

    /** Receives the indices of the features that are 1, in increasing order. */
    @FunctionalInterface
    interface Ones {
        void one(int feature);
    }

    /**
     * Reports the features equal to 1 at spec position {@code position} of {@code spec}, in
     * increasing order. The default writes the dense vector with {@link #write} and scans it.
     */
    void writeOnes(Spec spec, int position, Ones ones) {
        float[] x = new float[featDim()];
        write(spec, position, x, 0);
        for (int f = 0; f < x.length; f++) {
            if (x[f] == 1f) {
                ones.one(f);
            } else if (x[f] != 0f) {
                throw new IllegalStateException(name() + ": feature " + f + " is " + x[f] + ", not 0 or 1");
            }
        }
    }

    /** About how many features of a position are 1 (sizes the first buffer only). */
    int expectedOnes() {
        return Math.max(1, featDim() / 8);
    }

    /** Writes the F features of spec position {@code position} of {@code spec} into {@code x} at {@code at}. */
    abstract void write(Spec spec, int position, float[] x, int at);
}
