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

    /** The reference's settings (the {@link Builder}'s defaults). */
    public static GenConfig defaults() {
        return builder().build();
    }

    /** A builder starting at the reference's settings: change only what differs. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        return new Builder().optSeed(seed).optTrain(train).optVal(val).optTest(test).optTrainLengths(trainLengths)
                .optEvalLengths(evalLengths).optExamples(examples).optSpecExamples(specExamples).optWallRate(wallRate)
                .optMarkerRate(markerRate).optWeights(weights).optDedup(dedup);
    }

    /** Builds a {@link GenConfig}; its fields start at the reference's values (paper-facts). */
    public static final class Builder {
        private long seed = 1;
        private int train = 500_000;                              // the reference trains on 500k programs
        private int val = 10_000;
        private int test = 10_000;
        private LengthRange trainLengths = new LengthRange(6, 10); // the reference's train lengths
        private LengthRange evalLengths = new LengthRange(1, 10);  // and its val/test lengths
        private int examples = 10;                                 // 10 worlds per program,
        private int specExamples = 5;                              // the first 5 the specification
        private double wallRate = 0.1;
        private double markerRate = 0.1;
        private List<Integer> weights = List.of(5, 3, 3, 2, 2);   // move, turnLeft, turnRight, pickMarker, putMarker
        private boolean dedup = false;                             // the reference does not deduplicate

        private Builder() {
        }

        public Builder optSeed(long v) { seed = v; return this; }
        public Builder optTrain(int v) { train = v; return this; }
        public Builder optVal(int v) { val = v; return this; }
        public Builder optTest(int v) { test = v; return this; }
        public Builder optTrainLengths(LengthRange v) { trainLengths = v; return this; }
        public Builder optEvalLengths(LengthRange v) { evalLengths = v; return this; }
        public Builder optExamples(int v) { examples = v; return this; }
        public Builder optSpecExamples(int v) { specExamples = v; return this; }
        public Builder optWallRate(double v) { wallRate = v; return this; }
        public Builder optMarkerRate(double v) { markerRate = v; return this; }
        public Builder optWeights(List<Integer> v) { weights = v; return this; }
        public Builder optDedup(boolean v) { dedup = v; return this; }

        /** @throws KarelException as the record's constructor, for values out of range */
        public GenConfig build() {
            return new GenConfig(seed, train, val, test, trainLengths, evalLengths, examples, specExamples, wallRate,
                    markerRate, weights, dedup);
        }
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
