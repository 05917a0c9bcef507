package org.karellab.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BootstrapTest {
    /** Per-program sums of accuracy: {rows, correct, majority hits}. */
    static double[][] programs(double[]... rows) {
        return rows;
    }

    @Test
    void threeOneRowProgramsGiveTheExactBootstrapQuantiles() {
        // programs correct 1, 1, 0: a resample's accuracy is k/3 with k ~ Binomial(3, 2/3):
        // P(0) = 1/27, P(1/3) = 6/27, P(2/3) = 12/27, P(1) = 8/27; CDF 0.037, 0.259, 0.704, 1
        double[][] sums = programs(new double[] {1, 1, 0}, new double[] {1, 1, 0}, new double[] {1, 0, 0});
        Bootstrap b = new Bootstrap(3, 20_000, 42);
        double[] d = b.distribution(sums, Bootstrap::accuracy);
        Bootstrap.Interval ci95 = Bootstrap.interval(d, 0.95); // 2.5% and 97.5% quantiles
        assertEquals(0.0, ci95.low(), 1e-12);
        assertEquals(1.0, ci95.high(), 1e-12);
        Bootstrap.Interval ci50 = Bootstrap.interval(d, 0.50); // 25% and 75% quantiles
        assertEquals(1.0 / 3, ci50.low(), 1e-12);
        assertEquals(1.0, ci50.high(), 1e-12);
        long zeros = java.util.Arrays.stream(d).filter(v -> v == 0).count();
        assertEquals(1.0 / 27, zeros / 20_000.0, 0.005, "P(all three draws are the wrong program)");
        assertEquals(2.0 / 3, Bootstrap.point(sums, Bootstrap::accuracy), 1e-12);
    }

    @Test
    void programsAreResampledNotRows() {
        // program A: 2 rows both right; program B: 1 row wrong. Pooled accuracy 2/3.
        // Resamples: AA -> 1 (1/4), AB -> 2/3 (1/2), BB -> 0 (1/4): the 30%-70% interval is [2/3, 2/3].
        // Resampling the 3 rows instead would give values in {0, 1/3, 2/3, 1}.
        double[][] sums = programs(new double[] {2, 2, 0}, new double[] {1, 0, 0});
        double[] d = new Bootstrap(2, 20_000, 1).distribution(sums, Bootstrap::accuracy);
        for (double v : d) {
            assertTrue(v == 0 || v == 1 || Math.abs(v - 2.0 / 3) < 1e-12, "value " + v);
        }
        Bootstrap.Interval ci = Bootstrap.interval(d, 0.40);
        assertEquals(2.0 / 3, ci.low(), 1e-12);
        assertEquals(2.0 / 3, ci.high(), 1e-12);
    }

    @Test
    void aPairedDifferenceOfIdenticalMeasurementsIsExactlyZero() {
        double[][] a = programs(new double[] {3, 2, 1}, new double[] {2, 0, 2}, new double[] {4, 4, 0});
        double[][] pair = new double[3][];
        for (int p = 0; p < 3; p++) {
            pair[p] = new double[] {a[p][0], a[p][1], a[p][0], a[p][1]};
        }
        double[] d = new Bootstrap(3, 500, 3).distribution(pair,
                s -> s[1] / s[0] - s[3] / s[2]);
        Bootstrap.Interval ci = Bootstrap.interval(d, 0.95);
        assertEquals(0, ci.low(), 0);
        assertEquals(0, ci.high(), 0);
    }

    @Test
    void theSameSeedGivesTheSameResamples() {
        double[][] s = programs(new double[] {1, 1, 0}, new double[] {2, 1, 1}, new double[] {1, 0, 1}, new double[] {3, 3, 0});
        assertArrayEquals(new Bootstrap(4, 200, 9).distribution(s, Bootstrap::accuracy),
                new Bootstrap(4, 200, 9).distribution(s, Bootstrap::accuracy));
    }

    @Test
    void measuresOnHandComputedSums() {
        // 10 rows, 7 correct, 4 in the majority class: gain = (0.7 - 0.4) / 0.6 = 0.5
        assertEquals(0.5, Bootstrap.gain(new double[] {10, 7, 4}), 1e-12);
        assertEquals(0.4, Bootstrap.majorityRate(new double[] {10, 7, 4}), 1e-12);
        assertTrue(Double.isNaN(Bootstrap.majorityRate(new double[] {0, 0, 0})), "no rows, no rate");
        assertEquals(0, Bootstrap.gain(new double[] {5, 5, 5}), 0, "all rows in one class: no gain possible");
        // targets 1, 2, 3 (sum 6, squares 14, SST 2); squared error 0.5: R^2 = 1 - 0.5 / 2
        assertEquals(0.75, Bootstrap.r2(new double[] {3, 0.5, 6, 14}), 1e-12);
        assertTrue(Double.isNaN(Bootstrap.r2(new double[] {2, 0, 4, 8})), "no spread, no R^2");
        assertTrue(Double.isNaN(Bootstrap.accuracy(new double[] {0, 0, 0})));
    }

    @Test
    void badInputsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(0, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(3, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Bootstrap(3, 10, 1).distribution(new double[2][3], Bootstrap::accuracy));
    }
}
