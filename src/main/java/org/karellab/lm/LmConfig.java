package org.karellab.lm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of a training run, in five typed parts (nanoGPT style):
 * <ul>
 *   <li>{@link #model()}: the {@link ModelShape}, all that {@link Gpt} needs;</li>
 *   <li>{@link #data()}: which programs a step trains on, and how many;</li>
 *   <li>{@link #optimizer()}: AdamW and its learning-rate schedule;</li>
 *   <li>{@link #run()}: how long the run is and what it writes;</li>
 *   <li>{@link #hardware()}: where it runs.</li>
 * </ul>
 * Start from a named {@link #profile(String)} or {@link #builder()} (whose fields are the defaults,
 * one a line with its reason), and change single keys with {@link #with(String, String)} (the
 * CLI's {@code --set key=value}) or {@link #toBuilder()}. Keys are the component names of the
 * parts, unique across them. {@code featDim}, {@code vocabSize} and {@code contextLength} are
 * derived (see {@link ModelShape}), never set.
 *
 * <p>The JSON form ({@link #toJson()}) is flat, one key per setting plus the derived sizes; it
 * is printed at the start of a run, saved as {@code RUN/config.json} and in every checkpoint.
 * {@link #fromJson} reads every form written so far.
 */
public record LmConfig(ModelShape model, Data data, Optimizer optimizer, Run run, Hardware hardware) {

    /**
     * Which programs a training step draws.
     *
     * @param trainLengths program lengths trained on, "lo-hi" or "all" (every length of the train split)
     * @param curriculum   length curriculum, "none" or stages "RANGE@FRACTION,..." (see {@link Curriculum})
     * @param batchSize    samples per optimizer step
     */
    public record Data(String trainLengths, String curriculum, int batchSize) {
    }

    /**
     * AdamW (see {@link AdamW}) and its schedule: linear warm-up to {@code lr}, then decay to {@code minLr}.
     *
     * @param lr          peak learning rate, reached after warm-up
     * @param minLr       learning rate at the last step
     * @param warmupSteps steps of linear warm-up from 0 to lr
     * @param schedule    decay after warm-up: "cosine" or "linear"
     * @param weightDecay decoupled weight decay, on matrices only
     * @param beta1       first-moment decay
     * @param beta2       second-moment decay
     * @param gradClip    global gradient-norm clip, 0 for none
     */
    public record Optimizer(double lr, double minLr, int warmupSteps, String schedule, double weightDecay,
                            double beta1, double beta2, double gradClip) {
    }

    /**
     * Length of the run and what it writes.
     *
     * @param steps       optimizer steps of the whole run
     * @param checkpoints checkpoints over the run, at regular intervals (plus the initial weights at step 0)
     * @param logEvery    steps between rows of metrics.csv
     * @param valSamples  programs of the dataset's val split scored for val_loss at every row (0: none)
     */
    public record Run(int steps, int checkpoints, int logEvery, int valSamples) {
    }

    /**
     * Where the run computes (see {@link Devices}).
     *
     * @param device     "auto" (the engine's default: CUDA when present), "cpu" or "gpu"
     * @param numThreads libtorch intra-op threads, 0 for one per core
     * @param matmulPrecision float32 matrix products while training, val_loss included ({@link MatmulPrecision}):
     *                   "highest" (true float32), "high" or "medium" (bfloat16 inputs on AMX CPUs);
     *                   evaluation and tracing run at "highest" (unless the process set another;
     *                   {@link MatmulPrecision#during} serialises trainings in one process)
     */
    public record Hardware(String device, int numThreads, String matmulPrecision) {
    }

    private static final List<Class<? extends Record>> PARTS =
            List.of(ModelShape.class, Data.class, Optimizer.class, Run.class, Hardware.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * A builder holding the CPU recipe ({@link #cpu()}); every field is a key's default.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (Map.Entry<String, Object> e : values().entrySet()) {
            if (!ModelShape.DERIVED.contains(e.getKey())) {
                b.set(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        return b;
    }

    /** The CPU recipe (docs/cpu-recipe.md): the {@link Builder}'s defaults. */
    public static LmConfig cpu() {
        return builder().build();
    }

    /**
     * The absolute-frame CPU recipe (issue 12, {@code docs/cpu-recipe.md} E12; with every run
     * counted, five of it and three of {@code north4}, it is ahead on val on lengths 6-10 but its lead
     * on all lengths is not established, E3c): the {@code cpu} profile with the {@code north} encoding,
     * each example drawn north up in one block, so absolute facing and the flip semantics mean what
     * they mean in the paper, read through a convolutional front end that never sees the start facing.
     * Without the length curriculum since 2026-12-01: two seeds a side, E14 and E14b against E12d and
     * E12c, put it +1.5 [+0.3, +2.6] points ahead on val (cpu-recipe.md E14b).
     */
    public static LmConfig cpuAbs() {
        return builder().optEncoding("north").optSpecConv(32).optSpecConvFacing(false).optCurriculum("none").build();
    }

    /** Seconds-long runs for tests and CI: the cpu profile shrunk to 2 layers of width 32. */
    public static LmConfig smoke() {
        return builder().optNLayer(2).optDModel(32).optNHead(2)
                .optBatchSize(8).optSteps(20).optWarmupSteps(2)
                .optCheckpoints(4).optLogEvery(5).optValSamples(16)
                .build();
    }

    /**
     * The reference's scale (CodeGen-350M shape, text encoding, its optimiser recipe), for GPU
     * users. Differences from the reference: learned absolute positions instead of rotary, and
     * our small vocabulary instead of CodeGen's 51k, hence about 250M parameters instead of 350M.
     */
    public static LmConfig paper() {
        return builder().optEncoding("text").optTrainLengths("6-10").optCurriculum("none")
                .optNLayer(20).optDModel(1024).optNHead(16).optTieEmbeddings(false)
                .optBatchSize(16).optLr(5e-6).optMinLr(0).optWarmupSteps(6000).optSteps(80000)
                .optWeightDecay(0).optBeta2(0.999).optSchedule("linear").optLogEvery(100)
                .build();
    }

    public static List<String> profileNames() {
        return List.of("smoke", "cpu", "cpu-abs", "paper");
    }

    public static LmConfig profile(String name) {
        return switch (name) {
            case "smoke" -> smoke();
            case "cpu" -> cpu();
            case "cpu-abs" -> cpuAbs();
            case "paper" -> paper();
            default -> throw new LmException(
                    "unknown config profile '" + name + "' (known: " + String.join(", ", profileNames()) + ")");
        };
    }

    /** The keys {@link #with} sets, part by part. */
    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        PARTS.forEach(p -> keys.addAll(ConfigKeys.names(p)));
        return keys;
    }

    /**
     * A copy with one key set from its text form (the CLI's {@code --set key=value}).
     *
     * @throws LmException for an unknown or derived key, a value of the wrong type, or a value
     *                     outside a key's choices
     */
    public LmConfig with(String key, String value) {
        if (ModelShape.DERIVED.contains(key)) {
            throw new LmException(model.derivedMessage(key));
        }
        if (ConfigKeys.has(ModelShape.class, key)) {
            return new LmConfig(ConfigKeys.with(model, key, value), data, optimizer, run, hardware);
        } else if (ConfigKeys.has(Data.class, key)) {
            return new LmConfig(model, ConfigKeys.with(data, key, value), optimizer, run, hardware);
        } else if (ConfigKeys.has(Optimizer.class, key)) {
            return new LmConfig(model, data, ConfigKeys.with(optimizer, key, value), run, hardware);
        } else if (ConfigKeys.has(Run.class, key)) {
            return new LmConfig(model, data, optimizer, ConfigKeys.with(run, key, value), hardware);
        } else if (ConfigKeys.has(Hardware.class, key)) {
            return new LmConfig(model, data, optimizer, run, ConfigKeys.with(hardware, key, value));
        }
        throw new LmException("unknown config key '" + key + "' (known: " + String.join(", ", keys()) + ")");
    }

    /** Applies {@code key=value} overrides in order, then {@link #validate()}s the result. */
    public LmConfig withAll(Map<String, String> overrides) {
        LmConfig c = this;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c.validate();
    }

    /**
     * Checks every key's range and the relations between keys (which single-key overrides cannot,
     * since they may pass through inconsistent intermediate states) and returns this config.
     */
    public LmConfig validate() {
        model.validate();
        try {
            Curriculum.parse(data.curriculum());
            TrainRecipe.lengths(data.trainLengths());
        } catch (LmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LmException("config: " + e.getMessage(), e);
        }
        require(data.batchSize() > 0, "batchSize must be positive");
        require(run.steps() > 0 && run.logEvery() > 0 && run.checkpoints() > 0,
                "steps, logEvery and checkpoints must be positive");
        require(run.valSamples() >= 0, "valSamples must be >= 0");
        Optimizer o = optimizer;
        require(o.warmupSteps() >= 0 && o.warmupSteps() <= run.steps(),
                "warmupSteps " + o.warmupSteps() + " is not in [0, steps]");
        require(o.lr() > 0 && o.minLr() >= 0 && o.minLr() <= o.lr(), "need 0 <= minLr <= lr and lr > 0");
        require(o.weightDecay() >= 0 && o.gradClip() >= 0, "weightDecay and gradClip must be >= 0");
        require(o.beta1() >= 0 && o.beta1() < 1 && o.beta2() >= 0 && o.beta2() < 1, "beta1 and beta2 must be in [0, 1)");
        require(hardware.numThreads() >= 0, "numThreads must be >= 0");
        return this;
    }

    /** Every key's value, part by part, the derived sizes after the model's keys. */
    public Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>(ConfigKeys.values(model));
        for (String key : ModelShape.DERIVED) {
            m.put(key, model.derived(key));
        }
        m.putAll(ConfigKeys.values(data));
        m.putAll(ConfigKeys.values(optimizer));
        m.putAll(ConfigKeys.values(run));
        m.putAll(ConfigKeys.values(hardware));
        return m;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(values());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads {@link #toJson()}'s form, and that of earlier versions. Keys missing from the JSON keep
     * the cpu profile's values (so checkpoints written before a key existed still load); unknown
     * keys are an error. The derived sizes, when present, must be what the keys derive; JSON
     * written before {@code specExamples} was a key gets the one its {@code contextLength} implies.
     */
    public static LmConfig fromJson(String json) {
        Map<String, Object> map;
        try {
            map = JSON.readValue(json, JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
        } catch (JsonProcessingException e) {
            throw new LmException("config JSON is malformed: " + e.getOriginalMessage());
        }
        LmConfig c = cpu();
        Map<String, Integer> recorded = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (ModelShape.DERIVED.contains(e.getKey())) {
                recorded.put(e.getKey(), integer(e.getKey(), e.getValue()));
            } else {
                c = c.with(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        if (!map.containsKey("specExamples") && recorded.containsKey("contextLength")) {
            c = withSpecExamplesFitting(c, recorded.get("contextLength"));
        }
        for (Map.Entry<String, Integer> e : recorded.entrySet()) {
            int derived = c.model().derived(e.getKey());
            if (derived != e.getValue()) {
                throw new LmException("config: " + e.getKey() + " " + e.getValue() + " is recorded, but encoding "
                        + c.model().encoding() + " with specExamples " + c.model().specExamples() + " and maxActions "
                        + c.model().maxActions() + " gives " + derived);
            }
        }
        return c.validate();
    }

    /** Old JSON had no specExamples: the smallest one whose context length is the recorded one, if any. */
    private static LmConfig withSpecExamplesFitting(LmConfig c, int contextLength) {
        for (int k = 1; k <= 100; k++) {
            LmConfig candidate = c.with("specExamples", Integer.toString(k));
            if (candidate.model().contextLength() == contextLength) {
                return candidate;
            }
        }
        return c;
    }

    private static int integer(String key, Object value) {
        try {
            return Integer.parseInt(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new LmException("config key '" + key + "' wants an integer, got '" + value + "'");
        }
    }

    /** The keys whose values differ from {@code other}'s, as "key: this -> other". */
    public List<String> differences(LmConfig other) {
        Map<String, Object> mine = values();
        Map<String, Object> theirs = other.values();
        List<String> out = new ArrayList<>();
        mine.forEach((key, v) -> {
            if (!v.equals(theirs.get(key))) {
                out.add(key + ": " + v + " -> " + theirs.get(key));
            }
        });
        return out;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new LmException("config: " + message);
        }
    }

    /**
     * Builds an {@link LmConfig}; starts at the CPU recipe, whose values are the field
     * initialisers below, one a line with the reason for it (docs/cpu-recipe.md has the runs).
     * {@link #build()} validates.
     */
    public static final class Builder {
        // ---- model shape (ModelShape) ----
        /** the only encoding that leaves the accuracy floor within an hour on 2 cores (cpu-recipe E1 vs E2) */
        private String encoding = "ego";
        /** the datasets' default: 5 of the 10 worlds are the spec, the rest held out (train takes it from the data) */
        private int specExamples = 5;
        /** programs in the data have at most 10 actions; 2 more let an overshooting model be scored wrong, not cut */
        private int maxActions = 12;
        /** 4 blocks of width 256 (3.8M parameters) train at ~680 samples/s on 2 cores: 5,000 steps in 25 minutes */
        private int nLayer = 4;
        /** see nLayer */
        private int dModel = 256;
        /** heads of width 64, as GPT-2's */
        private int nHead = 4;
        /** GPT-2's MLP width */
        private int mlpRatio = 4;
        /** one pass over 640,000 samples of 500,000 programs has no overfitting to fight (nanoGPT: 0 for pretraining) */
        private double dropout = 0.0;
        /** GPT-2 ties them; with 8 tokens the head costs nothing either way */
        private boolean tieEmbeddings = true;
        /** any fixed value: the same seed gives the same bytes */
        private long seed = 1;
        /** 0: a linear spec_proj, enough once the encoding turns each example (cpu-recipe E1); H > 0 adds an MLP front end (E9) */
        private int specHidden = 0;
        /** 0: spec_proj reads the canvas as it is; K > 0 puts a 3x3 convolution of K channels before it (E11) */
        private int specConv = 0;
        /** with specConv: the filters see the start facing at every cell (E11); false (E12) learns as well, so this keeps E11's runs readable */
        private boolean specConvFacing = true;

        // ---- data (Data) ----
        /** the cpu recipe's dataset has lengths 1-10 (reproduce generates it with --train-lengths 1-10): use them all */
        private String trainLengths = "all";
        /** short programs first lift the model off the floor within the first checkpoint (cpu-recipe E1) */
        private String curriculum = "1-3@0,1-6@0.1,1-10@0.25";
        /** fills 2 cores; 5,000 steps then see 640,000 samples, about one pass over the data */
        private int batchSize = 128;

        // ---- optimizer (Optimizer) ----
        /** nanoGPT's peak for small models (shakespeare-char), stable at 4 layers */
        private double lr = 1e-3;
        /** lr / 10, as nanoGPT (after Chinchilla) */
        private double minLr = 1e-4;
        /** 4% of the run: long enough for AdamW's second moments to settle */
        private int warmupSteps = 200;
        /** nanoGPT's decay */
        private String schedule = "cosine";
        /** GPT-3's and nanoGPT's */
        private double weightDecay = 0.1;
        /** the usual first-moment decay */
        private double beta1 = 0.9;
        /** nanoGPT's for small models and few tokens per step (shakespeare-char) */
        private double beta2 = 0.99;
        /** GPT-3's and nanoGPT's */
        private double gradClip = 1.0;

        // ---- run (Run) ----
        /** 89% test accuracy on lengths 1-10 in 25 minutes on 2 cores (cpu-recipe result) */
        private int steps = 5000;
        /** one per 125 steps resolves the training phases of Figure 2 in 40 files of 45 MB */
        private int checkpoints = 40;
        /** 100 rows in metrics.csv */
        private int logEvery = 50;
        /** 4 forward batches per row (about 2% of the training time) give a val loss to about 0.01 */
        private int valSamples = 512;

        // ---- hardware (Hardware) ----
        /** CUDA when present, else the CPU */
        private String device = "auto";
        /** one libtorch thread per core */
        private int numThreads = 0;
        /** true float32 products; "medium" (bf16 inputs) steps 1.42x faster on AMX CPUs, docs/performance.md */
        private String matmulPrecision = "highest";

        private Builder() {
        }

        public Builder optEncoding(String v) { return set("encoding", v); }
        public Builder optSpecExamples(int v) { specExamples = v; return this; }
        public Builder optMaxActions(int v) { maxActions = v; return this; }
        public Builder optNLayer(int v) { nLayer = v; return this; }
        public Builder optDModel(int v) { dModel = v; return this; }
        public Builder optNHead(int v) { nHead = v; return this; }
        public Builder optMlpRatio(int v) { mlpRatio = v; return this; }
        public Builder optDropout(double v) { dropout = v; return this; }
        public Builder optTieEmbeddings(boolean v) { tieEmbeddings = v; return this; }
        public Builder optSeed(long v) { seed = v; return this; }
        public Builder optSpecHidden(int v) { specHidden = v; return this; }
        public Builder optSpecConv(int v) { specConv = v; return this; }
        public Builder optSpecConvFacing(boolean v) { specConvFacing = v; return this; }
        public Builder optTrainLengths(String v) { trainLengths = v; return this; }
        public Builder optCurriculum(String v) { curriculum = v; return this; }
        public Builder optBatchSize(int v) { batchSize = v; return this; }
        public Builder optLr(double v) { lr = v; return this; }
        public Builder optMinLr(double v) { minLr = v; return this; }
        public Builder optWarmupSteps(int v) { warmupSteps = v; return this; }
        public Builder optSchedule(String v) { return set("schedule", v); }
        public Builder optWeightDecay(double v) { weightDecay = v; return this; }
        public Builder optBeta1(double v) { beta1 = v; return this; }
        public Builder optBeta2(double v) { beta2 = v; return this; }
        public Builder optGradClip(double v) { gradClip = v; return this; }
        public Builder optSteps(int v) { steps = v; return this; }
        public Builder optCheckpoints(int v) { checkpoints = v; return this; }
        public Builder optLogEvery(int v) { logEvery = v; return this; }
        public Builder optValSamples(int v) { valSamples = v; return this; }
        public Builder optDevice(String v) { return set("device", v); }
        public Builder optNumThreads(int v) { numThreads = v; return this; }
        public Builder optMatmulPrecision(String v) { return set("matmulPrecision", v); }

        /** Sets a key from its text form, with the type and choice checks of {@link LmConfig#with}. */
        public Builder set(String key, String value) {
            Object parsed = raw().with(key, value).values().get(key);
            try {
                Builder.class.getDeclaredField(key).set(this, parsed); // the fields are named as the keys
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Builder lacks the field of key " + key, e);
            }
            return this;
        }

        /** The config, {@link LmConfig#validate() validated}. */
        public LmConfig build() {
            return raw().validate();
        }

        private LmConfig raw() {
            return new LmConfig(
                    new ModelShape(encoding, specExamples, maxActions, nLayer, dModel, nHead, mlpRatio, dropout,
                            tieEmbeddings, seed, specHidden, specConv, specConvFacing),
                    new Data(trainLengths, curriculum, batchSize),
                    new Optimizer(lr, minLr, warmupSteps, schedule, weightDecay, beta1, beta2, gradClip),
                    new Run(steps, checkpoints, logEvery, valSamples),
                    new Hardware(device, numThreads, matmulPrecision));
        }
    }
}
