package org.karellab.world;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What happens when an action cannot be carried out: a move into a wall, or pickMarker on a cell
 * without markers (putMarker never crashes: the robot carries unlimited markers).
 */
public enum CrashPolicy {
    /** The reference's behaviour (default): the failed action does nothing and the run goes on. */
    NOOP("noop"),
    /**
     * Bunel et al. (2018): the first crash sets a crashed flag, and every later action is a no-op.
     */
    HALT("halt"),
    /** The run stops with a {@link CrashException}. */
    ERROR("error");

    public final String id;

    CrashPolicy(String id) {
        this.id = id;
    }

    public static CrashPolicy byName(String name) {
        for (CrashPolicy p : values()) {
            if (p.id.equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new KarelException("unknown crash policy '" + name + "' (known: "
                + Arrays.stream(values()).map(p -> p.id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
