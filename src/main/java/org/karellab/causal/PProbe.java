package org.karellab.causal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.karellab.data.AtomicFiles;
import org.karellab.data.Dataset;
import org.karellab.data.Sample;
import org.karellab.data.Split;
import org.karellab.lm.Batch;
import org.karellab.lm.Checkpoint;
import org.karellab.lm.Decoder;
import org.karellab.lm.Evaluation;
import org.karellab.lm.Gpt;
import org.karellab.lm.HiddenFilter;
import org.karellab.lm.RunDir;
import org.karellab.lm.Spec;
import org.karellab.lm.SpecEncoding;
import org.karellab.probe.Bootstrap;
import org.karellab.probe.ProgramScores;
import org.karellab.trace.Labels;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.Trace;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * P-probing (Allen-Zhu and Li): at which position of the sequence the state after action
 * {@code k} first becomes linearly decodable, and for how long it stays. For every layer, every
 * position (the specification's positions {@code spec.i}, its tokens {@code spec_token.i}, and
 * {@code emit.j}, the position that emits action {@code j}, {@code j = n} emitting EOS) and every
 * {@code k = 0..n} (the state after {@code k} actions; 0 is the start), a linear probe predicts the
 * feature of that state from the hidden state at that position.
 *
 * <p>Rows are the LM's own programs (greedy; or another checkpoint's, teacher-forced:
 * {@link Options#programsFrom}) on disjoint train / val / test programs, labelled by
 * running them on input 0, as in the sweep, or on any other specification input
 * ({@link Options#examples}, column {@code example}): the five examples start in five different
 * absolute poses and share only the start-frame state, so an absolute feature read for input 0
 * alone could miss an LM that singles out another example. A cell (position, k) uses the programs that reach both:
 * at least {@code max(k, j)} actions. The probe is a ridge least-squares classifier on standardised
 * states (one-hot targets, argmax read-out; closed form, so thousands of cells fit in seconds),
 * its ridge chosen on val from {@link #RIDGES} for each cell; test accuracy has a 95% bootstrap interval
 * over programs (one row per program per cell) beside the train majority class's rate.
 */
public final class PProbe {
    /**
     * Pseudo-layers that hold no hidden state but true facts a state could hold uncombined, a
     * reference for the facing cells: at every position, for each specification input, one-hot side
     * by side, its start facing and its output facing (absolute, both shown in the specification)
     * and the quarter turns from the start facing (the start frame) after the actions written before
     * the position ({@code facts.written}: at {@code emit.j}, actions 0..j-1; so it equals
     * {@code facts.next} one position earlier) or through the one it emits ({@code facts.next}:
     * 0..j); (specExamples * 12). The absolute facing after those actions is the start facing plus
     * the turns mod 4, which no linear read-out of the one-hots forms for every pair (inputs facing N
     * and S with 0 and 2 turns are an XOR); the output facing gives it where no turn follows. So this
     * ridge probe on {@code facts.next} reads what the parts held exactly and uncombined give it: an
     * LM state read above it holds more than these parts side by side (a sign of composition,
     * necessary, not sufficient); at or below it, it is no evidence of composition. Not an upper
     * bound on every linear read-out (ridge least squares with an argmax, its ridge from a short grid
     * on val), and about facing only: for the position and wall cells the facts say little.
     */
    public static final List<String> FACTS = List.of("facts.written", "facts.next");

    /** The ridge grid, as a multiple of the rows: lambda = r * n. */
    public static final double[] RIDGES = {1e-3, 1e-1, 10};

    /**
     * What P-probing measures; {@link #builder()} starts from the defaults.
     *
     * @param checkpoint    checkpoint step, or {@code last}
     * @param layers        hidden states (null: every traced layer but the mean), and any of the
     *                      {@link #FACTS} pseudo-layers: true facts, no hidden state, as a reference
     * @param features      features (null: the encoding's semantic features)
     * @param samples       train programs
     * @param evalSamples   val and test programs, each
     * @param resamples     bootstrap resamples
     * @param seed          bootstrap seed
     * @param examples      the specification inputs whose run labels the rows (input 0 as in the reference)
     * @param shuffle       null, or the seed of a control run: each split's label sets are handed to other
     *                      programs of the same length (the same labels, no longer those of the states), so
     *                      the cells above majority count what chance and clumping give
     * @param programsFrom  null: the probed checkpoint writes its own programs; or a checkpoint (step or
     *                      {@code last}) of the same run whose greedy programs label the rows and are
     *                      teacher-forced into the probed one. With {@code checkpoint 0} and {@code last}
     *                      it is the random-init control on the trained LM's programs: every label, not only
     *                      the start state's, is the trained run's
     * @param positions     null: every position; or the names of the positions to fit ({@code spec.i},
     *                      {@code spec_token.i}, {@code emit.j}; see {@link #positionName})
     * @param programScores null, or a CSV to write every cell's per-program test sums to
     *                      ({@link ProgramScores}, ids from {@link #scoreId}), so that two P-probings on the same
     *                      test programs (a trained LM and its control) are compared program by program
     *                      ({@code Measures.cellDifference})
     */
    public record Options(String checkpoint, List<String> layers, List<String> features, int samples, int evalSamples,
            int resamples, long seed, List<Integer> examples, Long shuffle, String programsFrom, List<String> positions,
            Path programScores) {
        public Options {
            if (examples == null || examples.isEmpty()) {
                throw new KarelException("--examples: name at least one specification input (0 is the reference's)");
            }
            for (int e : examples) {
                if (e < 0) {
                    throw new KarelException("--examples: a specification input is numbered from 0, got " + e);
                }
            }
            if (Set.copyOf(examples).size() != examples.size()) {
                throw new KarelException("--examples: an input is named twice in " + examples);
            }
            examples = List.copyOf(examples);
            layers = layers == null ? null : List.copyOf(layers);
            features = features == null ? null : List.copyOf(features);
            if (features != null) {
                for (String f : features) {
                    if (!Labels.PROBED.contains(f)) {
                        throw new KarelException("--features: unknown feature '" + f + "' (known: " + String.join(", ", Labels.PROBED) + ")");
                    }
                }
            }
            if (positions != null) {
                if (positions.isEmpty()) {
                    throw new KarelException("--positions: name at least one position (or leave the option out: every position)");
                }
                for (String name : positions) {
                    if (!name.matches("(spec|spec_token|emit)\\.[0-9]{1,6}")) {
                        throw new KarelException("--positions: '" + name + "' is not a position name (spec.I, spec_token.I or emit.J)");
                    }
                }
                if (Set.copyOf(positions).size() != positions.size()) {
                    throw new KarelException("--positions: a position is named twice in " + positions);
                }
                positions = List.copyOf(positions);
            }
            if (samples < 1) {
                throw new KarelException("--samples: must be at least 1, got " + samples);
            }
            if (evalSamples < 1) {
                throw new KarelException("--eval-samples: must be at least 1, got " + evalSamples);
            }
            if (resamples < 1) {
                throw new KarelException("--resamples: must be at least 1, got " + resamples);
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
            b.checkpoint = checkpoint;
            b.layers = layers;
            b.features = features;
            b.samples = samples;
            b.evalSamples = evalSamples;
            b.resamples = resamples;
            b.seed = seed;
            b.examples = examples;
            b.shuffle = shuffle;
            b.programsFrom = programsFrom;
            b.positions = positions;
            b.programScores = programScores;
            return b;
        }
    }

    /** Builds {@link Options}; every field starts at its default, commented with its reason. */
    public static final class Builder {
        private String checkpoint = "last"; // the trained LM
        private List<String> layers = null; // every traced layer but the mean
        private List<String> features = null; // the encoding's semantic features
        private int samples = 1500; // train programs: a ridge fit per cell, in closed form
        private int evalSamples = 500; // val and test programs each: the ridge's choice and the interval
        private int resamples = Bootstrap.DEFAULT_RESAMPLES;
        private long seed = 0; // the bootstrap's seed
        private List<Integer> examples = List.of(0); // labels from input 0, as the reference
        private Long shuffle = null; // real labels
        private String programsFrom = null; // the probed checkpoint writes its own programs
        private List<String> positions = null; // every position
        private Path programScores = null; // no per-program file

        public Builder checkpoint(String v) { checkpoint = v; return this; }
        public Builder layers(List<String> v) { layers = v; return this; }
        public Builder features(List<String> v) { features = v; return this; }
        public Builder samples(int v) { samples = v; return this; }
        public Builder evalSamples(int v) { evalSamples = v; return this; }
        public Builder resamples(int v) { resamples = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder examples(List<Integer> v) { examples = v; return this; }
        public Builder shuffle(Long v) { shuffle = v; return this; }
        public Builder programsFrom(String v) { programsFrom = v; return this; }
        public Builder positions(List<String> v) { positions = v; return this; }
        public Builder programScores(Path v) { programScores = v; return this; }

        public Options build() {
            return new Options(checkpoint, layers, features, samples, evalSamples, resamples, seed, examples, shuffle,
                    programsFrom, positions, programScores);
        }
    }

    private PProbe() {
    }

    /**
     * One split's programs: states[layer][program] = (positions of the program, C);
     * labels[label set][program][k].
     */
    private record Rows(List<Sample> samples, List<Program> programs, Map<String, float[][][]> states,
            Map<LabelSet, String[][]> labels) {
        int size() {
            return programs.size();
        }

        int length(int p) {
            return programs.get(p).length();
        }
    }

    public static Table run(Path run, Options o, Path csv, PrintStream log) {
        long t0 = System.nanoTime();
        if (o.programScores() != null && o.programScores().toAbsolutePath().normalize().equals(csv.toAbsolutePath().normalize())) {
            throw new KarelException("--program-scores: " + o.programScores() + " is the --out file too; name another");
        }
        Path ckpt = RunParts.checkpoint(run, o.checkpoint());
        long step = Checkpoint.stepOf(ckpt);
        Path writerCkpt = o.programsFrom() == null ? ckpt : RunParts.checkpoint(run, o.programsFrom(), "--programs-from");
        long programsStep = Checkpoint.stepOf(writerCkpt);
        Table out = emptyTable();
        Table scores = o.programScores() == null ? null : ProgramScores.empty();
        try (Dataset data = Dataset.open(RunDir.data(run), false); Gpt model = Checkpoint.loadModel(ckpt);
                Gpt other = writerCkpt.equals(ckpt) ? null : Checkpoint.loadModel(writerCkpt)) {
            Gpt writer = other == null ? model : other;                // writes the programs; model is probed
            if (programsStep != step) {
                log.printf("pprobe: the programs are checkpoint %d's, teacher-forced into checkpoint %d%n", programsStep, step);
            }
            List<String> layers = RunParts.layers(model.config().nLayer(), o.layers(), FACTS);
            if (o.positions() != null) {                       // emit.J is known now; spec positions after the first split
                for (String name : o.positions()) {
                    if (name.startsWith("emit.") && Integer.parseInt(name.substring(5)) > model.config().maxActions()) {
                        throw new KarelException("--positions: no position '" + name + "' (this LM emits at emit.0-"
                                + model.config().maxActions() + ")");
                    }
                }
            }
            List<String> features = o.features() != null ? o.features() : Labels.semantic(model.config().encoding());
            SpecEncoding enc = SpecEncoding.byName(model.config().encoding());
            int specExamples = data.config().specExamples();
            for (int e : o.examples()) {
                if (e >= specExamples) {
                    throw new KarelException("--examples: input " + e + " is not a specification input (the dataset shows "
                            + specExamples + ": 0-" + (specExamples - 1) + ")");
                }
            }
            List<LabelSet> keys = new ArrayList<>();
            for (int e : o.examples()) {
                for (String f : features) {
                    keys.add(new LabelSet(f, e));
                }
            }
            Split[] splits = {Split.TRAIN, Split.VAL, Split.TEST};
            int[] limits = {o.samples(), o.evalSamples(), o.evalSamples()};
            Rows[] rows = new Rows[3];
            long[] splitSeeds = new long[3];                   // the shuffle control's seed of each split
            java.util.Random seeds = new java.util.Random(o.shuffle() == null ? 0 : o.shuffle());
            for (int i = 0; i < 3; i++) {
                splitSeeds[i] = seeds.nextLong();
            }
            Set<String> earlier = new HashSet<>();
            int specLen = -1;
            int first = -1;
            for (int i = 0; i < 3; i++) {
                List<Sample> samples = new ArrayList<>();
                for (Sample s : Evaluation.samples(data.split(splits[i]), 0)) {
                    if (!earlier.contains(s.program().toShort())) {
                        samples.add(s);
                        if (samples.size() == limits[i]) {
                            break;
                        }
                    }
                }
                if (samples.isEmpty()) {
                    throw new KarelException(data.dir() + ": split " + splits[i].id() + " has no programs to probe");
                }
                samples.forEach(s -> earlier.add(s.program().toShort()));
                int[] geometry = new int[2];
                rows[i] = record(writer, enc, samples, specExamples, keys, geometry);
                if (o.shuffle() != null) {
                    int kept = shuffle(rows[i], splitSeeds[i]);
                    log.printf("pprobe: %s: labels shuffled among programs of the same length (%d kept their own: "
                            + "the only program of its length)%n", splits[i].id(), kept);
                }
                specLen = geometry[0];
                first = geometry[1];
                log.printf("pprobe: %s: %d programs recorded%n", splits[i].id(), samples.size());
            }
            int maxLen = model.config().maxActions();
            Set<Integer> fitted = fittedPositions(o.positions(), specLen, first, maxLen);
            Bootstrap boot = new Bootstrap(rows[2].size(), o.resamples(), o.seed());
            for (String layer : layers) {
                long l0 = System.nanoTime();
                for (Rows r : rows) {
                    r.states().clear();                        // one layer's states in memory at a time
                    r.states().put(layer, FACTS.contains(layer) ? facts(r, specExamples, layer, first)
                            : states(model, enc, r, specExamples, layer, first));
                }
                int cells = fitLayer(model, out, scores, step, programsStep, layer, keys, rows, specLen, first, maxLen,
                        fitted, boot, o);
                log.printf(Locale.ROOT, "pprobe: %s: %d cells (%.0f s)%n", layer, cells, (System.nanoTime() - l0) / 1e9);
            }
        }
        if (o.positions() != null) {
            Set<String> fittedNames = new HashSet<>(out.stringColumn("position_name").asList());
            for (String name : o.positions()) {
                if (!fittedNames.contains(name)) {
                    log.printf("pprobe: no cell at %s: fewer than 2 train programs, or no val or test program, reach it%n", name);
                }
            }
        }
        Table written = out;
        if (scores != null) {
            AtomicFiles.write(o.programScores(), tmp -> scores.write().csv(tmp.toFile()));
            log.printf("pprobe: per-program test sums of every cell in %s%n", o.programScores());
        }
        AtomicFiles.write(csv, tmp -> written.write().csv(tmp.toFile()));
        log.printf(Locale.ROOT, "pprobe: %d cells in %s (%.0f s)%n", out.rowCount(), csv, (System.nanoTime() - t0) / 1e9);
        return out;
    }

    /**
     * The id of a cell's per-program sums in {@link Options#programScores}:
     * {@code layer|feature|example|position_name|k}.
     */
    public static String scoreId(String layer, String feature, int example, String positionName, int k) {
        return String.join("|", layer, feature, Integer.toString(example), positionName, Integer.toString(k));
    }

    /**
     * The positions to fit: every one ({@code names} null) or those named; a name that is not a
     * position of this LM's sequences is a one-line error naming the range.
     */
    static Set<Integer> fittedPositions(List<String> names, int specLen, int first, int maxLen) {
        Map<String, Integer> all = new LinkedHashMap<>();
        for (int pos = 0; pos <= first + maxLen; pos++) {
            all.put(positionName(pos, specLen, first), pos);
        }
        if (names == null) {
            return new HashSet<>(all.values());
        }
        Set<Integer> out = new HashSet<>();
        for (String name : names) {
            Integer pos = all.get(name);
            if (pos == null) {
                throw new KarelException("--positions: no position '" + name + "' in this LM's sequences (spec.0-"
                        + (specLen - 1) + (first > specLen ? ", spec_token.0-" + (first - specLen - 1) : "")
                        + ", emit.0-" + maxLen + ")");
            }
            out.add(pos);
        }
        return out;
    }

    /** The name of sequence position {@code pos}. */
    static String positionName(int pos, int specLen, int first) {
        if (pos < specLen) {
            return "spec." + pos;
        }
        if (pos < first) {
            return "spec_token." + (pos - specLen);
        }
        return "emit." + (pos - first);
    }

    /**
     * The control of {@link Options#shuffle}: every label set of each program goes to another
     * program of the same generated length (a random cycle through the programs of each length, so
     * no program keeps its own labels unless it is the only one of its length; the same cycle for
     * all label sets, so their joint distribution is kept). Returns how many programs kept theirs.
     */
    private static int shuffle(Rows rows, long seed) {
        Map<Integer, List<Integer>> byLength = new java.util.TreeMap<>();
        for (int p = 0; p < rows.size(); p++) {
            byLength.computeIfAbsent(rows.length(p), k -> new ArrayList<>()).add(p);
        }
        java.util.Random rng = new java.util.Random(seed);
        int kept = 0;
        for (List<Integer> same : byLength.values()) {
            List<Integer> order = new ArrayList<>(same);
            java.util.Collections.shuffle(order, rng);
            int n = order.size();
            kept += n == 1 ? 1 : 0;
            for (String[][] labels : rows.labels().values()) {
                String[][] before = new String[n][];
                for (int i = 0; i < n; i++) {
                    before[i] = labels[order.get(i)];
                }
                for (int i = 0; i < n; i++) {
                    labels[order.get((i + 1) % n)] = before[i];   // each program's labels to the next in the cycle
                }
            }
        }
        return kept;
    }

    /** What a row is labelled with: {@code feature} of the generated program run on specification input {@code example}. */
    record LabelSet(String feature, int example) {
    }

    /** Decodes and labels one split. geometry receives {specLen, position emitting action 0}. */
    private static Rows record(Gpt model, SpecEncoding enc, List<Sample> samples, int specExamples,
            List<LabelSet> keys, int[] geometry) {
        Decoder decoder = new Decoder(model);
        List<Program> programs = new ArrayList<>();
        Map<LabelSet, String[][]> labels = new LinkedHashMap<>();
        for (LabelSet key : keys) {
            labels.put(key, new String[samples.size()][]);
        }
        for (int from = 0; from < samples.size(); from += 128) {
            List<Sample> part = samples.subList(from, Math.min(samples.size(), from + 128));
            List<Spec> specs = part.stream().map(s -> Spec.of(s.inputs(), s.outputs(), specExamples)).toList();
            Batch prompt = enc.encode(specs, null);
            List<Program> written = decoder.greedy(prompt).stream().map(d -> new Program(d.actions())).toList();
            programs.addAll(written);
            geometry[0] = prompt.specLen();
            geometry[1] = prompt.specLen() + enc.specTokens(specExamples);
            for (int r = 0; r < part.size(); r++) {
                Map<LabelSet, String[]> y = labels(part.get(r), written.get(r), keys);
                for (LabelSet key : keys) {
                    labels.get(key)[from + r] = y.get(key);
                }
            }
        }
        return new Rows(samples, programs, new LinkedHashMap<>(), labels);
    }

    /**
     * The labels of one program for every label set of {@code keys}: {@code program} run on the
     * sample's input named by the key, the feature of the state after {@code k} actions at index
     * {@code k} (0 is the start state).
     */
    static Map<LabelSet, String[]> labels(Sample sample, Program program, List<LabelSet> keys) {
        Map<Integer, Trace> traces = new HashMap<>();
        Map<LabelSet, String[]> out = new LinkedHashMap<>();
        for (LabelSet key : keys) {
            String f = key.feature();
            Trace trace = traces.computeIfAbsent(key.example(), e -> Interpreter.REFERENCE.trace(sample.inputs().get(e), program));
            String[] y = new String[program.length() + 1];
            for (int k = 0; k <= program.length(); k++) {
                y[k] = k == 0 ? startValue(trace, f) : Labels.value(trace, k - 1, 0, f);
            }
            out.put(key, y);
        }
        return out;
    }

    /**
     * The states of {@code layer} at every position of every program of {@code rows}, through the
     * one emitting EOS: one teacher-forced pass per batch; {@code (program, position, C)}.
     */
    private static float[][][] states(Gpt model, SpecEncoding enc, Rows rows, int specExamples, String layer, int first) {
        int c = model.config().dModel();
        float[][][] states = new float[rows.size()][][];
        for (int from = 0; from < rows.size(); from += 128) {
            int to = Math.min(rows.size(), from + 128);
            List<Spec> specs = rows.samples().subList(from, to).stream()
                    .map(s -> Spec.of(s.inputs(), s.outputs(), specExamples)).toList();
            List<Program> written = rows.programs().subList(from, to);
            try (NDManager scope = model.newScope()) {
                NDArray h = model.forward(scope, enc.encode(specs, written), false, HiddenFilter.of(layer), List.of())
                        .hidden().get(layer);                                          // (B, L, C)
                float[] all = h.toFloatArray();
                int len = (int) h.getShape().get(1);
                for (int r = 0; r < written.size(); r++) {
                    int positions = first + written.get(r).length() + 1;              // through the one emitting EOS
                    float[][] x = new float[positions][c];
                    for (int p = 0; p < positions; p++) {
                        System.arraycopy(all, (r * len + p) * c, x[p], 0, c);
                    }
                    states[from + r] = x;
                }
            }
        }
        return states;
    }

    /** Every traced hidden state but the mean, then the {@link #FACTS}: what {@code reproduce} P-probes. */
    public static List<String> layersWithFacts(int nLayer) {
        List<String> all = new ArrayList<>(RunParts.layers(nLayer, null));
        all.addAll(FACTS);
        return all;
    }

    /**
     * The {@link #FACTS} pseudo-layer {@code name} of every program of {@code rows}: (program,
     * position, specExamples * 12), input e's start facing one-hot at {@code 12e + facing}, its
     * quarter turns at {@code 12e + 4 + turns} and its specification output's facing at
     * {@code 12e + 8 + facing}; the turns after the actions before the position
     * ({@code facts.written}) or through the one it emits ({@code facts.next}; at the
     * specification's positions none, at the one emitting EOS every action).
     */
    static float[][][] facts(Rows rows, int specExamples, String name, int first) {
        int ahead = name.equals("facts.next") ? 1 : 0;
        float[][][] out = new float[rows.size()][][];
        for (int p = 0; p < rows.size(); p++) {
            out[p] = facts(rows.samples().get(p), rows.programs().get(p), specExamples, ahead, first);
        }
        return out;
    }

    static float[][] facts(Sample sample, Program program, int specExamples, int ahead, int first) {
        int n = program.length();
        float[][] x = new float[first + n + 1][specExamples * 12];
        for (int e = 0; e < specExamples; e++) {
            Trace trace = Interpreter.REFERENCE.trace(sample.inputs().get(e), program);
            int facing = trace.state(0).facing().ordinal();
            int output = sample.outputs().get(e).facing().ordinal();          // what the LM is shown, not the run's end
            for (int pos = 0; pos < x.length; pos++) {
                int done = pos < first ? 0 : Math.min(n, pos - first + ahead);   // actions counted at pos
                x[pos][12 * e + facing] = 1;
                x[pos][12 * e + 4 + trace.state(done).turns()] = 1;
                x[pos][12 * e + 8 + output] = 1;
            }
        }
        return x;
    }

    /** The feature of the start state (Labels never labels it; P-probing shows it as k = 0). */
    private static String startValue(Trace trace, String feature) {
        var s = trace.state(0);
        return switch (feature) {
            case "facing" -> s.facing().name();
            case "position" -> s.dx() + "," + s.dy();
            case "wall" -> Boolean.toString(s.facingWall());
            case "rel_facing" -> Integer.toString(90 * s.turns());
            case "rel_position" -> s.ahead() + "," + s.right();
            default -> throw new KarelException("--features: unknown feature '" + feature + "'");
        };
    }

    /** Fits and scores every (position, k, label set) cell of one layer; returns the number of cells. */
    private static int fitLayer(Gpt model, Table out, Table scores, long step, long programsStep, String layer, List<LabelSet> keys,
            Rows[] rows, int specLen, int first, int maxLen, Set<Integer> fitted, Bootstrap boot, Options o) {
        List<Cell> cells = new ArrayList<>();
        try (NDManager m = model.newScope()) {
            for (int pos = 0; pos <= first + maxLen; pos++) {
                if (!fitted.contains(pos)) {
                    continue;
                }
                int need = Math.max(0, pos - first);                     // actions a program needs to reach pos
                Standardise z = Standardise.of(rows[0], layer, pos, need);
                if (z == null) {
                    continue;
                }
                for (int reach = need; reach <= maxLen; reach++) {
                    List<int[]> group = new ArrayList<>();               // (k, label set index) with max(k, need) == reach
                    for (int k = 0; k <= maxLen; k++) {
                        if (Math.max(k, need) == reach) {
                            for (int f = 0; f < keys.size(); f++) {
                                group.add(new int[] {k, f});
                            }
                        }
                    }
                    cells.addAll(Cell.fitGroup(m, layer, keys, pos, reach, group, rows, z));
                }
            }
        }
        if (cells.isEmpty()) {
            return 0;
        }
        for (Cell cell : cells) {
            int best = 0;                      // each cell's own ridge: the best val accuracy (the smallest ridge on ties)
            for (int r = 1; r < RIDGES.length; r++) {
                if (cell.valAccuracy[r] > cell.valAccuracy[best]) {
                    best = r;
                }
            }
            double[][] sums = cell.testSums[best];
            double[] total = Bootstrap.total(sums);
            if (scores != null) {
                ProgramScores.append(scores, scoreId(layer, cell.set().feature(), cell.set().example(),
                        positionName(cell.pos, specLen, first), cell.k), sums);
            }
            Bootstrap.Interval ci = Bootstrap.interval(boot.distribution(sums, Bootstrap::accuracy), 0.95);
            out.longColumn("step").append(step);
            out.longColumn("programs_step").append(programsStep);
            out.stringColumn("layer").append(layer);
            out.stringColumn("feature").append(cell.set().feature());
            out.intColumn("example").append(cell.set().example());
            out.intColumn("position").append(cell.pos);
            out.stringColumn("position_name").append(positionName(cell.pos, specLen, first));
            out.intColumn("k").append(cell.k);
            out.doubleColumn("accuracy").append(Bootstrap.accuracy(total));
            out.doubleColumn("ci_low").append(ci.low());
            out.doubleColumn("ci_high").append(ci.high());
            out.doubleColumn("majority").append(total[Bootstrap.MAJORITY] / total[Bootstrap.N]);
            out.intColumn("n_train").append(cell.nTrain);
            out.intColumn("n_programs").append((int) total[Bootstrap.N]);
            out.doubleColumn("ridge").append(RIDGES[best]);
            out.doubleColumn("val_accuracy").append(cell.valAccuracy[best]);
            out.longColumn("seed").append(o.seed());
            if (o.shuffle() == null) {
                out.longColumn("shuffle").appendMissing();
            } else {
                out.longColumn("shuffle").append(o.shuffle());
            }
        }
        return cells.size();
    }

    private static Table emptyTable() {
        return Table.create("pprobe", LongColumn.create("step"), LongColumn.create("programs_step"), StringColumn.create("layer"),
                StringColumn.create("feature"), IntColumn.create("example"), IntColumn.create("position"), StringColumn.create("position_name"),
                IntColumn.create("k"), DoubleColumn.create("accuracy"), DoubleColumn.create("ci_low"),
                DoubleColumn.create("ci_high"), DoubleColumn.create("majority"), IntColumn.create("n_train"),
                IntColumn.create("n_programs"), DoubleColumn.create("ridge"), DoubleColumn.create("val_accuracy"),
                LongColumn.create("seed"), LongColumn.create("shuffle"));
    }

    /** Standardisation of one layer at one position, from the train programs that reach it. */
    record Standardise(double[] mean, double[] sd) {
        static Standardise of(Rows train, String layer, int pos, int need) {
            float[][][] s = train.states().get(layer);
            int c = -1;
            int n = 0;
            double[] sum = null;
            double[] sq = null;
            for (int p = 0; p < train.size(); p++) {
                if (train.length(p) < need) {
                    continue;
                }
                float[] x = s[p][pos];
                if (sum == null) {
                    c = x.length;
                    sum = new double[c];
                    sq = new double[c];
                }
                for (int i = 0; i < c; i++) {
                    sum[i] += x[i];
                    sq[i] += (double) x[i] * x[i];
                }
                n++;
            }
            if (n < 2) {
                return null;
            }
            double[] mean = new double[c];
            double[] sd = new double[c];
            for (int i = 0; i < c; i++) {
                mean[i] = sum[i] / n;
                double v = sq[i] / n - mean[i] * mean[i];
                sd[i] = v > 1e-12 ? Math.sqrt(v) : 1;
            }
            return new Standardise(mean, sd);
        }

        /**
         * The standardised states of {@code programs} at {@code pos} with a trailing 1 (the
         * intercept), {@code (n, C+1)} row-major.
         */
        float[] apply(float[][][] states, List<Integer> programs, int pos) {
            int c = mean.length;
            float[] x = new float[programs.size() * (c + 1)];
            for (int r = 0; r < programs.size(); r++) {
                float[] h = states[programs.get(r)][pos];
                int o = r * (c + 1);
                for (int i = 0; i < c; i++) {
                    x[o + i] = (float) ((h[i] - mean[i]) / sd[i]);
                }
                x[o + c] = 1;
            }
            return x;
        }
    }

    /**
     * One scored (layer, label set, position, k) cell: val accuracy and per-program test sums per
     * ridge.
     */
    record Cell(LabelSet set, int pos, int k, int nTrain, double[] valAccuracy, double[][][] testSums) {

        /** Programs of {@code rows} with at least {@code reach} actions. */
        static List<Integer> members(Rows rows, int reach) {
            List<Integer> in = new ArrayList<>();
            for (int p = 0; p < rows.size(); p++) {
                if (rows.length(p) >= reach) {
                    in.add(p);
                }
            }
            return in;
        }

        /**
         * Fits the ridge classifiers of every (k, feature) of {@code group} at once (they share their
         * rows: the programs with at least {@code reach} actions): {@code W = (X'X + lambda I)^-1 X'Y}
         * with one-hot Y of every cell side by side, the intercept unpenalised; scores val and test.
         */
        static List<Cell> fitGroup(NDManager m, String layer, List<LabelSet> keys, int pos, int reach,
                List<int[]> group, Rows[] rows, Standardise z) {
            List<Integer> tr = members(rows[0], reach);
            List<Integer> va = members(rows[1], reach);
            List<Integer> te = members(rows[2], reach);
            if (tr.size() < 2 || va.isEmpty() || te.isEmpty() || group.isEmpty()) {
                return List.of();
            }
            int c = z.mean().length + 1;
            // classes of each cell from its train labels, and the blocks of Y's columns
            List<String[]> classes = new ArrayList<>();
            List<String> majorities = new ArrayList<>();
            int[] offset = new int[group.size() + 1];
            for (int g = 0; g < group.size(); g++) {
                int k = group.get(g)[0];
                String[][] labels = rows[0].labels().get(keys.get(group.get(g)[1]));
                Map<String, Integer> counts = new LinkedHashMap<>();
                for (int p : tr) {
                    counts.merge(labels[p][k], 1, Integer::sum);
                }
                classes.add(counts.keySet().toArray(new String[0]));
                majorities.add(counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).orElseThrow().getKey());
                offset[g + 1] = offset[g] + counts.size();
            }
            int width = offset[group.size()];
            float[] y = new float[tr.size() * width];                            // (n, K) one-hot blocks
            for (int g = 0; g < group.size(); g++) {
                int k = group.get(g)[0];
                String[][] labels = rows[0].labels().get(keys.get(group.get(g)[1]));
                List<String> names = List.of(classes.get(g));
                for (int r = 0; r < tr.size(); r++) {
                    y[r * width + offset[g] + names.indexOf(labels[tr.get(r)][k])] = 1;
                }
            }
            float[][][] states = rows[0].states().get(layer);
            double[] valAcc = new double[RIDGES.length * group.size()];
            double[][][][] testSums = new double[group.size()][RIDGES.length][][];
            try (NDManager scope = m.newSubManager()) {
                NDArray x = scope.create(z.apply(states, tr, pos), new ai.djl.ndarray.types.Shape(tr.size(), c));   // (n, C+1)
                NDArray xt = x.transpose();
                NDArray gram = xt.matMul(x);                                                                 // (C+1, C+1)
                NDArray xty = xt.matMul(scope.create(y, new ai.djl.ndarray.types.Shape(tr.size(), width)));  // (C+1, K)
                NDArray xVal = scope.create(z.apply(rows[1].states().get(layer), va, pos), new ai.djl.ndarray.types.Shape(va.size(), c));
                NDArray xTest = scope.create(z.apply(rows[2].states().get(layer), te, pos), new ai.djl.ndarray.types.Shape(te.size(), c));
                float[] penalty = new float[c];
                for (int r = 0; r < RIDGES.length; r++) {
                    java.util.Arrays.fill(penalty, (float) (RIDGES[r] * tr.size()));
                    penalty[c - 1] = 1e-6f;                                                                  // the intercept
                    NDArray w = gram.add(scope.eye(c).mul(scope.create(penalty))).inverse().matMul(xty);  // eye * row vector = diag                 // (C+1, K)
                    float[] sVal = xVal.matMul(w).toFloatArray();                                             // (nVal, K)
                    float[] sTest = xTest.matMul(w).toFloatArray();                                           // (nTest, K)
                    for (int g = 0; g < group.size(); g++) {
                        int k = group.get(g)[0];
                        LabelSet f = keys.get(group.get(g)[1]);
                        String[] names = classes.get(g);
                        double[][] v = sums(sVal, width, offset[g], names, va, rows[1].labels().get(f), k, majorities.get(g), rows[1].size());
                        valAcc[g * RIDGES.length + r] = Bootstrap.accuracy(Bootstrap.total(v));
                        testSums[g][r] = sums(sTest, width, offset[g], names, te, rows[2].labels().get(f), k, majorities.get(g), rows[2].size());
                    }
                }
            }
            List<Cell> cells = new ArrayList<>();
            for (int g = 0; g < group.size(); g++) {
                cells.add(new Cell(keys.get(group.get(g)[1]), pos, group.get(g)[0], tr.size(),
                        java.util.Arrays.copyOfRange(valAcc, g * RIDGES.length, (g + 1) * RIDGES.length), testSums[g]));
            }
            return cells;
        }

        /** Per-program (N, correct, majority) of the argmax over one block of scores; zeros for programs outside. */
        static double[][] sums(float[] scores, int width, int from, String[] names, List<Integer> programs,
                String[][] labels, int k, String majority, int total) {
            double[][] out = new double[total][3];
            for (int r = 0; r < programs.size(); r++) {
                int best = 0;
                for (int j = 1; j < names.length; j++) {
                    if (scores[r * width + from + j] > scores[r * width + from + best]) {
                        best = j;
                    }
                }
                int p = programs.get(r);
                String truth = labels[p][k];
                out[p][Bootstrap.N] = 1;
                out[p][Bootstrap.CORRECT] = names[best].equals(truth) ? 1 : 0;
                out[p][Bootstrap.MAJORITY] = majority.equals(truth) ? 1 : 0;
            }
            return out;
        }
    }

    /**
     * {@code t} when it is a run's own P-probing: real labels (no {@code --shuffle-labels}) on the
     * probed checkpoint's own programs (no {@code --programs-from}); else a one-line error naming
     * {@code csv} and the control it is.
     */
    public static Table requireOwnReading(Table t, Path csv) {
        if (t.longColumn("shuffle").countMissing() != t.rowCount()) {
            throw new KarelException(csv + ": a shuffled-label control (pprobe --shuffle-labels), not the run's P-probing");
        }
        if (!t.longColumn("programs_step").asList().equals(t.longColumn("step").asList())) {
            throw new KarelException(csv + ": another checkpoint's programs (pprobe --programs-from), not the run's P-probing");
        }
        return t;
    }

    /** Reads a CSV written by {@link #run} with the column types it was written with. */
    public static Table read(Path csv) {
        Table t = RunParts.readTyped(csv, emptyTable(), "pprobe");
        if (!t.columnNames().contains("example")) {      // written before --examples: every row is input 0's
            IntColumn example = IntColumn.create("example", t.rowCount());
            example.setMissingTo(0);
            t.insertColumn(t.columnIndex("feature") + 1, example);
        }
        if (!t.columnNames().contains("shuffle")) {      // written before --shuffle-labels: real labels
            t.addColumns(LongColumn.create("shuffle", t.rowCount()));
        }
        if (!t.columnNames().contains("programs_step")) { // written before --programs-from: each checkpoint wrote its own
            t.insertColumn(1, t.longColumn("step").copy().setName("programs_step"));
        }
        return t;
    }
}
