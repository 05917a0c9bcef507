package org.karellab.lm;

import org.karellab.world.Action;

/**
 * Token ids shared by every encoding. Ids below {@link #FIRST_FREE} are fixed; a text encoding
 * numbers its own tokens from {@link #FIRST_FREE} up.
 */
public final class Tokens {
    /** Padding on the right of shorter rows; never a target. */
    public static final int PAD = 0;
    /** Begins the program: the last prompt token before the first action. */
    public static final int BOS = 1;
    /** Ends the program. */
    public static final int EOS = 2;
    /** Id of the first action; action {@code a} is {@code FIRST_ACTION + a.ordinal()} (3..7). */
    public static final int FIRST_ACTION = 3;
    /** First id free for an encoding's own tokens. */
    public static final int FIRST_FREE = FIRST_ACTION + Action.count();

    private Tokens() {
    }

    public static int actionToken(Action action) {
        return FIRST_ACTION + action.ordinal();
    }

    public static boolean isAction(int token) {
        return token >= FIRST_ACTION && token < FIRST_FREE;
    }

    /** The action a token stands for; IllegalArgumentException if it is not an action token. */
    public static Action tokenAction(int token) {
        if (!isAction(token)) {
            throw new IllegalArgumentException("token " + token + " is not an action token");
        }
        return Action.of(token - FIRST_ACTION);
    }
}
