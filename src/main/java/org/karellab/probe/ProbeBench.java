package org.karellab.probe;

import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Speed and quality of the probe trainers on synthetic hidden states: Gaussian clusters (two per
 * class, class frequencies falling as 1/rank, the class signal in a 32-dimensional subspace of the
 * features, unit noise everywhere), so a linear probe is good and an MLP better. For every probe
 * and candidate of {@link ProbeRegistry}, and the trainers the registry used before (Tribuo
 * LinearSGD with AdaGrad for 5 epochs; MLPs for 5 epochs at Adam 1e-3 without decay, dropout or
 * early stopping), it reports seconds per fit, epochs run and best epoch, held-out (early stopping),
 * training and test accuracy.
 *
 * <p>Threads: every measurement is repeated for each libtorch thread count asked for (set per fit
 * through {@link ProbeNetworkTrainer#THREADS_PROPERTY}). On a shared machine run it with the
 * environment variable {@code OMP_WAIT_POLICY=PASSIVE} (see there). Usage:
 * {@code ProbeBench [rows=10000] [width=256] [classes=4,169] [probes=linear,mlp1,mlp2] [threads=1,2]}.
 */
public final class ProbeBench {
    /** Standard deviation of the cluster centres along each signal direction (the noise has 1). */
    static final double SPREAD = Double.parseDouble(System.getProperty("karellab.bench.spread", "0.5"));

    private ProbeBench() {}

    /** One measured fit. */
    public record Row(int threads, int classes, String probe, String candidate, double seconds, double cpuSeconds,
                      int epochsRun, int bestEpoch, double heldOutAccuracy, double trainAccuracy, double testAccuracy) {}

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int width = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        List<Integer> classes = ints(args.length > 2 ? args[2] : "4,169");
        List<String> probes = List.of((args.length > 3 ? args[3] : "linear,mlp1,mlp2").split(","));
        List<Integer> threads = ints(args.length > 4 ? args[4] : "1,2");
        run(rows, width, classes, probes, threads, true, System.out);
    }

    private static List<Integer> ints(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    /**
     * Trains every candidate of every probe (and, with {@code old}, the previous trainers) on
     * {@code rows} synthetic rows of {@code width} features and scores it on 2,000 more, once per
     * libtorch thread count in {@code threadCounts}.
     */
    public static List<Row> run(int rows, int width, List<Integer> classCounts, List<String> probes,
                                List<Integer> threadCounts, boolean old, PrintStream out) {
        java.util.logging.Logger.getLogger("org.tribuo").setLevel(java.util.logging.Level.WARNING);
        String before = System.getProperty(ProbeNetworkTrainer.THREADS_PROPERTY);
        out.printf("probe bench: %d training rows x %d features, %d cores, load average %.1f%n", rows, width,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.printf("%7s %7s %-7s %-28s %8s %8s %6s %5s %8s %8s %8s%n", "threads", "classes", "probe", "candidate",
                "seconds", "cpu-s", "epochs", "best", "heldout", "train", "test");
        List<Row> results = new ArrayList<>();
        try {
            for (int k : classCounts) {
                SplittableRandom random = new SplittableRandom(17 + k);
                Clusters clusters = new Clusters(width, k, 32, SPREAD, random);
                MutableDataset<Label> train = clusters.dataset(rows, random, "train");
                MutableDataset<Label> test = clusters.dataset(2000, random, "test");
                for (int threads : threadCounts) {
                    System.setProperty(ProbeNetworkTrainer.THREADS_PROPERTY, Integer.toString(threads));
                    // warm-up: load the engine and JIT the loop outside the timings
                    new LinearProbeTrainer(ProbeRegistry.linearSettings(1).optEpochs(2)).train(test);
                    for (String probe : probes) {
                        Map<String, Trainer<Label>> candidates = new LinkedHashMap<>(ProbeRegistry.candidates(probe, 1));
                        if (old) {
                            candidates.putAll(previous(probe));
                        }
                        for (Map.Entry<String, Trainer<Label>> c : candidates.entrySet()) {
                            Row row = measure(threads, k, probe, c.getKey(), c.getValue(), train, test);
                            results.add(row);
                            out.printf("%7d %7d %-7s %-28s %8.2f %8.2f %6d %5d %8.3f %8.3f %8.3f%n", threads, k, probe,
                                    c.getKey(), row.seconds(), row.cpuSeconds(), row.epochsRun(), row.bestEpoch(),
                                    row.heldOutAccuracy(), row.trainAccuracy(), row.testAccuracy());
                        }
                    }
                }
            }
        } finally {
            if (before == null) {
                System.clearProperty(ProbeNetworkTrainer.THREADS_PROPERTY);
            } else {
                System.setProperty(ProbeNetworkTrainer.THREADS_PROPERTY, before);
            }
        }
        return results;
    }

    private static Row measure(int threads, int k, String probe, String candidate, Trainer<Label> trainer,
                               MutableDataset<Label> train, MutableDataset<Label> test) {
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        Model<Label> model = trainer.train(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;
        int epochs = -1;
        int best = -1;
        double heldOut = Double.NaN;
        double trainAccuracy;
        if (model instanceof ProbeNetworkModel<Label> network) {
            epochs = network.fit().epochsRun();
            best = network.fit().bestEpoch();
            heldOut = network.fit().heldOutScore();
            trainAccuracy = network.fit().trainScore();
        } else {
            trainAccuracy = ProbeScore.of(model, train).accuracy();
        }
        return new Row(threads, k, probe, candidate, seconds, cpuSeconds, epochs, best, heldOut, trainAccuracy,
                ProbeScore.of(model, test).accuracy());
    }

    /** CPU time of the whole process (every libtorch thread), in nanoseconds. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The trainers the registry used for {@code probe} before the probe networks. */
    private static Map<String, Trainer<Label>> previous(String probe) {
        ProbeNetworkTrainer.Settings fiveEpochs = ProbeNetworkTrainer.Settings.defaults(1).optEpochs(5)
                .optLearningRate(1e-3).optBatchSize(256).optHeldOutFraction(0);
        return switch (probe) {
            case "linear" -> Map.of("old: LinearSGD 5ep AdaGrad", ProbeData.standardised(
                    new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 5, -1, 32, 1)));
            case "mlp1" -> Map.of("old: 5ep Adam 1e-3", new MlpTrainer(fiveEpochs, 256));
            case "mlp2" -> Map.of("old: 5ep Adam 1e-3", new MlpTrainer(fiveEpochs, 256, 1024));
            default -> Map.of();
        };
    }

    /** Gaussian clusters: two per class, centres in a {@code signal}-dimensional subspace, unit noise. */
    static final class Clusters {
        private final int width;
        private final int classes;
        private final float[][] centres;
        private final double[] cumulative;

        Clusters(int width, int classes, int signal, double spread, SplittableRandom random) {
            this.width = width;
            this.classes = classes;
            int k = 2 * classes;
            // a random orthogonal-ish embedding of the signal subspace: each signal axis is one random direction
            float[][] axes = new float[signal][width];
            for (float[] axis : axes) {
                double norm = 0;
                for (int j = 0; j < width; j++) {
                    axis[j] = (float) gaussian(random);
                    norm += axis[j] * axis[j];
                }
                for (int j = 0; j < width; j++) {
                    axis[j] /= (float) Math.sqrt(norm);
                }
            }
            centres = new float[k][width];
            for (float[] centre : centres) {
                for (float[] axis : axes) {
                    double c = spread * gaussian(random);
                    for (int j = 0; j < width; j++) {
                        centre[j] += (float) (c * axis[j]);
                    }
                }
            }
            cumulative = new double[k];
            double total = 0;
            for (int i = 0; i < k; i++) {
                total += 1.0 / (i / 2 + 1);
                cumulative[i] = total;
            }
            for (int i = 0; i < k; i++) {
                cumulative[i] /= total;
            }
        }

        MutableDataset<Label> dataset(int rows, SplittableRandom random, String split) {
            float[][] x = new float[rows][width];
            String[] y = new String[rows];
            for (int r = 0; r < rows; r++) {
                double u = random.nextDouble();
                int cluster = 0;
                while (cumulative[cluster] < u) {
                    cluster++;
                }
                for (int j = 0; j < width; j++) {
                    x[r][j] = centres[cluster][j] + (float) gaussian(random);
                }
                y[r] = "c" + (cluster / 2 + (cluster % 2 == 0 ? 0 : classes / 2)) % classes;
            }
            return ProbeData.classification(x, y, Map.of("run", "bench", "split", split));
        }

        static double gaussian(SplittableRandom random) {
            double u = random.nextDouble();
            double v = random.nextDouble();
            return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
        }
    }
}
