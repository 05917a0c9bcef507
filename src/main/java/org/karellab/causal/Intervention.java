package org.karellab.causal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.karellab.data.AtomicFiles;
import org.karellab.data.Dataset;
import org.karellab.data.Sample;
import org.karellab.data.Split;
import org.karellab.lm.Batch;
import org.karellab.lm.Checkpoint;
import org.karellab.lm.Decoder;
import org.karellab.lm.Edit;
import org.karellab.lm.EvalRow;
import org.karellab.lm.Evaluation;
import org.karellab.lm.Gpt;
import org.karellab.lm.HiddenFilter;
import org.karellab.lm.RunDir;
import org.karellab.lm.Spec;
import org.karellab.lm.SpecEncoding;
import org.karellab.probe.Bootstrap;
import org.karellab.probe.ProbeData;
import org.karellab.probe.ProbeFit;
import org.karellab.probe.ProbeMatrix;
import org.karellab.probe.ProbeNetworkModel;
import org.karellab.probe.ProbeRegistry;
import org.karellab.trace.Labels;
import org.karellab.trace.TraceSet;
import org.karellab.trace.Tracer;
import org.karellab.world.Action;
import org.karellab.world.Facing;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.World;
import org.karellab.world.WorldText;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Causal tests of what a linear probe reads (Li et al.'s and Nanda's Othello-GPT edits; activation
 * patching): edit the LM's hidden state at the position that emits action {@code t}, let it write
 * the rest of the program greedily, and ask whether the new continuation fits a robot turned by 90
 * degrees.
 *
 * <p>Protocol, per test program the LM wrote correctly (on the specification; every program with
 * {@code allPrograms}) with at least two actions, at a step {@code t} drawn uniformly from {@code 1..n-1} (seeded):
 * <ul>
 *   <li>the probe: a {@code linear} probe per layer for {@code feature} at offset -1 (the state
 *       after the {@code t} written actions), trained on train traces and chosen on val traces
 *       (the sweep's final traces when present), as {@link LinearReadout} class directions;</li>
 *   <li>the counterfactual: on every specification input, the robot after the {@code t} written
 *       actions turned clockwise by 90 degrees ({@code a -> b}: {@code rel_facing} +90,
 *       {@code facing} the next compass direction clockwise);</li>
 *   <li>{@code direction}: add the smallest step along the probe's class directions that makes the
 *       probe read {@code b} with a logit lead of {@code margin} (Nanda-style);</li>
 *   <li>{@code patch}: replace the state by the one the LM has at the same step of another test
 *       program whose true value there is {@code b} (activation patching);</li>
 *   <li>{@code random}: add a random direction with the norm of the {@code direction} edit;</li>
 *   <li>{@code opposite}: the direction edit towards {@code a - 90} degrees (the other turn), still
 *       scored against the clockwise counterfactual: a specificity control, as a push of the right
 *       size along the probe's subspace but to the wrong value;</li>
 *   <li>{@code none}: no edit (the LM's own continuation).</li>
 * </ul>
 * An edit <em>succeeds</em> when the continuation, run from the counterfactual state, produces
 * every specification output. {@code none} never succeeds: turns are relative, so the unedited
 * rest ends with the wrong final facing; direction against random and opposite is the comparison
 * that informs. Measures, each with a 95%
 * bootstrap interval over programs (one edit per program): {@code success}, {@code reads_target}
 * (the probe reads {@code b} at the edited position after the edit), {@code changed} (the
 * continuation differs from the LM's own), {@code still_correct} (it still fits the unedited
 * state), {@code edit_norm} and {@code relative_norm} (the edit's norm over the state's), and the
 * paired differences of success and of changed, {@code direction} minus {@code random}, minus
 * {@code opposite} and minus {@code shuffled} (each that was run; the same for the {@code _rest} edits).
 */
public final class Intervention {
    /** The one-position edits, run by default. */
    public static final List<String> METHODS = List.of("direction", "patch", "random", "opposite");
    /**
     * The same pushes at every position from the one emitting action {@code t} to the end of the
     * decoding, each computed from the state there as the LM writes: {@code direction_rest} turns
     * the probe's own reading of that state 90 degrees clockwise, {@code opposite_rest}
     * counter-clockwise, {@code random_rest} adds a random direction of the {@code direction_rest}
     * push's norm at that state. The push is repeated at every later position; it is still an
     * addition, so the layers above see the rest of the state and may recompute the facing from
     * it. Not run by default.
     */
    public static final List<String> REST_METHODS = List.of("direction_rest", "random_rest", "opposite_rest", "shuffled_rest");
    /**
     * One-position edits not run by default: {@code shuffled} adds the push the same {@link #PUSHES push}
     * would make between the same two classes if the probe's training rows had their labels
     * shuffled (class sizes kept, seeded), scaled to the {@code direction} edit's norm. With
     * {@code --push mean} it is a difference of means of random groups of rows: a direction the
     * states vary in (drawn from their covariance), unrelated to the feature, so unlike
     * {@code random}'s isotropic direction it is not mostly in directions the states never take.
     * {@code shuffled_rest} is its every-position form.
     */
    public static final List<String> MORE_METHODS = List.of("shuffled");
    public static final List<String> FEATURES = List.of("rel_facing", "facing");
    /**
     * How a push from one value to another is made: {@code probe}, the smallest step along the
     * probe's class directions that gives the target a logit lead of {@code margin}; {@code mean},
     * the difference of the two classes' mean states on the probe's training rows (no margin), a
     * push in directions the LM's states actually take rather than the probe's least-norm ones.
     * The one-position edits push from the true value {@code a}; the {@link #REST_METHODS} from
     * the probe's reading of each state.
     */
    public static final List<String> PUSHES = List.of("probe", "mean");
    /** Offset of the probed state: the state after the written actions, before the one being emitted. */
    public static final int OFFSET = -1;

    /**
     * @param checkpoint   checkpoint step, or {@code last}
     * @param layers       hidden states to edit (null: every traced layer but the mean)
     * @param feature      {@code rel_facing} or {@code facing} (null: the encoding's frame's facing)
     * @param methods      among {@link #METHODS} and {@link #REST_METHODS}
     * @param samples      test programs edited (at most)
     * @param probeSamples programs per probe split when the run has no final traces
     * @param margin       the probe's logit lead for the target after a direction edit
     * @param resamples    bootstrap resamples
     * @param seed         seed of the steps, random directions, donors and bootstrap
     * @param allPrograms  edit every program of two or more actions, not only those the LM wrote correctly
     * @param push         among {@link #PUSHES}: how direction, opposite and random pushes are made
     */
    public record Options(String checkpoint, List<String> layers, String feature, List<String> methods, int samples,
            int probeSamples, double margin, int resamples, long seed, boolean allPrograms, String push) {
        public Options {
            if (!PUSHES.contains(push)) {
                throw new KarelException("--push: unknown push '" + push + "' (known: " + String.join(", ", PUSHES) + ")");
            }
            methods = List.copyOf(methods);
            layers = layers == null ? null : List.copyOf(layers);
            for (String m : methods) {
                if (!METHODS.contains(m) && !MORE_METHODS.contains(m) && !REST_METHODS.contains(m)) {
                    throw new KarelException("--method: unknown method '" + m + "' (known: " + String.join(", ", METHODS)
                            + ", " + String.join(", ", MORE_METHODS) + ", " + String.join(", ", REST_METHODS) + ")");
                }
            }
            if (methods.isEmpty()) {
                throw new KarelException("--method: at least one method");
            }
            if (feature != null && !FEATURES.contains(feature)) {
                throw new KarelException("--feature: '" + feature + "' cannot be edited (known: " + String.join(", ", FEATURES) + ")");
            }
            if (samples < 1) {
                throw new KarelException("--samples: must be at least 1, got " + samples);
            }
            if (probeSamples < 1) {
                throw new KarelException("--probe-samples: must be at least 1, got " + probeSamples);
            }
            if (!(margin > 0)) {
                throw new KarelException("--margin: must be positive, got " + margin);
            }
            if (resamples < 1) {
                throw new KarelException("--resamples: must be at least 1, got " + resamples);
            }
        }

        public static Options defaults() {
            return new Options("last", null, null, METHODS, 500, 1000, 2.0, Bootstrap.DEFAULT_RESAMPLES, 0, false, "probe");
        }

        public Builder toBuilder() {
            return new Builder(this);
        }
    }

    /** Options with {@code opt}-style setters, from {@link Options#defaults()} or another Options. */
    public static final class Builder {
        private String checkpoint;
        private List<String> layers;
        private String feature;
        private List<String> methods;
        private int samples;
        private int probeSamples;
        private double margin;
        private int resamples;
        private long seed;
        private boolean allPrograms;
        private String push;

        Builder(Options o) {
            checkpoint = o.checkpoint();
            layers = o.layers();
            feature = o.feature();
            methods = o.methods();
            samples = o.samples();
            probeSamples = o.probeSamples();
            margin = o.margin();
            resamples = o.resamples();
            seed = o.seed();
            allPrograms = o.allPrograms();
            push = o.push();
        }

        public Builder checkpoint(String v) { checkpoint = v; return this; }
        public Builder layers(List<String> v) { layers = v; return this; }
        public Builder feature(String v) { feature = v; return this; }
        public Builder methods(List<String> v) { methods = v; return this; }
        public Builder samples(int v) { samples = v; return this; }
        public Builder probeSamples(int v) { probeSamples = v; return this; }
        public Builder margin(double v) { margin = v; return this; }
        public Builder resamples(int v) { resamples = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder allPrograms(boolean v) { allPrograms = v; return this; }
        public Builder push(String v) { push = v; return this; }

        public Options build() {
            return new Options(checkpoint, layers, feature, methods, samples, probeSamples, margin, resamples, seed, allPrograms, push);
        }
    }

    /** Columns of the CSV, one measure per row. */
    public static final List<String> COLUMNS = List.of("step", "layer", "feature", "method", "measure", "value",
            "ci_low", "ci_high", "n_programs", "probe_val_accuracy", "margin", "seed", "push");

    private Intervention() {
    }

    /** One edited program: its step t, the written program, the values a and b, and the counterfactual. */
    record Case(Sample sample, Program program, int t, String a, String b, List<World> counterfactual,
            List<World> real) {
        Program prefix() {
            return new Program(program.actions().subList(0, t));
        }
    }

    /**
     * Runs the interventions on {@code run} and writes {@code csv} (atomically); returns the table.
     */
    public static Table run(Path run, Options o, Path csv, PrintStream log) {
        long t0 = System.nanoTime();
        Path ckpt = RunParts.checkpoint(run, o.checkpoint());
        long step = Checkpoint.stepOf(ckpt);
        String sha = Dataset.sha256(ckpt);
        Table out = emptyTable();
        try (Dataset data = Dataset.open(RunDir.data(run), false); Gpt model = Checkpoint.loadModel(ckpt)) {
            List<String> layers = RunParts.layers(model.config().nLayer(), o.layers());
            String feature = o.feature() != null ? o.feature() : Labels.semantic(model.config().encoding()).get(0)
                    .equals("rel_facing") ? "rel_facing" : "facing";
            int specExamples = data.config().specExamples();
            SpecEncoding enc = SpecEncoding.byName(model.config().encoding());

            TraceSet[] probeSplits = probeTraces(run, ckpt, sha, data, o, step, log);
            Set<String> used = new HashSet<>();
            for (TraceSet t : probeSplits) {
                used.addAll(t.referencePrograms());
            }
            List<Case> cases = cases(model, data, enc, specExamples, feature, used, o, log);
            if (cases.isEmpty()) {                             // a babbling LM: an empty table, not an error
                log.println("intervene: the LM wrote no test program " + (o.allPrograms() ? "" : "correctly ")
                        + "with two or more actions: nothing to edit, the table is empty");
                Table empty = out;
                AtomicFiles.write(csv, tmp -> empty.write().csv(tmp.toFile()));
                return out;
            }
            int n = cases.size();
            // the unedited states at every written action, per layer: (case, action position, C)
            Map<String, float[][][]> states = new LinkedHashMap<>();
            int first = recordStates(model, enc, cases, specExamples, layers, states);
            int[] donor = donors(cases, new SplittableRandom(o.seed() * 31 + 7));
            Bootstrap boot = new Bootstrap(n, o.resamples(), o.seed());
            // no edit: the LM's continuation through the same decoding path as the edits
            List<Program> own = new ArrayList<>();
            double[] noneSuccess = new double[n];
            List<Decoder.Decoded> unedited = continueEdited(model, enc, cases, specExamples, layers.get(0), first, new float[n][]);
            for (int i = 0; i < n; i++) {
                own.add(new Program(unedited.get(i).actions()));
                noneSuccess[i] = fits(own.get(i), cases.get(i).counterfactual(), cases.get(i).sample(), specExamples) ? 1 : 0;
            }
            for (String layer : layers) {
                long l0 = System.nanoTime();
                MutableDataset<Label> probeTrain = ProbeData.forTraces(probeSplits[0], layer, "original", OFFSET, feature);
                ProbeFit.Result probe = fitProbe(probeTrain, probeSplits[1], layer, feature, o.seed());
                LinearReadout readout = LinearReadout.of(castProbe(probe));
                Push push = pushOf(o, probeTrain, castProbe(probe), readout, null);
                // the shuffled control: the same push made on the probe's rows with their labels shuffled
                // (a pass over the rows per layer, so only when a shuffled edit was asked for)
                Push shuffled = o.methods().contains("shuffled") || o.methods().contains("shuffled_rest")
                        ? pushOf(o, probeTrain, castProbe(probe), null, new SplittableRandom(o.seed() * 1_000_037L + layer.hashCode()))
                        : null;
                double valAcc = probe.validation().get(probe.chosen()).accuracy();
                float[][] base = new float[n][];
                float[][] direction = new float[n][];
                for (int i = 0; i < n; i++) {
                    base[i] = states.get(layer)[i][cases.get(i).t()];
                    direction[i] = push.towards(base[i], cases.get(i).a(), cases.get(i).b());
                }
                SplittableRandom rng = new SplittableRandom(o.seed() * 1_000_003L + layer.hashCode());   // per layer: --layer X alone gives the same
                float[][] opposite = new float[n][];          // the specificity control: a push to a - 90 degrees
                for (int i = 0; i < n; i++) {
                    String ccw = turnedValue(feature, turnedValue(feature, cases.get(i).b()));   // b + 180 = a - 90
                    opposite[i] = direction[i] == null ? null : push.towards(base[i], cases.get(i).a(), ccw);
                }
                Map<String, double[][]> per = new LinkedHashMap<>();   // method -> (n, measures)
                double[][] none = measuresOf(cases, own, own, noneSuccess, readout, base, specExamples);
                for (double[] row : none) {
                    row[CHANGED] = 0;                          // by definition; CHANGED of the edits compares with this run
                }
                per.put("none", none);
                for (String method : o.methods()) {
                    float[][] delta = new float[n][];
                    Edit.Steer rest = REST_METHODS.contains(method)
                            ? restSteer(method, readout, push, shuffled, feature, cases, first, o, layer) : null;
                    for (int i = 0; i < n; i++) {
                        delta[i] = switch (method) {
                            case "direction" -> direction[i];
                            case "random" -> direction[i] == null ? null : random(direction[i], rng);
                            case "opposite" -> opposite[i];
                            case "shuffled" -> direction[i] == null ? null
                                    : scaledTo(shuffled.towards(base[i], cases.get(i).a(), cases.get(i).b()), direction[i]);
                            case "patch" -> donor[i] < 0 ? null : minus(states.get(layer)[donor[i]][cases.get(donor[i]).t()], base[i]);
                            default -> rest.delta(i, first + cases.get(i).t(), base[i]);   // its push where action t is emitted
                        };
                    }
                    List<Decoder.Decoded> written = rest == null
                            ? continueEdited(model, enc, cases, specExamples, layer, first, delta)
                            : continueSteered(model, enc, cases, specExamples, layer, first, rest);
                    List<Program> cont = new ArrayList<>();
                    float[][] after = new float[n][];
                    double[] success = new double[n];
                    for (int i = 0; i < n; i++) {
                        Decoder.Decoded d = written.get(i);
                        cont.add(new Program(d.actions()));
                        after[i] = delta[i] == null ? base[i] : plus(base[i], delta[i]);     // the edited state (an ADD edit)
                        success[i] = fits(cont.get(i), cases.get(i).counterfactual(), cases.get(i).sample(), specExamples) ? 1 : 0;
                    }
                    double[][] m = measuresOf(cases, cont, own, success, readout, after, specExamples);
                    for (int i = 0; i < n; i++) {
                        if (delta[i] == null) {
                            m[i] = null;                          // no edit of this kind for this program
                        } else {
                            m[i][EDIT_NORM] = norm(delta[i]);
                            m[i][RELATIVE_NORM] = norm(delta[i]) / norm(base[i]);
                        }
                    }
                    per.put(method, m);
                }
                for (Map.Entry<String, double[][]> e : per.entrySet()) {
                    addMeasures(out, step, layer, feature, e.getKey(), e.getValue(), boot, valAcc, o);
                }
                for (String suffix : List.of("", "_rest")) {
                    for (String control : List.of("random", "opposite", "shuffled")) {
                        String edit = "direction" + suffix;
                        if (per.containsKey(edit) && per.containsKey(control + suffix)) {
                            for (int measure : new int[] {SUCCESS, CHANGED}) {
                                addDifference(out, step, layer, feature, edit + "_minus_" + control + suffix, measure,
                                        per.get(edit), per.get(control + suffix), boot, valAcc, o);
                            }
                        }
                    }
                }
                log.printf(Locale.ROOT, "intervene: %s done (probe val %.3f, %.0f s)%n", layer, valAcc, (System.nanoTime() - l0) / 1e9);
            }
        }
        Table written = out;
        AtomicFiles.write(csv, tmp -> written.write().csv(tmp.toFile()));
        log.printf(Locale.ROOT, "intervene: %d measurements in %s (%.0f s)%n", out.rowCount(), csv, (System.nanoTime() - t0) / 1e9);
        return out;
    }

    // ---- per-program measures: columns of the (n, K) arrays ----
    private static final int SUCCESS = 0;
    private static final int READS_TARGET = 1;
    private static final int CHANGED = 2;
    private static final int STILL_CORRECT = 3;
    private static final int EDIT_NORM = 4;
    private static final int RELATIVE_NORM = 5;
    private static final String[] MEASURES = {"success", "reads_target", "changed", "still_correct", "edit_norm",
            "relative_norm"};

    private static double[][] measuresOf(List<Case> cases, List<Program> cont, List<Program> own, double[] success,
            LinearReadout readout, float[][] after, int specExamples) {
        double[][] m = new double[cases.size()][MEASURES.length];
        for (int i = 0; i < m.length; i++) {
            Case c = cases.get(i);
            m[i][SUCCESS] = success[i];
            m[i][READS_TARGET] = readout.read(after[i]).equals(c.b()) ? 1 : 0;
            m[i][CHANGED] = cont.get(i).equals(own.get(i)) ? 0 : 1;
            m[i][STILL_CORRECT] = fits(cont.get(i), c.real(), c.sample(), specExamples) ? 1 : 0;
            m[i][EDIT_NORM] = 0;
        }
        return m;
    }

    private static void addMeasures(Table out, long step, String layer, String feature, String method, double[][] m,
            Bootstrap boot, double valAcc, Options o) {
        for (int k = 0; k < MEASURES.length; k++) {
            double[][] sums = new double[m.length][2];
            for (int i = 0; i < m.length; i++) {
                if (m[i] != null) {
                    sums[i][0] = 1;
                    sums[i][1] = m[i][k];
                }
            }
            double[] total = Bootstrap.total(sums);
            if (total[0] == 0) {
                continue;
            }
            Bootstrap.Interval ci = Bootstrap.interval(boot.distribution(sums, Intervention::mean), 0.95);
            add(out, step, layer, feature, method, MEASURES[k], mean(total), ci, (int) total[0], valAcc, o);
        }
    }

    /** Paired difference of one measure ({@code success} or {@code changed}), a minus b, on the programs both edited. */
    private static void addDifference(Table out, long step, String layer, String feature, String name, int measure,
            double[][] a, double[][] b, Bootstrap boot, double valAcc, Options o) {
        double[][] sums = new double[a.length][2];
        for (int i = 0; i < a.length; i++) {
            if (a[i] != null && b[i] != null) {
                sums[i][0] = 1;
                sums[i][1] = a[i][measure] - b[i][measure];
            }
        }
        double[] total = Bootstrap.total(sums);
        if (total[0] == 0) {
            return;
        }
        Bootstrap.Interval ci = Bootstrap.interval(boot.distribution(sums, Intervention::mean), 0.95);
        add(out, step, layer, feature, name, MEASURES[measure], mean(total), ci, (int) total[0], valAcc, o);
    }

    private static double mean(double[] s) {
        return s[0] == 0 ? Double.NaN : s[1] / s[0];
    }

    private static void add(Table out, long step, String layer, String feature, String method, String measure,
            double value, Bootstrap.Interval ci, int n, double valAcc, Options o) {
        out.longColumn("step").append(step);
        out.stringColumn("layer").append(layer);
        out.stringColumn("feature").append(feature);
        out.stringColumn("method").append(method);
        out.stringColumn("measure").append(measure);
        out.doubleColumn("value").append(value);
        out.doubleColumn("ci_low").append(ci.low());
        out.doubleColumn("ci_high").append(ci.high());
        out.intColumn("n_programs").append(n);
        out.doubleColumn("probe_val_accuracy").append(valAcc);
        out.doubleColumn("margin").append(o.margin());
        out.longColumn("seed").append(o.seed());
        out.stringColumn("push").append(o.push());
    }

    private static Table emptyTable() {
        return Table.create("interventions", LongColumn.create("step"), StringColumn.create("layer"),
                StringColumn.create("feature"), StringColumn.create("method"), StringColumn.create("measure"),
                DoubleColumn.create("value"), DoubleColumn.create("ci_low"), DoubleColumn.create("ci_high"),
                IntColumn.create("n_programs"), DoubleColumn.create("probe_val_accuracy"), DoubleColumn.create("margin"),
                LongColumn.create("seed"), StringColumn.create("push"));
    }

    // ---- the probe ----

    /** The train and val traces of the probes: the sweep's final ones when usable, else traced under causal-*. */
    private static TraceSet[] probeTraces(Path run, Path ckpt, String sha, Dataset data, Options o, long step, PrintStream log) {
        Path stepDir = run.resolve("traces").resolve(String.format("step-%06d", step));
        Split[] splits = {Split.TRAIN, Split.VAL};
        TraceSet[] sets = new TraceSet[2];
        Set<String> earlier = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            TraceSet t = openIfUsable(stepDir.resolve("final-" + splits[i].id()), sha);
            if (t == null) {
                Path dir = stepDir.resolve("causal-" + splits[i].id());
                t = openIfUsable(dir, sha);
                if (t == null) {
                    log.printf("intervene: tracing %d %s programs for the probes%n", o.probeSamples(), splits[i].id());
                    if (Files.exists(dir)) {
                        try {
                            AtomicFiles.deleteTree(dir);
                        } catch (java.io.IOException e) {
                            throw new KarelException(dir + ": cannot replace: " + e.getMessage(), e);
                        }
                    }
                    Tracer.trace(run, ckpt, data, Tracer.Options.of(splits[i], o.probeSamples()).excluding(earlier), dir);
                    t = TraceSet.open(dir, sha);
                }
            }
            sets[i] = t;
            earlier.addAll(t.referencePrograms());
        }
        return sets;
    }

    private static TraceSet openIfUsable(Path dir, String sha) {
        if (!Files.isRegularFile(dir.resolve(org.karellab.trace.TraceMeta.FILE))) {
            return null;
        }
        try {
            TraceSet t = TraceSet.open(dir, sha);
            return t.meta().offsets().contains(OFFSET) ? t : null;
        } catch (KarelException e) {
            return null;
        }
    }

    private static ProbeFit.Result fitProbe(MutableDataset<Label> train, TraceSet valSplit, String layer, String feature, long seed) {
        MutableDataset<Label> val = ProbeData.forTraces(valSplit, layer, "original", OFFSET, feature);
        return ProbeFit.select(ProbeRegistry.candidates("linear", seed), train, val, val);
    }

    @SuppressWarnings("unchecked")
    private static ProbeNetworkModel<Label> castProbe(ProbeFit.Result r) {
        if (!(r.model() instanceof ProbeNetworkModel<?> m)) {
            throw new IllegalStateException("the linear probe is not a ProbeNetworkModel");
        }
        return (ProbeNetworkModel<Label>) m;
    }

    // ---- the programs ----

    private static List<Case> cases(Gpt model, Dataset data, SpecEncoding enc, int specExamples, String feature,
            Set<String> exclude, Options o, PrintStream log) {
        List<Sample> all = Evaluation.samples(data.split(Split.TEST), 0);
        Decoder decoder = new Decoder(model);
        SplittableRandom rng = new SplittableRandom(o.seed());
        List<Case> cases = new ArrayList<>();
        int tried = 0;
        for (int from = 0; from < all.size() && cases.size() < o.samples(); from += 128) {
            List<Sample> part = new ArrayList<>();
            for (Sample s : all.subList(from, Math.min(all.size(), from + 128))) {
                if (!exclude.contains(s.program().toShort())) {
                    part.add(s);
                }
            }
            if (part.isEmpty()) {
                continue;
            }
            List<Spec> specs = part.stream().map(s -> Spec.of(s.inputs(), s.outputs(), specExamples)).toList();
            List<Decoder.Decoded> decoded = decoder.greedy(enc.encode(specs, null));
            for (int i = 0; i < part.size() && cases.size() < o.samples(); i++) {
                tried++;
                Sample s = part.get(i);
                Program p = new Program(decoded.get(i).actions());
                if (p.length() < 2 || !o.allPrograms() && !EvalRow.correct(s, p, specExamples)[0]) {
                    continue;
                }
                int t = 1 + rng.nextInt(p.length() - 1);
                cases.add(caseOf(s, p, t, feature, specExamples));
            }
        }
        log.printf("intervene: %d programs to edit (of %d test programs decoded)%n", cases.size(), tried);
        return cases;
    }

    /** The case of program {@code p} at step {@code t}: value a of the feature, its target b, the counterfactual worlds. */
    static Case caseOf(Sample s, Program p, int t, String feature, int specExamples) {
        Program prefix = new Program(p.actions().subList(0, t));
        List<World> real = new ArrayList<>();
        List<World> turned = new ArrayList<>();
        for (int k = 0; k < specExamples; k++) {
            World w = Interpreter.REFERENCE.run(s.inputs().get(k), prefix);
            real.add(w);
            turned.add(w.copy().placeRobot(w.robotRow(), w.robotCol(), w.facing().right()));
        }
        String a = Labels.value(Interpreter.REFERENCE.trace(s.inputs().get(0), p), t, OFFSET, feature);
        return new Case(s, p, t, a, turnedValue(feature, a), turned, real);
    }

    /** The value of {@code feature} for a robot turned clockwise by 90 degrees from value {@code a}. */
    static String turnedValue(String feature, String a) {
        return switch (feature) {
            case "rel_facing" -> Integer.toString((Integer.parseInt(a) + 90) % 360);
            case "facing" -> Facing.valueOf(a).right().name();
            default -> throw new KarelException("--feature: '" + feature + "' cannot be edited");
        };
    }

    /** Whether {@code rest}, run from {@code from} (one world per spec input), gives the sample's spec outputs. */
    static boolean fits(Program rest, List<World> from, Sample s, int specExamples) {
        for (int k = 0; k < specExamples; k++) {
            World got = Interpreter.REFERENCE.run(from.get(k), rest);
            if (!WorldText.render(got).equals(WorldText.render(s.outputs().get(k)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * One teacher-forced pass over every written program, keeping {@code layers}: states[layer][case][j]
     * is the state at the position that emits action j. Returns the position that emits action 0.
     */
    private static int recordStates(Gpt model, SpecEncoding enc, List<Case> cases, int specExamples, List<String> layers,
            Map<String, float[][][]> states) {
        int c = model.config().dModel();
        for (String l : layers) {
            states.put(l, new float[cases.size()][][]);
        }
        int first = -1;
        for (int from = 0; from < cases.size(); from += 128) {
            List<Case> part = cases.subList(from, Math.min(cases.size(), from + 128));
            List<Spec> specs = part.stream().map(k -> Spec.of(k.sample().inputs(), k.sample().outputs(), specExamples)).toList();
            Batch forced = enc.encode(specs, part.stream().map(Case::program).toList());
            first = firstAction(forced, enc, specExamples);
            try (NDManager scope = model.newScope()) {
                Gpt.Output out = model.forward(scope, forced, false, HiddenFilter.of(layers), List.of());
                for (String l : layers) {
                    NDArray h = out.hidden().get(l);                                   // (B, L, C)
                    float[] all = h.toFloatArray();
                    int len = (int) h.getShape().get(1);
                    for (int r = 0; r < part.size(); r++) {
                        int n = part.get(r).program().length();
                        float[][] rows = new float[n][c];
                        for (int j = 0; j < n; j++) {
                            System.arraycopy(all, (r * len + first + j) * c, rows[j], 0, c);
                        }
                        states.get(l)[from + r] = rows;
                    }
                }
            }
        }
        return first;
    }

    /** The position that emits action 0 in batch {@code b} of {@code enc}: after the spec and its tokens. */
    static int firstAction(Batch b, SpecEncoding enc, int specExamples) {
        return b.specLen() + enc.specTokens(specExamples);
    }

    /** For each case, another case at the same step whose true value is this case's target (-1 if none). */
    private static int[] donors(List<Case> cases, SplittableRandom rng) {
        int[] donor = new int[cases.size()];
        for (int i = 0; i < donor.length; i++) {
            List<Integer> fit = new ArrayList<>();
            for (int j = 0; j < cases.size(); j++) {
                if (j != i && cases.get(j).t() == cases.get(i).t() && cases.get(j).a().equals(cases.get(i).b())) {
                    fit.add(j);
                }
            }
            donor[i] = fit.isEmpty() ? -1 : fit.get(rng.nextInt(fit.size()));
        }
        return donor;
    }

    /**
     * The LM's continuations from each case's written prefix, with {@code delta[i]} added to state
     * {@code layer} at the position emitting action t (none where delta is null), keeping that
     * (the edited state itself is the unedited one plus delta).
     */
    static List<Decoder.Decoded> continueEdited(Gpt model, SpecEncoding enc, List<Case> cases, int specExamples,
            String layer, int first, float[][] delta) {
        int c = model.config().dModel();
        int maxT = cases.stream().mapToInt(Case::t).max().orElse(1);
        int[] positions = new int[maxT];                                   // positions emitting actions 1..maxT
        for (int j = 0; j < maxT; j++) {
            positions[j] = first + 1 + j;
        }
        return continueParts(model, enc, cases, specExamples, (from, part) -> {
            float[] values = new float[part.size() * maxT * c];             // (rows, positions, C), zero but at each row's t
            boolean any = false;
            for (int r = 0; r < part.size(); r++) {
                float[] d = delta[from + r];
                if (d != null) {
                    System.arraycopy(d, 0, values, (r * maxT + part.get(r).t() - 1) * c, c);
                    any = true;
                }
            }
            return any ? List.of(new Edit(layer, Edit.Op.ADD, positions, part.size(), values)) : List.of();
        });
    }

    /**
     * The LM's continuations from each case's written prefix, decoded in parts of 128 cases with
     * the edits {@code edits} gives for each part (its first case's index and the part).
     */
    private static List<Decoder.Decoded> continueParts(Gpt model, SpecEncoding enc, List<Case> cases, int specExamples,
            java.util.function.BiFunction<Integer, List<Case>, List<Edit>> edits) {
        Decoder decoder = new Decoder(model);
        List<Decoder.Decoded> out = new ArrayList<>();
        for (int from = 0; from < cases.size(); from += 128) {
            List<Case> part = cases.subList(from, Math.min(cases.size(), from + 128));
            List<Spec> specs = part.stream().map(k -> Spec.of(k.sample().inputs(), k.sample().outputs(), specExamples)).toList();
            Batch prompt = enc.encode(specs, part.stream().map(Case::prefix).toList());
            int[] written = part.stream().mapToInt(Case::t).toArray();
            out.addAll(decoder.continueFrom(prompt, written, HiddenFilter.none(), edits.apply(from, part)));
        }
        return out;
    }

    /**
     * The steer of a {@link #REST_METHODS} edit, by case index: nothing before the position
     * emitting the case's action t; from there on the push that turns the probe's reading of the
     * state 90 degrees (clockwise, or counter-clockwise for {@code opposite_rest}), or for
     * {@code random_rest} a random direction of that push's norm, drawn from the case, the position
     * and the seed alone (so batching does not change it); for {@code shuffled_rest} the
     * {@code shuffled} push between the same two values, scaled to that push's norm.
     */
    private static Edit.Steer restSteer(String method, LinearReadout readout, Push push, Push shuffled, String feature,
            List<Case> cases, int first, Options o, String layer) {
        return (i, position, state) -> {
            if (position < first + cases.get(i).t()) {
                return null;
            }
            String read = readout.read(state);
            String cw = turnedValue(feature, read);
            String target = method.equals("opposite_rest") ? turnedValue(feature, turnedValue(feature, cw)) : cw;
            float[] delta = push.towards(state, read, target);
            if (delta == null) {
                return null;
            }
            return switch (method) {
                case "random_rest" -> random(delta, new SplittableRandom((o.seed() * 1_000_003L + layer.hashCode()) * 1_000_033L
                        + i * 4_099L + position));
                case "shuffled_rest" -> scaledTo(shuffled.towards(state, read, target), delta);
                default -> delta;
            };
        };
    }

    /**
     * The push {@code o} asks for: the class-mean difference on {@code train}'s rows (their labels
     * shuffled by {@code shuffle} when given), or the probe's least step with {@code o}'s margin
     * (with {@code shuffle}, the probe's class-mean difference on shuffled rows stands in: the
     * shuffled control of either push is a difference of means of random groups).
     */
    private static Push pushOf(Options o, MutableDataset<Label> train, ProbeNetworkModel<Label> probe, LinearReadout readout,
            SplittableRandom shuffle) {
        if (shuffle != null || o.push().equals("mean")) {
            return Push.means(classMeans(train, probe, shuffle));
        }
        return (h, from, target) -> readout.index(target) < 0 ? null : readout.pushTowards(h, target, o.margin());
    }

    /** {@code v} scaled to the norm of {@code like}; null when either is null or {@code v} is zero. */
    static float[] scaledTo(float[] v, float[] like) {
        if (v == null || like == null || norm(v) == 0) {
            return null;
        }
        double scale = norm(like) / norm(v);
        float[] out = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = (float) (v[k] * scale);
        }
        return out;
    }

    /** A push of state {@code h}, read as {@code from}, towards {@code target}: the vector to add, or null when the probe lacks a class. */
    @FunctionalInterface
    interface Push {
        float[] towards(float[] h, String from, String target);

        /** The class-mean difference {@code mean[target] - mean[from]}, whatever {@code h} is. */
        static Push means(Map<String, float[]> mean) {
            return (h, from, target) -> mean.containsKey(from) && mean.containsKey(target) ? minus(mean.get(target), mean.get(from)) : null;
        }
    }

    /** Each class's mean raw state over {@code train}'s rows, in the probe's input order ({@code (C)} per class). */
    static Map<String, float[]> classMeans(MutableDataset<Label> train, ProbeNetworkModel<Label> probe) {
        return classMeans(train, probe, null);
    }

    /**
     * {@link #classMeans(MutableDataset, ProbeNetworkModel)} with the rows' labels permuted by
     * {@code shuffle} first (Fisher-Yates; every class keeps its size), or as they are when null.
     */
    static Map<String, float[]> classMeans(MutableDataset<Label> train, ProbeNetworkModel<Label> probe, SplittableRandom shuffle) {
        org.tribuo.ImmutableFeatureMap features = probe.getFeatureIDMap();
        int c = features.size();
        List<String> labels = new ArrayList<>();
        for (org.tribuo.Example<Label> e : train) {
            labels.add(e.getOutput().getLabel());
        }
        if (shuffle != null) {
            for (int k = labels.size() - 1; k > 0; k--) {
                java.util.Collections.swap(labels, k, shuffle.nextInt(k + 1));
            }
        }
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        float[] row = new float[c];
        int index = 0;
        for (org.tribuo.Example<Label> e : train) {
            String label = labels.get(index++);
            double[] sum = sums.computeIfAbsent(label, k -> new double[c]);
            counts.merge(label, 1, Integer::sum);
            java.util.Arrays.fill(row, 0f);
            ProbeMatrix.fill(e, features, row, 0);
            for (int i = 0; i < c; i++) {
                sum[i] += row[i];
            }
        }
        Map<String, float[]> means = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            float[] m = new float[c];
            int n = counts.get(e.getKey());
            for (int i = 0; i < c; i++) {
                m[i] = (float) (e.getValue()[i] / n);
            }
            means.put(e.getKey(), m);
        }
        return means;
    }

    /** As {@link #continueEdited}, with a steer from each case's position emitting action t to the end. */
    static List<Decoder.Decoded> continueSteered(Gpt model, SpecEncoding enc, List<Case> cases, int specExamples,
            String layer, int first, Edit.Steer steer) {
        int minT = cases.stream().mapToInt(Case::t).min().orElse(1);
        int[] positions = new int[model.config().contextLength() - first - minT];   // every position from the earliest t on
        for (int j = 0; j < positions.length; j++) {
            positions[j] = first + minT + j;
        }
        return continueParts(model, enc, cases, specExamples, (from, part) -> positions.length == 0 ? List.of()
                : List.of(Edit.steer(layer, (row, position, state) -> steer.delta(from + row, position, state), positions)));
    }

    private static float[] random(float[] like, SplittableRandom rng) {
        float[] v = new float[like.length];
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            double g = gaussian(rng);
            v[i] = (float) g;
            s += g * g;
        }
        double scale = norm(like) / Math.sqrt(s);
        for (int i = 0; i < v.length; i++) {
            v[i] *= (float) scale;
        }
        return v;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static float[] plus(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] + b[i];
        }
        return d;
    }

    private static float[] minus(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static double norm(float[] v) {
        return LinearReadout.norm(v);
    }

    /** Reads a CSV written by {@link #run} with the column types it was written with. */
    public static Table read(Path csv) {
        return RunParts.readTyped(csv, emptyTable(), "interventions");
    }
}
