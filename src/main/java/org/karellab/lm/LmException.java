package org.karellab.lm;

/** A user-facing failure of the language-model machinery; the message is one self-contained line. */
public class LmException extends RuntimeException {
    public LmException(String message) {
        super(message);
    }

    public LmException(String message, Throwable cause) {
        super(message, cause);
    }
}
