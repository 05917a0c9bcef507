package org.karellab.lm;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A decoder-only transformer (GPT-2 shape with pre-LayerNorm blocks) on DJL's PyTorch engine.
 *
 * <p>The sequence of one sample is {@code [S spec positions | T token positions]}:
 * <pre>
 *   x = concat(spec_proj(features), tok_emb(tokens)) + pos_emb(0..S+T-1)   // (B, S+T, C)
 *   for each block i:
 *       x = x + attn_i(ln1_i(x))     // causal multi-head self-attention
 *       x = x + mlp_i(ln2_i(x))      // Linear(C, mlpRatio*C), GELU, Linear(mlpRatio*C, C)
 *   logits = lm_head(ln_f(x)[:, S:, :])                                       // (B, T, V)
 * </pre>
 * {@code spec_proj} is absent when {@code featDim == 0} (text encoding); {@code lm_head} shares
 * {@code tok_emb.weight} when {@code tieEmbeddings}.
 *
 * <p>Hidden states ({@link #forward} with {@code keepHidden}), TransformerLens style, each
 * {@code (B, S+T, dModel)}, in this order (see {@link #hiddenNames(int)}):
 * <ul>
 *   <li>{@code embed}: embeddings plus positions, before dropout;</li>
 *   <li>{@code blocks.{i}.resid_post}: the residual stream after block {@code i};</li>
 *   <li>{@code final}: after the final LayerNorm.</li>
 * </ul>
 *
 * <p>Parameters, in their fixed order ({@link #parameters()}): {@code spec_proj.weight (C, F)},
 * {@code spec_proj.bias}, {@code tok_emb.weight (V, C)}, {@code pos_emb.weight (contextLength, C)},
 * then per block {@code blocks.{i}.ln1.weight/bias}, {@code attn.qkv.weight (3C, C)/bias},
 * {@code attn.proj.weight (C, C)/bias}, {@code ln2.weight/bias}, {@code mlp.fc.weight (mC, C)/bias},
 * {@code mlp.proj.weight (C, mC)/bias}, then {@code ln_f.weight/bias} and, when untied,
 * {@code lm_head.weight (V, C)}. Linear weights are (out, in) as in PyTorch.
 *
 * <p>Initialisation (nanoGPT): weights and embeddings normal(0, 0.02), the two residual
 * projections ({@code attn.proj}, {@code mlp.proj}) normal(0, 0.02/sqrt(2 nLayer)), biases 0,
 * LayerNorm gains 1. The values are drawn on the CPU from {@code config.seed}, so they are the same
 * whatever device the model then moves to.
 */
public final class Gpt implements AutoCloseable {
    private static final float LN_EPS = 1e-5f;
    private static final double INIT_STD = 0.02;

    private final LmConfig cfg;
    private final Device device;
    private final NDManager manager;
    private final Map<String, NDArray> params;

    /** How a parameter starts: zeros, ones, normal(0, 0.02), or the scaled residual normal. */
    public enum Init { ZERO, ONE, NORMAL, RESIDUAL }

    /** Name, shape and initialisation of one parameter. */
    public record ParamSpec(String name, Shape shape, Init init) {
    }

    private Gpt(LmConfig cfg, Device device, NDList weights) {
        this.cfg = cfg.validate();
        this.device = device;
        this.manager = NDManager.newBaseManager(device);
        Map<String, NDArray> p = new LinkedHashMap<>();
        try (NDManager cpu = NDManager.newBaseManager(Device.cpu())) {
            if (weights == null) {
                Engine.getInstance().setRandomSeed(Long.hashCode(cfg.seed()));
            }
            for (ParamSpec spec : layout(cfg)) {
                NDArray value = weights == null ? initial(cpu, spec, cfg.nLayer()) : given(weights, spec);
                NDArray onDevice = value.toDevice(device, false);
                onDevice.attach(manager);
                onDevice.setName(spec.name());
                onDevice.setRequiresGradient(true);
                p.put(spec.name(), onDevice);
            }
        }
        this.params = Collections.unmodifiableMap(p);
    }

    /** A freshly initialised model (deterministic in {@code cfg.seed}). */
    public static Gpt create(LmConfig cfg, Device device) {
        return new Gpt(cfg, device, null);
    }

    /**
     * A model with the given weights (named as in {@link #parameters()}); arrays already on
     * {@code device} are adopted, not copied.
     */
    public static Gpt create(LmConfig cfg, Device device, NDList weights) {
        return new Gpt(cfg, device, weights);
    }

    /** The parameters a config builds, in their fixed order. */
    public static List<ParamSpec> layout(LmConfig cfg) {
        long c = cfg.dModel();
        long hidden = (long) cfg.mlpRatio() * c;
        List<ParamSpec> l = new ArrayList<>();
        if (cfg.featDim() > 0) {
            l.add(new ParamSpec("spec_proj.weight", new Shape(c, cfg.featDim()), Init.NORMAL));
            l.add(new ParamSpec("spec_proj.bias", new Shape(c), Init.ZERO));
        }
        l.add(new ParamSpec("tok_emb.weight", new Shape(cfg.vocabSize(), c), Init.NORMAL));
        l.add(new ParamSpec("pos_emb.weight", new Shape(cfg.contextLength(), c), Init.NORMAL));
        for (int i = 0; i < cfg.nLayer(); i++) {
            String b = "blocks." + i + ".";
            l.add(new ParamSpec(b + "ln1.weight", new Shape(c), Init.ONE));
            l.add(new ParamSpec(b + "ln1.bias", new Shape(c), Init.ZERO));
            l.add(new ParamSpec(b + "attn.qkv.weight", new Shape(3 * c, c), Init.NORMAL));
            l.add(new ParamSpec(b + "attn.qkv.bias", new Shape(3 * c), Init.ZERO));
            l.add(new ParamSpec(b + "attn.proj.weight", new Shape(c, c), Init.RESIDUAL));
            l.add(new ParamSpec(b + "attn.proj.bias", new Shape(c), Init.ZERO));
            l.add(new ParamSpec(b + "ln2.weight", new Shape(c), Init.ONE));
            l.add(new ParamSpec(b + "ln2.bias", new Shape(c), Init.ZERO));
            l.add(new ParamSpec(b + "mlp.fc.weight", new Shape(hidden, c), Init.NORMAL));
            l.add(new ParamSpec(b + "mlp.fc.bias", new Shape(hidden), Init.ZERO));
            l.add(new ParamSpec(b + "mlp.proj.weight", new Shape(c, hidden), Init.RESIDUAL));
            l.add(new ParamSpec(b + "mlp.proj.bias", new Shape(c), Init.ZERO));
        }
        l.add(new ParamSpec("ln_f.weight", new Shape(c), Init.ONE));
        l.add(new ParamSpec("ln_f.bias", new Shape(c), Init.ZERO));
        if (!cfg.tieEmbeddings()) {
            l.add(new ParamSpec("lm_head.weight", new Shape(cfg.vocabSize(), c), Init.NORMAL));
        }
        return l;
    }

    /** Names of the hidden states, in order: embed, blocks.{i}.resid_post, final. */
    public static List<String> hiddenNames(int nLayer) {
        List<String> names = new ArrayList<>();
        names.add("embed");
        for (int i = 0; i < nLayer; i++) {
            names.add("blocks." + i + ".resid_post");
        }
        names.add("final");
        return names;
    }

    /**
     * Logits at the token positions and, if asked, every hidden state.
     *
     * @param logits (B, T, V)
     * @param hidden name to (B, S+T, C), in {@link #hiddenNames(int)} order; empty unless asked
     */
    public record Output(NDArray logits, Map<String, NDArray> hidden) {
    }

    /**
     * Runs the model on a batch. Every array created lives in {@code m}, which must be on this
     * model's device: use {@link #newScope()} and close it after the step.
     *
     * @param training   applies dropout
     * @param keepHidden fills {@link Output#hidden()}
     */
    public Output forward(NDManager m, Batch b, boolean training, boolean keepHidden) {
        int batch = b.size();
        int s = b.specLen();
        int seq = b.seqLen();
        if (seq > cfg.contextLength()) {
            throw new LmException("sequence of " + seq + " positions exceeds contextLength " + cfg.contextLength());
        }
        if (b.featDim() != cfg.featDim() && s > 0) {
            throw new LmException("batch has featDim " + b.featDim() + " but the model expects " + cfg.featDim());
        }
        Map<String, NDArray> hidden = new LinkedHashMap<>();

        NDArray tokens = m.create(toLongs(b.tokens()), new Shape(batch, b.tokLen()));
        NDArray x = embedding(tokens, "tok_emb.weight");                          // (B, T, C)
        if (s > 0) {
            x = specProjection(m, b).concat(x, 1);                                  // (B, S+T, C)
        }
        x = x.add(embedding(m.arange(0, seq, 1, DataType.INT64), "pos_emb.weight")); // (B, L, C), L = S+T
        keep(hidden, keepHidden, "embed", x);
        x = dropout(x, training);

        NDArray causal = causalMask(m, seq);                                        // (L, L)
        for (int i = 0; i < cfg.nLayer(); i++) {
            String p = "blocks." + i + ".";
            x = x.add(attention(layerNorm(x, p + "ln1"), p, causal, training));    // (B, L, C)
            x = x.add(mlp(layerNorm(x, p + "ln2"), p, training));                  // (B, L, C)
            keep(hidden, keepHidden, p + "resid_post", x);
        }
        x = layerNorm(x, "ln_f");
        keep(hidden, keepHidden, "final", x);

        NDArray atTokens = s > 0 ? x.get(new NDIndex(":, {}:, :", s)) : x;         // (B, T, C)
        NDArray logits = Linear.linear(atTokens, lmHead()).singletonOrThrow();     // (B, T, V)
        return new Output(logits, hidden);
    }

    /**
     * Log-probability of each target token, 0 where the target is {@link Batch#NO_TARGET}.
     *
     * @param logits (B, T, V) from {@link #forward}
     * @return (B, T)
     */
    public NDArray targetLogProbs(NDArray logits, Batch b) {
        NDManager m = logits.getManager();
        long[] index = new long[b.targets().length];
        float[] mask = new float[index.length];
        for (int i = 0; i < index.length; i++) {
            boolean scored = b.targets()[i] != Batch.NO_TARGET;
            index[i] = scored ? b.targets()[i] : 0;
            mask[i] = scored ? 1f : 0f;
        }
        Shape bt = new Shape(b.size(), b.tokLen());
        NDArray logProbs = logits.logSoftmax(-1);                                    // (B, T, V)
        NDArray picked = logProbs.gather(m.create(index, new Shape(b.size(), b.tokLen(), 1)), 2); // (B, T, 1)
        return picked.reshape(bt).mul(m.create(mask, bt));                          // (B, T)
    }

    /** Mean cross-entropy over the positions that have a target: a scalar. */
    public NDArray loss(NDManager m, Batch b, boolean training) {
        int count = b.targetCount();
        if (count == 0) {
            throw new LmException("batch has no target tokens");
        }
        NDArray logits = forward(m, b, training, false).logits();
        return targetLogProbs(logits, b).sum().div(-count);
    }

    // ---- the spec projection ----

    /**
     * How {@link #specProjection} computes {@code spec_proj}: the same function of the same
     * parameters either way (equal to float rounding), only the speed differs. See
     * docs/performance.md for measurements.
     */
    public enum SpecInput {
        /** the (B, S, F) floats copied from the host, times the weight: one dense product */
        DENSE,
        /**
         * the default: only the indices of the ones ({@link Batch#activeFeatures()}) go to the
         * device, which scatters them into the 0/1 matrix for the same dense product (DENSE when
         * the features are not all 0/1)
         */
        ACTIVE,
        /**
         * the sum of the weight columns of the active features plus the bias, like an embedding
         * bag: ten times fewer FLOPs, but without a fused embedding-bag kernel in DJL it gathers
         * a (B*S, K, C) array first and is slower on the CPU (DENSE when not all 0/1)
         */
        GATHER
    }

    private volatile SpecInput specInput = SpecInput.ACTIVE;

    /** Chooses how spec features enter (default {@link SpecInput#ACTIVE}): for tests and {@code bench}. */
    public Gpt specInput(SpecInput how) {
        this.specInput = how;
        return this;
    }

    public SpecInput specInput() {
        return specInput;
    }

    /**
     * {@code spec_proj} of the batch's spec features, {@code x W^T + b}: (B, S, F) -> (B, S, C),
     * computed as {@link #specInput()} says. Arrays go to {@code m}.
     */
    public NDArray specProjection(NDManager m, Batch b) {
        int batch = b.size();
        int s = b.specLen();
        Shape bsf = new Shape(batch, s, b.featDim());
        Optional<Batch.ActiveFeatures> ones = specInput == SpecInput.DENSE ? Optional.empty() : b.activeFeatures();
        if (ones.isEmpty()) {
            return linear(m.create(b.spec(), bsf), "spec_proj");                    // (B, S, C)
        }
        Batch.ActiveFeatures a = ones.get();
        int[] off = a.offsets();
        int[] idx = a.indices();
        int positions = batch * s;
        long f = b.featDim();
        if (specInput == SpecInput.GATHER) {
            int k = Math.max(1, a.maxPerPosition());
            long[] padded = new long[positions * k];                                 // (B*S, K)
            Arrays.fill(padded, f);                                                 // row F of the table is 0
            for (int p = 0; p < positions; p++) {
                for (int j = off[p]; j < off[p + 1]; j++) {
                    padded[p * k + j - off[p]] = idx[j];
                }
            }
            NDArray table = param("spec_proj.weight").transpose()                   // (F, C)
                    .concat(m.zeros(new Shape(1, cfg.dModel())), 0);                // (F+1, C)
            NDArray rows = Embedding.embedding(m.create(padded, new Shape(positions, k)), table,
                    SparseFormat.DENSE).singletonOrThrow();                         // (B*S, K, C)
            return rows.sum(new int[] {1}).add(param("spec_proj.bias"))             // (B*S, C)
                    .reshape(batch, s, cfg.dModel());                               // (B, S, C)
        }
        long[] flat = new long[idx.length];                                        // p * F + feature
        for (int p = 0; p < positions; p++) {
            for (int j = off[p]; j < off[p + 1]; j++) {
                flat[j] = p * f + idx[j];
            }
        }
        NDArray x = m.zeros(new Shape(positions * f));
        x.set(m.create(flat), 1f);                                                  // scatter the ones
        return linear(x.reshape(bsf), "spec_proj");                                 // (B, S, C)
    }

    // ---- the blocks ----

    /** Causal multi-head self-attention: (B, L, C) -> (B, L, C). */
    private NDArray attention(NDArray x, String p, NDArray causal, boolean training) {
        long batch = x.getShape().get(0);
        long seq = x.getShape().get(1);
        int c = cfg.dModel();
        int nHead = cfg.nHead();
        NDList qkv = linear(x, p + "attn.qkv").split(3, 2);                        // 3 x (B, L, C)
        NDArray q = splitHeads(qkv.get(0));                                         // (B, H, L, hd)
        NDArray k = splitHeads(qkv.get(1));                                         // (B, H, L, hd)
        NDArray v = splitHeads(qkv.get(2));                                         // (B, H, L, hd)
        NDArray att = q.matMul(k.transpose(0, 1, 3, 2))                              // (B, H, L, L)
                .mul(1.0 / Math.sqrt((double) c / nHead))
                .add(causal)
                .softmax(-1);
        att = dropout(att, training);
        NDArray y = att.matMul(v)                                                   // (B, H, L, hd)
                .transpose(0, 2, 1, 3)                                              // (B, L, H, hd)
                .reshape(batch, seq, c);                                            // (B, L, C)
        return dropout(linear(y, p + "attn.proj"), training);
    }

    /** (B, L, C) -> (B, H, L, C/H). */
    private NDArray splitHeads(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), cfg.nHead(), cfg.dModel() / cfg.nHead()).transpose(0, 2, 1, 3);
    }

    /** GELU MLP: (B, L, C) -> (B, L, mlpRatio*C) -> (B, L, C). */
    private NDArray mlp(NDArray x, String p, boolean training) {
        NDArray h = Activation.gelu(linear(x, p + "mlp.fc"));
        return dropout(linear(h, p + "mlp.proj"), training);
    }

    /** (L, L) additive mask: 0 where query i may attend key j (j <= i), -inf where j is later. */
    private static NDArray causalMask(NDManager m, int seq) {
        Shape square = new Shape(seq, seq);
        NDArray pos = m.arange(0, seq, 1, DataType.INT32);
        NDArray later = pos.expandDims(0).gt(pos.expandDims(1));                    // (L, L): j > i
        return NDArrays.where(later, m.full(square, Float.NEGATIVE_INFINITY), m.zeros(square));
    }

    private NDArray linear(NDArray x, String name) {
        return Linear.linear(x, param(name + ".weight"), param(name + ".bias")).singletonOrThrow();
    }

    private NDArray layerNorm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(cfg.dModel()), param(name + ".weight"), param(name + ".bias"), LN_EPS)
                .singletonOrThrow();
    }

    private NDArray embedding(NDArray indices, String name) {
        return Embedding.embedding(indices, param(name), SparseFormat.DENSE).singletonOrThrow();
    }

    private NDArray dropout(NDArray x, boolean training) {
        return training && cfg.dropout() > 0
                ? Dropout.dropout(x, (float) cfg.dropout(), true).singletonOrThrow()
                : x;
    }

    private NDArray lmHead() {
        return param(cfg.tieEmbeddings() ? "tok_emb.weight" : "lm_head.weight");
    }

    private static void keep(Map<String, NDArray> hidden, boolean keepHidden, String name, NDArray x) {
        if (keepHidden) {
            hidden.put(name, x);
        }
    }

    // ---- parameters ----

    private static NDArray initial(NDManager cpu, ParamSpec spec, int nLayer) {
        double residualStd = INIT_STD / Math.sqrt(2.0 * nLayer);
        return switch (spec.init()) {
            case ZERO -> cpu.zeros(spec.shape());
            case ONE -> cpu.ones(spec.shape());
            case NORMAL -> cpu.randomNormal(0f, (float) INIT_STD, spec.shape(), DataType.FLOAT32);
            case RESIDUAL -> cpu.randomNormal(0f, (float) residualStd, spec.shape(), DataType.FLOAT32);
        };
    }

    private static NDArray given(NDList weights, ParamSpec spec) {
        NDArray w = weights.get(spec.name());
        if (w == null) {
            throw new LmException("weights lack parameter " + spec.name());
        }
        if (!w.getShape().equals(spec.shape()) || w.getDataType() != DataType.FLOAT32) {
            throw new LmException("parameter " + spec.name() + " is " + w.getDataType() + w.getShape()
                    + ", the config wants float32" + spec.shape());
        }
        return w;
    }

    public NDArray param(String name) {
        NDArray p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return p;
    }

    /** Every parameter by name, in the fixed order of {@link #layout(LmConfig)}. */
    public Map<String, NDArray> parameters() {
        return params;
    }

    public long parameterCount() {
        return params.values().stream().mapToLong(NDArray::size).sum();
    }

    /** SHA-256 over every parameter's name and float32 values, in the fixed order: lowercase hex. */
    public String weightsSha256() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                digest.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update(e.getValue().toByteArray());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A scratch manager on the model's device for one step's arrays; close it after the step. */
    public NDManager newScope() {
        return manager.newSubManager();
    }

    public NDManager manager() {
        return manager;
    }

    public LmConfig config() {
        return cfg;
    }

    public Device device() {
        return device;
    }

    @Override
    public void close() {
        manager.close();
    }

    private static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
