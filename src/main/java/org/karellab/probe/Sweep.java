package org.karellab.probe;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.karellab.lm.RunDir;
import org.karellab.trace.Labels;
import org.karellab.trace.Npy;
import org.karellab.trace.TraceSet;
import org.karellab.trace.Tracer;
import org.karellab.world.KarelException;
import org.karellab.world.Semantics;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.karellab.lm.LmConfig;
import org.karellab.lm.TrainRecipe;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The probing sweep, shaped like the paper's figures, written as one tidy CSV (a row per
 * measurement, every key column) that resumes where it stopped.
 *
 * <ul>
 *   <li><b>curve</b>, at every chosen checkpoint: each probe on the current state, original
 *       semantics, mean layer, for every {@link Labels#PROBED} feature (semantic content over
 *       training);</li>
 *   <li><b>final</b>, at the last checkpoint: every probe x semantics x offset; the layer sweep;
 *       and the baselines and controls: majority class ({@code dummy}), the same probes on a
 *       randomly initialised LM of the same shape ({@code lm=random_init}), a control task after
 *       Hewitt and Liang ({@code task=control}: a fixed random label per (generated action,
 *       position) type) and, for other offsets, copying the current state
 *       ({@code task=copy_current}, no training).</li>
 * </ul>
 * Column {@code semantic} marks the rows whose feature counts towards semantic content for the
 * run's encoding ({@link Labels#semantic}). Probes train on traces of the dataset's train split, are selected on the val split and scored on
 * the test split: the splits hold different programs, so rows never leak across them.
 */
public final class Sweep {
    public static final String CSV = "results.csv";
    /** Tribuo logs every training at INFO; a sweep trains hundreds of probes. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private Sweep() {
    }

    /**
     * @param checkpoints {@code all}, {@code last}, {@code every:K} (every K-th and the last), or step
     *     numbers separated by commas (the curve)
     * @param probes probe names for {@link ProbeRegistry}
     * @param semantics semantics of the final sweep
     * @param offsets offsets of the final sweep
     * @param layers layers of the layer sweep ({@code null}: every layer traced)
     * @param layerProbes probes of the layer sweep
     * @param samples programs traced per split
     * @param seed probe and control-task seed
     * @param curve run the curve part
     * @param finals run the final part
     */
    public record Options(String checkpoints, List<String> probes, List<String> semantics, List<Integer> offsets,
            List<String> layers, List<String> layerProbes, int samples, long seed, boolean curve, boolean finals) {
        public static Options defaults() {
            return new Options("all", List.of("linear", "mlp1", "mlp2"), List.of("original", "flip", "adversarial"),
                    List.of(-2, -1, 0, 1, 2), null, List.of("linear"), 1000, 1, true, true);
        }
    }

    /** One measurement's key; its value columns are filled when it is measured. */
    record Key(long step, String lm, String task, String probe, String layer, String semantics, int offset,
            String feature) {
        String id() {
            return step + "|" + lm + "|" + task + "|" + probe + "|" + layer + "|" + semantics + "|" + offset + "|"
                    + feature;
        }
    }

    public static Table run(Path run, Options o, Path csv, PrintStream log) {
        for (String p : concat(o.probes(), o.layerProbes())) {
            try {
                ProbeRegistry.trainer(p); // unknown names fail before any work
            } catch (IllegalArgumentException e) {
                throw new KarelException(e.getMessage(), e);
            }
        }
        o.semantics().forEach(Semantics::parse);
        List<Path> all = Checkpoint.list(run);
        if (all.isEmpty()) {
            throw new KarelException(run + ": has no checkpoints");
        }
        Results results = new Results(csv, Labels.semantic(encoding(run)));
        Path last = all.get(all.size() - 1);
        try (Dataset data = Dataset.open(RunDir.data(run), false)) {
            if (o.curve()) {
                for (Path c : choose(run, o.checkpoints(), all)) {
                    Traces t = Traces.of(run, c, data, o, false);
                    for (String probe : o.probes()) {
                        for (String f : Labels.PROBED) {
                            t.measure(results, new Key(t.step, "trained", "real", probe, Tracer.MEAN, "original", 0, f), o);
                        }
                    }
                    results.save();
                    log.printf("curve: step %d done (%d rows)%n", t.step, results.table.rowCount());
                }
            }
            if (o.finals()) {
                Traces t = Traces.of(run, last, data, o, true);
                long s = t.step;
                for (String probe : o.probes()) {
                    for (String sem : o.semantics()) {
                        for (int off : o.offsets()) {
                            for (String f : Labels.PROBED) {
                                t.measure(results, new Key(s, "trained", "real", probe, Tracer.MEAN, sem, off, f), o);
                            }
                        }
                    }
                    for (String f : Labels.PROBED) {
                        t.measure(results, new Key(s, "random_init", "real", probe, Tracer.MEAN, "original", 0, f), o);
                        t.measure(results, new Key(s, "trained", "control", probe, Tracer.MEAN, "original", 0, f), o);
                    }
                    results.save();
                    log.printf("final: probe %s done%n", probe);
                }
                List<String> layers = o.layers() != null ? o.layers() : t.train.meta().layers();
                for (String probe : o.layerProbes()) {
                    for (String layer : layers) {
                        for (String f : Labels.PROBED) {
                            t.measure(results, new Key(s, "trained", "real", probe, layer, "original", 0, f), o);
                        }
                    }
                }
                for (String f : Labels.PROBED) {
                    t.measure(results, new Key(s, "trained", "real", "dummy", Tracer.MEAN, "original", 0, f), o);
                    for (String sem : o.semantics()) {
                        for (int off : o.offsets()) {
                            if (off != 0) {
                                t.measure(results, new Key(s, "trained", "copy_current", "none", "-", sem, off, f), o);
                            }
                        }
                    }
                }
                results.save();
                log.printf("final: layers and baselines done (%d rows)%n", results.table.rowCount());
            }
        }
        return results.table;
    }

    /** The encoding of the run's model (from RUN/config.json). */
    private static String encoding(Path run) {
        try {
            return LmConfig.fromJson(Files.readString(run.resolve(TrainRecipe.CONFIG))).encoding();
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
            int k = Integer.parseInt(selector.substring(6).trim());
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

    /** The train/val/test traces of one checkpoint (made under RUN/traces when missing) and their states. */
    private static final class Traces {
        final long step;
        final TraceSet train;
        final TraceSet val;
        final TraceSet test;
        final Map<String, float[][]> states = new HashMap<>();

        private Traces(long step, TraceSet train, TraceSet val, TraceSet test) {
            this.step = step;
            this.train = train;
            this.val = val;
            this.test = test;
        }

        static Traces of(Path run, Path checkpoint, Dataset data, Options o, boolean randomInit) {
            String sha = Dataset.sha256(checkpoint);
            long step = Checkpoint.stepOf(checkpoint);
            TraceSet[] sets = new TraceSet[3];
            Split[] splits = {Split.TRAIN, Split.VAL, Split.TEST};
            for (int i = 0; i < 3; i++) {
                Path dir = run.resolve("traces").resolve(String.format("step-%06d", step)).resolve(splits[i].id());
                boolean ok = Files.isRegularFile(dir.resolve("meta.json"));
                if (ok) {
                    TraceSet existing = openOrNull(dir, sha);       // null: old format version, other checkpoint
                    ok = existing != null
                            && (!randomInit || existing.meta().randomInitSeed() != null)
                            && existing.meta().semantics().containsAll(o.semantics())
                            && existing.meta().offsets().containsAll(o.offsets());
                    if (!ok) {
                        try {
                            AtomicFiles.deleteTree(dir);
                        } catch (java.io.IOException e) {
                            throw new KarelException(dir + ": cannot replace: " + e.getMessage(), e);
                        }
                    }
                }
                if (!ok) {
                    Tracer.Options to = new Tracer.Options(splits[i], o.samples(),
                            o.semantics().stream().map(Semantics::parse).toList(), o.offsets(),
                            randomInit ? o.seed() + 1000 : null, 128);
                    Tracer.trace(run, checkpoint, data, to, dir);
                }
                sets[i] = TraceSet.open(dir, sha);
            }
            return new Traces(step, sets[0], sets[1], sets[2]);
        }

        /** The trace folder, or null when it does not open (older format version, another checkpoint, damaged). */
        private static TraceSet openOrNull(Path dir, String sha) {
            try {
                return TraceSet.open(dir, sha);
            } catch (KarelException e) {
                return null;
            }
        }

        float[][] x(TraceSet set, String layer, boolean random) {
            String key = System.identityHashCode(set) + "|" + layer + "|" + random;
            return states.computeIfAbsent(key, k -> {
                Npy.Matrix m = set.states(layer, random);
                float[][] rows = new float[(int) m.rows()][m.cols()];
                for (int r = 0; r < rows.length; r++) {
                    m.row(r, rows[r]);
                }
                return rows;
            });
        }

        void measure(Results results, Key k, Options o) {
            if (results.done.contains(k.id())) {
                return;
            }
            if (k.task().equals("copy_current")) {
                String[] now = test.column(k.semantics(), 0, k.feature());
                String[] then = test.column(k.semantics(), k.offset(), k.feature());
                int n = 0;
                int same = 0;
                for (int i = 0; i < now.length; i++) {
                    if (!then[i].isEmpty()) {
                        n++;
                        same += then[i].equals(now[i]) ? 1 : 0;
                    }
                }
                results.add(k, 0, n, Double.NaN, n == 0 ? Double.NaN : (double) same / n, Double.NaN);
                return;
            }
            boolean random = k.lm().equals("random_init");
            String[][] y = new String[3][];
            TraceSet[] sets = {train, val, test};
            for (int i = 0; i < 3; i++) {
                y[i] = sets[i].column(k.semantics(), k.offset(), k.feature());
            }
            if (k.task().equals("control")) {
                ControlTask task = ControlTask.fromLabels(nonEmpty(y[0]), o.seed());
                for (int i = 0; i < 3; i++) {
                    y[i] = task.labels(types(sets[i]));
                }
            }
            var ds = new ArrayList<org.tribuo.MutableDataset<Label>>();
            for (int i = 0; i < 3; i++) {
                float[][] x = x(sets[i], k.layer(), random);
                List<Integer> keep = new ArrayList<>();
                for (int r = 0; r < y[i].length; r++) {
                    if (!y[i][r].isEmpty()) {
                        keep.add(r);
                    }
                }
                float[][] xs = new float[keep.size()][];
                String[] ys = new String[keep.size()];
                for (int j = 0; j < xs.length; j++) {
                    xs[j] = x[keep.get(j)];
                    ys[j] = y[i][keep.get(j)];
                }
                if (xs.length == 0) {
                    throw new KarelException("no " + new String[] {"train", "val", "test"}[i] + " rows for " + k.id());
                }
                Map<String, String> desc = new LinkedHashMap<>();
                desc.put("step", Long.toString(k.step()));
                desc.put("lm", k.lm());
                desc.put("task", k.task());
                desc.put("layer", k.layer());
                desc.put("semantics", k.semantics());
                desc.put("offset", Integer.toString(k.offset()));
                desc.put("feature", k.feature());
                ds.add(ProbeData.classification(xs, ys, desc));
            }
            Trainer<Label> trainer = ProbeRegistry.trainer(k.probe(), o.seed());
            ProbeFit.Result r = ProbeFit.select(Map.of(k.probe(), trainer), ds.get(0), ds.get(1), ds.get(2));
            results.add(k, ds.get(0).size(), ds.get(2).size(), r.validation().get(k.probe()).accuracy(),
                    r.test().accuracy(), r.test().majorityFraction());
        }

        private static String[] types(TraceSet s) {
            String[] actions = s.labels().stringColumn("action").asObjectArray();
            int[] index = s.labels().intColumn("index").asIntArray();
            String[] t = new String[actions.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = actions[i] + "@" + index[i];
            }
            return t;
        }

        private static String[] nonEmpty(String[] y) {
            return java.util.Arrays.stream(y).filter(v -> !v.isEmpty()).toArray(String[]::new);
        }
    }

    /** The results table, resumable: measurements already in the CSV are skipped. */
    private static final class Results {
        final Path csv;
        final List<String> semantic;
        Table table;
        final Set<String> done = new HashSet<>();

        Results(Path csv, List<String> semantic) {
            this.csv = csv;
            this.semantic = semantic;
            if (Files.isRegularFile(csv)) {
                table = read(csv);
                for (int i = 0; i < table.rowCount(); i++) {
                    done.add(new Key(table.longColumn("step").get(i), table.stringColumn("lm").get(i),
                            table.stringColumn("task").get(i), table.stringColumn("probe").get(i),
                            table.stringColumn("layer").get(i), table.stringColumn("semantics").get(i),
                            table.intColumn("offset").get(i), table.stringColumn("feature").get(i)).id());
                }
            } else {
                table = Table.create("results", LongColumn.create("step"), StringColumn.create("lm"),
                        StringColumn.create("task"), StringColumn.create("probe"), StringColumn.create("layer"),
                        StringColumn.create("semantics"), IntColumn.create("offset"), StringColumn.create("feature"),
                        IntColumn.create("n_train"), IntColumn.create("n_test"), DoubleColumn.create("val_accuracy"),
                        DoubleColumn.create("accuracy"), DoubleColumn.create("majority"),
                        BooleanColumn.create("semantic"));
            }
        }

        void add(Key k, int nTrain, int nTest, double val, double acc, double majority) {
            table.longColumn("step").append(k.step());
            table.stringColumn("lm").append(k.lm());
            table.stringColumn("task").append(k.task());
            table.stringColumn("probe").append(k.probe());
            table.stringColumn("layer").append(k.layer());
            table.stringColumn("semantics").append(k.semantics());
            table.intColumn("offset").append(k.offset());
            table.stringColumn("feature").append(k.feature());
            table.intColumn("n_train").append(nTrain);
            table.intColumn("n_test").append(nTest);
            table.doubleColumn("val_accuracy").append(val);
            table.doubleColumn("accuracy").append(acc);
            table.doubleColumn("majority").append(majority);
            table.booleanColumn("semantic").append(semantic.contains(k.feature()));
            done.add(k.id());
        }

        void save() {
            Table t = table;
            AtomicFiles.write(csv, tmp -> t.write().csv(tmp.toFile()));
        }
    }

    /** Reads a results CSV with its declared column types. */
    public static Table read(Path csv) {
        Map<String, ColumnType> types = Map.ofEntries(Map.entry("step", ColumnType.LONG),
                Map.entry("offset", ColumnType.INTEGER), Map.entry("n_train", ColumnType.INTEGER),
                Map.entry("n_test", ColumnType.INTEGER), Map.entry("val_accuracy", ColumnType.DOUBLE),
                Map.entry("accuracy", ColumnType.DOUBLE), Map.entry("majority", ColumnType.DOUBLE),
                Map.entry("semantic", ColumnType.BOOLEAN));
        try {
            return Table.read().csv(CsvReadOptions.builder(csv.toFile())
                    .columnTypes(name -> types.getOrDefault(name, ColumnType.STRING)).build());
        } catch (RuntimeException e) {
            throw new KarelException(csv + ": unreadable results: " + e.getMessage(), e);
        }
    }
}
