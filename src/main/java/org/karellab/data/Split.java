package org.karellab.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.karellab.world.KarelException;

/**
 * Dataset splits, in generation order: test first, then val, then train, so that with
 * {@code --dedup} the evaluation splits keep the reference's distribution and train avoids
 * their programs.
 */
public enum Split {
    TEST, VAL, TRAIN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Split byName(String name) {
        for (Split s : values()) {
            if (s.id().equalsIgnoreCase(name.trim())) {
                return s;
            }
        }
        throw new KarelException("unknown split '" + name + "' (known: "
                + Arrays.stream(values()).map(Split::id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id();
    }
}
