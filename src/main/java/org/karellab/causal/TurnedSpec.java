package org.karellab.causal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.karellab.data.AtomicFiles;
import org.karellab.data.Dataset;
import org.karellab.data.Sample;
import org.karellab.data.Split;
import org.karellab.lm.Checkpoint;
import org.karellab.lm.Decoder;
import org.karellab.lm.Evaluation;
import org.karellab.lm.Gpt;
import org.karellab.lm.HiddenFilter;
import org.karellab.lm.RunDir;
import org.karellab.lm.Spec;
import org.karellab.lm.SpecEncoding;
import org.karellab.probe.Bootstrap;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.World;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Does the LM's state depend on the compass? Each example of a test specification is turned a
 * quarter, a half or three quarters about the grid's centre ({@link World#turned}, input and output
 * alike, each example by its own random amount). The turned specification is as valid as the
 * original for the same program (the actions commute with turning), every example's start-frame
 * view is the same, and every absolute facing and position changes. So a state that carries
 * absolute facing must move when the spec is turned; one computed in the start frame need not.
 *
 * <p>The LM writes its program for the original spec; that program is then forced on three
 * specifications: the original, the turned one, and another test program's spec (a swap, the
 * scale: how far any change of spec moves the state). At every named layer and at the spec
 * positions and the action positions ({@code emit.0} through the one emitting EOS) separately:
 * {@code turn} and {@code swap} are the mean Euclidean distances of the state from the original's,
 * and {@code ratio = turn / swap} (0: the turn leaves the state as it is; 1: it moves it as far as
 * another spec does), with a 95% bootstrap interval over programs. Also: how often the LM writes
 * the very same program for the turned spec ({@code written}).
 *
 * <p>The control: the same programs forced on a randomly initialised LM of the same shape
 * ({@code lm = random-init}) show what the encoding's turn does to the states by itself, through a
 * network that has learned nothing; the trained LM's rows ({@code lm = trained}) are read against
 * them. Positions are weighted by program: the ratio is of totals over programs, so longer
 * programs weigh more at the action positions.
 */
public final class TurnedSpec {
    /** Column names of the result. */
    public static final String LM = "lm";
    public static final String LAYER = "layer";
    public static final String WHERE = "where";
    public static final String PROGRAMS = "n_programs";
    public static final String TURN = "turn";
    public static final String SWAP = "swap";
    public static final String RATIO = "ratio";
    public static final String LOW = "ratio_low";
    public static final String HIGH = "ratio_high";
    /** The {@link #LAYER} of the row that counts identical programs ({@code turn}: the share, {@code swap}: NaN). */
    public static final String WRITTEN = "written";

    private TurnedSpec() {
    }

    /**
     * @param checkpoint a step or {@code last}
     * @param samples    test programs (the first ones of the split)
     * @param resamples  bootstrap resamples
     * @param seed       seed of the turns and of the bootstrap
     * @param randomInit seed of the random-init control LM, or null for none
     */
    public record Options(String checkpoint, int samples, int resamples, long seed, Long randomInit) {
        public Options {
            if (samples < 2) {
                throw new KarelException("turned spec: samples must be at least 2 (a swap needs another program), got " + samples);
            }
            if (resamples < 1) {
                throw new KarelException("turned spec: resamples must be positive, got " + resamples);
            }
        }
    }

    /** Measures {@code run}'s checkpoint and writes the table to {@code csv} (atomically). */
    public static Table run(Path run, Options o, Path csv, PrintStream log) {
        Path ckpt = RunParts.checkpoint(run, o.checkpoint());
        try (Dataset data = Dataset.open(RunDir.data(run), false); Gpt model = Checkpoint.loadModel(ckpt);
                Gpt random = o.randomInit() == null ? null
                        : Gpt.create(model.config().with("seed", Long.toString(o.randomInit())), model.device())) {
            int examples = data.config().specExamples();
            List<Sample> samples = new ArrayList<>();
            for (Sample s : Evaluation.samples(data.split(Split.TEST), 0)) {
                samples.add(s);
                if (samples.size() == o.samples()) {
                    break;
                }
            }
            if (samples.size() < 2) {
                throw new KarelException(data.dir() + ": the test split has " + samples.size() + " programs, 2 needed");
            }
            SplittableRandom rng = new SplittableRandom(o.seed());
            List<Spec> original = new ArrayList<>();
            List<Spec> turned = new ArrayList<>();
            for (Sample s : samples) {
                original.add(Spec.of(s.inputs(), s.outputs(), examples));
                turned.add(turn(s, examples, rng));
            }
            List<Spec> swapped = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                swapped.add(original.get((i + 1) % samples.size()));
            }
            Table out = measure(model, random, original, turned, swapped, o, log);
            AtomicFiles.write(csv, tmp -> out.write().csv(tmp.toFile()));
            log.printf(Locale.ROOT, "turned spec: %d rows in %s%n", out.rowCount(), csv);
            return out;
        }
    }

    /** The sample's first {@code examples} pairs, each turned 1-3 quarters (input and output alike). */
    static Spec turn(Sample s, int examples, SplittableRandom rng) {
        List<World> in = new ArrayList<>();
        List<World> out = new ArrayList<>();
        for (int e = 0; e < examples; e++) {
            int k = 1 + rng.nextInt(3);
            World a = s.inputs().get(e);
            World b = s.outputs().get(e);
            for (int q = 0; q < k; q++) {
                a = a.turned();
                b = b.turned();
            }
            in.add(a);
            out.add(b);
        }
        return Spec.of(in, out, examples);
    }

    /**
     * The table of {@link TurnedSpec} for given specs (the three lists aligned by program): the
     * programs {@code model} writes, read in {@code model} and, when not null, in {@code random}.
     */
    static Table measure(Gpt model, Gpt random, List<Spec> original, List<Spec> turned, List<Spec> swapped, Options o,
            PrintStream log) {
        SpecEncoding enc = SpecEncoding.byName(model.config().encoding());
        Decoder decoder = new Decoder(model);
        int n = original.size();
        List<Program> written = new ArrayList<>();
        double[][] same = new double[n][2];                                      // (P, [same, 1])
        for (int from = 0; from < n; from += 128) {
            int to = Math.min(n, from + 128);
            List<Program> a = decoder.greedy(enc.encode(original.subList(from, to), null)).stream()
                    .map(d -> new Program(d.actions())).toList();
            List<Program> b = decoder.greedy(enc.encode(turned.subList(from, to), null)).stream()
                    .map(d -> new Program(d.actions())).toList();
            written.addAll(a);
            for (int r = 0; r < a.size(); r++) {
                same[from + r][0] = a.get(r).equals(b.get(r)) ? 1 : 0;
                same[from + r][1] = 1;
            }
        }
        Bootstrap boot = new Bootstrap(n, o.resamples(), o.seed());
        Table t = Table.create("turned-spec", StringColumn.create(LM), StringColumn.create(LAYER), StringColumn.create(WHERE),
                IntColumn.create(PROGRAMS), DoubleColumn.create(TURN), DoubleColumn.create(SWAP),
                DoubleColumn.create(RATIO), DoubleColumn.create(LOW), DoubleColumn.create(HIGH));
        add(t, "trained", WRITTEN, "emit", n, same, boot);
        int specLen = enc.specLen(original.get(0).examples());
        int first = specLen + enc.specTokens(original.get(0).examples());
        List<String> layers = Gpt.hiddenNames(model.config().nLayer());
        List<String> wheres = List.of("spec", "emit");
        int c = model.config().dModel();
        for (Gpt reader : random == null ? List.of(model) : List.of(model, random)) {
            double[][][][] sums = new double[layers.size()][wheres.size()][n][3]; // (layer, where, P, [turn, swap, positions])
            for (int from = 0; from < n; from += 128) {
                int to = Math.min(n, from + 128);
                List<Program> part = written.subList(from, to);
                try (NDManager scope = reader.newScope()) {
                    // one pass per spec set gives every layer: (B, L, C) each
                    Map<String, NDArray> h = reader.forward(scope, enc.encode(original.subList(from, to), part), false,
                            HiddenFilter.all(), List.of()).hidden();
                    Map<String, NDArray> ht = reader.forward(scope, enc.encode(turned.subList(from, to), part), false,
                            HiddenFilter.all(), List.of()).hidden();
                    Map<String, NDArray> hs = reader.forward(scope, enc.encode(swapped.subList(from, to), part), false,
                            HiddenFilter.all(), List.of()).hidden();
                    for (int l = 0; l < layers.size(); l++) {
                        float[] x = h.get(layers.get(l)).toFloatArray();
                        float[] xt = ht.get(layers.get(l)).toFloatArray();
                        float[] xs = hs.get(layers.get(l)).toFloatArray();
                        int len = (int) h.get(layers.get(l)).getShape().get(1);
                        for (int w = 0; w < wheres.size(); w++) {
                            for (int r = 0; r < part.size(); r++) {
                                double[] acc = sums[l][w][from + r];
                                int[] span = span(wheres.get(w), specLen, first, part.get(r).length());
                                for (int pos = span[0]; pos < span[1]; pos++) {
                                    int at = (r * len + pos) * c;
                                    acc[0] += distance(x, xt, at, c);
                                    acc[1] += distance(x, xs, at, c);
                                    acc[2] += 1;
                                }
                            }
                        }
                    }
                }
            }
            String lm = reader == model ? "trained" : "random-init";
            for (int l = 0; l < layers.size(); l++) {
                for (int w = 0; w < wheres.size(); w++) {
                    add(t, lm, layers.get(l), wheres.get(w), n, sums[l][w], boot);
                }
            }
            log.printf(Locale.ROOT, "turned spec: %s LM done%n", lm);
        }
        return t;
    }

    /**
     * The positions {@code [from, to)} measured: {@code spec}, the spec positions; {@code emit}, from
     * the one reading BOS (emitting action 0, at {@code first}) through the one emitting EOS.
     */
    static int[] span(String where, int specLen, int first, int programLength) {
        return switch (where) {
            case "spec" -> new int[] {0, specLen};
            case "emit" -> new int[] {first, first + programLength + 1};
            default -> throw new IllegalArgumentException("where: spec or emit, not " + where);
        };
    }

    /**
     * One row: the ratio of the first two column sums and its interval. For {@link #WRITTEN} the
     * sums are (same program, 1), so the ratio is the share; otherwise (turn, swap, positions).
     */
    private static void add(Table t, String lm, String layer, String where, int n, double[][] sums, Bootstrap boot) {
        boolean share = layer.equals(WRITTEN);
        java.util.function.ToDoubleFunction<double[]> stat = s -> s[0] / s[1];
        double[] total = Bootstrap.total(sums);
        Bootstrap.Interval ci = Bootstrap.interval(boot.distribution(sums, stat), 0.95);
        t.stringColumn(LM).append(lm);
        t.stringColumn(LAYER).append(layer);
        t.stringColumn(WHERE).append(where);
        t.intColumn(PROGRAMS).append(n);
        t.doubleColumn(TURN).append(share ? total[0] / total[1] : total[0] / total[2]);
        t.doubleColumn(SWAP).append(share ? Double.NaN : total[1] / total[2]);
        t.doubleColumn(RATIO).append(Bootstrap.point(sums, stat));
        t.doubleColumn(LOW).append(ci.low());
        t.doubleColumn(HIGH).append(ci.high());
    }

    /** Euclidean distance. */
    static double distance(float[] a, float[] b) {
        return distance(a, b, 0, a.length);
    }

    /** Euclidean distance of the {@code width} values at {@code from} in {@code a} and in {@code b}. */
    private static double distance(float[] a, float[] b, int from, int width) {
        double s = 0;
        for (int i = from; i < from + width; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
