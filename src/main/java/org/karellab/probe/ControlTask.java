package org.karellab.probe;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A control task after Hewitt and Liang (2019): every row "type" (e.g. the generated action and
 * its position in the program) gets one fixed random label, so the task can only be solved by
 * memorising types. Labels are drawn from the empirical distribution of the real labels.
 *
 * <p>The label of a type is a pure function of the seed, the type key and the label distribution,
 * so train, validation and test rows of one type agree however the rows are split or ordered.
 */
public final class ControlTask {
    private final String[] labels;
    private final double[] cumulative;
    private final long seed;

    private ControlTask(String[] labels, double[] cumulative, long seed) {
        this.labels = labels;
        this.cumulative = cumulative;
        this.seed = seed;
    }

    /** A control task over the label space and frequencies of {@code realLabels} (normally the training labels). */
    public static ControlTask fromLabels(String[] realLabels, long seed) {
        if (realLabels.length == 0) {
            throw new IllegalArgumentException("control task needs at least one real label");
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (String label : realLabels) {
            counts.merge(label, 1, Integer::sum);
        }
        String[] space = counts.keySet().toArray(new String[0]);
        double[] cumulative = new double[space.length];
        double total = 0;
        for (int i = 0; i < space.length; i++) {
            total += counts.get(space[i]);
            cumulative[i] = total / realLabels.length;
        }
        return new ControlTask(space, cumulative, seed);
    }

    /** The fixed control label of one type. */
    public String label(String typeKey) {
        double u = uniform(typeKey);
        int index = Arrays.binarySearch(cumulative, u);
        index = index >= 0 ? index + 1 : -index - 1;
        return labels[Math.min(index, labels.length - 1)];
    }

    /** Control labels for rows with the given type keys. */
    public String[] labels(String[] typeKeys) {
        String[] out = new String[typeKeys.length];
        for (int i = 0; i < typeKeys.length; i++) {
            out[i] = label(typeKeys[i]);
        }
        return out;
    }

    /** A uniform double in [0, 1) from FNV-1a over the key's UTF-8 bytes, seeded, finished with SplitMix64. */
    private double uniform(String typeKey) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : typeKey.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        h = h ^ (h >>> 31);
        return (h >>> 11) * 0x1.0p-53;
    }
}
