package org.karellab.lm;

import java.util.Arrays;
import java.util.Optional;

/**
 * One padded batch in host memory. The model's sequence is {@code specLen} spec positions (each a
 * feature vector of {@code featDim} floats) followed by {@code tokLen} token positions; logits and
 * targets exist only at the token positions.
 *
 * <p>The spec features come in one of two forms, and either can be read as the other:
 * <ul>
 *   <li>dense: {@link #spec()}, {@code (B, S, F)} floats;</li>
 *   <li>active features: {@link #activeFeatures()}, for 0/1 features (the one-hot encodings
 *       {@code grid} and {@code ego}) the indices of the ones at each spec position. An {@code ego}
 *       position has about 230 ones among its 2,315 features, so this form is ten times smaller
 *       and lets the model project the spec by summing weight columns instead of a dense
 *       product.</li>
 * </ul>
 * A batch built from active features makes its dense array only when asked (once, then kept); a
 * dense batch finds its active features only when asked, and has none if a feature is neither 0
 * nor 1.
 */
public final class Batch {
    /** Target value meaning "no loss at this position". */
    public static final int NO_TARGET = -1;

    private final int size;
    private final int specLen;
    private final int featDim;
    private final int tokLen;
    private final int[] tokens;
    private final int[] targets;
    /** the dense form; null until asked when the batch was built from active features */
    private float[] spec;
    /** the active-feature form; null until asked when built dense; EMPTY when not 0/1 */
    private ActiveFeatures active;

    private static final ActiveFeatures NOT_BINARY = new ActiveFeatures(new int[] {0}, new int[0]);

    /**
     * The indices of the features equal to 1 at each spec position (all others are 0), in CSR
     * form: the ones of position {@code p = row * S + s} are {@code indices[offsets[p] ..
     * offsets[p + 1])}, strictly increasing within a position.
     *
     * @param offsets (B * S + 1) start of each position's indices, offsets[0] = 0
     * @param indices feature indices in [0, F)
     */
    public record ActiveFeatures(int[] offsets, int[] indices) {
        /** Number of ones in the whole batch. */
        public int count() {
            return offsets[offsets.length - 1];
        }

        /** Largest number of ones at one position. */
        public int maxPerPosition() {
            int max = 0;
            for (int p = 0; p + 1 < offsets.length; p++) {
                max = Math.max(max, offsets[p + 1] - offsets[p]);
            }
            return max;
        }

        /** Collects the ones position by position; see {@link #add} and {@link #endPosition}. */
        public static final class Builder {
            private final int[] offsets;
            private int[] indices;
            private int positions;
            private int count;

            /** A builder for {@code positions} positions, room for {@code expectedOnes} to start with. */
            public Builder(int positions, int expectedOnes) {
                this.offsets = new int[positions + 1];
                this.indices = new int[Math.max(16, expectedOnes)];
            }

            /** Marks feature {@code feature} of the current position as 1. */
            public Builder add(int feature) {
                if (count == indices.length) {
                    indices = Arrays.copyOf(indices, 2 * indices.length);
                }
                indices[count++] = feature;
                return this;
            }

            /** Closes the current position; the next {@link #add} starts the next one. */
            public Builder endPosition() {
                offsets[++positions] = count;
                return this;
            }

            public ActiveFeatures build() {
                if (positions != offsets.length - 1) {
                    throw new IllegalStateException("active features: " + positions + " of " + (offsets.length - 1)
                            + " positions ended");
                }
                return new ActiveFeatures(offsets, Arrays.copyOf(indices, count));
            }
        }
    }

    /**
     * A batch with dense spec features.
     *
     * @param size    B, rows in the batch
     * @param specLen S, spec positions fed as feature vectors (0 for the text encoding)
     * @param featDim F, features per spec position (0 when specLen == 0)
     * @param spec    (B, S, F) row-major, may be length 0
     * @param tokLen  T, token positions after the spec positions
     * @param tokens  (B, T) input token ids, PAD-padded on the right
     * @param targets (B, T) next-token target at each token position, -1 where no loss
     */
    public Batch(int size, int specLen, int featDim, float[] spec, int tokLen, int[] tokens, int[] targets) {
        this(size, specLen, featDim, spec, null, tokLen, tokens, targets);
    }

    /**
     * A batch whose 0/1 spec features are given by the indices of their ones; otherwise as
     * {@link #Batch(int, int, int, float[], int, int[], int[])}.
     *
     * @throws IllegalArgumentException when {@code active} does not cover B * S positions or an
     *                                  index is out of [0, F) or not increasing within its position
     */
    public Batch(int size, int specLen, int featDim, ActiveFeatures active, int tokLen, int[] tokens, int[] targets) {
        this(size, specLen, featDim, null, active, tokLen, tokens, targets);
    }

    private Batch(int size, int specLen, int featDim, float[] spec, ActiveFeatures active, int tokLen, int[] tokens,
            int[] targets) {
        if (size <= 0 || specLen < 0 || featDim < 0 || tokLen <= 0) {
            throw new IllegalArgumentException("batch: bad dimensions B=" + size + " S=" + specLen
                    + " F=" + featDim + " T=" + tokLen);
        }
        if ((specLen == 0) != (featDim == 0)) {
            throw new IllegalArgumentException("batch: specLen and featDim must both be 0 or both positive, got S="
                    + specLen + " F=" + featDim);
        }
        if (spec != null) {
            check("spec", spec.length, (long) size * specLen * featDim);
        } else if (active == null) {
            throw new IllegalArgumentException("batch: no spec features");
        } else {
            checkActive(active, size * specLen, featDim);
        }
        check("tokens", tokens.length, (long) size * tokLen);
        check("targets", targets.length, (long) size * tokLen);
        this.size = size;
        this.specLen = specLen;
        this.featDim = featDim;
        this.spec = spec;
        this.active = active;
        this.tokLen = tokLen;
        this.tokens = tokens;
        this.targets = targets;
    }

    /** B, rows in the batch. */
    public int size() {
        return size;
    }

    /** S, spec positions fed as feature vectors (0 for the text encoding). */
    public int specLen() {
        return specLen;
    }

    /** F, features per spec position (0 when specLen == 0). */
    public int featDim() {
        return featDim;
    }

    /** T, token positions after the spec positions. */
    public int tokLen() {
        return tokLen;
    }

    /** (B, T) input token ids, PAD-padded on the right. */
    public int[] tokens() {
        return tokens;
    }

    /** (B, T) next-token target at each token position, {@link #NO_TARGET} where no loss. */
    public int[] targets() {
        return targets;
    }

    /** The spec features, dense: (B, S, F) row-major (made from the active features on first call). */
    public synchronized float[] spec() {
        if (spec == null) {
            float[] x = new float[size * specLen * featDim];
            int[] off = active.offsets();
            int[] idx = active.indices();
            for (int p = 0; p + 1 < off.length; p++) {
                for (int k = off[p]; k < off[p + 1]; k++) {
                    x[p * featDim + idx[k]] = 1f;
                }
            }
            spec = x;
        }
        return spec;
    }

    /**
     * The spec features as the indices of their ones, or empty when some dense feature is neither
     * 0 nor 1 (found by one pass over the dense array on first call).
     */
    public synchronized Optional<ActiveFeatures> activeFeatures() {
        if (active == null) {
            active = fromDense(spec, size * specLen, featDim);
        }
        return active == NOT_BINARY ? Optional.empty() : Optional.of(active);
    }

    /**
     * The same spec features (in whatever form this batch holds them) with other token rows: how
     * a decoder extends a prompt without copying its spec.
     */
    public synchronized Batch withTokens(int tokLen, int[] tokens, int[] targets) {
        return new Batch(size, specLen, featDim, spec, active, tokLen, tokens, targets);
    }

    /** Total positions per row, S + T. */
    public int seqLen() {
        return specLen + tokLen;
    }

    /** Number of positions that carry a target. */
    public int targetCount() {
        int n = 0;
        for (int t : targets) {
            if (t != NO_TARGET) {
                n++;
            }
        }
        return n;
    }

    private static ActiveFeatures fromDense(float[] x, int positions, int featDim) {
        ActiveFeatures.Builder b = new ActiveFeatures.Builder(positions, x.length / 8);
        for (int p = 0; p < positions; p++) {
            int at = p * featDim;
            for (int f = 0; f < featDim; f++) {
                float v = x[at + f];
                if (v == 1f) {
                    b.add(f);
                } else if (v != 0f) {
                    return NOT_BINARY;
                }
            }
            b.endPosition();
        }
        return b.build();
    }

    private static void checkActive(ActiveFeatures a, int positions, int featDim) {
        int[] off = a.offsets();
        int[] idx = a.indices();
        if (off.length != positions + 1 || off[0] != 0 || off[positions] != idx.length) {
            throw new IllegalArgumentException("batch: active features have " + (off.length - 1) + " positions and "
                    + idx.length + " indices, expected " + positions + " positions ending at offset " + idx.length);
        }
        for (int p = 0; p < positions; p++) {
            if (off[p + 1] < off[p]) {
                throw new IllegalArgumentException("batch: active-feature offsets decrease at position " + p);
            }
            int last = -1;
            for (int k = off[p]; k < off[p + 1]; k++) {
                if (idx[k] <= last || idx[k] >= featDim) {
                    throw new IllegalArgumentException("batch: active feature " + idx[k] + " at position " + p
                            + " is out of [0, " + featDim + ") or not increasing");
                }
                last = idx[k];
            }
        }
    }

    private static void check(String name, int actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("batch: " + name + " has " + actual + " values, expected " + expected);
        }
    }
}
