package org.karellab.world;

/**
 * Bad input or a failed run, with a one-line message that names the place and the problem
 * (for example {@code train.jsonl:12: field input3: line 2 has 7 characters, expected 8}).
 * The command line prints the message alone and exits with status 2.
 */
public class KarelException extends RuntimeException {
    public KarelException(String message) {
        super(message);
    }

    public KarelException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The same problem, with {@code place} (a file, record or field) put in front of the message. */
    public KarelException at(String place) {
        return new KarelException(place + ": " + getMessage(), this);
    }
}
