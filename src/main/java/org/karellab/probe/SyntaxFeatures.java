package org.karellab.probe;

import org.karellab.trace.Labels;
import org.karellab.world.Action;
import org.karellab.world.Facing;
import org.karellab.world.Program;
import org.karellab.world.Reckoning;
import org.karellab.world.Semantics;
import tech.tablesaw.api.Table;

/**
 * The syntax-only baseline's inputs: features of the written prefix alone, never the LM's states.
 * A probe on these knows everything the tokens say and nothing the world adds, so semantic content
 * above it is what the LM knows beyond the tokens.
 *
 * <p>For the row of action t (0-based) of a program: one-hot of each written action at positions
 * 0..{@value #MAX_ACTIONS}-1 up to and including t (position empty after t), one-hot of t, and
 * dead reckoning of the prefix under the probed semantics ({@link Reckoning}: turns in the start
 * frame, one-hot of 4; offset ahead and right, one-hot of 13 each), i.e. the state the prefix
 * implies on an empty, unbounded plane. Then what the specification adds without any world: the
 * start facing of input 0 (one-hot of 4), which every encoding shows the LM, and the same dead
 * reckoning turned to the compass (absolute facing, one-hot of 4; offset east and south, one-hot of
 * 13 each), so that absolute {@code facing} and {@code position} have a baseline as strong as the
 * start-frame ones (a linear probe cannot add the start facing to the turns itself). The start
 * facing is read from the labels ({@code original:0:facing} minus {@code original:0:rel_facing});
 * without those columns these blocks stay 0. {@value #WIDTH} features.
 */
public final class SyntaxFeatures {
    /** Longest generated program (the decoder's limit). */
    public static final int MAX_ACTIONS = 12;
    private static final int ACTIONS = Action.count() + 1; // + empty position
    private static final int SPAN = 13; // offsets -6..6
    /** Where the blocks that need the start facing begin. */
    static final int COMPASS = MAX_ACTIONS * ACTIONS + MAX_ACTIONS + 4 + 2 * SPAN;
    public static final int WIDTH = COMPASS + 4 + 4 + 2 * SPAN;

    private SyntaxFeatures() {
    }

    /** Features of every row of a trace folder's labels table (columns program, index, action). */
    public static float[][] of(Table labels, Semantics semantics) {
        int[] program = labels.intColumn("program").asIntArray();
        int[] index = labels.intColumn("index").asIntArray();
        String[] action = labels.stringColumn("action").asObjectArray();
        int[] startFacing = startFacing(labels);
        float[][] x = new float[program.length][WIDTH];
        int start = 0;
        while (start < program.length) {
            int end = start;
            while (end < program.length && program[end] == program[start]) {
                end++;
            }
            Action[] written = new Action[end - start];
            for (int r = start; r < end; r++) {
                written[index[r]] = Action.byName(action[r]);
            }
            Reckoning reck = Reckoning.of(new Program(java.util.List.of(written)), semantics);
            int f0 = -1;
            for (int r = start; r < end && f0 < 0; r++) {
                f0 = startFacing[r];
            }
            for (int r = start; r < end; r++) {
                int[] state = reck.after(index[r] + 1);
                row(x[r], written, index[r], state);
                if (f0 >= 0) {
                    compass(x[r], Facing.of(f0), state);
                }
            }
            start = end;
        }
        return x;
    }

    private static void row(float[] f, Action[] written, int t, int[] state) {
        for (int i = 0; i < MAX_ACTIONS; i++) {
            int a = i <= t && i < written.length ? written[i].ordinal() : Action.count();
            f[i * ACTIONS + a] = 1;
        }
        int at = MAX_ACTIONS * ACTIONS;
        f[at + Math.min(t, MAX_ACTIONS - 1)] = 1;
        at += MAX_ACTIONS;
        f[at + state[0]] = 1;
        at += 4;
        f[at + clamp(state[1])] = 1;
        at += SPAN;
        f[at + clamp(state[2])] = 1;
    }

    /** The start-facing blocks: start facing, absolute facing, offset east and south. */
    private static void compass(float[] f, Facing f0, int[] state) {
        int at = COMPASS;
        f[at + f0.ordinal()] = 1;
        at += 4;
        f[at + (f0.ordinal() + state[0]) % 4] = 1;
        at += 4;
        Facing right = f0.right();
        f[at + clamp(state[1] * f0.dCol + state[2] * right.dCol)] = 1;
        at += SPAN;
        f[at + clamp(state[1] * f0.dRow + state[2] * right.dRow)] = 1;
    }

    /** Per row, input 0's start facing (ordinal), or -1 where the labels do not say. */
    private static int[] startFacing(Table labels) {
        int[] f0 = new int[labels.rowCount()];
        java.util.Arrays.fill(f0, -1);
        String facing = Labels.column("original", 0, "facing");
        String rel = Labels.column("original", 0, "rel_facing");
        if (!labels.containsColumn(facing) || !labels.containsColumn(rel)) {
            return f0;
        }
        for (int r = 0; r < f0.length; r++) {
            String a = labels.column(facing).getString(r);
            String b = labels.column(rel).getString(r);
            if (a == null || a.isEmpty() || b == null || b.isEmpty()) {
                continue;
            }
            int turns = (int) Math.round(Double.parseDouble(b)) / 90;
            f0[r] = ((Facing.valueOf(a).ordinal() - turns) % 4 + 4) % 4;
        }
        return f0;
    }

    private static int clamp(int offset) {
        return Math.max(0, Math.min(SPAN - 1, offset + SPAN / 2));
    }

    /** The written prefix of every row (its actions up to and including the row's), e.g. {@code move turnLeft}: a control task's type. */
    public static String[] prefixes(Table labels) {
        int[] program = labels.intColumn("program").asIntArray();
        String[] action = labels.stringColumn("action").asObjectArray();
        String[] out = new String[program.length];
        for (int r = 0; r < program.length; r++) {
            out[r] = r > 0 && program[r] == program[r - 1] ? out[r - 1] + " " + action[r] : action[r];
        }
        return out;
    }
}
