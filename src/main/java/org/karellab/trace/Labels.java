package org.karellab.trace;

import java.util.List;
import org.karellab.world.AbstractState;
import org.karellab.world.Trace;

/**
 * The label features probes predict, from the {@link AbstractState} (defined once in the world
 * package): {@code facing} (4 classes), {@code position} (the offset from the start as one class
 * {@code dx,dy}, 169 possible), {@code wall} (facing a wall, 2 classes), and {@code dx}, {@code dy}
 * separately (13 classes each, -6..6; also the targets of regression probes). Column {@code SEM:OFFSET:FEATURE} of {@code labels.csv}
 * holds the feature of the state {@code OFFSET} actions after the current one (the state after the
 * action being emitted), under semantics {@code SEM}; empty where that state does not exist (before
 * the start or past the end).
 */
public final class Labels {
    public static final List<String> FEATURES = List.of("facing", "position", "wall", "dx", "dy");
    /** The features whose mean accuracy is "semantic content" (paper: facing, position offset, facing a wall). */
    public static final List<String> SEMANTIC = List.of("facing", "position", "wall");

    private Labels() {
    }

    public static String column(String semantics, int offset, String feature) {
        return semantics + ":" + offset + ":" + feature;
    }

    /**
     * The feature value (as a class label) for action {@code t} (0-based) at {@code offset}, or
     * null when the state does not exist. The state after action t is {@code trace.state(t + 1)}.
     */
    public static String value(Trace trace, int t, int offset, String feature) {
        int steps = t + 1 + offset;
        if (steps < 0 || steps > trace.length()) {
            return null;
        }
        AbstractState s = trace.state(steps);
        return switch (feature) {
            case "facing" -> s.facing().name();
            case "position" -> s.dx() + "," + s.dy();
            case "dx" -> Integer.toString(s.dx());
            case "dy" -> Integer.toString(s.dy());
            case "wall" -> Boolean.toString(s.facingWall());
            default -> throw new IllegalArgumentException("unknown feature " + feature);
        };
    }
}
