package org.karellab.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.karellab.world.KarelException;

/** An inclusive range of program lengths, written {@code 6-10} (or {@code 7} for one length). */
public record LengthRange(int min, int max) {
    /** Longest program the kit stores (the dataset format keeps lengths in one byte). */
    public static final int LIMIT = 64;

    public LengthRange {
        if (min < 1 || max < min || max > LIMIT) {
            throw new KarelException("length range " + min + "-" + max + " is invalid (want 1 <= min <= max <= "
                    + LIMIT + ")");
        }
    }

    @JsonCreator
    public static LengthRange parse(String text) {
        String t = text.trim();
        try {
            int dash = t.indexOf('-');
            if (dash < 0) {
                int n = Integer.parseInt(t);
                return new LengthRange(n, n);
            }
            return new LengthRange(Integer.parseInt(t.substring(0, dash).trim()),
                    Integer.parseInt(t.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new KarelException("length range '" + text + "' is not MIN-MAX, e.g. 6-10");
        }
    }

    public int count() {
        return max - min + 1;
    }

    public boolean contains(int length) {
        return length >= min && length <= max;
    }

    @JsonValue
    @Override
    public String toString() {
        return min == max ? Integer.toString(min) : min + "-" + max;
    }
}
