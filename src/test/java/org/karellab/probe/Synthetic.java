package org.karellab.probe;

import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;

import java.util.Map;
import java.util.SplittableRandom;

/** Seeded synthetic probe data with planted signals. */
final class Synthetic {
    private Synthetic() {}

    /** Rows and their labels. */
    record Rows(float[][] x, String[] labels) {
        MutableDataset<Label> dataset(String split) {
            return ProbeData.classification(x, labels, Map.of("run", "synthetic", "split", split));
        }
    }

    static float[][] gaussian(int rows, int width, SplittableRandom random) {
        float[][] x = new float[rows][width];
        for (float[] row : x) {
            for (int j = 0; j < width; j++) {
                row[j] = (float) gaussian(random);
            }
        }
        return x;
    }

    static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /** label = argmax of a fixed random linear map of the features (seed picks the map, not the rows). */
    static Rows linear(int rows, int width, int classes, long mapSeed, SplittableRandom random) {
        double[][] map = new double[classes][];
        SplittableRandom mapRandom = new SplittableRandom(mapSeed);
        for (int k = 0; k < classes; k++) {
            map[k] = new double[width];
            for (int j = 0; j < width; j++) {
                map[k][j] = gaussian(mapRandom);
            }
        }
        float[][] x = gaussian(rows, width, random);
        String[] labels = new String[rows];
        for (int i = 0; i < rows; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                double score = 0;
                for (int j = 0; j < width; j++) {
                    score += map[k][j] * x[i][j];
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = k;
                }
            }
            labels[i] = "c" + best;
        }
        return new Rows(x, labels);
    }

    /** label = sign(x0) xor sign(x1); the other features are noise. */
    static Rows xor(int rows, int width, SplittableRandom random) {
        float[][] x = gaussian(rows, width, random);
        String[] labels = new String[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = (x[i][0] > 0) != (x[i][1] > 0) ? "odd" : "even";
        }
        return new Rows(x, labels);
    }
}
