package org.karellab.lm;

import java.util.List;
import org.karellab.world.Program;

/**
 * {@code text}: the reference's encoding, one token per interior cell plus separators, all in the
 * token stream (no feature positions). Per example: {@code Input{k}}, 6 rows of 6 cell tokens
 * each followed by a newline token, {@code Output{k}}, 6 more rows. Cell tokens: wall, space,
 * robot facing N/E/S/W (drawn over markers, as the reference renders), 1..9 markers (more than 9
 * share the last token). For 5 examples that is 430 spec tokens, then {@code BOS, action...,
 * EOS}. Meant for GPU users; slow on a CPU.
 */
public final class TextEncoding implements SpecEncoding {
    public static final String NAME = "text";
    static final int NEWLINE = Tokens.FIRST_FREE;
    static final int WALL = NEWLINE + 1;
    static final int SPACE = WALL + 1;
    /** robot facing N, E, S, W: ROBOT + facing ordinal */
    static final int ROBOT = SPACE + 1;
    /** 1..9 markers: MARKER + count - 1 */
    static final int MARKER = ROBOT + 4;
    /** Input{k}: INPUT + k; Output{k}: OUTPUT + k */
    static final int INPUT = MARKER + 9;
    static final int MAX_EXAMPLES = 10;
    static final int OUTPUT = INPUT + MAX_EXAMPLES;
    static final int VOCAB = OUTPUT + MAX_EXAMPLES;
    static final int SIDE = 6;
    static final int PER_WORLD = 1 + SIDE * (SIDE + 1);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int featDim() {
        return 0;
    }

    @Override
    public int specLen(int examples) {
        return 0;
    }

    @Override
    public int specTokens(int examples) {
        return 2 * examples * PER_WORLD;
    }

    @Override
    public int vocabSize() {
        return VOCAB;
    }

    @Override
    public Batch encode(List<Spec> specs, List<Program> programs) {
        int examples = specs.get(0).examples();
        if (examples > MAX_EXAMPLES) {
            throw new IllegalArgumentException("the text encoding has tokens for at most " + MAX_EXAMPLES + " examples");
        }
        return SpecEncoding.tokens(specs, programs, 0, 0, new float[0], specTokens(examples),
                (i, row) -> spec(specs.get(i), row));
    }

    private static void spec(Spec s, int[] row) {
        int o = 0;
        for (int w = 0; w < s.worldCount(); w++) {
            row[o++] = (w % 2 == 0 ? INPUT : OUTPUT) + w / 2;
            int robot = s.robot(w);
            for (int r = 0; r < SIDE; r++) {
                for (int c = 0; c < SIDE; c++) {
                    int cell = r * SIDE + c;
                    int v = s.cell(w, cell);
                    row[o++] = cell == robot ? ROBOT + s.facing(w) : v == 0xFF ? WALL : v == 0 ? SPACE
                            : MARKER + Math.min(v, 9) - 1;
                }
                row[o++] = NEWLINE;
            }
        }
    }
}
