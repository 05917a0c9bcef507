package org.karellab.lm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training throughput of a config on synthetic batches of the grid shape, next to the machine's
 * fp32 matmul rate through the same engine. Achieved GFLOP/s counts 6 x parameters x positions
 * per step (forward plus backward, Kaplan et al.), so attention's own FLOPs are not counted.
 */
public final class Bench {
    /** Spec positions of the grid encoding: 5 (input, output) pairs. */
    public static final int SPEC_LEN = 10;
    /** examples per specification, as the datasets have */
    static final int SPEC_EXAMPLES = 5;
    /** Token positions: BOS plus up to 11 actions (the EOS is only a target). */
    public static final int TOK_LEN = 12;

    private Bench() {
    }

    /**
     * One measurement.
     *
     * @param threads            libtorch intra-op threads
     * @param parameters         model parameters
     * @param batchSize          samples per step
     * @param positions          positions per sample (S + T)
     * @param steps              timed steps
     * @param samplesPerSecond   training samples per second (at the median step time)
     * @param positionsPerSecond training positions per second
     * @param gflops             achieved GFLOP/s, 6 x parameters x positions per second
     * @param matmulGflops       fp32 GFLOP/s of 1024x1024 matmuls on the same device
     */
    public record Result(String device, int threads, long parameters, int batchSize, int positions, int steps,
                         double samplesPerSecond, double positionsPerSecond, double gflops, double matmulGflops,
                         Gpt.SpecInput specInput, double minSamplesPerSecond, double maxSamplesPerSecond) {
        public String table() {
            return String.format(Locale.ROOT, """
                    | measure                      | value |
                    |---|---|
                    | device, libtorch threads     | %s, %d |
                    | parameters                   | %,d |
                    | batch x positions            | %d x %d |
                    | spec input                   | %s |
                    | timed steps (median used)    | %d |
                    | training samples/s           | %.1f (steps ranged %.1f-%.1f) |
                    | training positions/s         | %.0f |
                    | achieved GFLOP/s (6 N P)     | %.1f |
                    | fp32 matmul GFLOP/s (1024^3) | %.1f |
                    """, device, threads, parameters, batchSize, positions,
                    specInput.name().toLowerCase(Locale.ROOT), steps, samplesPerSecond, minSamplesPerSecond,
                    maxSamplesPerSecond, positionsPerSecond, gflops, matmulGflops);
        }
    }

    /**
     * Trains {@code cfg}'s model for warmup + steps steps on one synthetic batch and times the last
     * {@code steps} one by one. Throughput uses the median step time, which is robust to other
     * processes briefly taking the cores.
     */
    public static Result run(LmConfig cfg, int warmup, int steps) {
        return run(cfg, warmup, steps, Gpt.SpecInput.ACTIVE);
    }

    /** {@link #run(LmConfig, int, int)} with the spec features entering as {@code specInput} says. */
    public static Result run(LmConfig cfg, int warmup, int steps, Gpt.SpecInput specInput) {
        Device device = Devices.device(cfg);
        int threads = Devices.threads();
        ModelShape shape = cfg.model();
        int batchSize = cfg.data().batchSize();
        int specLen = SpecEncoding.byName(shape.encoding()).specLen(shape.specExamples());
        if (specLen == 0) {
            throw new LmException("bench measures the feature encodings (grid, ego), not " + shape.encoding());
        }
        Batch batch = syntheticBatch(batchSize, specLen, shape.featDim(), shape.seed());
        double[] seconds = new double[steps];
        try (Gpt model = Gpt.create(shape, device).specInput(specInput)) {
            AdamW optimizer = new AdamW(cfg, model);
            for (int s = 0; s < warmup + steps; s++) {
                long start = System.nanoTime();
                Training.step(model, optimizer, batch, s);
                if (s >= warmup) {
                    seconds[s - warmup] = (System.nanoTime() - start) / 1e9;
                }
            }
        }
        Arrays.sort(seconds);
        double median = seconds[steps / 2];
        double samples = batchSize / median;
        double positions = samples * batch.seqLen();
        return new Result(device.toString(), threads, shape.parameterCount(), batchSize, batch.seqLen(), steps,
                samples, positions, 6.0 * shape.parameterCount() * positions / 1e9, matmulGflops(device, 1024, 20),
                specInput, batchSize / seconds[steps - 1], batchSize / seconds[0]);
    }

    /** GFLOP/s of n x n fp32 matrix products (2 n^3 FLOPs each), after 3 untimed ones. */
    public static double matmulGflops(Device device, int n, int reps) {
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // waits for the product on asynchronous devices
                c.close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return 2.0 * n * n * n * reps / seconds / 1e9;
        }
    }

    /**
     * A batch of the grid encoding's shape with random content: SPEC_LEN spec positions of 0/1
     * features (dense), BOS plus 11 random actions, targets the next token and a final EOS.
     */
    public static Batch syntheticGridBatch(int batchSize, int featDim, long seed) {
        return syntheticBatch(batchSize, SPEC_LEN, featDim, seed);
    }

    /**
     * A batch of {@code specLen} random 0/1 feature positions (each feature 1 with probability
     * 1/10, about as many ones as an ego position has), BOS plus 11 random actions, then EOS. The
     * spec is dense; the model finds its active features when it needs them.
     */
    public static Batch syntheticBatch(int batchSize, int specLen, int featDim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] spec = new float[batchSize * specLen * featDim];
        for (int i = 0; i < spec.length; i++) {
            spec[i] = random.nextInt(10) == 0 ? 1f : 0f;
        }
        int[] tokens = new int[batchSize * TOK_LEN];
        int[] targets = new int[batchSize * TOK_LEN];
        for (int r = 0; r < batchSize; r++) {
            tokens[r * TOK_LEN] = Tokens.BOS;
            for (int t = 1; t < TOK_LEN; t++) {
                tokens[r * TOK_LEN + t] = random.nextInt(Tokens.FIRST_ACTION, Tokens.FIRST_FREE);
                targets[r * TOK_LEN + t - 1] = tokens[r * TOK_LEN + t];
            }
            targets[r * TOK_LEN + TOK_LEN - 1] = Tokens.EOS;
        }
        return new Batch(batchSize, specLen, featDim, spec, TOK_LEN, tokens, targets);
    }
}
