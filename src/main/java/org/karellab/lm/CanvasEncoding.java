package org.karellab.lm;

/**
 * {@code abs}: one sequence position per (input, output) PAIR, drawn on the world's own 6x6
 * interior, <b>north up and not centred</b> (issue 12's "the same without centring" lever,
 * {@code docs/cpu-recipe.md} E7). Nothing is turned or moved: a cell is where it is in the world,
 * compass directions stay absolute, and the robot's start and end poses are channels at their
 * cells. The sequence is {@code [pair1, ..., pair5, BOS, action..., EOS]}, as {@link EgoEncoding}.
 *
 * <p>Per interior cell, {@value #CHANNELS} channels: wall; input markers 0, 1, 2, 3+; output
 * markers 0, 1, 2, 3+; marker change -2 or less, -1, 0, +1, +2 or more; input robot absent or
 * facing N, E, S, W; output robot absent or facing N, E, S, W. A wall cell has only its wall
 * channel (the border ring is always wall and is left out). The start pose is appended as
 * one-hots (facing, row, column), as in {@code ego}, so the two encodings see the same facts:
 * F = 36 x 24 + 16 = 880.
 *
 * <p>{@code abs4} puts the canvas in one of four blocks by the pair's start facing (the one-hot of
 * the start facing times the canvas), as {@code north4} does for the centred canvas, so that
 * {@code spec_proj} may learn one projection per start facing: F = 4 x 864 + 16 = 3,472.
 */
public final class CanvasEncoding extends PairEncoding {
    public static final String NAME = "abs";
    /** As {@code abs}, the canvas in the block of the start facing. */
    public static final String ABS4 = "abs4";
    static final int CELLS = SIX * SIX;
    static final int CHANNELS = 24;
    /** Channel offsets within a cell. */
    static final int IN_MARKERS = 1;
    static final int OUT_MARKERS = 5;
    static final int CHANGE = 9;
    static final int IN_ROBOT = 14;
    static final int OUT_ROBOT = 19;

    /** The one-block {@code abs} encoding. */
    public CanvasEncoding() {
        this(NAME, 1);
    }

    private CanvasEncoding(String name, int blocks) {
        super(name, blocks);
    }

    /** {@code abs4}: one canvas block per start facing. */
    public static CanvasEncoding abs4() {
        return new CanvasEncoding(ABS4, 4);
    }

    @Override
    int side() {
        return SIX;
    }

    @Override
    int channels() {
        return CHANNELS;
    }

    /** At most 36 cells with 5 ones, and 3 for the start pose. */
    @Override
    int expectedOnes() {
        return 5 * CELLS + 3;
    }

    /** The canvas of pair {@code k} on the world's own interior, at {@code block}. */
    @Override
    void canvas(Spec spec, int k, Ones ones, int block) {
        int in = 2 * k;
        int out = 2 * k + 1;
        int start = spec.robot(in);
        int f0 = spec.facing(in);
        int end = spec.robot(out);
        for (int cell = 0; cell < CELLS; cell++) {
            int o = block + cell * CHANNELS;
            int a = spec.cell(in, cell);
            if (a == 0xFF) {
                ones.one(o);
                continue;
            }
            int z = spec.cell(out, cell);
            ones.one(o + IN_MARKERS + Math.min(a, 3));
            ones.one(o + OUT_MARKERS + Math.min(z, 3));
            ones.one(o + CHANGE + Math.max(-2, Math.min(2, z - a)) + 2);
            ones.one(o + IN_ROBOT + (cell == start ? 1 + f0 : 0));
            ones.one(o + OUT_ROBOT + (cell == end ? 1 + spec.facing(out) : 0));
        }
    }
}
