package org.karellab.lm;

/**
 * {@code ego}: one sequence position per (input, output) PAIR, seen from the robot's start pose.
 * The sequence is {@code [pair1, ..., pair5, BOS, action..., EOS]}.
 *
 * <p>Actions are relative to the robot (move forward, turn left or right), so each pair is drawn
 * on an 11x11 canvas centred on the robot's start cell and rotated so that the start facing points
 * up: the effect of a program then looks the same in every example (up to walls), and the model
 * compares input with output cell by cell instead of across sequence positions. Cells off the
 * 8x8 grid count as wall. The robot's absolute start pose (facing, row, column) is appended as
 * one-hots, so nothing about the specification is lost: every pair is an invertible re-drawing of
 * the reference's (input, output) worlds, and the model still never sees an intermediate state.
 *
 * <p>Per canvas cell, {@value #CHANNELS} channels: wall; input markers 0, 1, 2, 3+; output
 * markers 0, 1, 2, 3+; marker change -2 or less, -1, 0, +1, +2 or more; output robot absent or
 * facing up, right, down, left (relative to the start facing). F = 121 x 19 + 4 + 6 + 6 = 2315.
 */
public final class EgoEncoding extends FeatureEncoding {
    public static final String NAME = "ego";
    static final int RADIUS = 5;
    static final int SIDE = 2 * RADIUS + 1;
    static final int CHANNELS = 19;
    static final int SIX = 6;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int featDim() {
        return SIDE * SIDE * CHANNELS + 4 + SIX + SIX;
    }

    @Override
    public int specLen(int examples) {
        return examples;
    }

    @Override
    void write(Spec spec, int position, float[] x, int at) {
        pair(spec, position, f -> x[at + f] = 1f);
    }

    @Override
    void writeOnes(Spec spec, int position, Ones ones) {
        pair(spec, position, ones);
    }

    /** At most 36 cells with 4 ones, the others 1, and 3 for the start pose. */
    @Override
    int expectedOnes() {
        return SIDE * SIDE + 3 * 36 + 3;
    }

    /** Facing ordinals N, E, S, W as (dRow, dCol). */
    private static final int[] DR = {-1, 0, 1, 0};
    private static final int[] DC = {0, 1, 0, -1};

    /** Reports the ones of pair {@code k} in increasing feature order. */
    static void pair(Spec spec, int k, Ones ones) {
        int in = 2 * k;
        int out = 2 * k + 1;
        int start = spec.robot(in);
        int r0 = start / SIX;
        int c0 = start % SIX;
        int f0 = spec.facing(in);
        int endCell = spec.robot(out);
        int endFacing = (spec.facing(out) - f0 + 4) % 4;
        // canvas (u, v): u rows "forward" (up = ahead of the robot), v columns "to the right"
        for (int u = 0; u < SIDE; u++) {
            for (int v = 0; v < SIDE; v++) {
                int ahead = RADIUS - u;
                int right = v - RADIUS;
                // ahead along facing f0, right along facing f0+1
                int r = r0 + ahead * DR[f0] + right * DR[(f0 + 1) % 4];
                int c = c0 + ahead * DC[f0] + right * DC[(f0 + 1) % 4];
                int o = (u * SIDE + v) * CHANNELS;
                if (r < 0 || r >= SIX || c < 0 || c >= SIX) {
                    ones.one(o); // border or off the grid
                    continue;
                }
                int cell = r * SIX + c;
                int a = spec.cell(in, cell);
                if (a == 0xFF) {
                    ones.one(o);
                    continue;
                }
                int z = spec.cell(out, cell);
                // channel groups in increasing order: input markers, output markers, change, robot
                ones.one(o + 1 + Math.min(a, 3));
                ones.one(o + 5 + Math.min(z, 3));
                ones.one(o + 9 + Math.max(-2, Math.min(2, z - a)) + 2);
                ones.one(o + 14 + (cell == endCell ? 1 + endFacing : 0));
            }
        }
        int o = SIDE * SIDE * CHANNELS;
        ones.one(o + f0);
        ones.one(o + 4 + r0);
        ones.one(o + 4 + SIX + c0);
    }
}
