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
 *
 * <p>Two absolute-frame variants (issue 12, {@code docs/cpu-recipe.md} E3 on) draw the same canvas
 * centred on the start cell but <b>north up</b>, with the output robot's facing absolute (N, E, S,
 * W); the start facing enters only through the appended one-hot:
 * <ul>
 *   <li>{@code north}: one canvas block, F = 2315. A linear {@code spec_proj} cannot express
 *       "which neighbour matters depends on the start facing"; the blocks must build it.</li>
 *   <li>{@code north4}: four canvas blocks, one per start facing; a pair fills the block of its
 *       start facing and leaves the others 0 (the one-hot of the start facing times the canvas),
 *       F = 4 x 2299 + 16 = 9212. Nothing is rotated: compass directions stay absolute, but
 *       {@code spec_proj} may learn one projection per start facing. Which frame the LM then
 *       tracks is for the probes to say (absolute {@code facing} and start-frame
 *       {@code rel_facing} are both probed).</li>
 * </ul>
 */
public final class EgoEncoding extends PairEncoding {
    public static final String NAME = "ego";
    /** Centred on the start cell, north up, one canvas block. */
    public static final String NORTH = "north";
    /** Centred on the start cell, north up, the canvas in the block of the start facing. */
    public static final String NORTH4 = "north4";
    static final int RADIUS = 5;
    static final int SIDE = 2 * RADIUS + 1;
    static final int CHANNELS = 19;

    /** Rotate the canvas so the start facing points up (ego), or keep north up. */
    private final boolean rotate;

    /** The start-frame {@code ego} encoding. */
    public EgoEncoding() {
        this(NAME, true, 1);
    }

    private EgoEncoding(String name, boolean rotate, int blocks) {
        super(name, blocks);
        this.rotate = rotate;
    }

    /** {@code north}: centred, north up, one block. */
    public static EgoEncoding north() {
        return new EgoEncoding(NORTH, false, 1);
    }

    /** {@code north4}: centred, north up, one block per start facing. */
    public static EgoEncoding north4() {
        return new EgoEncoding(NORTH4, false, 4);
    }

    @Override
    int side() {
        return SIDE;
    }

    @Override
    int channels() {
        return CHANNELS;
    }

    /** At most 36 cells with 4 ones, the others 1, and 3 for the start pose. */
    @Override
    int expectedOnes() {
        return SIDE * SIDE + 3 * 36 + 3;
    }

    /** Facing ordinals N, E, S, W as (dRow, dCol). */
    private static final int[] DR = {-1, 0, 1, 0};
    private static final int[] DC = {0, 1, 0, -1};

    /** The canvas of pair {@code k}, turned to the start facing ({@code rotate}) or north up, at {@code block}. */
    @Override
    void canvas(Spec spec, int k, Ones ones, int block) {
        int in = 2 * k;
        int out = 2 * k + 1;
        int start = spec.robot(in);
        int r0 = start / SIX;
        int c0 = start % SIX;
        int f0 = spec.facing(in);
        int up = rotate ? f0 : 0; // the compass direction drawn "up"
        int endCell = spec.robot(out);
        int endFacing = (spec.facing(out) - up + 4) % 4;
        // canvas (u, v): u rows "forward" (up = ahead of the robot), v columns "to the right"
        for (int u = 0; u < SIDE; u++) {
            for (int v = 0; v < SIDE; v++) {
                int ahead = RADIUS - u;
                int right = v - RADIUS;
                // "up" along facing `up`, "right" along facing up+1
                int r = r0 + ahead * DR[up] + right * DR[(up + 1) % 4];
                int c = c0 + ahead * DC[up] + right * DC[(up + 1) % 4];
                int o = block + (u * SIDE + v) * CHANNELS;
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
    }
}
