package org.karellab.probe;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The percentile bootstrap over <em>programs</em> (not rows): rows of one program share its
 * specification, its written prefix and its world, so they are not independent. A resample draws
 * programs with replacement; a statistic is computed from the per-program sums it is given
 * (for accuracy: rows and correct rows per program), weighted by how often each program was drawn.
 *
 * <p>One {@code Bootstrap} is made per set of test programs and reused for every measurement on
 * them, so two measurements see the same resamples: a paired difference is the statistic
 * {@code f(A) - f(B)} computed on each resample (see {@link #distribution}), and its interval
 * accounts for the correlation between A and B.
 */
public final class Bootstrap {
    /** Resamples by default: enough for a stable 95% percentile interval. */
    public static final int DEFAULT_RESAMPLES = 1000;

    private final int programs;
    private final int[][] counts; // (B, P): how often program p is drawn in resample b

    /**
     * @param programs number of programs P (rows of the per-program sums)
     * @param resamples number of resamples B
     * @param seed the resampling seed (the same seed gives the same intervals)
     */
    public Bootstrap(int programs, int resamples, long seed) {
        if (programs < 1) {
            throw new IllegalArgumentException("bootstrap needs at least one program, got " + programs);
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("bootstrap needs at least one resample, got " + resamples);
        }
        this.programs = programs;
        this.counts = new int[resamples][programs];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int[] c : counts) {
            for (int i = 0; i < programs; i++) {
                c[rng.nextInt(programs)]++;
            }
        }
    }

    public int programs() {
        return programs;
    }

    public int resamples() {
        return counts.length;
    }

    /**
     * The statistic on every resample.
     *
     * @param sums per-program sums, {@code (P, k)}: row p holds program p's k sums
     * @param stat the statistic, from the k weighted column sums
     */
    public double[] distribution(double[][] sums, ToDoubleFunction<double[]> stat) {
        if (sums.length != programs) {
            throw new IllegalArgumentException("sums have " + sums.length + " programs, the bootstrap " + programs);
        }
        int k = sums[0].length;
        double[] out = new double[counts.length];
        double[] s = new double[k];
        for (int b = 0; b < counts.length; b++) {
            Arrays.fill(s, 0);
            int[] c = counts[b];
            for (int p = 0; p < programs; p++) {
                if (c[p] != 0) {
                    for (int j = 0; j < k; j++) {
                        s[j] += c[p] * sums[p][j];
                    }
                }
            }
            out[b] = stat.applyAsDouble(s);
        }
        return out;
    }

    /** The statistic on the sample itself (every program once). */
    public static double point(double[][] sums, ToDoubleFunction<double[]> stat) {
        return stat.applyAsDouble(total(sums));
    }

    /** Column sums of {@code sums}. */
    public static double[] total(double[][] sums) {
        double[] s = new double[sums[0].length];
        for (double[] row : sums) {
            for (int j = 0; j < s.length; j++) {
                s[j] += row[j];
            }
        }
        return s;
    }

    /** A two-sided interval. */
    public record Interval(double low, double high) {
        public boolean contains(double v) {
            return v >= low && v <= high;
        }
    }

    /**
     * The percentile interval at {@code level} (e.g. 0.95) of a bootstrap distribution; NaN
     * values (a resample where the statistic is undefined) are left out. The q-quantile is the
     * smallest value with at least a fraction q of the values at or below it.
     */
    public static Interval interval(double[] distribution, double level) {
        double[] d = Arrays.stream(distribution).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (d.length == 0) {
            return new Interval(Double.NaN, Double.NaN);
        }
        double tail = (1 - level) / 2;
        return new Interval(quantile(d, tail), quantile(d, 1 - tail));
    }

    private static double quantile(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length - 1e-9) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    // ---- the statistics of the kit, over per-program sums ----

    /** Columns of a per-program sums row for classification: rows, correct rows, rows equal to the train majority. */
    public static final int N = 0;
    public static final int CORRECT = 1;
    public static final int MAJORITY = 2;
    /** Columns for regression: rows, squared error, target sum, target sum of squares. */
    public static final int SSE = 1;
    public static final int SUM_Y = 2;
    public static final int SUM_YY = 3;

    /** Accuracy = correct / rows (NaN without rows). */
    public static double accuracy(double[] s) {
        return s[N] == 0 ? Double.NaN : s[CORRECT] / s[N];
    }

    /**
     * The majority rate: the share of rows whose label is the train split's majority class, the
     * accuracy of always answering it (NaN without rows).
     */
    public static double majorityRate(double[] s) {
        return s[N] == 0 ? Double.NaN : s[MAJORITY] / s[N];
    }

    /** Gain over the majority class: (accuracy - majority) / (1 - majority); 0 when the majority is 1. */
    public static double gain(double[] s) {
        if (s[N] == 0) {
            return Double.NaN;
        }
        double acc = s[CORRECT] / s[N];
        double maj = s[MAJORITY] / s[N];
        return maj >= 1 ? 0 : (acc - maj) / (1 - maj);
    }

    /** R^2 = 1 - SSE / SST, SST around the resample's own mean (NaN without spread). */
    public static double r2(double[] s) {
        double sst = s[SUM_YY] - s[SUM_Y] * s[SUM_Y] / s[N];
        return s[N] == 0 || sst <= 0 ? Double.NaN : 1 - s[SSE] / sst;
    }
}
