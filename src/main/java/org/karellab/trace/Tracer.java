package org.karellab.trace;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.karellab.data.AtomicFiles;
import org.karellab.data.Dataset;
import org.karellab.data.Sample;
import org.karellab.data.Split;
import org.karellab.lm.Batch;
import org.karellab.lm.Checkpoint;
import org.karellab.lm.Decoder;
import org.karellab.lm.Devices;
import org.karellab.lm.EvalRow;
import org.karellab.lm.Evaluation;
import org.karellab.lm.Gpt;
import org.karellab.lm.HiddenFilter;
import org.karellab.lm.ModelShape;
import org.karellab.lm.Spec;
import org.karellab.lm.SpecEncoding;
import org.karellab.world.CrashPolicy;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.Semantics;
import org.karellab.world.Trace;
import org.karellab.world.World;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Makes a trace folder: the LM writes a program for each specification of a split (batched greedy
 * decoding, constrained), then one teacher-forced pass over each generated program records, at the
 * position that emits each action, the hidden states of {@link #layers(int)} (the states during
 * decoding, attention being causal). States stream to {@code states/LAYER.npy} (float32,
 * (rows, d_model)); {@code labels.csv} has a row per (program, action) with key columns and the
 * {@link Labels} of executing the generated program on input 0 under every semantics and offset;
 * {@code programs.csv} a row per program. Alternative semantics relabel the same states.
 */
public final class Tracer {
    public static final String STATES = "states";
    public static final String RANDOM = "random";
    public static final String LABELS = "labels.csv";
    public static final String PROGRAMS = "programs.csv";
    public static final String MEAN = "mean";

    private Tracer() {
    }

    /**
     * @param split split to trace
     * @param limit first programs of the split (0 = all)
     * @param semantics label semantics
     * @param offsets label offsets, e.g. -2..2
     * @param randomInitSeed also record a randomly initialised model of the same shape (seeded) on
     *     the same programs, under {@code random/}; null for none
     * @param batchSize programs per decoding batch
     */
    public record Options(Split split, int limit, List<Semantics> semantics, List<Integer> offsets, Long randomInitSeed,
            int batchSize, Set<String> excludePrograms) {
        public Options {
            excludePrograms = Set.copyOf(excludePrograms);
        }

        public Options(Split split, int limit, List<Semantics> semantics, List<Integer> offsets, Long randomInitSeed,
                int batchSize) {
            this(split, limit, semantics, offsets, randomInitSeed, batchSize, Set.of());
        }

        public static Options of(Split split, int limit) {
            return new Options(split, limit, List.of(Semantics.ORIGINAL, Semantics.FLIP, Semantics.ADVERSARIAL),
                    List.of(-2, -1, 0, 1, 2), null, 128);
        }

        public Options withRandomInit(long seed) {
            return new Options(split, limit, semantics, offsets, seed, batchSize, excludePrograms);
        }

        /**
         * Skips the split's samples whose reference program (short form) is in {@code programs}, so
         * probe splits can hold disjoint programs; {@code limit} counts the samples kept.
         */
        public Options excluding(Set<String> programs) {
            return new Options(split, limit, semantics, offsets, randomInitSeed, batchSize, programs);
        }
    }

    public static TraceMeta trace(Path runDir, Path checkpoint, Dataset data, Options o, Path out) {
        if (Files.exists(out)) {
            throw new KarelException(out + ": already exists (remove it or choose another --out)");
        }
        List<Sample> samples = o.excludePrograms().isEmpty() ? Evaluation.samples(data.split(o.split()), o.limit())
                : kept(data, o);
        if (samples.isEmpty()) {
            throw new KarelException(data.dir() + ": split " + o.split() + " is empty: nothing to trace");
        }
        String sha = Dataset.sha256(checkpoint);
        TraceMeta[] made = new TraceMeta[1];
        try (Gpt model = Checkpoint.loadModel(checkpoint);
                Gpt random = o.randomInitSeed() == null ? null
                        : Gpt.create(model.config().with("seed", Long.toString(o.randomInitSeed())),
                                model.device())) {
            AtomicFiles.write(out, tmp -> made[0] = write(runDir, checkpoint, sha, data, samples, model, random, o, tmp));
        }
        return made[0];
    }

    /** The first {@code limit} samples (0 = all) whose reference program is not excluded. */
    private static List<Sample> kept(Dataset data, Options o) {
        List<Sample> all = Evaluation.samples(data.split(o.split()), 0);
        List<Sample> kept = new ArrayList<>();
        for (Sample s : all) {
            if (!o.excludePrograms().contains(s.program().toShort())) {
                kept.add(s);
                if (kept.size() == o.limit()) {
                    break;
                }
            }
        }
        return kept;
    }

    private static TraceMeta write(Path runDir, Path checkpoint, String sha, Dataset data, List<Sample> samples,
            Gpt model, Gpt random, Options o, Path dir) throws IOException {
        ModelShape cfg = model.config();
        SpecEncoding enc = SpecEncoding.byName(cfg.encoding());
        int specExamples = data.config().specExamples();
        List<String> layers = layers(cfg.nLayer());
        Files.createDirectories(dir.resolve(STATES));
        Map<String, Npy.Writer> states = writers(dir.resolve(STATES), layers, cfg.dModel());
        Map<String, Npy.Writer> randomStates = null;
        if (random != null) {
            Files.createDirectories(dir.resolve(RANDOM));
            randomStates = writers(dir.resolve(RANDOM), layers, cfg.dModel());
        }
        LabelColumns labels = new LabelColumns(o);
        ProgramColumns programs = new ProgramColumns();
        Decoder decoder = new Decoder(model);
        long rows = 0;
        try {
            for (int from = 0; from < samples.size(); from += o.batchSize()) {
                List<Sample> part = samples.subList(from, Math.min(samples.size(), from + o.batchSize()));
                List<Spec> specs = part.stream().map(s -> Spec.of(s.inputs(), s.outputs(), specExamples)).toList();
                List<Program> written = decoder.greedy(enc.encode(specs, null)).stream()
                        .map(d -> new Program(d.actions())).toList();
                Batch forced = enc.encode(specs, written);
                int first = forced.specLen() + enc.specTokens(specExamples); // position emitting action 0
                record(model, forced, written, first, layers, states);
                if (random != null) {
                    record(random, forced, written, first, layers, randomStates);
                }
                for (int i = 0; i < part.size(); i++) {
                    int id = from + i;
                    Sample s = part.get(i);
                    Program p = written.get(i);
                    boolean[] ok = EvalRow.correct(s, p, specExamples);
                    programs.add(id, s.program(), p, ok);
                    // the wrong-world control: the next sample's input world, robot at this start pose
                    World wrong = atPose(samples.get((id + 1) % samples.size()).inputs().get(0), s.inputs().get(0));
                    labels.add(id, s, wrong, p, ok[0]);
                    rows += p.length();
                }
            }
        } finally {
            closeAll(states);
            if (randomStates != null) {
                closeAll(randomStates);
            }
        }
        labels.table().write().csv(dir.resolve(LABELS).toFile());
        programs.table().write().csv(dir.resolve(PROGRAMS).toFile());
        TraceMeta meta = new TraceMeta(TraceMeta.FORMAT_VERSION, runDir.toAbsolutePath().toString(), checkpoint.getFileName().toString(),
                Checkpoint.stepOf(checkpoint), sha, Checkpoint.config(checkpoint).toJson(), data.dir().toAbsolutePath().toString(),
                o.split().id(), samples.size(), rows, cfg.dModel(), layers,
                o.semantics().stream().map(Semantics::name).toList(), o.offsets(), o.randomInitSeed());
        Files.writeString(dir.resolve(TraceMeta.FILE), meta.toJson());
        return meta;
    }

    /** {@code world} with the robot (and an empty cell under it) at {@code pose}'s position and facing. */
    static World atPose(World world, World pose) {
        World w = world.copy();
        int r = pose.robotRow();
        int c = pose.robotCol();
        w.setWall(r, c, false);
        w.setMarkers(r, c, 0);
        return w.placeRobot(r, c, pose.facing());
    }

    /**
     * The layers a trace folder holds, in order: {@code blocks.0.resid_pre} (the embedding sum),
     * {@code blocks.{i}.resid_post} for every block, {@code ln_final.normalized}, and
     * {@link #MEAN}: the mean of {@link #meanOf(int)}, the reference's probe input.
     */
    public static List<String> layers(int nLayer) {
        List<String> layers = new ArrayList<>(meanOf(nLayer));
        layers.add(Gpt.LN_FINAL);
        layers.add(MEAN);
        return layers;
    }

    /**
     * The states {@link #MEAN} averages: the embedding sum ({@code blocks.0.resid_pre}) and every
     * block's {@code resid_post}, as the reference averages the embedding and every block's output
     * (not the final LayerNorm's).
     */
    public static List<String> meanOf(int nLayer) {
        List<String> states = new ArrayList<>();
        states.add(Gpt.EMBED);
        for (int i = 0; i < nLayer; i++) {
            states.add("blocks." + i + ".resid_post");
        }
        return states;
    }

    private static Map<String, Npy.Writer> writers(Path dir, List<String> layers, int dModel) throws IOException {
        Map<String, Npy.Writer> w = new LinkedHashMap<>();
        for (String l : layers) {
            w.put(l, new Npy.Writer(dir.resolve(l + ".npy"), dModel));
        }
        return w;
    }

    private static void closeAll(Map<String, Npy.Writer> writers) throws IOException {
        for (Npy.Writer w : writers.values()) {
            w.close();
        }
    }

    /** One teacher-forced pass; writes the state at each action's emitting position, per layer. */
    private static void record(Gpt model, Batch forced, List<Program> programs, int first, List<String> layers,
            Map<String, Npy.Writer> out) throws IOException {
        int c = model.config().dModel();
        int len = forced.seqLen();
        List<String> stored = layers.stream().filter(l -> !l.equals(MEAN)).toList();
        List<String> averaged = meanOf(model.config().nLayer());
        try (NDManager scope = model.newScope()) {
            Map<String, float[]> hidden = new LinkedHashMap<>();
            model.forward(scope, forced, false, HiddenFilter.of(stored)).hidden()
                    .forEach((name, arr) -> hidden.put(name, arr.toFloatArray())); // (B, L, C) each
            float[] mean = new float[c];
            for (int b = 0; b < programs.size(); b++) {
                for (int t = 0; t < programs.get(b).length(); t++) {
                    int at = (b * len + first + t) * c;
                    for (String layer : stored) {
                        out.get(layer).write(hidden.get(layer), at);
                    }
                    java.util.Arrays.fill(mean, 0f);
                    for (String layer : averaged) {                    // in the order of the sum before
                        float[] h = hidden.get(layer);
                        for (int k = 0; k < c; k++) {
                            mean[k] += h[at + k];
                        }
                    }
                    for (int k = 0; k < c; k++) {
                        mean[k] /= averaged.size();
                    }
                    out.get(MEAN).write(mean, 0);
                }
            }
        }
    }

    /** Columns of labels.csv, filled row by row. */
    private static final class LabelColumns {
        final Options o;
        final IntColumn program = IntColumn.create("program");
        final IntColumn refLength = IntColumn.create("ref_length");
        final IntColumn genLength = IntColumn.create("gen_length");
        final IntColumn index = IntColumn.create("index");
        final StringColumn action = StringColumn.create("action");
        final BooleanColumn correct = BooleanColumn.create("correct");
        final Map<String, StringColumn> features = new LinkedHashMap<>();
        final List<Interpreter> interpreters = new ArrayList<>();

        LabelColumns(Options o) {
            this.o = o;
            for (Semantics s : o.semantics()) {
                interpreters.add(new Interpreter(s, CrashPolicy.NOOP));
                addColumns(s.name());
            }
            addColumns(Labels.WRONG_WORLD);
        }

        private void addColumns(String semantics) {
            for (int off : o.offsets()) {
                for (String f : Labels.FEATURES) {
                    String name = Labels.column(semantics, off, f);
                    features.put(name, StringColumn.create(name));
                }
            }
        }

        void add(int id, Sample s, World wrong, Program p, boolean correctSpec) {
            List<Trace> traces = new ArrayList<>(interpreters.stream().map(in -> in.trace(s.inputs().get(0), p)).toList());
            traces.add(Interpreter.REFERENCE.trace(wrong, p));
            List<String> names = new ArrayList<>(o.semantics().stream().map(Semantics::name).toList());
            names.add(Labels.WRONG_WORLD);
            for (int t = 0; t < p.length(); t++) {
                program.append(id);
                refLength.append(s.program().length());
                genLength.append(p.length());
                index.append(t);
                action.append(p.get(t).camel);
                correct.append(correctSpec);
                for (int si = 0; si < traces.size(); si++) {
                    for (int off : o.offsets()) {
                        for (String f : Labels.FEATURES) {
                            String v = Labels.value(traces.get(si), t, off, f);
                            features.get(Labels.column(names.get(si), off, f))
                                    .append(v == null ? "" : v);
                        }
                    }
                }
            }
        }

        Table table() {
            Table t = Table.create("labels", program, refLength, genLength, index, action, correct);
            features.values().forEach(t::addColumns);
            return t;
        }
    }

    /** Columns of programs.csv. */
    private static final class ProgramColumns {
        final IntColumn program = IntColumn.create("program");
        final StringColumn reference = StringColumn.create("reference");
        final StringColumn generated = StringColumn.create("generated");
        final BooleanColumn correct = BooleanColumn.create("correct");
        final BooleanColumn general = BooleanColumn.create("generalizes");

        void add(int id, Program ref, Program gen, boolean[] ok) {
            program.append(id);
            reference.append(ref.toShort());
            generated.append(gen.toShort());
            correct.append(ok[0]);
            general.append(ok[1]);
        }

        Table table() {
            return Table.create("programs", program, reference, generated, correct, general);
        }
    }
}
