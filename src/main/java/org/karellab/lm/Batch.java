package org.karellab.lm;

/**
 * One padded batch in host memory. The model's sequence is {@code specLen} spec positions (each a
 * feature vector of {@code featDim} floats) followed by {@code tokLen} token positions; logits and
 * targets exist only at the token positions.
 *
 * @param size    B, rows in the batch
 * @param specLen S, spec positions fed as feature vectors (0 for the text encoding)
 * @param featDim F, features per spec position (0 when specLen == 0)
 * @param spec    (B, S, F) row-major, may be length 0
 * @param tokLen  T, token positions after the spec positions
 * @param tokens  (B, T) input token ids, PAD-padded on the right
 * @param targets (B, T) next-token target at each token position, -1 where no loss
 */
public record Batch(
        int size,
        int specLen,
        int featDim,
        float[] spec,
        int tokLen,
        int[] tokens,
        int[] targets) {

    /** Target value meaning "no loss at this position". */
    public static final int NO_TARGET = -1;

    public Batch {
        if (size <= 0 || specLen < 0 || featDim < 0 || tokLen <= 0) {
            throw new IllegalArgumentException("batch: bad dimensions B=" + size + " S=" + specLen
                    + " F=" + featDim + " T=" + tokLen);
        }
        if ((specLen == 0) != (featDim == 0)) {
            throw new IllegalArgumentException("batch: specLen and featDim must both be 0 or both positive, got S="
                    + specLen + " F=" + featDim);
        }
        check("spec", spec.length, (long) size * specLen * featDim);
        check("tokens", tokens.length, (long) size * tokLen);
        check("targets", targets.length, (long) size * tokLen);
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

    private static void check(String name, int actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("batch: " + name + " has " + actual + " values, expected " + expected);
        }
    }
}
