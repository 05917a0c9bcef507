package org.karellab.lm;

import java.util.List;
import org.karellab.world.Program;

/**
 * How specifications enter the model. The implementations are registered, with the frame they
 * draw examples in, in {@link SpecEncodings}: {@link GridEncoding} ({@code grid}: one sequence
 * position per world; ego and grid are 0/1 feature vectors that batches carry as the indices of their ones), {@link TextEncoding} ({@code text}, the reference's: one token per interior
 * cell plus separators) and {@link EgoEncoding} ({@code ego}: one position per example pair,
 * drawn around the robot's start pose; the CPU recipe's).
 *
 * <p>Every way the sequence ends with {@code BOS, action..., EOS} and the loss is on those
 * program tokens only: the model never sees intermediate states.
 */
public interface SpecEncoding {
    String name();

    /** F: features per spec position (0 when the spec is all tokens). */
    int featDim();

    /** S: spec positions fed as feature vectors, for {@code examples} examples. */
    int specLen(int examples);

    /** Spec tokens before BOS in the token stream, for {@code examples} examples. */
    int specTokens(int examples);

    /** Vocabulary size the model needs. */
    int vocabSize();

    /**
     * Encodes a batch. With {@code programs} the tokens are {@code [spec tokens..., BOS, a1..an]}
     * and the targets {@code [a1..an, EOS]} at the program positions (teacher forcing); with
     * {@code programs == null} the tokens end at BOS (a prompt for decoding) and there are no
     * targets. Token rows are right-padded to the longest row.
     */
    Batch encode(List<Spec> specs, List<Program> programs);

    /**
     * Positions a model needs for a spec of {@code examples} examples, BOS and {@code maxActions}
     * actions: what {@link ModelShape#contextLength()} derives.
     */
    default int contextLength(int examples, int maxActions) {
        return specLen(examples) + specTokens(examples) + 1 + maxActions;
    }

    /**
     * The image layout of a position's features, for encodings that draw each pair on a canvas
     * ({@code ego}, {@code north}, {@code north4}, {@code abs}, {@code abs4}); empty for the others.
     */
    default java.util.Optional<CanvasShape> canvasShape() {
        return java.util.Optional.empty();
    }

    /** A fresh instance of a registered encoding (see {@link SpecEncodings}). */
    static SpecEncoding byName(String name) {
        return SpecEncodings.create(name);
    }

    /** A batch of spec features given by their ones, and token rows without a spec-token prefix. */
    static Batch tokens(List<Spec> specs, List<Program> programs, int specLen, int featDim,
            Batch.ActiveFeatures spec) {
        TokenRows rows = tokenRows(specs, programs, 0, null);
        return new Batch(specs.size(), specLen, featDim, spec, rows.tokLen(), rows.tokens(), rows.targets());
    }

    /** Fills the token and target rows shared by all encodings; {@code prefix} = spec tokens of each row. */
    static Batch tokens(List<Spec> specs, List<Program> programs, int specLen, int featDim, float[] spec,
            int prefixLen, java.util.function.BiConsumer<Integer, int[]> prefix) {
        TokenRows rows = tokenRows(specs, programs, prefixLen, prefix);
        return new Batch(specs.size(), specLen, featDim, spec, rows.tokLen(), rows.tokens(), rows.targets());
    }

    /** (B, T) token and target rows. */
    record TokenRows(int tokLen, int[] tokens, int[] targets) {
    }

    private static TokenRows tokenRows(List<Spec> specs, List<Program> programs, int prefixLen,
            java.util.function.BiConsumer<Integer, int[]> prefix) {
        int b = specs.size();
        int longest = 0;
        if (programs != null) {
            if (programs.size() != b) {
                throw new IllegalArgumentException(b + " specs but " + programs.size() + " programs");
            }
            for (Program p : programs) {
                longest = Math.max(longest, p.length());
            }
        }
        int t = prefixLen + 1 + longest;
        int[] tokens = new int[b * t];
        int[] targets = new int[b * t];
        java.util.Arrays.fill(targets, -1);
        int[] row = new int[prefixLen];
        for (int i = 0; i < b; i++) {
            int o = i * t;
            if (prefixLen > 0) {
                prefix.accept(i, row);
                System.arraycopy(row, 0, tokens, o, prefixLen);
            }
            tokens[o + prefixLen] = Tokens.BOS;
            if (programs != null) {
                Program p = programs.get(i);
                for (int k = 0; k < p.length(); k++) {
                    int id = Tokens.actionToken(p.get(k));
                    tokens[o + prefixLen + 1 + k] = id;
                    targets[o + prefixLen + k] = id;
                }
                targets[o + prefixLen + p.length()] = Tokens.EOS;
            }
        }
        return new TokenRows(t, tokens, targets);
    }
}
