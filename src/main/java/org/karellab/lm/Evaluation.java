package org.karellab.lm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.karellab.data.AtomicFiles;
import org.karellab.data.Dataset;
import org.karellab.data.DatasetFile;
import org.karellab.data.Importer;
import org.karellab.data.ProgramSet;
import org.karellab.data.ReferenceJsonl;
import org.karellab.data.Sample;
import org.karellab.data.Split;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Scores a model at one checkpoint: it writes a program for each specification (batched greedy
 * decoding, constrained to valid programs), the programs are run on every input, and
 * {@link EvalRow}s are formed per reference length. {@code RUN/eval.csv} collects the rows of
 * every checkpoint evaluated.
 *
 * <p>Test programs are drawn independently of train, so short ones occur verbatim in a large train
 * split (with train lengths 1-10 and 500,000 programs, measured: all test programs of length 1-4,
 * 99.7% of length 5, 93% of 6, 63% of 7, 23% of 8, 8% of 9, 2% of 10). Every row therefore also
 * reports accuracy on the test programs that do not occur in the run's training split
 * ({@link #trainPrograms}), and the share that do.
 */
public final class Evaluation {
    public static final String CSV = "eval.csv";

    private Evaluation() {
    }

    /** The first {@code limit} records (all when {@code limit <= 0}) of a split file. */
    public static List<Sample> samples(DatasetFile f, int limit) {
        int n = limit > 0 ? Math.min(limit, f.size()) : f.size();
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(f.sample(i));
        }
        return out;
    }

    /**
     * The first {@code limit} records of a reference JSONL file, each output recovered exactly
     * where the program reproduces it (the text form hides markers under the robot; the kit's
     * datasets, which the model trained on, keep them).
     */
    public static List<Sample> samples(Path referenceFile, int limit) {
        List<Sample> out = new ArrayList<>();
        try (ReferenceJsonl.Reader r = ReferenceJsonl.open(referenceFile)) {
            while (r.hasNext() && (limit <= 0 || out.size() < limit)) {
                out.add(Importer.exact(r.next().toSample()));
            }
        }
        if (out.isEmpty()) {
            throw new KarelException(referenceFile + ": holds no records");
        }
        return out;
    }

    /**
     * The programs the run trained on: those of {@code data}'s train split within the model's
     * {@link LmConfig#trainLengths()} (none when the dataset has no train split). Built once per
     * evaluation: 0.3-1.5 s for a train split of 500,000 programs (187,685 distinct ones, lengths
     * 1-10) on the 2-core development machine.
     */
    public static ProgramSet trainPrograms(Dataset data, LmConfig cfg) {
        if (!data.has(Split.TRAIN)) {
            return ProgramSet.empty();
        }
        return ProgramSet.of(data.split(Split.TRAIN), TrainRecipe.lengths(cfg.data().trainLengths()));
    }

    /**
     * Batches decoded together: with the key/value cache a decoding step on the CPU costs little
     * more for 4x the rows (each step is many small operations), so decoding takes
     * {@code DECODE_BATCHES * batchSize} programs at a time when their cache fits in
     * {@link #DECODE_CACHE_BYTES}. Scoring keeps {@code batchSize} rows, as its float rounding
     * depends on the batch's shape; the programs written do not.
     */
    static final int DECODE_BATCHES = 4;
    static final long DECODE_CACHE_BYTES = 1L << 30;

    /**
     * Writes, runs and scores programs for {@code samples} with the model; {@code step} labels the
     * rows; {@code train} holds the programs of the run's training split ({@link #trainPrograms}).
     */
    public static Result evaluate(Gpt model, long step, List<Sample> samples, int specExamples, int batchSize,
            ProgramSet train) {
        SpecEncoding enc = SpecEncoding.byName(model.config().encoding());
        Decoder decoder = new Decoder(model);
        List<Program> generated = new ArrayList<>(samples.size());
        double[] nll = new double[samples.size()];
        int[] tokens = new int[samples.size()];
        ModelShape shape = model.config();
        long cachePerRow = 2L * shape.nLayer() * shape.contextLength() * shape.dModel() * Float.BYTES;   // keys and values
        int decodeRows = cachePerRow * DECODE_BATCHES * batchSize <= DECODE_CACHE_BYTES
                ? DECODE_BATCHES * batchSize : batchSize;
        for (int chunk = 0; chunk < samples.size(); chunk += decodeRows) {
            List<Sample> written = samples.subList(chunk, Math.min(samples.size(), chunk + decodeRows));
            List<Spec> chunkSpecs = written.stream().map(s -> Spec.of(s.inputs(), s.outputs(), specExamples)).toList();
            for (Decoder.Decoded d : decoder.greedy(enc.encode(chunkSpecs, null))) {
                generated.add(new Program(d.actions()));
            }
            for (int from = chunk; from < chunk + written.size(); from += batchSize) {
                List<Sample> part = samples.subList(from, Math.min(samples.size(), from + batchSize));
                List<Spec> specs = chunkSpecs.subList(from - chunk, from - chunk + part.size());
                List<Decoder.TargetScore> scores = decoder.scoreTargets(
                        enc.encode(specs, part.stream().map(Sample::program).toList()));
                for (int i = 0; i < part.size(); i++) {
                    nll[from + i] = scores.get(i).nll();
                    tokens[from + i] = scores.get(i).tokens();
                }
            }
        }
        boolean[] seen = new boolean[samples.size()];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = train.contains(samples.get(i).program());
        }
        List<EvalProgram> programs = EvalProgram.score(step, samples, specExamples, generated, seen);
        return new Result(EvalRow.of(step, programs, generated, nll, tokens), programs);
    }

    /**
     * One checkpoint's evaluation: the rows per length (the last one {@code all}) and the row per
     * program they are the means of.
     */
    public record Result(List<EvalRow> rows, List<EvalProgram> programs) {
        /** The {@code all} row. */
        public EvalRow all() {
            return rows.get(rows.size() - 1);
        }

        /**
         * Merges the programs into {@link #programsCsv} of {@code csv}, then the rows into {@code csv}
         * (rows of this step replace earlier ones); each file written atomically. {@code csv} goes
         * last, so a step found in it has its programs too (unless written before they existed).
         */
        public void mergeInto(Path csv) {
            mergeTable(programsCsv(csv), programsTable(programs), Evaluation::readPrograms, "step", "program");
            merge(csv, rows);
        }
    }

    /** The per-program table beside an eval table: {@code eval-val.csv} -> {@code eval-val-programs.csv}. */
    public static Path programsCsv(Path evalCsv) {
        String name = evalCsv.getFileName().toString();
        String stem = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return evalCsv.resolveSibling(stem + "-programs.csv");
    }

    /** Per-program rows as a table: a column per {@link EvalProgram} component, named and typed as it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Table programsTable(List<EvalProgram> programs) {
        Table t = Table.create("eval-programs");
        for (Map.Entry<String, ColumnType> c : PROGRAM_COLUMN_TYPES.entrySet()) {
            t.addColumns(c.getValue().create(c.getKey()));
        }
        for (EvalProgram p : programs) {
            for (Map.Entry<String, Object> v : ConfigKeys.values(p).entrySet()) {
                ((tech.tablesaw.columns.Column) t.column(v.getKey())).appendObj(v.getValue());
            }
        }
        return t;
    }

    /** {@link EvalProgram}'s components in order, with their column types. */
    private static final Map<String, ColumnType> PROGRAM_COLUMN_TYPES = programColumnTypes();

    private static Map<String, ColumnType> programColumnTypes() {
        Map<Class<?>, ColumnType> byJava = Map.of(long.class, ColumnType.LONG, int.class, ColumnType.INTEGER,
                boolean.class, ColumnType.BOOLEAN, String.class, ColumnType.STRING);
        Map<String, ColumnType> m = new java.util.LinkedHashMap<>();
        for (java.lang.reflect.RecordComponent c : EvalProgram.class.getRecordComponents()) {
            ColumnType type = byJava.get(c.getType());
            if (type == null) {                        // a new component of an unmapped type: fail when the class loads
                throw new IllegalStateException("EvalProgram." + c.getName() + ": no column type for " + c.getType());
            }
            m.put(c.getName(), type);
        }
        return m;
    }

    /**
     * Reads a per-program table ({@link EvalProgram#COLUMNS}, in that order); a missing file, a
     * missing column or a file of another kind is a one-line error.
     */
    public static Table readPrograms(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new KarelException(csv + ": no such per-program eval table (written by eval since per-program rows "
                    + "exist; re-run eval on this run and split)");
        }
        List<String> header;
        try (java.io.BufferedReader r = Files.newBufferedReader(csv)) {
            String first = r.readLine();
            header = first == null ? List.of() : List.of(first.split(",", -1));
        } catch (java.io.IOException e) {
            throw new KarelException(csv + ": cannot read: " + e.getMessage(), e);
        }
        for (String c : EvalProgram.COLUMNS) {
            if (!header.contains(c)) {
                throw new KarelException(csv + ": not a per-program eval table (no column '" + c + "')");
            }
        }
        Table t;
        try {
            t = Table.read().csv(CsvReadOptions.builder(csv.toFile()).columnTypesPartial(PROGRAM_COLUMN_TYPES).build());
        } catch (RuntimeException e) {
            throw new KarelException(csv + ": unreadable per-program eval table: " + e.getMessage(), e);
        }
        return t.selectColumns(EvalProgram.COLUMNS.toArray(String[]::new));
    }

    /** Rows as a Tablesaw table, one column per {@link EvalRow} component. */
    public static Table table(List<EvalRow> rows) {
        LongColumn step = LongColumn.create(STEP);
        StringColumn length = StringColumn.create(LENGTH);
        IntColumn n = IntColumn.create(N);
        DoubleColumn acc = DoubleColumn.create(ACCURACY);
        DoubleColumn gen = DoubleColumn.create(GENERALIZATION);
        DoubleColumn exact = DoubleColumn.create(EXACT_MATCH);
        DoubleColumn ppl = DoubleColumn.create(PERPLEXITY);
        DoubleColumn distinct = DoubleColumn.create(DISTINCT);
        DoubleColumn entropy = DoubleColumn.create(ACTION_ENTROPY);
        DoubleColumn meanLen = DoubleColumn.create(MEAN_LENGTH);
        IntColumn unseenN = IntColumn.create(UNSEEN_N);
        DoubleColumn unseenAcc = DoubleColumn.create(UNSEEN_ACCURACY);
        DoubleColumn unseenGen = DoubleColumn.create(UNSEEN_GENERALIZATION);
        DoubleColumn seenShare = DoubleColumn.create(SEEN_SHARE);
        for (EvalRow r : rows) {
            step.append(r.step());
            length.append(r.length());
            n.append(r.n());
            acc.append(r.accuracy());
            gen.append(r.generalization());
            exact.append(r.exactMatch());
            ppl.append(r.perplexity());
            distinct.append(r.distinct());
            entropy.append(r.actionEntropy());
            meanLen.append(r.meanLength());
            unseenN.append(r.unseenN());
            unseenAcc.append(r.unseenAccuracy());
            unseenGen.append(r.unseenGeneralization());
            seenShare.append(r.seenShare());
        }
        return Table.create("eval", step, length, n, acc, gen, exact, ppl, distinct, entropy, meanLen, unseenN,
                unseenAcc, unseenGen, seenShare);
    }

    /**
     * Merges rows into {@code csv}: rows of the steps given replace earlier rows of those steps,
     * the file stays sorted by step. Written atomically.
     */
    public static Table merge(Path csv, List<EvalRow> rows) {
        return mergeTable(csv, table(rows), Evaluation::read, "step");
    }

    /** Rows of {@code fresh}'s steps replace those of {@code csv}; sorted on {@code sortKeys}; written atomically. */
    private static Table mergeTable(Path csv, Table fresh, java.util.function.Function<Path, Table> reader,
            String... sortKeys) {
        Table all = fresh;
        if (Files.isRegularFile(csv)) {
            Table old = reader.apply(csv);
            List<Number> steps = new ArrayList<>(fresh.longColumn("step").unique().asList());
            Table kept = old.where(old.longColumn("step").isNotIn(steps));
            all = kept.append(fresh);
        }
        Table sorted = stableSort(all, sortKeys);
        AtomicFiles.write(csv, tmp -> sorted.write().csv(tmp.toFile()));
        return sorted;
    }

    /**
     * {@code t} sorted ascending on the numeric {@code keys}, rows with equal keys kept in their
     * order (Tablesaw's sort is not stable: a step's rows would come out in another order after a
     * merge than when written fresh, and the same scores would give other bytes).
     */
    private static Table stableSort(Table t, String... keys) {
        Integer[] order = new Integer[t.rowCount()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Comparator<Integer> by = null;
        for (String k : keys) {
            tech.tablesaw.api.NumericColumn<?> c = (tech.tablesaw.api.NumericColumn<?>) t.column(k);
            java.util.Comparator<Integer> next = java.util.Comparator.comparingDouble(c::getDouble);
            by = by == null ? next : by.thenComparing(next);
        }
        java.util.Arrays.sort(order, by); // a stable merge sort for objects
        Table out = t.emptyCopy();
        for (int i : order) {
            out.addRow(i, t);              // (Table.rows(int...) would keep the rows in their old order)
        }
        return out;
    }

    /** eval.csv's key columns: the checkpoint, the reference programs' length ({@link EvalRow#ALL} or one length), programs scored. */
    public static final String STEP = "step";
    public static final String LENGTH = "length";
    public static final String N = "n";
    /** Its measures (see {@link EvalRow}): generative accuracy on the 5 specification pairs, on all 10, ... */
    public static final String ACCURACY = "accuracy";
    public static final String GENERALIZATION = "generalization";
    public static final String EXACT_MATCH = "exact_match";
    public static final String PERPLEXITY = "perplexity";
    public static final String DISTINCT = "distinct";
    public static final String ACTION_ENTROPY = "action_entropy";
    public static final String MEAN_LENGTH = "mean_length";

    /** Columns on unseen programs (added to eval.csv later; older files lack them). */
    public static final String UNSEEN_N = "unseen_n";
    public static final String UNSEEN_ACCURACY = "unseen_accuracy";
    public static final String UNSEEN_GENERALIZATION = "unseen_generalization";
    public static final String SEEN_SHARE = "seen_share";

    private static final Map<String, ColumnType> COLUMN_TYPES = Map.ofEntries(
            Map.entry(STEP, ColumnType.LONG), Map.entry(LENGTH, ColumnType.STRING),
            Map.entry(N, ColumnType.INTEGER), Map.entry(ACCURACY, ColumnType.DOUBLE),
            Map.entry(GENERALIZATION, ColumnType.DOUBLE), Map.entry(EXACT_MATCH, ColumnType.DOUBLE),
            Map.entry(PERPLEXITY, ColumnType.DOUBLE), Map.entry(DISTINCT, ColumnType.DOUBLE),
            Map.entry(ACTION_ENTROPY, ColumnType.DOUBLE), Map.entry(MEAN_LENGTH, ColumnType.DOUBLE),
            Map.entry(UNSEEN_N, ColumnType.INTEGER), Map.entry(UNSEEN_ACCURACY, ColumnType.DOUBLE),
            Map.entry(UNSEEN_GENERALIZATION, ColumnType.DOUBLE), Map.entry(SEEN_SHARE, ColumnType.DOUBLE));

    /**
     * Reads an eval table. A file written before the unseen-program columns existed gets them,
     * empty (missing int, NaN), so old and new rows merge and compare.
     */
    public static Table read(Path csv) {
        Table t;
        try {
            t = Table.read().csv(CsvReadOptions.builder(csv.toFile())
                    .columnTypesPartial(COLUMN_TYPES)
                    .build());
        } catch (RuntimeException e) {
            throw new KarelException(csv + ": unreadable eval table: " + e.getMessage(), e);
        }
        if (!t.containsColumn(UNSEEN_N)) {
            IntColumn n = IntColumn.create(UNSEEN_N, t.rowCount());
            for (int i = 0; i < t.rowCount(); i++) {
                n.setMissing(i);
            }
            t.addColumns(n);
        }
        for (String c : List.of(UNSEEN_ACCURACY, UNSEEN_GENERALIZATION, SEEN_SHARE)) {
            if (!t.containsColumn(c)) {
                double[] nan = new double[t.rowCount()];
                Arrays.fill(nan, Double.NaN);
                t.addColumns(DoubleColumn.create(c, nan));
            }
        }
        return t;
    }
}
