package org.karellab.probe;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.karellab.data.AtomicFiles;
import org.karellab.data.Dataset;
import org.karellab.data.Split;
import org.karellab.lm.Checkpoint;
import org.karellab.lm.LmConfig;
import org.karellab.lm.RunDir;
import org.karellab.lm.TrainRecipe;
import org.karellab.probe.Results.Lm;
import org.karellab.probe.Results.Metric;
import org.karellab.probe.Results.Rows;
import org.karellab.probe.Results.Task;
import org.karellab.trace.Labels;
import org.karellab.trace.TraceSet;
import org.karellab.trace.Tracer;
import org.karellab.world.KarelException;
import org.karellab.world.Semantics;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The probing sweep, written as one tidy CSV ({@link Results}: a row per measurement, every key
 * column) that resumes where it stopped, and beside it {@value #PROGRAMS}: every measurement's
 * per-program sums on the test programs, from which any interval or paired difference is
 * bootstrapped over programs.
 *
 * <p>Protocol. Probes train on traces of the dataset's train split, are chosen on the val split
 * and scored once on the test split; the three probe splits hold disjoint reference programs (val
 * and test skip programs already traced for an earlier split). For each measurement every
 * candidate of the probe's hyper-parameter grid trains with the first probe seed and the one with
 * the best val accuracy is kept; the other seeds retrain that candidate. Each seed's test accuracy
 * gets a row, and the row {@code seed=all} holds the mean over seeds with a 95% percentile
 * bootstrap interval over test programs.
 *
 * <ul>
 *   <li><b>curve</b>, at the chosen checkpoints (a smaller trace set): each probe on the current
 *       state, original semantics, mean layer, semantic features, and the majority class;</li>
 *   <li><b>final</b>, at the last checkpoint: every probe x semantics on every probed feature
 *       (rows: all, world-dependent, not a relabelling), the same on a randomly initialised LM and
 *       on syntax-only features (the written prefix alone), the prefix and wrong-world controls,
 *       past and future offsets with copying the current state, the layer sweep, the majority
 *       class, and regression probes (R^2) on the numeric offsets.</li>
 * </ul>
 */
public final class Sweep {
    public static final String CSV = "results.csv";
    /** Per-program sums of every {@code seed=all} row (see {@link Bootstrap}). */
    public static final String PROGRAMS = "results-programs.csv";
    /** Tribuo logs every training at INFO; a sweep trains thousands of probes. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private Sweep() {
    }

    /**
     * What the sweep measures; {@link #builder()} starts from the defaults.
     *
     * @param checkpoints the curve's checkpoints: {@code all}, {@code last}, {@code every:K} (every K-th and the last), or steps a,b,c
     * @param probes probe names for {@link ProbeRegistry}
     * @param semantics semantics of the final sweep (the first is the original)
     * @param offsets offsets of the final sweep
     * @param layers layers of the layer sweep ({@code null}: every layer traced)
     * @param layerProbes probes of the layer sweep
     * @param samples train-split programs traced at the last checkpoint
     * @param evalSamples val- and test-split programs traced at the last checkpoint (each)
     * @param curveSamples programs per split traced at the curve's checkpoints
     * @param seeds probe seeds at the last checkpoint
     * @param curveSeeds probe seeds on the curve
     * @param seed base seed (probe seed i is {@code seed + i}; controls and the bootstrap derive from it)
     * @param resamples bootstrap resamples
     * @param curve run the curve part
     * @param finals run the final part
     */
    public record Options(String checkpoints, List<String> probes, List<String> semantics, List<Integer> offsets,
            List<String> layers, List<String> layerProbes, int samples, int evalSamples, int curveSamples, int seeds,
            int curveSeeds, long seed, int resamples, boolean curve, boolean finals, List<String> headlineProbes,
            String regressionProbe) {
        public Options {
            require(samples > 0, "--samples", "must be at least 1 program, got " + samples);
            require(evalSamples > 0, "--eval-samples", "must be at least 1 program, got " + evalSamples);
            require(curveSamples > 0, "--curve-samples", "must be at least 1 program, got " + curveSamples);
            require(seeds > 0 && curveSeeds > 0, "--seeds", "must be at least 1");
            require(resamples > 0, "--resamples", "must be at least 1");
            require(!probes.isEmpty(), "--probes", "no probe named");
            require(!semantics.isEmpty(), "--semantics", "no semantics named");
            require(!offsets.isEmpty(), "--offsets", "no offset named");
            require(regressionProbe != null && !regressionProbe.isBlank(), "--regression-probe", "no regression probe named");
            probes = List.copyOf(probes);
            semantics = List.copyOf(semantics);
            offsets = List.copyOf(offsets);
            layers = layers == null ? null : List.copyOf(layers);
            layerProbes = List.copyOf(layerProbes);
            headlineProbes = List.copyOf(headlineProbes);
        }

        private static void require(boolean ok, String option, String problem) {
            if (!ok) {
                throw new KarelException(option + ": " + problem);
            }
        }

        public static Options defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            Builder b = new Builder();
            b.checkpoints = checkpoints;
            b.probes = probes;
            b.semantics = semantics;
            b.offsets = offsets;
            b.layers = layers;
            b.layerProbes = layerProbes;
            b.samples = samples;
            b.evalSamples = evalSamples;
            b.curveSamples = curveSamples;
            b.seeds = seeds;
            b.curveSeeds = curveSeeds;
            b.seed = seed;
            b.resamples = resamples;
            b.curve = curve;
            b.finals = finals;
            b.headlineProbes = headlineProbes;
            b.regressionProbe = regressionProbe;
            return b;
        }
    }

    /** Builds {@link Options}; every field starts at its default, commented with its reason. */
    public static final class Builder {
        private String checkpoints = "all"; // the curve: every checkpoint
        private List<String> probes = List.of("linear", "mlp1", "mlp2"); // the paper's three probes
        private List<String> semantics = Semantics.REFERENCE_ICML.stream().map(Semantics::name).toList(); // original + the reference's ICML'24 alternatives
        private List<Integer> offsets = List.of(-2, -1, 0, 1, 2); // the paper's past and future states
        private List<String> layers = null; // every traced layer
        private List<String> layerProbes = List.of("linear"); // the layer sweep reads linearly decodable content
        private int samples = 3000; // train programs: >= 10,000 (state, label) rows (cpu run: 3.6 rows a program)
        private int evalSamples = 700; // val and test programs each: >= 3,000 rows (cpu run: 4.6-4.7 rows a program)
        private int curveSamples = 300; // per split on the curve: the trend, not the headline
        private int seeds = 5; // probe seeds, as the reference
        private int curveSeeds = 1; // the curve's interval is over programs
        private long seed = 0; // the reference's first probe seed
        private int resamples = Bootstrap.DEFAULT_RESAMPLES;
        private boolean curve = true;
        private boolean finals = true;
        private List<String> headlineProbes = List.of(); // probes measured on the curve and the headline only (original semantics, offset 0: trained, random-init, syntax)
        private String regressionProbe = RegressionProbes.LINEAR; // the R^2 probe of the numeric offsets (a RegressionProbes name)

        public Builder checkpoints(String v) { checkpoints = v; return this; }
        public Builder headlineProbes(List<String> v) { headlineProbes = v; return this; }
        public Builder regressionProbe(String v) { regressionProbe = v; return this; }
        public Builder probes(List<String> v) { probes = v; return this; }
        public Builder semantics(List<String> v) { semantics = v; return this; }
        public Builder offsets(List<Integer> v) { offsets = v; return this; }
        public Builder layers(List<String> v) { layers = v; return this; }
        public Builder layerProbes(List<String> v) { layerProbes = v; return this; }
        public Builder samples(int v) { samples = v; return this; }
        public Builder evalSamples(int v) { evalSamples = v; return this; }
        public Builder curveSamples(int v) { curveSamples = v; return this; }
        public Builder seeds(int v) { seeds = v; return this; }
        public Builder curveSeeds(int v) { curveSeeds = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder resamples(int v) { resamples = v; return this; }
        public Builder curve(boolean v) { curve = v; return this; }
        public Builder finals(boolean v) { finals = v; return this; }

        public Options build() {
            return new Options(checkpoints, probes, semantics, offsets, layers, layerProbes, samples, evalSamples,
                    curveSamples, seeds, curveSeeds, seed, resamples, curve, finals, headlineProbes, regressionProbe);
        }
    }

    /** One measurement group: every seed and row filter of it is written together. */
    record Key(long step, Lm lm, Task task, String probe, String layer, String semantics, int offset, String feature,
            Metric metric) {
        String id() {
            return step + "|" + lm.id + "|" + task.id + "|" + probe + "|" + layer + "|" + semantics + "|" + offset + "|"
                    + feature + "|" + metric.id;
        }

        String id(Rows rows, String vs) {
            return id() + "|" + ProgramScores.rowsId(rows.id, vs);
        }

        /** The group's key under another semantics. */
        String under(String semantics) {
            return new Key(step, lm, task, probe, layer, semantics, offset, feature, metric).id();
        }
    }

    public static Table run(Path run, Options o, Path csv, PrintStream log) {
        for (String p : concat(concat(o.probes(), o.layerProbes()), o.headlineProbes())) {
            try {
                ProbeRegistry.trainer(p); // unknown names fail before any work
            } catch (IllegalArgumentException e) {
                throw new KarelException("--probes: " + e.getMessage(), e);
            }
        }
        try {
            RegressionProbes.trainer(o.regressionProbe(), o.seed()); // likewise
        } catch (IllegalArgumentException e) {
            throw new KarelException("--regression-probe: " + e.getMessage(), e);
        }
        List<Semantics> sems = o.semantics().stream().map(Semantics::parse).toList();
        if (!sems.get(0).equals(Semantics.ORIGINAL)) {
            throw new KarelException("--semantics: the first must be original (alternatives are compared to it), got "
                    + o.semantics().get(0));
        }
        List<Path> all = Checkpoint.list(run);
        if (all.isEmpty()) {
            throw new KarelException(run + ": has no checkpoints");
        }
        Sink sink = new Sink(csv, Labels.semantic(encoding(run)));
        Path last = all.get(all.size() - 1);
        try (Dataset data = Dataset.open(RunDir.data(run), false)) {
            if (o.curve()) {
                for (Path c : choose(run, o.checkpoints(), all)) {
                    if (o.finals() && c.equals(last)) {
                        continue; // the final part measures the last checkpoint on more programs
                    }
                    long t0 = System.nanoTime();
                    Measurer m = new Measurer(Traces.of(run, c, data, o, false), o, sink, o.curveSeeds(), log);
                    for (String f : sink.semantic) {
                        m.classify(m.key(Lm.TRAINED, Task.REAL, Results.DUMMY, Results.MEAN_LAYER, Results.ORIGINAL, 0, f));
                        for (String probe : concat(o.probes(), o.headlineProbes())) {
                            m.classify(m.key(Lm.TRAINED, Task.REAL, probe, Results.MEAN_LAYER, Results.ORIGINAL, 0, f));
                        }
                    }
                    sink.save();
                    log.printf("curve: step %d done (%d rows, %.0f s)%n", m.t.step, sink.table.rowCount(),
                            (System.nanoTime() - t0) / 1e9);
                }
            }
            if (o.finals()) {
                finals(run, last, data, o, sink, log);
            }
        }
        return sink.table;
    }

    /** The final part, most important measurements first so that a partial run is already useful. */
    private static void finals(Path run, Path last, Dataset data, Options o, Sink sink, PrintStream log) {
        long t0 = System.nanoTime();
        Measurer m = new Measurer(Traces.of(run, last, data, o, true), o, sink, o.seeds(), log);
        log.printf("final: step %d, %d train / %d val / %d test rows, %d test programs%n", m.t.step,
                m.t.train.meta().rows(), m.t.val.meta().rows(), m.t.test.meta().rows(), m.t.test.meta().programs());
        String mean = Results.MEAN_LAYER;
        List<String> semantic = sink.semantic;
        // majority class of every label set the probes see
        for (String sem : o.semantics()) {
            for (String f : Labels.PROBED) {
                m.classify(m.key(Lm.TRAINED, Task.REAL, Results.DUMMY, mean, sem, 0, f));
            }
        }
        for (String probe : o.probes()) {
            long p0 = System.nanoTime();
            // the headline: every semantics, every feature, trained LM vs random-init LM vs the written tokens alone
            // (the alternatives on the frame's semantic features; the syntax-only baseline under the original)
            for (String sem : o.semantics()) {
                boolean original = sem.equals(o.semantics().get(0));
                for (String f : original ? Labels.PROBED : semantic) {
                    m.classify(m.key(Lm.TRAINED, Task.REAL, probe, mean, sem, 0, f));
                }
                for (String f : semantic) {
                    m.classify(m.key(Lm.RANDOM_INIT, Task.REAL, probe, mean, sem, 0, f));
                    if (original) {
                        m.classify(m.key(Lm.TRAINED, Task.SYNTAX, probe, Results.NO_LAYER, sem, 0, f));
                    }
                }
                sink.save();
            }
            // controls
            for (String f : semantic) {
                m.classify(m.key(Lm.TRAINED, Task.CONTROL_PREFIX, probe, mean, Results.ORIGINAL, 0, f));
                m.classify(m.key(Lm.TRAINED, Task.CONTROL_WORLD, probe, mean, Results.ORIGINAL, 0, f));
            }
            // past and future states
            for (int off : o.offsets()) {
                if (off != 0) {
                    for (String f : semantic) {
                        m.classify(m.key(Lm.TRAINED, Task.REAL, probe, mean, Results.ORIGINAL, off, f));
                    }
                }
            }
            sink.save();
            log.printf("final: probe %s done (%.0f s)%n", probe, (System.nanoTime() - p0) / 1e9);
        }
        // probes measured on the headline only: the original semantics at offset 0, trained vs random-init vs syntax
        for (String probe : o.headlineProbes()) {
            long p0 = System.nanoTime();
            for (String f : Labels.PROBED) {
                m.classify(m.key(Lm.TRAINED, Task.REAL, probe, mean, Results.ORIGINAL, 0, f));
            }
            for (String f : semantic) {
                m.classify(m.key(Lm.RANDOM_INIT, Task.REAL, probe, mean, Results.ORIGINAL, 0, f));
                m.classify(m.key(Lm.TRAINED, Task.SYNTAX, probe, Results.NO_LAYER, Results.ORIGINAL, 0, f));
            }
            sink.save();
            log.printf("final: probe %s (headline only) done (%.0f s)%n", probe, (System.nanoTime() - p0) / 1e9);
        }
        for (int off : o.offsets()) {
            if (off != 0) {
                for (String f : semantic) {
                    m.classify(m.key(Lm.TRAINED, Task.REAL, Results.DUMMY, mean, Results.ORIGINAL, off, f));
                    m.copyCurrent(m.key(Lm.TRAINED, Task.COPY_CURRENT, Results.NO_PROBE, Results.NO_LAYER, Results.ORIGINAL,
                            off, f));
                }
            }
        }
        List<String> layers = o.layers() != null ? o.layers() : m.t.train.meta().layers();
        for (String probe : o.layerProbes()) {
            for (String layer : layers) {
                for (String f : semantic) {
                    m.classify(m.key(Lm.TRAINED, Task.REAL, probe, layer, Results.ORIGINAL, 0, f));
                }
            }
        }
        sink.save();
        // regression probes on the numeric offsets (R^2)
        for (String f : Labels.NUMERIC) {
            m.regress(m.key(Lm.TRAINED, Task.REAL, o.regressionProbe(), mean, Results.ORIGINAL, 0, f));
            m.regress(m.key(Lm.RANDOM_INIT, Task.REAL, o.regressionProbe(), mean, Results.ORIGINAL, 0, f));
            m.regress(m.key(Lm.TRAINED, Task.SYNTAX, o.regressionProbe(), Results.NO_LAYER, Results.ORIGINAL, 0, f));
        }
        sink.save();
        log.printf("final: done (%d rows, %.0f s)%n", sink.table.rowCount(), (System.nanoTime() - t0) / 1e9);
    }

    /** The encoding of the run's model (from RUN/config.json). */
    private static String encoding(Path run) {
        try {
            return LmConfig.fromJson(Files.readString(run.resolve(TrainRecipe.CONFIG))).model().encoding();
        } catch (java.io.IOException e) {
            throw new KarelException(run + ": cannot read " + TrainRecipe.CONFIG + ": " + e.getMessage(), e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<Path> choose(Path run, String selector, List<Path> all) {
        if (selector.startsWith("every:")) {
            int k;
            try {
                k = Integer.parseInt(selector.substring(6).trim());
            } catch (NumberFormatException e) {
                throw new KarelException("--checkpoints: '" + selector + "' is not every:K", e);
            }
            if (k < 1) {
                throw new KarelException("--checkpoints: every:K needs K >= 1, got " + k);
            }
            List<Path> chosen = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (i % k == 0 || i == all.size() - 1) {
                    chosen.add(all.get(i));
                }
            }
            return chosen;
        }
        if (selector.equals("all") || selector.equals("last")) {
            return RunDir.checkpoints(run, selector);
        }
        List<Path> chosen = new ArrayList<>();
        for (String s : selector.split(",")) {
            chosen.addAll(RunDir.checkpoints(run, s.trim()));
        }
        return chosen;
    }

    /** The train/val/test traces of one checkpoint (made under RUN/traces when missing). */
    static final class Traces {
        final long step;
        final TraceSet train;
        final TraceSet val;
        final TraceSet test;

        private Traces(long step, TraceSet train, TraceSet val, TraceSet test) {
            this.step = step;
            this.train = train;
            this.val = val;
            this.test = test;
        }

        TraceSet[] splits() {
            return new TraceSet[] {train, val, test};
        }

        static Traces of(Path run, Path checkpoint, Dataset data, Options o, boolean finalPart) {
            String sha = Dataset.sha256(checkpoint);
            long step = Checkpoint.stepOf(checkpoint);
            Split[] splits = {Split.TRAIN, Split.VAL, Split.TEST};
            int[] limits = finalPart ? new int[] {o.samples(), o.evalSamples(), o.evalSamples()}
                    : new int[] {o.curveSamples(), o.curveSamples(), o.curveSamples()};
            TraceSet[] sets = new TraceSet[3];
            Set<String> earlier = new HashSet<>(); // reference programs of the earlier probe splits
            for (int i = 0; i < 3; i++) {
                Path dir = run.resolve("traces").resolve(String.format("step-%06d", step))
                        .resolve((finalPart ? "final-" : "curve-") + splits[i].id());
                TraceSet existing = reusable(dir, sha, o, finalPart, limits[i], earlier);
                if (existing == null) {
                    Tracer.Options to = new Tracer.Options(splits[i], limits[i],
                            o.semantics().stream().map(Semantics::parse).toList(), o.offsets(),
                            finalPart ? o.seed() + 1000 : null, 128).excluding(earlier);
                    Tracer.trace(run, checkpoint, data, to, dir);
                    existing = TraceSet.open(dir, sha);
                }
                sets[i] = existing;
                earlier.addAll(existing.referencePrograms());
            }
            return new Traces(step, sets[0], sets[1], sets[2]);
        }

        /** The trace folder when it holds what these options need, else null (and the folder removed). */
        private static TraceSet reusable(Path dir, String sha, Options o, boolean randomInit, int limit,
                Set<String> earlier) {
            if (!Files.isRegularFile(dir.resolve(org.karellab.trace.TraceMeta.FILE))) {
                return null;
            }
            TraceSet t = null;
            try {
                t = TraceSet.open(dir, sha);
            } catch (KarelException e) {
                // an older format or a damaged folder: trace again
            }
            boolean ok = t != null && (!randomInit || t.meta().randomInitSeed() != null)
                    && t.meta().programs() == limit
                    && t.meta().semantics().containsAll(o.semantics().stream().map(s -> Semantics.parse(s).name()).toList())
                    && t.meta().offsets().containsAll(o.offsets())
                    && t.labels().columnNames().contains(Labels.column(Labels.WRONG_WORLD, 0, Labels.WORLD_DEPENDENT))
                    && t.referencePrograms().stream().noneMatch(earlier::contains);
            if (!ok) {
                try {
                    AtomicFiles.deleteTree(dir);
                } catch (java.io.IOException e) {
                    throw new KarelException(dir + ": cannot replace: " + e.getMessage(), e);
                }
                return null;
            }
            return t;
        }
    }

    /**
     * A classification group's test predictions: for each kept test row (its row index in
     * {@code kept}), whether each seed's probe was right and whether the label is the train majority.
     */
    private record Scored(int[] kept, boolean[][] correct, boolean[] isMajority, double[] train, double[] val,
            int nTrain, String chosen) {
    }

    /** Measures the groups of one checkpoint's traces. */
    private static final class Measurer {
        final Traces t;
        final Options o;
        final Sink sink;
        final int seeds;
        final PrintStream log;
        final Bootstrap boot;
        final int[] testProgram; // program index of every test row
        final Map<String, float[][]> states = new HashMap<>();
        final Map<String, Scored> originals = new HashMap<>(); // original-semantics groups, for paired drops
        final Map<String, String> chosenBy = new HashMap<>();  // probe|feature -> the candidate chosen on val

        Measurer(Traces t, Options o, Sink sink, int seeds, PrintStream log) {
            this.t = t;
            this.o = o;
            this.sink = sink;
            this.seeds = seeds;
            this.log = log;
            this.testProgram = t.test.labels().intColumn("program").asIntArray();
            this.boot = new Bootstrap(t.test.meta().programs(), o.resamples(), o.seed() + 7919 * t.step);
        }

        Key key(Lm lm, Task task, String probe, String layer, String sem, int offset, String feature) {
            return new Key(t.step, lm, task, probe, layer, Semantics.parse(sem).name(), offset, feature,
                    Labels.NUMERIC.contains(feature) ? Metric.R2 : Metric.ACCURACY);
        }

        float[][] states(TraceSet set, String layer, boolean random) {
            String k = System.identityHashCode(set) + "|" + layer + "|" + random;
            return states.computeIfAbsent(k, x -> set.states(layer, random).toArray());
        }

        /** Inputs of split {@code i} (0 train, 1 val, 2 test): hidden states of a layer, or syntax features. */
        java.util.function.IntFunction<float[][]> inputs(Key k) {
            TraceSet[] sets = t.splits();
            if (k.task() == Task.SYNTAX) {
                Semantics sem = Semantics.parse(k.semantics());
                return i -> states.computeIfAbsent(System.identityHashCode(sets[i]) + "|syntax|" + sem.name(),
                        x -> SyntaxFeatures.of(sets[i].labels(), sem));
            }
            boolean random = k.lm() == Lm.RANDOM_INIT;
            return i -> states(sets[i], k.layer(), random);
        }

        /** Labels of the three splits for a group ("" where the state does not exist). */
        String[][] labels(Key k) {
            TraceSet[] sets = t.splits();
            String[][] y = new String[3][];
            String sem = k.task() == Task.CONTROL_WORLD ? Labels.WRONG_WORLD : k.semantics();
            for (int i = 0; i < 3; i++) {
                y[i] = sets[i].column(sem, k.offset(), k.feature());
            }
            if (k.task() == Task.CONTROL_PREFIX) {
                ControlTask task = ControlTask.fromLabels(nonEmpty(y[0]), o.seed() ^ k.feature().hashCode());
                for (int i = 0; i < 3; i++) {
                    String[] types = SyntaxFeatures.prefixes(sets[i].labels());
                    String[] c = task.labels(types);
                    for (int r = 0; r < c.length; r++) {
                        c[r] = y[i][r].isEmpty() ? "" : c[r];
                    }
                    y[i] = c;
                }
            }
            return y;
        }

        /** The test-row filters of a group: all rows, world-dependent rows, rows that are not a relabelling. */
        Map<Rows, boolean[]> masks(Key k, String[][] y) {
            Map<Rows, boolean[]> masks = new LinkedHashMap<>();
            int n = y[2].length;
            boolean[] all = new boolean[n];
            Arrays.fill(all, true);
            masks.put(Rows.ALL, all);
            if (k.task() == Task.COPY_CURRENT || k.task() == Task.CONTROL_PREFIX || k.task() == Task.CONTROL_WORLD) {
                return masks;
            }
            if (k.feature().equals("wall")) {
                masks.put(Rows.WORLD_DEPENDENT, all); // facing a wall always depends on the world
            } else if (!k.feature().contains("facing")) {
                String[] dep = t.test.column(k.semantics(), k.offset(), Labels.WORLD_DEPENDENT);
                boolean[] m = new boolean[n];
                for (int r = 0; r < n; r++) {
                    m[r] = dep[r].equals("true");
                }
                masks.put(Rows.WORLD_DEPENDENT, m);
            }
            if (!k.semantics().equals(Semantics.ORIGINAL.name())) {
                masks.put(Rows.NOT_RELABELLING, notRelabelling(k));
            }
            return masks;
        }

        /**
         * Test rows whose label under the alternative semantics differs from the relabelling that
         * the train split's rows define (each original label mapped to its commonest alternative label).
         */
        boolean[] notRelabelling(Key k) {
            String[] origTrain = t.train.column(Results.ORIGINAL, k.offset(), k.feature());
            String[] altTrain = t.train.column(k.semantics(), k.offset(), k.feature());
            Map<String, Map<String, Integer>> counts = new HashMap<>();
            for (int r = 0; r < origTrain.length; r++) {
                if (!origTrain[r].isEmpty()) {
                    counts.computeIfAbsent(origTrain[r], x -> new HashMap<>()).merge(altTrain[r], 1, Integer::sum);
                }
            }
            Map<String, String> map = new HashMap<>();
            counts.forEach((orig, alts) -> map.put(orig, commonest(alts)));
            String[] orig = t.test.column(Results.ORIGINAL, k.offset(), k.feature());
            String[] alt = t.test.column(k.semantics(), k.offset(), k.feature());
            boolean[] m = new boolean[orig.length];
            for (int r = 0; r < m.length; r++) {
                m[r] = !alt[r].equals(map.get(orig[r]));
            }
            return m;
        }

        /** The labelled rows of each split. */
        static int[][] labelled(String[][] y) {
            int[][] keep = new int[y.length][];
            for (int i = 0; i < y.length; i++) {
                keep[i] = ProbeData.labelledRows(y[i]);
            }
            return keep;
        }

        /** True (and logged) when a split has no labelled row, so the group cannot be measured. */
        boolean skipped(Key k, int[][] keep) {
            if (keep[0].length == 0 || keep[1].length == 0 || keep[2].length == 0) {
                log.printf("skipped %s: a split has no rows%n", k.id());
                return true;
            }
            return false;
        }

        /** A classification group: select on val with the first seed, retrain the other seeds, score on test. */
        void classify(Key k) {
            if (sink.done.contains(k.id())) {
                return;
            }
            String[][] y = labels(k);
            int[][] keep = labelled(y);
            if (skipped(k, keep)) {
                return;
            }
            String majority = majority(y[0], keep[0]);
            int seedsRun = k.probe().equals(Results.DUMMY) ? 1 : seeds;
            boolean[][] correct = new boolean[seedsRun][]; // (seed, kept test row)
            double[] trainAcc = new double[seedsRun];
            double[] valAcc = new double[seedsRun];
            String chosen = "-";
            if (k.probe().equals(Results.DUMMY)) {
                correct[0] = new boolean[keep[2].length];
                for (int j = 0; j < keep[2].length; j++) {
                    correct[0][j] = y[2][keep[2][j]].equals(majority);
                }
                trainAcc[0] = share(y[0], keep[0], majority);
                valAcc[0] = share(y[1], keep[1], majority);
            } else {
                ProbeData.Splits<Label> ds = ProbeData.classification(inputs(k), y, describe(k));
                Map<String, Trainer<Label>> candidates = ProbeRegistry.candidates(k.probe(), o.seed());
                // the candidate is chosen on val once per probe and feature, in the first group measured (the
                // headline: trained LM, real task, original semantics, offset 0); later groups reuse the choice
                String selectionKey = k.probe() + "|" + k.feature();
                String reuse = chosenBy.get(selectionKey);
                ProbeFit.Result fit = null;
                if (reuse != null && candidates.containsKey(reuse)) {
                    chosen = reuse;
                } else {
                    fit = ProbeFit.select(candidates, ds.get(0), ds.get(1), ds.get(2));
                    chosen = fit.chosen();
                    chosenBy.put(selectionKey, chosen);
                }
                for (int s = 0; s < seedsRun; s++) {
                    Model<Label> model = s == 0 && fit != null ? fit.model()
                            : ProbeRegistry.candidates(k.probe(), o.seed() + s).get(chosen).train(ds.get(0));
                    trainAcc[s] = model instanceof ProbeNetworkModel<?> network ? network.fit().trainScore()
                            : ProbeScore.of(model, ds.get(0)).accuracy();
                    valAcc[s] = s == 0 && fit != null ? fit.validation().get(chosen).accuracy()
                            : ProbeScore.of(model, ds.get(1)).accuracy();
                    correct[s] = correct(model, ds.get(2));
                }
            }
            boolean[] isMajority = new boolean[keep[2].length];
            for (int j = 0; j < isMajority.length; j++) {
                isMajority[j] = y[2][keep[2][j]].equals(majority);
            }
            Scored scored = new Scored(keep[2], correct, isMajority, trainAcc, valAcc, keep[0].length, chosen);
            Map<Rows, boolean[]> masks = masks(k, y);
            for (Map.Entry<Rows, boolean[]> e : masks.entrySet()) {
                write(k, e.getKey(), "-", scored, e.getValue());
            }
            if (k.semantics().equals(Semantics.ORIGINAL.name())) {
                originals.put(k.id(), scored);
            } else if (masks.containsKey(Rows.NOT_RELABELLING)) {
                // the original semantics' probe on the same rows, so the drop is paired on them
                Scored original = originals.get(k.under(Semantics.ORIGINAL.name()));
                if (original != null) {
                    write(new Key(k.step(), k.lm(), k.task(), k.probe(), k.layer(), Semantics.ORIGINAL.name(), k.offset(),
                            k.feature(), k.metric()), Rows.NOT_RELABELLING, k.semantics(), original,
                            masks.get(Rows.NOT_RELABELLING));
                } else {
                    log.printf("note: %s: the original group was measured in an earlier run; its rows under %s are "
                            + "not scored%n", k.id(), Rows.NOT_RELABELLING.id);
                }
            }
            sink.done.add(k.id());
        }

        /** Writes a classification group's per-seed rows and its aggregated row, on the test rows of {@code mask}. */
        void write(Key k, Rows rows, String vs, Scored sc, boolean[] mask) {
            int seedsRun = sc.correct().length;
            double[][] mean = new double[boot.programs()][3];
            for (int s = 0; s < seedsRun; s++) {
                double[][] sums = new double[boot.programs()][3];
                for (int j = 0; j < sc.kept().length; j++) {
                    int r = sc.kept()[j];
                    if (mask[r]) {
                        double[] p = sums[testProgram[r]];
                        p[Bootstrap.N]++;
                        p[Bootstrap.CORRECT] += sc.correct()[s][j] ? 1 : 0;
                        p[Bootstrap.MAJORITY] += sc.isMajority()[j] ? 1 : 0;
                    }
                }
                for (int p = 0; p < sums.length; p++) {
                    for (int c = 0; c < 3; c++) {
                        mean[p][c] += sums[p][c] / seedsRun;
                    }
                }
                if (seedsRun > 1) {
                    sink.add(k, rows, vs, Integer.toString(s), sc.nTrain(), sums, sc.train()[s], sc.val()[s],
                            Bootstrap::accuracy, boot, sc.chosen(), false);
                }
            }
            sink.add(k, rows, vs, Results.ALL_SEEDS, sc.nTrain(), mean, avg(sc.train()), avg(sc.val()),
                    Bootstrap::accuracy, boot, sc.chosen(), true);
        }

        /** A regression group on a numeric feature (R^2). */
        void regress(Key k) {
            if (sink.done.contains(k.id())) {
                return;
            }
            String[][] y = labels(k);
            if (skipped(k, labelled(y))) {
                return;
            }
            ProbeData.Splits<Regressor> ds = ProbeData.regression(inputs(k), y, k.feature(), describe(k));
            int[][] keep = ds.kept();
            double[] trainR2 = new double[seeds];
            double[] valR2 = new double[seeds];
            double[][] mean = new double[boot.programs()][4];
            for (int s = 0; s < seeds; s++) {
                Model<Regressor> model = RegressionProbes.trainer(k.probe(), o.seed() + s).train(ds.get(0));
                trainR2[s] = RegressionProbes.r2(model, ds.get(0));
                valR2[s] = RegressionProbes.r2(model, ds.get(1));
                List<Prediction<Regressor>> pred = model.predict(ds.get(2));
                double[][] sums = new double[boot.programs()][4];
                for (int j = 0; j < keep[2].length; j++) {
                    double truth = ds.test().getExample(j).getOutput().getValues()[0];
                    double err = truth - pred.get(j).getOutput().getValues()[0];
                    double[] p = sums[testProgram[keep[2][j]]];
                    p[Bootstrap.N]++;
                    p[Bootstrap.SSE] += err * err;
                    p[Bootstrap.SUM_Y] += truth;
                    p[Bootstrap.SUM_YY] += truth * truth;
                }
                for (int p = 0; p < sums.length; p++) {
                    for (int c = 0; c < 4; c++) {
                        mean[p][c] += sums[p][c] / seeds;
                    }
                }
                if (seeds > 1) {
                    sink.add(k, Rows.ALL, Integer.toString(s), keep[0].length, sums, trainR2[s], valR2[s],
                            Bootstrap::r2, boot, "-", false);
                }
            }
            sink.add(k, Rows.ALL, Results.ALL_SEEDS, keep[0].length, mean, avg(trainR2), avg(valR2), Bootstrap::r2,
                    boot, "-", true);
            sink.done.add(k.id());
        }

        /** Copying the current state's label as the prediction at another offset (no probe). */
        void copyCurrent(Key k) {
            if (sink.done.contains(k.id())) {
                return;
            }
            String[] now = t.test.column(k.semantics(), 0, k.feature());
            String[] then = t.test.column(k.semantics(), k.offset(), k.feature());
            double[][] sums = new double[boot.programs()][3];
            for (int r = 0; r < now.length; r++) {
                if (!then[r].isEmpty()) {
                    double[] p = sums[testProgram[r]];
                    p[Bootstrap.N]++;
                    p[Bootstrap.CORRECT] += then[r].equals(now[r]) ? 1 : 0;
                }
            }
            sink.add(k, Rows.ALL, Results.ALL_SEEDS, 0, sums, Double.NaN, Double.NaN, Bootstrap::accuracy, boot, "-",
                    true);
            sink.done.add(k.id());
        }

        private Map<String, String> describe(Key k) {
            Map<String, String> desc = new LinkedHashMap<>();
            desc.put("step", Long.toString(k.step()));
            desc.put("lm", k.lm().id);
            desc.put("task", k.task().id);
            desc.put("layer", k.layer());
            desc.put("semantics", k.semantics());
            desc.put("offset", Integer.toString(k.offset()));
            desc.put("feature", k.feature());
            return desc;
        }
    }

    static boolean[] correct(Model<Label> model, MutableDataset<Label> test) {
        List<Prediction<Label>> pred = model.predict(test);
        boolean[] c = new boolean[pred.size()];
        for (int j = 0; j < c.length; j++) {
            c[j] = pred.get(j).getOutput().getLabel().equals(pred.get(j).getExample().getOutput().getLabel());
        }
        return c;
    }

    /** The commonest label of the kept rows (ties: the smallest label). */
    static String majority(String[] y, int[] keep) {
        Map<String, Integer> counts = new HashMap<>();
        for (int r : keep) {
            counts.merge(y[r], 1, Integer::sum);
        }
        return commonest(counts);
    }

    /** The key with the largest count (ties: the smallest key). */
    static String commonest(Map<String, Integer> counts) {
        String best = null;
        for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(counts).entrySet()) {
            if (best == null || e.getValue() > counts.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static double share(String[] y, int[] keep, String label) {
        return Arrays.stream(keep).filter(r -> y[r].equals(label)).count() / (double) keep.length;
    }

    private static double avg(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static String[] nonEmpty(String[] y) {
        return Arrays.stream(y).filter(v -> !v.isEmpty()).toArray(String[]::new);
    }

    /** results.csv and results-programs.csv, resumable: groups already in the CSV are skipped. */
    private static final class Sink {
        final Path csv;
        final Path programsCsv;
        final List<String> semantic;
        final Table table;
        final Table programs;
        final Set<String> done = new HashSet<>();

        Sink(Path csv, List<String> semantic) {
            this.csv = csv;
            this.programsCsv = csv.resolveSibling(csv.getFileName().toString().replaceFirst("\\.csv$", "")
                    + "-programs.csv");
            this.semantic = semantic;
            if (Files.isRegularFile(csv) && Files.isRegularFile(programsCsv)) {
                table = read(csv);
                if (!table.columnNames().equals(Results.COLUMNS)) {
                    throw new KarelException(csv + ": written by an older kit (columns " + table.columnNames()
                            + "); move it away to measure again");
                }
                programs = ProgramScores.read(programsCsv).table();
                for (int i = 0; i < table.rowCount(); i++) {
                    if (table.stringColumn(Results.SEED).get(i).equals(Results.ALL_SEEDS)) {
                        done.add(groupId(table, i));
                    }
                }
            } else {
                table = Table.create("results");
                for (String c : Results.COLUMNS) {
                    ColumnType type = Results.TYPES.getOrDefault(c, ColumnType.STRING);
                    table.addColumns(type.create(c));
                }
                programs = ProgramScores.empty();
            }
        }

        static String groupId(Table t, int i) {
            return t.longColumn(Results.STEP).get(i) + "|" + t.stringColumn(Results.LM).get(i) + "|"
                    + t.stringColumn(Results.TASK).get(i) + "|" + t.stringColumn(Results.PROBE).get(i) + "|"
                    + t.stringColumn(Results.LAYER).get(i) + "|" + t.stringColumn(Results.SEMANTICS).get(i) + "|"
                    + t.intColumn(Results.OFFSET).get(i) + "|" + t.stringColumn(Results.FEATURE).get(i) + "|"
                    + t.stringColumn(Results.METRIC).get(i);
        }

        void add(Key k, Rows rows, String seed, int nTrain, double[][] sums, double train, double val,
                java.util.function.ToDoubleFunction<double[]> stat, Bootstrap boot, String chosen, boolean keepSums) {
            add(k, rows, "-", seed, nTrain, sums, train, val, stat, boot, chosen, keepSums);
        }

        void add(Key k, Rows rows, String vs, String seed, int nTrain, double[][] sums, double train, double val,
                java.util.function.ToDoubleFunction<double[]> stat, Bootstrap boot, String chosen, boolean keepSums) {
            double[] total = Bootstrap.total(sums);
            int nPrograms = 0;
            for (double[] p : sums) {
                nPrograms += p[Bootstrap.N] > 0 ? 1 : 0;
            }
            Bootstrap.Interval ci = nPrograms == 0 ? new Bootstrap.Interval(Double.NaN, Double.NaN)
                    : Bootstrap.interval(boot.distribution(sums, stat), 0.95);
            table.longColumn(Results.STEP).append(k.step());
            table.stringColumn(Results.LM).append(k.lm().id);
            table.stringColumn(Results.TASK).append(k.task().id);
            table.stringColumn(Results.PROBE).append(k.probe());
            table.stringColumn(Results.LAYER).append(k.layer());
            table.stringColumn(Results.SEMANTICS).append(k.semantics());
            table.intColumn(Results.OFFSET).append(k.offset());
            table.stringColumn(Results.FEATURE).append(k.feature());
            table.stringColumn(Results.METRIC).append(k.metric().id);
            table.stringColumn(Results.ROWS).append(rows.id);
            table.stringColumn(Results.SEED).append(seed);
            table.intColumn(Results.N_TRAIN).append(nTrain);
            table.intColumn(Results.N_TEST).append((int) Math.round(total[Bootstrap.N]));
            table.intColumn(Results.N_PROGRAMS).append(nPrograms);
            table.doubleColumn(Results.TRAIN_ACCURACY).append(train);
            table.doubleColumn(Results.VAL_ACCURACY).append(val);
            table.doubleColumn(Results.ACCURACY).append(stat.applyAsDouble(total));
            table.doubleColumn(Results.CI_LOW).append(ci.low());
            table.doubleColumn(Results.CI_HIGH).append(ci.high());
            table.doubleColumn(Results.MAJORITY).append(k.metric() == Metric.ACCURACY && total[Bootstrap.N] > 0
                    ? total[Bootstrap.MAJORITY] / total[Bootstrap.N] : Double.NaN);
            table.booleanColumn(Results.SEMANTIC).append(semantic.contains(k.feature()));
            table.stringColumn(Results.CHOSEN).append(chosen);
            table.stringColumn(Results.VS).append(vs);
            if (keepSums) {
                ProgramScores.append(programs, k.id(rows, vs), sums);
            }
        }

        void save() {
            Table t = table;
            Table p = programs;
            AtomicFiles.write(programsCsv, tmp -> p.write().csv(tmp.toFile()));
            AtomicFiles.write(csv, tmp -> t.write().csv(tmp.toFile()));
        }
    }

    /** Reads a results CSV with its declared column types. */
    public static Table read(Path csv) {
        try {
            return Table.read().csv(CsvReadOptions.builder(csv.toFile())
                    .columnTypes(name -> Results.TYPES.getOrDefault(name, ColumnType.STRING)).build());
        } catch (RuntimeException e) {
            throw new KarelException(csv + ": unreadable results: " + e.getMessage(), e);
        }
    }
}
