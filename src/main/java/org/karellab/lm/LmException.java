package org.karellab.lm;

/**
 * A user-facing failure of the language-model machinery; the message is one self-contained line
 * (the command line prints it alone and exits with 2, as for every {@link org.karellab.world.KarelException}).
 */
public class LmException extends org.karellab.world.KarelException {
    public LmException(String message) {
        super(message);
    }

    public LmException(String message, Throwable cause) {
        super(message, cause);
    }
}
