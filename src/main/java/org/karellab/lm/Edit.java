package org.karellab.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * An edit of a named hidden state during a forward pass (an activation patch): at the chosen
 * sequence positions the state is replaced by, or added to, given vectors, where the state is
 * produced, so every later layer and position sees the edited value. Pass edits to
 * {@link Gpt#forward(ai.djl.ndarray.NDManager, Batch, boolean, HiddenFilter, java.util.List)},
 * to the incremental forward, or to {@link Decoder#greedy(Batch, HiddenFilter, java.util.List)}.
 *
 * <p>{@code name} is one of {@link Gpt#hiddenNames(int)}. Positions count every position of a row,
 * spec positions first ({@code 0..S+T-1}); positions past the end of a sequence are not reached
 * and do nothing (so one edit list serves every step of a decoding). A kept hidden state is
 * recorded after the edits of its name; {@code blocks.{i+1}.resid_pre} is the same stream as
 * {@code blocks.{i}.resid_post}, so edits of both apply, those of {@code resid_post} first.
 *
 * <p>Values are host floats, {@code (rows, positions.length, width)} row-major: {@code rows} is 1
 * (the same values for every batch row) or the batch size (one set per row, rows as in the batch
 * passed to the forward pass or the decoder); {@code width} must be the model's {@code dModel}.
 *
 * <p>A {@link Op#STEER} edit has no values: at each of its positions it asks a {@link Steer} for
 * the vector to add, given the state there as the pass computes it ({@link #steer(String, Steer, int...)}).
 * It serves edits that depend on what the LM holds at positions not yet written, for example "push
 * the probe's reading 90 degrees on" at every position a decoding reaches.
 *
 * @param name      hidden state to edit
 * @param op        replace the state, add to it, or add what {@code steer} gives
 * @param positions distinct sequence positions, each {@code >= 0}
 * @param rows      1, or the batch size (1 for {@link Op#STEER})
 * @param values    {@code (rows, positions.length, width)}; empty for {@link Op#STEER}
 * @param steer     for {@link Op#STEER} only, else null
 */
public record Edit(String name, Op op, int[] positions, int rows, float[] values, Steer steer) {

    /** What an edit does to the state at its positions. */
    public enum Op {
        /** The state becomes the given vector. */
        REPLACE,
        /** The given vector is added to the state (steering). */
        ADD,
        /** The vector its {@link Steer} gives for the state there is added. */
        STEER
    }

    /** The vector to add to one state, computed from that state. */
    @FunctionalInterface
    public interface Steer {
        /**
         * @param row      the row in the first batch of the pass or decoding (rows finished and dropped
         *                 by a decoder keep their numbers)
         * @param position the sequence position, counted as in {@link Edit}
         * @param state    the state there, {@code (dModel)}, before this edit
         * @return the vector to add, {@code (dModel)}, or null to leave the state as it is
         */
        float[] delta(int row, int position, float[] state);
    }

    /** An edit with given values ({@link Op#REPLACE} or {@link Op#ADD}). */
    public Edit(String name, Op op, int[] positions, int rows, float[] values) {
        this(name, op, positions, rows, values, null);
    }

    public Edit {
        if (name == null || op == null || positions == null || values == null) {
            throw new IllegalArgumentException("edit: name, op, positions and values are required");
        }
        if ((op == Op.STEER) != (steer != null)) {
            throw new IllegalArgumentException("edit of " + name + ": a steer goes with op STEER and only with it");
        }
        if (positions.length == 0) {
            throw new IllegalArgumentException("edit of " + name + ": no positions");
        }
        positions = positions.clone();
        int[] sorted = positions.clone();
        Arrays.sort(sorted);
        if (sorted[0] < 0) {
            throw new IllegalArgumentException("edit of " + name + ": negative position " + sorted[0]);
        }
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("edit of " + name + ": position " + sorted[i] + " given twice");
            }
        }
        if (rows < 1) {
            throw new IllegalArgumentException("edit of " + name + ": rows must be >= 1, got " + rows);
        }
        if (op == Op.STEER && (rows != 1 || values.length != 0)) {
            throw new IllegalArgumentException("edit of " + name + ": a steer takes no values (rows 1, no values)");
        }
        long cells = (long) rows * positions.length;
        if (op != Op.STEER && (values.length == 0 || values.length % cells != 0)) {
            throw new IllegalArgumentException("edit of " + name + ": " + values.length + " values are not "
                    + rows + " rows x " + positions.length + " positions x a width");
        }
    }

    /** Adds what {@code steer} gives for the state at each of {@code positions}, in every batch row. */
    public static Edit steer(String name, Steer steer, int... positions) {
        return new Edit(name, Op.STEER, positions, 1, new float[0], steer);
    }

    /** Width of each vector (must equal the model's dModel); 0 for a steer, whose width is checked per state. */
    public int width() {
        return values.length / (rows * positions.length);
    }

    /** Replaces the state by {@code vector} (width dModel) at {@code positions}, in every batch row. */
    public static Edit replace(String name, float[] vector, int... positions) {
        return new Edit(name, Op.REPLACE, positions, 1, tile(vector, positions.length));
    }

    /** Adds {@code vector} (width dModel) to the state at {@code positions}, in every batch row. */
    public static Edit add(String name, float[] vector, int... positions) {
        return new Edit(name, Op.ADD, positions, 1, tile(vector, positions.length));
    }

    /**
     * Patches in a state recorded from another pass: at each of {@code positions}, the state
     * becomes {@code recorded}'s value at that position.
     *
     * @param recorded {@code (B, L, C)}: one value per batch row, e.g. {@code Output.hidden().get(name)}
     *                 of another run; or {@code (L, C)}: the same for every row
     */
    public static Edit patch(String name, NDArray recorded, int... positions) {
        Shape s = recorded.getShape();
        if (s.dimension() != 2 && s.dimension() != 3) {
            throw new IllegalArgumentException("edit of " + name + ": recorded state must be (B, L, C) or (L, C), got " + s);
        }
        long length = s.get(s.dimension() - 2);
        for (int p : positions) {
            if (p < 0 || p >= length) {
                throw new IllegalArgumentException("edit of " + name + ": position " + p
                        + " is outside the recorded state's " + length + " positions");
            }
        }
        long[] index = Arrays.stream(positions).asLongStream().toArray();
        try (NDArray at = recorded.getManager().create(index)) {
            NDArray picked = s.dimension() == 3
                    ? recorded.get(new NDIndex(":, {}, :", at))                    // (B, P, C)
                    : recorded.get(new NDIndex("{}, :", at));                      // (P, C)
            float[] values = picked.toFloatArray();
            picked.close();
            return new Edit(name, Op.REPLACE, positions, s.dimension() == 3 ? (int) s.get(0) : 1, values);
        }
    }

    /** Patches {@code recorded} ({@code (B, L, C)} or {@code (L, C)}) in at every one of its positions. */
    public static Edit patchAll(String name, NDArray recorded) {
        Shape s = recorded.getShape();
        int length = s.dimension() < 2 ? 0 : (int) s.get(s.dimension() - 2);
        int[] all = new int[length];
        Arrays.setAll(all, i -> i);
        return patch(name, recorded, all);
    }

    private static float[] tile(float[] vector, int times) {
        float[] out = new float[vector.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(vector, 0, out, i * vector.length, vector.length);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Edit[" + op + " " + name + " at " + Arrays.toString(positions)
                + (op == Op.STEER ? "]" : ", rows " + rows + ", width " + (values.length / ((long) rows * positions.length)) + "]");
    }
}
