package org.karellab.lm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every model and training setting of a run, in one typed record (nanoGPT style). Start from a
 * named {@link #profile(String)} and override single keys with {@link #with(String, String)}
 * (the CLI's {@code --set key=value}). The JSON form ({@link #toJson()}) is printed at the start of
 * a run and saved in every checkpoint.
 *
 * @param encoding      how a specification reaches the model: "grid" (one feature vector per world),
 *                      "ego" (one feature vector per input/output pair, drawn around the robot's
 *                      start pose; see EgoEncoding) or "text" (the spec as tokens, as the
 *                      reference). Default "ego" (the CPU recipe).
 * @param featDim       features per spec position, 0 for text; set from the encoding. Default 2315.
 * @param vocabSize     token vocabulary size, at least {@link Tokens#FIRST_FREE}. Default 8.
 * @param contextLength maximum sequence length S+T, the size of the learned position table.
 *                      Set from the encoding. Default 18.
 * @param trainLengths  program lengths trained on, "lo-hi" or "all" (every length of the train
 *                      split). Default "all" (the CPU recipe trains on lengths 1-10).
 * @param curriculum    length curriculum, "none" or stages "RANGE@FRACTION,..." (see Curriculum).
 *                      Default "1-3@0,1-6@0.1,1-10@0.25".
 * @param maxActions    decoding cap on the actions of one program. Default 12.
 * @param nLayer        transformer blocks. Default 4.
 * @param dModel        residual stream width. Default 256.
 * @param nHead         attention heads (dModel must be a multiple). Default 4.
 * @param mlpRatio      MLP hidden width as a multiple of dModel. Default 4.
 * @param dropout       dropout on embeddings, attention weights and residual branches. Default 0.
 * @param tieEmbeddings LM head shares the token embedding table. Default true.
 * @param batchSize     samples per optimizer step. Default 128.
 * @param lr            peak learning rate, reached after warm-up. Default 1e-3.
 * @param minLr         learning rate at the last step. Default 1e-4.
 * @param warmupSteps   steps of linear warm-up from 0 to lr. Default 200.
 * @param steps         optimizer steps of the whole run. Default 5000.
 * @param weightDecay   decoupled AdamW weight decay (on matrices only, see {@link AdamW}).
 *                      Default 0.1.
 * @param beta1         AdamW first-moment decay. Default 0.9.
 * @param beta2         AdamW second-moment decay. Default 0.99.
 * @param gradClip      global gradient-norm clip, 0 for none. Default 1.0.
 * @param schedule      decay after warm-up: "cosine" or "linear" to minLr. Default "cosine".
 * @param checkpoints   checkpoints over the run, at regular intervals (plus the initial weights
 *                      at step 0). Default 40.
 * @param logEvery      steps between rows of metrics.csv. Default 50.
 * @param seed          seed of weight initialisation and dropout (data has its own). Default 1.
 * @param device        "auto" (the engine's default: CUDA when present), "cpu" or "gpu".
 *                      Default "auto".
 * @param numThreads    libtorch intra-op threads, 0 for one per core. Default 0.
 */
public record LmConfig(
        String encoding,
        int featDim,
        int vocabSize,
        int contextLength,
        String trainLengths,
        String curriculum,
        int maxActions,
        int nLayer,
        int dModel,
        int nHead,
        int mlpRatio,
        double dropout,
        boolean tieEmbeddings,
        int batchSize,
        double lr,
        double minLr,
        int warmupSteps,
        int steps,
        double weightDecay,
        double beta1,
        double beta2,
        double gradClip,
        String schedule,
        int checkpoints,
        int logEvery,
        long seed,
        String device,
        int numThreads) {

    /** Allowed values of the string keys that are choices. */
    private static final Map<String, List<String>> CHOICES = Map.of(
            "encoding", List.of("grid", "text", "ego"),
            "schedule", List.of("cosine", "linear"),
            "device", List.of("auto", "cpu", "gpu"));

    private static final RecordComponent[] COMPONENTS = LmConfig.class.getRecordComponents();
    private static final Constructor<LmConfig> CANONICAL = canonicalConstructor();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The default profile: a ~3.3M-parameter model on the grid encoding, sized for 2 CPU cores. */
    public static LmConfig cpu() {
        // the CPU recipe (docs/cpu-recipe.md): ego encoding, lengths 1-10 with a length curriculum
        return new LmConfig("ego", 2315, 8, 18, "all", "1-3@0,1-6@0.1,1-10@0.25", 12,
                4, 256, 4, 4, 0.0, true,
                128, 1e-3, 1e-4, 200, 5000, 0.1, 0.9, 0.99, 1.0, "cosine",
                40, 50, 1, "auto", 0);
    }

    /** Seconds-long runs for tests and CI: the cpu profile shrunk to 2 layers of width 32. */
    public static LmConfig smoke() {
        return cpu().with("nLayer", "2").with("dModel", "32").with("nHead", "2")
                .with("batchSize", "8").with("steps", "20").with("warmupSteps", "2")
                .with("checkpoints", "4").with("logEvery", "5");
    }

    /**
     * The reference's scale (CodeGen-350M shape, text encoding, its optimiser recipe), for GPU
     * users. Differences from the reference: learned absolute positions instead of rotary, and
     * our small vocabulary instead of CodeGen's 51k, hence about 250M parameters instead of 350M.
     */
    public static LmConfig paper() {
        return cpu().with("encoding", "text").with("featDim", "0").with("vocabSize", "64")
                .with("trainLengths", "6-10").with("curriculum", "none")
                .with("contextLength", "2048").with("nLayer", "20").with("dModel", "1024")
                .with("nHead", "16").with("tieEmbeddings", "false").with("batchSize", "16")
                .with("lr", "5e-6").with("minLr", "0").with("warmupSteps", "6000")
                .with("steps", "80000").with("weightDecay", "0").with("beta2", "0.999")
                .with("schedule", "linear").with("logEvery", "100");
    }

    public static List<String> profileNames() {
        return List.of("smoke", "cpu", "paper");
    }

    public static LmConfig profile(String name) {
        return switch (name) {
            case "smoke" -> smoke();
            case "cpu" -> cpu();
            case "paper" -> paper();
            default -> throw new LmException(
                    "unknown config profile '" + name + "' (known: " + String.join(", ", profileNames()) + ")");
        };
    }

    public static List<String> keys() {
        return Arrays.stream(COMPONENTS).map(RecordComponent::getName).toList();
    }

    /**
     * A copy with one key set from its text form (the CLI's {@code --set key=value}).
     *
     * @throws LmException for an unknown key, a value of the wrong type, or a value
     *                                  outside a key's choices
     */
    public LmConfig with(String key, String value) {
        Object[] args = new Object[COMPONENTS.length];
        boolean found = false;
        for (int i = 0; i < COMPONENTS.length; i++) {
            RecordComponent c = COMPONENTS[i];
            if (c.getName().equals(key)) {
                args[i] = parse(c, value.trim());
                found = true;
            } else {
                args[i] = get(c);
            }
        }
        if (!found) {
            throw new LmException(
                    "unknown config key '" + key + "' (known: " + String.join(", ", keys()) + ")");
        }
        try {
            return CANONICAL.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
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
     * Checks the relations between keys (which single-key overrides cannot, since they may pass
     * through inconsistent intermediate states) and returns this config.
     */
    public LmConfig validate() {
        require(nLayer > 0 && dModel > 0 && nHead > 0 && mlpRatio > 0, "nLayer, dModel, nHead and mlpRatio must be positive");
        require(dModel % nHead == 0, "dModel " + dModel + " is not a multiple of nHead " + nHead);
        require(vocabSize >= Tokens.FIRST_FREE, "vocabSize " + vocabSize + " is below " + Tokens.FIRST_FREE);
        require(encoding.equals("text") == (featDim == 0), "encoding " + encoding + " with featDim " + featDim
                + " (text needs featDim = 0, the others featDim > 0)");
        require(contextLength > 1 && maxActions > 0, "contextLength and maxActions must be positive");
        require(dropout >= 0 && dropout < 1, "dropout " + dropout + " is not in [0, 1)");
        require(batchSize > 0 && steps > 0 && logEvery > 0 && checkpoints > 0,
                "batchSize, steps, logEvery and checkpoints must be positive");
        require(warmupSteps >= 0 && warmupSteps <= steps, "warmupSteps " + warmupSteps + " is not in [0, steps]");
        require(lr > 0 && minLr >= 0 && minLr <= lr, "need 0 <= minLr <= lr and lr > 0");
        require(weightDecay >= 0 && gradClip >= 0, "weightDecay and gradClip must be >= 0");
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "beta1 and beta2 must be in [0, 1)");
        require(numThreads >= 0, "numThreads must be >= 0");
        return this;
    }

    /** Number of trainable parameters of the {@link Gpt} this config builds. */
    public long parameterCount() {
        long d = dModel;
        long hidden = (long) mlpRatio * d;
        long block = 2 * d                       // ln1
                + d * 3 * d + 3 * d              // attn.qkv
                + d * d + d                      // attn.proj
                + 2 * d                          // ln2
                + d * hidden + hidden            // mlp.fc
                + hidden * d + d;                // mlp.proj
        long spec = featDim > 0 ? (long) featDim * d + d : 0;
        long head = tieEmbeddings ? 0 : vocabSize * d;
        return spec + vocabSize * d + contextLength * d + nLayer * block + 2 * d + head;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads {@link #toJson()}'s form. Keys missing from the JSON keep the cpu profile's values (so
     * checkpoints written before a key existed still load); unknown keys are an error.
     */
    public static LmConfig fromJson(String json) {
        Map<String, Object> map;
        try {
            map = JSON.readValue(json, JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
        } catch (JsonProcessingException e) {
            throw new LmException("config JSON is malformed: " + e.getOriginalMessage());
        }
        LmConfig c = cpu();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            c = c.with(e.getKey(), String.valueOf(e.getValue()));
        }
        return c.validate();
    }

    /** The keys whose values differ from {@code other}'s, as "key: this -> other". */
    public List<String> differences(LmConfig other) {
        return Arrays.stream(COMPONENTS)
                .filter(c -> !get(c).equals(other.get(c)))
                .map(c -> c.getName() + ": " + get(c) + " -> " + other.get(c))
                .collect(Collectors.toList());
    }

    private static Constructor<LmConfig> canonicalConstructor() {
        try {
            return LmConfig.class.getDeclaredConstructor(
                    Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object get(RecordComponent c) {
        try {
            return c.getAccessor().invoke(this);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(RecordComponent c, String v) {
        String key = c.getName();
        Class<?> type = c.getType();
        try {
            if (type == int.class) {
                return Integer.parseInt(v);
            } else if (type == long.class) {
                return Long.parseLong(v);
            } else if (type == double.class) {
                double d = Double.parseDouble(v);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            }
        } catch (NumberFormatException e) {
            throw new LmException("config key '" + key + "' wants "
                    + (type == double.class ? "a number" : "an integer") + ", got '" + v + "'");
        }
        if (type == boolean.class) {
            if (!v.equals("true") && !v.equals("false")) {
                throw new LmException("config key '" + key + "' wants true or false, got '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }
        List<String> choices = CHOICES.get(key);
        if (choices != null && !choices.contains(v)) {
            throw new LmException("config key '" + key + "' wants one of "
                    + String.join("|", choices) + ", got '" + v + "'");
        }
        return v;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new LmException("config: " + message);
        }
    }
}
