package org.karellab.lm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.karellab.data.AtomicFiles;
import org.karellab.data.DatasetFile;
import org.karellab.data.Importer;
import org.karellab.data.ReferenceJsonl;
import org.karellab.data.Sample;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
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
     * Batches decoded together: with the key/value cache a decoding step on the CPU costs little
     * more for 4x the rows (each step is many small operations), so decoding takes
     * {@code DECODE_BATCHES * batchSize} programs at a time when their cache fits in
     * {@link #DECODE_CACHE_BYTES}. Scoring keeps {@code batchSize} rows, as its float rounding
     * depends on the batch's shape; the programs written do not.
     */
    static final int DECODE_BATCHES = 4;
    static final long DECODE_CACHE_BYTES = 1L << 30;

    /** Writes, runs and scores programs for {@code samples} with the model; {@code step} labels the rows. */
    public static List<EvalRow> evaluate(Gpt model, long step, List<Sample> samples, int specExamples, int batchSize) {
        SpecEncoding enc = SpecEncoding.byName(model.config().encoding());
        Decoder decoder = new Decoder(model);
        List<Program> generated = new ArrayList<>(samples.size());
        double[] nll = new double[samples.size()];
        int[] tokens = new int[samples.size()];
        LmConfig cfg = model.config();
        long cachePerRow = 2L * cfg.nLayer() * cfg.contextLength() * cfg.dModel() * Float.BYTES;   // keys and values
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
        return EvalRow.score(step, samples, specExamples, generated, nll, tokens);
    }

    /** Rows as a Tablesaw table, one column per {@link EvalRow} component. */
    public static Table table(List<EvalRow> rows) {
        LongColumn step = LongColumn.create("step");
        StringColumn length = StringColumn.create("length");
        IntColumn n = IntColumn.create("n");
        DoubleColumn acc = DoubleColumn.create("accuracy");
        DoubleColumn gen = DoubleColumn.create("generalization");
        DoubleColumn exact = DoubleColumn.create("exact_match");
        DoubleColumn ppl = DoubleColumn.create("perplexity");
        DoubleColumn distinct = DoubleColumn.create("distinct");
        DoubleColumn entropy = DoubleColumn.create("action_entropy");
        DoubleColumn meanLen = DoubleColumn.create("mean_length");
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
        }
        return Table.create("eval", step, length, n, acc, gen, exact, ppl, distinct, entropy, meanLen);
    }

    /**
     * Merges rows into {@code csv}: rows of the steps given replace earlier rows of those steps,
     * the file stays sorted by step. Written atomically.
     */
    public static Table merge(Path csv, List<EvalRow> rows) {
        Table fresh = table(rows);
        Table all = fresh;
        if (Files.isRegularFile(csv)) {
            Table old = read(csv);
            List<Number> steps = new ArrayList<>(fresh.longColumn("step").unique().asList());
            Table kept = old.where(old.longColumn("step").isNotIn(steps));
            all = kept.append(fresh);
        }
        Table sorted = all.sortAscendingOn("step");
        AtomicFiles.write(csv, tmp -> sorted.write().csv(tmp.toFile()));
        return sorted;
    }

    private static final java.util.Map<String, ColumnType> COLUMN_TYPES = java.util.Map.of(
            "step", ColumnType.LONG, "length", ColumnType.STRING, "n", ColumnType.INTEGER,
            "accuracy", ColumnType.DOUBLE, "generalization", ColumnType.DOUBLE, "exact_match", ColumnType.DOUBLE,
            "perplexity", ColumnType.DOUBLE, "distinct", ColumnType.DOUBLE, "action_entropy", ColumnType.DOUBLE,
            "mean_length", ColumnType.DOUBLE);

    public static Table read(Path csv) {
        try {
            return Table.read().csv(CsvReadOptions.builder(csv.toFile())
                    .columnTypesPartial(COLUMN_TYPES)
                    .build());
        } catch (RuntimeException e) {
            throw new KarelException(csv + ": unreadable eval table: " + e.getMessage(), e);
        }
    }
}
