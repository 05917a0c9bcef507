package org.karellab.data;

import java.util.List;
import org.karellab.world.Action;
import org.karellab.world.KarelException;

/**
 * Everything that determines a generated dataset; saved in its manifest. The same config gives
 * byte-identical files whatever the number of threads. Defaults are the reference's.
 *
 * @param seed seed of every random draw (default 1)
 * @param train programs in the train split (default 500,000, as the reference trains on)
 * @param val programs in the validation split (default 10,000)
 * @param test programs in the test split (default 10,000)
 * @param trainLengths program lengths of the train split, equal numbers of each (default 6-10)
 * @param evalLengths program lengths of val and test, equal numbers of each (default 1-10)
 * @param examples input worlds per program (default 10)
 * @param specExamples how many of them form the specification; the rest are held out (default 5)
 * @param wallRate probability that an interior cell is a wall (default 0.1)
 * @param markerRate probability that a free interior cell other than the robot's holds one
 *     marker (default 0.1)
 * @param weights statement weights in {@link Action} order: move, turnLeft, turnRight,
 *     pickMarker, putMarker (default 5, 3, 3, 2, 2)
 * @param dedup keep every program string in at most one split (default false, as the reference)
 */
public record GenConfig(
        long seed,
        int train,
        int val,
        int test,
        LengthRange trainLengths,
        LengthRange evalLengths,
        int examples,
        int specExamples,
        double wallRate,
        double markerRate,
        List<Integer> weights,
        boolean dedup) {

    /** Upper bound on programs per split: keeps a mistyped size from filling the disk. */
    public static final int MAX_PROGRAMS = 50_000_000;

    public static GenConfig defaults() {
        return new GenConfig(1, 500_000, 10_000, 10_000, new LengthRange(6, 10), new LengthRange(1, 10), 10, 5,
                0.1, 0.1, List.of(5, 3, 3, 2, 2), false);
    }

    public GenConfig {
        checkCount("train", train);
        checkCount("val", val);
        checkCount("test", test);
        if (examples < 1 || examples > 100) {
            throw new KarelException("--examples " + examples + " is invalid (want 1..100)");
        }
        if (specExamples < 1 || specExamples > examples) {
            throw new KarelException("spec examples " + specExamples + " is invalid (want 1.." + examples + ")");
        }
        if (!(wallRate >= 0 && wallRate < 1) || !(markerRate >= 0 && markerRate <= 1)) {
            throw new KarelException("wall rate " + wallRate + " and marker rate " + markerRate
                    + " must be probabilities (wall rate below 1)");
        }
        if (weights == null || weights.size() != Action.count()) {
            throw new KarelException("statement weights need one value per action (" + Action.count() + ")");
        }
        int total = 0;
        for (int w : weights) {
            if (w < 0) {
                throw new KarelException("statement weight " + w + " is negative");
            }
            total += w;
        }
        if (total == 0) {
            throw new KarelException("statement weights are all zero");
        }
        weights = List.copyOf(weights);
    }

    private static void checkCount(String split, int n) {
        if (n < 0 || n > MAX_PROGRAMS) {
            throw new KarelException("--" + split + " " + n + " is out of range (want 0.." + MAX_PROGRAMS + ")");
        }
    }

    /** Size of the named split. */
    public int count(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case VAL -> val;
            case TEST -> test;
        };
    }

    public LengthRange lengths(Split split) {
        return split == Split.TRAIN ? trainLengths : evalLengths;
    }

    public int maxLength() {
        return Math.max(trainLengths.max(), evalLengths.max());
    }
}
