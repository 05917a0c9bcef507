package org.karellab.trace;

import java.util.List;
import org.karellab.lm.SpecEncodings;
import org.karellab.world.AbstractState;
import org.karellab.world.Reckoning;
import org.karellab.world.Trace;

/**
 * The label features probes predict, from the {@link AbstractState} (defined once in the world
 * package): {@code facing} (4 classes), {@code position} (the offset from the start as one class
 * {@code dx,dy}, 169 possible), {@code wall} (facing a wall, 2 classes), and {@code dx}, {@code dy}
 * separately (13 classes each, -6..6; also the targets of regression probes); {@code rel_facing}
 * (degrees turned clockwise since the start: 0, 90, 180, 270) and {@code rel_position} (offset
 * {@code ahead,right} in the start frame). Column {@code SEM:OFFSET:FEATURE} of {@code labels.csv}
 * holds the feature of the state {@code OFFSET} actions after the current one (the state after the
 * action being emitted), under semantics {@code SEM}; empty where that state does not exist (before
 * the start or past the end).
 */
public final class Labels {
    /**
     * A flag column, not a probed feature: {@code true} where the robot's offset from the start
     * differs from dead reckoning of the written prefix on an empty, unbounded plane (some move was
     * blocked), so that no function of the written tokens alone can know the position.
     */
    public static final String WORLD_DEPENDENT = "world_dependent";
    public static final List<String> FEATURES = List.of("facing", "position", "wall", "rel_facing", "rel_position",
            "dx", "dy", "ahead", "right", WORLD_DEPENDENT);
    /** The features the sweep probes: the paper's three, and facing and position in the start frame. */
    public static final List<String> PROBED = List.of("facing", "position", "wall", "rel_facing", "rel_position");
    /** Numeric features for regression probes (R^2): the offset from the start in both frames. */
    public static final List<String> NUMERIC = List.of("dx", "dy", "ahead", "right");
    /**
     * The pseudo-semantics of the wrong-world control: the original semantics run on another
     * world of the split with the robot placed at the same start pose ({@code wrong_world:OFFSET:FEATURE}).
     */
    public static final String WRONG_WORLD = "wrong_world";

    /**
     * The features whose mean test accuracy is "semantic content" (the paper: facing, position
     * offset, facing a wall), in the frame the encoding draws its examples in
     * ({@link SpecEncodings#frame}): absolute ({@code grid}, {@code text}), or the robot's start
     * frame ({@code ego}, which draws every example around the start pose, so the absolute facing
     * of input 0 is not what the program's effect depends on).
     */
    public static List<String> semantic(String encoding) {
        return switch (SpecEncodings.frame(encoding)) {
            case ABSOLUTE -> List.of("facing", "position", "wall");
            case START -> List.of("rel_facing", "rel_position", "wall");
        };
    }

    private Labels() {
    }

    public static String column(String semantics, int offset, String feature) {
        return semantics + ":" + offset + ":" + feature;
    }

    /**
     * The feature value (as a class label) for action {@code t} (0-based) at {@code offset}, or
     * null when the state does not exist. The state after action t is {@code trace.state(t + 1)}.
     * The start state (before any action) is never a label, as in the reference (a past offset
     * reaching before the first action has no label): it is the same for every row and would
     * make past offsets look easy.
     */
    public static String value(Trace trace, int t, int offset, String feature) {
        int steps = t + 1 + offset;
        if (steps < 1 || steps > trace.length()) {
            return null;
        }
        AbstractState s = trace.state(steps);
        if (feature.equals(WORLD_DEPENDENT)) {
            int[] r = Reckoning.of(trace.program(), trace.semantics()).after(steps);
            return Boolean.toString(r[1] != s.ahead() || r[2] != s.right());
        }
        return switch (feature) {
            case "facing" -> s.facing().name();
            case "position" -> s.dx() + "," + s.dy();
            case "rel_facing" -> Integer.toString(90 * s.turns());
            case "rel_position" -> s.ahead() + "," + s.right();
            case "dx" -> Integer.toString(s.dx());
            case "dy" -> Integer.toString(s.dy());
            case "ahead" -> Integer.toString(s.ahead());
            case "right" -> Integer.toString(s.right());
            case "wall" -> Boolean.toString(s.facingWall());
            default -> throw new IllegalArgumentException("unknown feature " + feature);
        };
    }
}
