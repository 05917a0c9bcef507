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
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 * {@code spec_proj} is absent when {@code featDim == 0} (text encoding); with {@code specHidden} H > 0 it
 * is a per-position MLP, {@code spec_mlp(GELU(spec_proj(features)))}; with {@code specConv} K > 0 a
 * canvas encoding's features pass a 3x3 convolution first, {@code spec_proj(GELU(spec_conv(canvas)),
 * pose)} (see {@link ModelShape}); {@code lm_head} shares
 * {@code tok_emb.weight} when {@code tieEmbeddings}.
 *
 * <p>Hidden states, named as in TransformerLens, each {@code (B, L, dModel)} where {@code L} is the
 * positions of the pass ({@code S+T}; with a {@link KvCache}, only the positions of this call), in
 * this order (see {@link #hiddenNames(int)}):
 * <ul>
 *   <li>{@code blocks.{i}.resid_pre}: the residual stream entering block {@code i};
 *       {@code blocks.0.resid_pre} is the embedding sum ({@code spec_proj} or {@code tok_emb}, plus
 *       {@code pos_emb}), before dropout; {@code blocks.{i+1}.resid_pre} is {@code blocks.{i}.resid_post};</li>
 *   <li>{@code blocks.{i}.resid_mid}: after block {@code i}'s attention, before its MLP;</li>
 *   <li>{@code blocks.{i}.resid_post}: after block {@code i}'s MLP;</li>
 *   <li>{@code ln_final.normalized}: after the final LayerNorm ({@code ln_f}, gain and bias
 *       applied), what {@code lm_head} reads.</li>
 * </ul>
 * A {@link HiddenFilter} says which a pass keeps ({@link Output#hidden()}); {@link Edit}s change
 * them where they are produced, so every later layer and position sees the edit (activation
 * patching, steering).
 *
 * <p>Incremental decoding: {@link #newCache()} holds each block's keys and values; each
 * {@link #forward(NDManager, KvCache, Batch, HiddenFilter, List)} runs only the new positions
 * (the spec and prompt once, then one position per step) and attends to the cached ones. It gives
 * the same logits and hidden states as the full pass (to float rounding).
 *
 * <p>Parameters, in their fixed order ({@link #parameters()}): with {@code specConv} K,
 * {@code spec_conv.weight (K, blocks*channels+4, 3, 3)} (without the 4 when {@code specConvFacing}
 * is false) and {@code spec_conv.bias (K)} (and {@code spec_proj} reads K*side*side+16 instead
 * of F); {@code spec_proj.weight (C, F)},
 * {@code spec_proj.bias} (with {@code specHidden} H: (H, F), (H), then {@code spec_mlp.weight (C, H)},
 * {@code spec_mlp.bias}), {@code tok_emb.weight (V, C)}, {@code pos_emb.weight (contextLength, C)},
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

    private final ModelShape cfg;
    private final Device device;
    private final NDManager manager;
    private final Map<String, NDArray> params;

    /** How a parameter starts: zeros, ones, normal(0, 0.02), or the scaled residual normal. */
    public enum Init { ZERO, ONE, NORMAL, RESIDUAL }

    /** Name, shape and initialisation of one parameter. */
    public record ParamSpec(String name, Shape shape, Init init) {
    }

    private Gpt(ModelShape cfg, Device device, NDList weights) {
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
    public static Gpt create(ModelShape cfg, Device device) {
        return new Gpt(cfg, device, null);
    }

    /**
     * A model with the given weights (named as in {@link #parameters()}); arrays already on
     * {@code device} are adopted, not copied.
     */
    public static Gpt create(ModelShape cfg, Device device, NDList weights) {
        return new Gpt(cfg, device, weights);
    }

    /** The parameters a config builds, in their fixed order. */
    public static List<ParamSpec> layout(ModelShape cfg) {
        long c = cfg.dModel();
        long hidden = (long) cfg.mlpRatio() * c;
        List<ParamSpec> l = new ArrayList<>();
        if (cfg.featDim() > 0) {
            long h = cfg.specHidden() > 0 ? cfg.specHidden() : c;
            if (cfg.specConv() > 0) {
                int k = cfg.specConv();
                l.add(new ParamSpec("spec_conv.weight", new Shape(k, cfg.specConvChannels(), 3, 3), Init.NORMAL));
                l.add(new ParamSpec("spec_conv.bias", new Shape(k), Init.ZERO));
            }
            l.add(new ParamSpec("spec_proj.weight", new Shape(h, cfg.specInputWidth()), Init.NORMAL));
            l.add(new ParamSpec("spec_proj.bias", new Shape(h), Init.ZERO));
            if (cfg.specHidden() > 0) {
                l.add(new ParamSpec("spec_mlp.weight", new Shape(c, h), Init.NORMAL));
                l.add(new ParamSpec("spec_mlp.bias", new Shape(c), Init.ZERO));
            }
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

    /** The embedding sum entering block 0 (TransformerLens' {@code blocks.0.hook_resid_pre}). */
    public static final String EMBED = "blocks.0.resid_pre";
    /** The output of the final LayerNorm. */
    public static final String LN_FINAL = "ln_final.normalized";

    /**
     * Names of the hidden states, in order: for each block {@code i}, {@code blocks.{i}.resid_pre},
     * {@code blocks.{i}.resid_mid}, {@code blocks.{i}.resid_post}; then {@code ln_final.normalized}.
     */
    public static List<String> hiddenNames(int nLayer) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nLayer; i++) {
            names.add("blocks." + i + ".resid_pre");
            names.add("blocks." + i + ".resid_mid");
            names.add("blocks." + i + ".resid_post");
        }
        names.add(LN_FINAL);
        return names;
    }

    /**
     * Logits at the token positions and the hidden states kept.
     *
     * @param logits (B, T, V): T the token positions of the pass
     * @param hidden name to (B, L, C), L the positions of the pass, in {@link #hiddenNames(int)}
     *               order; only the names the pass's {@link HiddenFilter} keeps
     */
    public record Output(NDArray logits, Map<String, NDArray> hidden) {
    }

    /**
     * Runs the model on a batch. Every array created lives in {@code m}, which must be on this
     * model's device: use {@link #newScope()} and close it after the step.
     *
     * @param training applies dropout
     * @param keep     the hidden states to return in {@link Output#hidden()}
     */
    public Output forward(NDManager m, Batch b, boolean training, HiddenFilter keep) {
        return run(m, b, training, keep, List.of(), null);
    }

    /**
     * Runs the model on a batch with {@code edits} applied to its hidden states (see {@link Edit}).
     *
     * @throws LmException when an edit names an unknown state, has another width than dModel, a
     *     position at or past contextLength, or per-row values for another batch size
     */
    public Output forward(NDManager m, Batch b, boolean training, HiddenFilter keep, List<Edit> edits) {
        return run(m, b, training, keep, edits, null);
    }

    /**
     * Incremental inference: runs the positions of {@code b} after the {@link KvCache#length()}
     * positions already in {@code cache}, attending to them, and appends their keys and values. The
     * first call on a fresh cache carries the spec positions (if any) and the first tokens; later
     * calls carry tokens only ({@code specLen} 0), one row per row still in the cache (see
     * {@link KvCache#keepRows(int...)}). Logits and hidden states cover only the new positions;
     * edit positions count from the start of the sequence, as in the full pass. No dropout.
     */
    public Output forward(NDManager m, KvCache cache, Batch b, HiddenFilter keep, List<Edit> edits) {
        if (cache.owner != this) {
            throw new IllegalArgumentException("cache was made by another model");
        }
        if (cache.rows == null) {
            cache.rows = new int[b.size()];
            Arrays.setAll(cache.rows, r -> r);
            cache.firstBatch = b.size();
        } else {
            if (b.specLen() > 0) {
                throw new LmException("spec positions must come in the first pass of a cache, not at position "
                        + cache.length);
            }
            if (b.size() != cache.rows.length) {
                throw new LmException("batch of " + b.size() + " rows, the cache holds " + cache.rows.length);
            }
        }
        return run(m, b, false, keep, edits, cache);
    }

    private Output run(NDManager m, Batch b, boolean training, HiddenFilter keep, List<Edit> edits, KvCache cache) {
        int batch = b.size();
        int s = b.specLen();
        int start = cache == null ? 0 : cache.length;                              // position of the first one here
        int seq = b.seqLen();
        if (start + seq > cfg.contextLength()) {
            throw new LmException("sequence of " + (start + seq) + " positions exceeds contextLength "
                    + cfg.contextLength());
        }
        if (b.featDim() != cfg.featDim() && s > 0) {
            throw new LmException("batch has featDim " + b.featDim() + " but the model expects " + cfg.featDim());
        }
        Hooks hooks = new Hooks(m, keep, edits, start, cache == null ? null : cache.rows,
                cache == null ? batch : cache.firstBatch);

        NDArray tokens = m.create(toLongs(b.tokens()), new Shape(batch, b.tokLen()));
        NDArray x = embedding(tokens, "tok_emb.weight");                          // (B, T, C)
        if (s > 0) {
            x = specProjection(m, b).concat(x, 1);                                  // (B, S+T, C)
        }
        x = x.add(embedding(m.arange(start, start + seq, 1, DataType.INT64), "pos_emb.weight")); // (B, L, C)
        x = hooks.at(EMBED, x);
        x = dropout(x, training);

        NDArray causal = seq == 1 ? null : causalMask(m, start, seq);               // (L, start+L); none for one query
        for (int i = 0; i < cfg.nLayer(); i++) {
            String p = "blocks." + i + ".";
            if (i > 0) {
                x = hooks.at(p + "resid_pre", x);
            }
            x = x.add(attention(m, layerNorm(x, p + "ln1"), i, causal, training, cache)); // (B, L, C)
            x = hooks.at(p + "resid_mid", x);
            x = x.add(mlp(layerNorm(x, p + "ln2"), p, training));                  // (B, L, C)
            x = hooks.at(p + "resid_post", x);
        }
        x = layerNorm(x, "ln_f");
        x = hooks.at(LN_FINAL, x);
        if (cache != null) {
            cache.length += seq;
        }

        NDArray atTokens = s > 0 ? x.get(new NDIndex(":, {}:, :", s)) : x;         // (B, T, C)
        NDArray logits = Linear.linear(atTokens, lmHead()).singletonOrThrow();     // (B, T, V)
        return new Output(logits, hooks.hidden);
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
        NDArray logits = forward(m, b, training, HiddenFilter.none()).logits();
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
     * The spec positions' embeddings: {@code spec_proj} of the batch's spec features,
     * {@code x W^T + b}, (B, S, F) -> (B, S, C), computed as {@link #specInput()} says; with
     * {@code specHidden} H > 0, {@code spec_proj} goes to (B, S, H) and the front end goes on,
     * {@code spec_mlp(GELU(.))} -> (B, S, C). Arrays go to {@code m}.
     */
    public NDArray specProjection(NDManager m, Batch b) {
        NDArray h = cfg.specConv() > 0
                ? linear(specConv(m, b), "spec_proj")                               // (B, S, H or C)
                : specLinear(m, b);                                                 // (B, S, H or C)
        if (cfg.specHidden() == 0) {
            return h;
        }
        return linear(Activation.gelu(h), "spec_mlp");                              // (B, S, C)
    }

    /**
     * The convolutional front end ({@code specConv} K > 0): each position's canvas as an image,
     * the start facing's one-hot broadcast to 4 more channels (unless {@code specConvFacing} is
     * false), a 3x3 convolution, GELU; returns (B, S, K*side*side + extra), the convolution's
     * outputs channel-major followed by the position's extra features. The padding
     * is zero in every channel, the wall channel too: a tap beyond the canvas reads "nothing", not
     * "wall" (on {@code ego}/{@code north} every cell beyond the 11x11 canvas is off the grid, and on
     * {@code abs} the ring around the interior is the wall; the canvas's own cells say so).
     */
    NDArray specConv(NDManager m, Batch b) {
        CanvasShape c = cfg.canvas();
        int batch = b.size();
        int s = b.specLen();
        long n = (long) batch * s;                                                  // N = B*S
        int side = c.side();
        NDArray x = specFeatures(m, b).reshape(n, b.featDim());                      // (N, F)
        NDArray canvas = x.get(new NDIndex(":, :{}", c.canvasFeatures()))
                .reshape(n, c.blocks(), side, side, c.channels())                   // (N, blocks, H, W, ch)
                .transpose(0, 1, 4, 2, 3)                                           // (N, blocks, ch, H, W)
                .reshape(n, (long) c.blocks() * c.channels(), side, side);          // (N, blocks*ch, H, W)
        NDArray extra = x.get(new NDIndex(":, {}:", c.canvasFeatures()));             // (N, extra)
        NDArray image = canvas;                                                     // (N, blocks*ch, H, W)
        if (cfg.specConvFacing()) {
            int f = CanvasShape.FACINGS;
            NDArray facing = extra.get(new NDIndex(":, :{}", f)).reshape(n, f, 1, 1)
                    .broadcast(new Shape(n, f, side, side));                        // (N, 4, H, W)
            image = canvas.concat(facing, 1);                                       // (N, blocks*ch+4, H, W)
        }
        NDArray conv = conv3x3(image, param("spec_conv.weight"), param("spec_conv.bias"));   // (N, K, H, W)
        NDArray flat = Activation.gelu(conv).reshape(n, (long) cfg.specConv() * side * side);
        return flat.concat(extra, 1).reshape(batch, s, cfg.specInputWidth());       // (B, S, K*H*W + extra)
    }

    /**
     * A 3x3 convolution, stride 1, zero padding 1, written as nine shifted views and one product
     * (im2col): {@code (N, C, H, W)} and a {@code (K, C, 3, 3)} weight give {@code (N, K, H, W)}.
     * libtorch's CPU {@code conv2d} (through DJL's {@code Conv2d.conv2d}) returned wrong sums on one
     * machine (AMD EPYC with AVX-512, 2026-12-01: off by up to 0.5 with 28 input channels, right
     * with 1-4; {@code GptTest} caught it), so the kit does not use it; this form is plain
     * indexing and a matrix product on every device.
     */
    static NDArray conv3x3(NDArray image, NDArray weight, NDArray bias) {
        Shape s = image.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        long k = weight.getShape().get(0);
        NDArray padded = image.pad(new Shape(1, 1, 1, 1), 0);                       // (N, C, H+2, W+2)
        NDList taps = new NDList(9);
        for (int dr = 0; dr < 3; dr++) {
            for (int dc = 0; dc < 3; dc++) {
                taps.add(padded.get(new NDIndex(":, :, {}:{}, {}:{}", dr, dr + h, dc, dc + w)));   // (N, C, H, W)
            }
        }
        NDArray cols = NDArrays.stack(taps, 4)                                       // (N, C, H, W, 9)
                .transpose(0, 2, 3, 1, 4).reshape(n * h * w, c * 9);                // (N*H*W, C*9), columns (c, dr, dc)
        NDArray out = cols.matMul(weight.reshape(k, c * 9).transpose()).add(bias);  // (N*H*W, K): one product
        return out.reshape(n, h, w, k).transpose(0, 3, 1, 2);                      // (N, K, H, W)
    }

    /** The spec features as a dense (B, S, F) array: copied, or scattered from the ones. */
    private NDArray specFeatures(NDManager m, Batch b) {
        Shape bsf = new Shape(b.size(), b.specLen(), b.featDim());
        Optional<Batch.ActiveFeatures> ones = specInput == SpecInput.DENSE ? Optional.empty() : b.activeFeatures();
        if (ones.isEmpty()) {
            return m.create(b.spec(), bsf);                                         // (B, S, F)
        }
        return scatter(m, ones.get(), bsf);
    }

    /** The 0/1 (B, S, F) array whose ones are {@code a}, built on the device. */
    private static NDArray scatter(NDManager m, Batch.ActiveFeatures a, Shape bsf) {
        int[] off = a.offsets();
        int[] idx = a.indices();
        int positions = (int) (bsf.get(0) * bsf.get(1));
        long f = bsf.get(2);
        long[] flat = new long[idx.length];                                        // p * F + feature
        for (int p = 0; p < positions; p++) {
            for (int j = off[p]; j < off[p + 1]; j++) {
                flat[j] = p * f + idx[j];
            }
        }
        NDArray x = m.zeros(new Shape(positions * f));
        x.set(m.create(flat), 1f);                                                  // scatter the ones
        return x.reshape(bsf);                                                      // (B, S, F)
    }

    /** {@code spec_proj} alone: (B, S, F) -> (B, S, H), H = specHidden or C. */
    private NDArray specLinear(NDManager m, Batch b) {
        Optional<Batch.ActiveFeatures> ones = b.activeFeatures();
        if (specInput != SpecInput.GATHER || ones.isEmpty()) {
            return linear(specFeatures(m, b), "spec_proj");                         // (B, S, H)
        }
        int batch = b.size();
        int s = b.specLen();
        Batch.ActiveFeatures a = ones.get();
        int[] off = a.offsets();
        int[] idx = a.indices();
        int positions = batch * s;
        long f = b.featDim();
        long width = param("spec_proj.bias").getShape().get(0);                     // H
        int k = Math.max(1, a.maxPerPosition());
        long[] padded = new long[positions * k];                                     // (B*S, K)
        Arrays.fill(padded, f);                                                     // row F of the table is 0
        for (int p = 0; p < positions; p++) {
            for (int j = off[p]; j < off[p + 1]; j++) {
                padded[p * k + j - off[p]] = idx[j];
            }
        }
        NDArray table = param("spec_proj.weight").transpose()                       // (F, H)
                .concat(m.zeros(new Shape(1, width)), 0);                          // (F+1, H)
        NDArray rows = Embedding.embedding(m.create(padded, new Shape(positions, k)), table,
                SparseFormat.DENSE).singletonOrThrow();                             // (B*S, K, H)
        return rows.sum(new int[] {1}).add(param("spec_proj.bias"))                 // (B*S, H)
                .reshape(batch, s, width);                                          // (B, S, H)
    }

    // ---- the blocks ----

    /**
     * Causal multi-head self-attention of block {@code layer}: (B, L, C) -> (B, L, C). With a
     * cache, the L new positions also attend to the cached ones, and their keys and values join
     * the cache (K below is start+L keys; without a cache K = L).
     */
    private NDArray attention(NDManager m, NDArray x, int layer, NDArray causal, boolean training, KvCache cache) {
        String p = "blocks." + layer + ".";
        long batch = x.getShape().get(0);
        long seq = x.getShape().get(1);
        int c = cfg.dModel();
        int nHead = cfg.nHead();
        NDList qkv = linear(x, p + "attn.qkv").split(3, 2);                        // 3 x (B, L, C)
        NDArray q = splitHeads(qkv.get(0));                                         // (B, H, L, hd)
        NDArray k = splitHeads(qkv.get(1));                                         // (B, H, L, hd)
        NDArray v = splitHeads(qkv.get(2));                                         // (B, H, L, hd)
        if (cache != null) {
            k = cache.append(m, cache.keys, layer, k);                 // (B, H, K, hd)
            v = cache.append(m, cache.values, layer, v);               // (B, H, K, hd)
        }
        NDArray att = q.matMul(k.transpose(0, 1, 3, 2))                              // (B, H, L, K)
                .mul(1.0 / Math.sqrt((double) c / nHead));
        if (causal != null) {
            att = att.add(causal);
        }
        att = att.softmax(-1);
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

    /**
     * (L, start+L) additive mask for queries at positions start..start+L-1 over keys at
     * 0..start+L-1: 0 where query i may attend key j (j <= start+i), -inf where j is later.
     */
    private static NDArray causalMask(NDManager m, int start, int seq) {
        Shape shape = new Shape(seq, start + seq);
        NDArray query = m.arange(start, start + seq, 1, DataType.INT32);           // (L)
        NDArray key = m.arange(0, start + seq, 1, DataType.INT32);                 // (start+L)
        NDArray later = key.expandDims(0).gt(query.expandDims(1));                 // (L, start+L): j > i
        return NDArrays.where(later, m.full(shape, Float.NEGATIVE_INFINITY), m.zeros(shape));
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

    /**
     * The hidden-state hooks of one pass: applies the edits of a state where it is produced, then
     * keeps it if the filter asks.
     */
    private final class Hooks {
        final NDManager m;
        final Set<String> kept;
        final Map<String, List<Edit>> edits = new HashMap<>();
        final int start;
        final int[] rows;        // row in the first batch of each row here, null = the same
        final Map<String, NDArray> hidden = new LinkedHashMap<>();

        Hooks(NDManager m, HiddenFilter keep, List<Edit> edits, int start, int[] rows, int firstBatch) {
            this.m = m;
            this.kept = keep.keepsNothing() ? Set.of() : new HashSet<>(keep.select(cfg.nLayer()));
            this.start = start;
            this.rows = rows;
            List<String> names = edits.isEmpty() ? List.of() : hiddenNames(cfg.nLayer());
            for (Edit e : edits) {
                if (!names.contains(e.name())) {
                    throw new LmException("edit of unknown hidden state '" + e.name() + "' (a " + cfg.nLayer()
                            + "-block model has blocks.{i}.resid_pre/resid_mid/resid_post, ln_final.normalized)");
                }
                if (e.op() != Edit.Op.STEER && e.width() != cfg.dModel()) {
                    throw new LmException("edit of " + e.name() + " has width " + e.width() + ", dModel is " + cfg.dModel());
                }
                if (e.rows() != 1 && e.rows() != firstBatch) {
                    throw new LmException("edit of " + e.name() + " has values for " + e.rows() + " rows, the batch has "
                            + firstBatch);
                }
                for (int pos : e.positions()) {
                    if (pos >= cfg.contextLength()) {
                        throw new LmException("edit of " + e.name() + " at position " + pos + ", past contextLength "
                                + cfg.contextLength());
                    }
                }
                this.edits.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e);
            }
        }

        /** x (B, L, C) of state {@code name} with its edits applied; kept if asked. */
        NDArray at(String name, NDArray x) {
            List<Edit> mine = edits.get(name);
            if (mine != null) {
                for (Edit e : mine) {
                    x = apply(e, x);
                }
            }
            if (kept.contains(name)) {
                hidden.put(name, x);
            }
            return x;
        }

        /** One edit on the positions start..start+L-1 that x holds. */
        private NDArray apply(Edit e, NDArray x) {
            if (e.op() == Edit.Op.STEER) {
                return steer(e, x);
            }
            int batch = (int) x.getShape().get(0);
            int len = (int) x.getShape().get(1);
            int c = cfg.dModel();
            int[] positions = e.positions();
            int valueRows = e.rows() == 1 ? 1 : batch;
            float[] placed = new float[valueRows * len * c];                          // (R, L, C)
            boolean[] hit = new boolean[len];                                         // (L)
            boolean any = false;
            for (int j = 0; j < positions.length; j++) {
                int at = positions[j] - start;
                if (at < 0 || at >= len) {
                    continue;
                }
                any = true;
                hit[at] = true;
                for (int r = 0; r < valueRows; r++) {
                    int from = e.rows() == 1 ? 0 : rows == null ? r : rows[r];
                    System.arraycopy(e.values(), (from * positions.length + j) * c, placed, (r * len + at) * c, c);
                }
            }
            if (!any) {
                return x;
            }
            NDArray values = m.create(placed, new Shape(valueRows, len, c));
            if (e.op() == Edit.Op.ADD) {
                return x.add(values);                                                 // zeros elsewhere
            }
            Shape shape = x.getShape();                                               // (B, L, C)
            NDArray mask = m.create(hit, new Shape(1, len, 1)).broadcast(shape);
            return NDArrays.where(mask, values.broadcast(shape), x);
        }

        /** A steer: asks it, per row and position held, for the vector to add to the state there. */
        private NDArray steer(Edit e, NDArray x) {
            int batch = (int) x.getShape().get(0);
            int len = (int) x.getShape().get(1);
            int c = cfg.dModel();
            float[] states = null;                                                    // (B, L, C), read once
            float[] placed = null;                                                    // (B, L, C)
            for (int pos : e.positions()) {
                int at = pos - start;
                if (at < 0 || at >= len) {
                    continue;
                }
                if (states == null) {
                    states = x.toFloatArray();
                    placed = new float[batch * len * c];
                }
                for (int r = 0; r < batch; r++) {
                    int from = (r * len + at) * c;
                    float[] delta = e.steer().delta(rows == null ? r : rows[r], pos, Arrays.copyOfRange(states, from, from + c));
                    if (delta == null) {
                        continue;
                    }
                    if (delta.length != c) {
                        throw new LmException("steer of " + e.name() + " at position " + pos + " gave " + delta.length
                                + " values, dModel is " + c);
                    }
                    System.arraycopy(delta, 0, placed, from, c);
                }
            }
            return placed == null ? x : x.add(m.create(placed, new Shape(batch, len, c)));
        }
    }

    /**
     * Keys and values of every block for the positions run so far, for incremental decoding (see
     * {@link Gpt#forward(NDManager, KvCache, Batch, HiddenFilter, List)}). Holds its arrays in its
     * own manager: close it when the decoding is done.
     */
    public static final class KvCache implements AutoCloseable {
        private final Gpt owner;
        private final NDManager manager;
        private final NDArray[] keys;       // per block (B, H, capacity, hd), positions < length filled
        private final NDArray[] values;     // per block (B, H, capacity, hd), positions < length filled
        private final int capacity;
        private int length;
        private int[] rows;                 // row in the first batch of each row held, null before the first pass
        private int firstBatch;

        private KvCache(Gpt owner, int capacity) {
            this.owner = owner;
            this.capacity = capacity;
            this.manager = owner.manager.newSubManager();
            this.keys = new NDArray[owner.cfg.nLayer()];
            this.values = new NDArray[owner.cfg.nLayer()];
        }

        /** Positions held (spec and tokens). */
        public int length() {
            return length;
        }

        /** For each row held, its row in the first batch run on this cache. */
        public int[] rows() {
            return rows == null ? new int[0] : rows.clone();
        }

        /**
         * Keeps only the given rows (indices among the rows held now, increasing), e.g. to drop
         * rows that finished decoding; later passes carry one row per row kept.
         */
        public void keepRows(int... current) {
            if (rows == null) {
                throw new IllegalStateException("empty cache");
            }
            int[] kept = new int[current.length];
            for (int i = 0; i < current.length; i++) {
                if (current[i] < 0 || current[i] >= rows.length || i > 0 && current[i] <= current[i - 1]) {
                    throw new IllegalArgumentException("keepRows: rows must increase within 0.." + (rows.length - 1)
                            + ", got " + Arrays.toString(current));
                }
                kept[i] = rows[current[i]];
            }
            if (current.length == rows.length) {
                return;
            }
            try (NDManager scratch = manager.newSubManager()) {
                NDArray index = scratch.create(Arrays.stream(current).asLongStream().toArray());
                for (int l = 0; l < keys.length; l++) {
                    keys[l] = replace(keys[l], keys[l].get(new NDIndex("{}", index)));
                    values[l] = replace(values[l], values[l].get(new NDIndex("{}", index)));
                }
            }
            rows = kept;
        }

        /**
         * Writes {@code fresh} (B, H, L, hd) at positions length..length+L-1 of the block's buffer
         * (B, H, capacity, hd), made on first use, in place (no copy of what is cached); returns a
         * view of positions 0..length+L-1, attached to {@code m}.
         */
        private NDArray append(NDManager m, NDArray[] cache, int layer, NDArray fresh) {
            Shape s = fresh.getShape();
            long end = length + s.get(2);
            if (end > capacity) {
                throw new LmException("cache holds " + capacity + " positions, the pass needs " + end);
            }
            if (cache[layer] == null) {
                cache[layer] = manager.zeros(new Shape(s.get(0), s.get(1), capacity, s.get(3)));
            }
            cache[layer].set(new NDIndex(":, :, {}:{}, :", length, end), fresh);
            NDArray upToNow = cache[layer].get(new NDIndex(":, :, :{}, :", end));                 // (B, H, K, hd)
            upToNow.attach(m);
            return upToNow;
        }

        private NDArray replace(NDArray old, NDArray fresh) {
            fresh.attach(manager);
            if (old != null && old != fresh) {
                old.close();
            }
            return fresh;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** An empty cache for incremental decoding with this model, for up to contextLength positions. */
    public KvCache newCache() {
        return newCache(cfg.contextLength());
    }

    /**
     * An empty cache for up to {@code capacity} positions (spec and tokens). Its memory is
     * {@code 2 * nLayer * rows * capacity * dModel} floats, allocated at the first pass.
     */
    public KvCache newCache(int capacity) {
        if (capacity < 1 || capacity > cfg.contextLength()) {
            throw new IllegalArgumentException("cache capacity " + capacity + " outside 1.." + cfg.contextLength());
        }
        return new KvCache(this, capacity);
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

    /** Every parameter by name, in the fixed order of {@link #layout(ModelShape)}. */
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

    public ModelShape config() {
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
