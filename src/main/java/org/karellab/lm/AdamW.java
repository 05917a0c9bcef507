package org.karellab.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) over a {@link Gpt}'s parameters, with a warm-up-then-decay
 * learning-rate schedule and global-norm gradient clipping. Its whole state (first and second
 * moments {@code m}, {@code v} and the update count) is exposed for checkpoints.
 *
 * <p>One update, for each parameter {@code w} with gradient {@code g}:
 * <pre>
 *   g  = g * min(1, gradClip / ||all gradients||)          // global-norm clipping
 *   w -= lr * weightDecay * w                                // decoupled decay (matrices only)
 *   m  = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g^2
 *   w -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps)
 * </pre>
 * The per-tensor arithmetic is libtorch's fused Adam kernel as exposed by DJL
 * ({@code NDArrayEx.adamUpdate}, adamw mode); it puts eps outside the bias correction, which differs
 * from {@code torch.optim.AdamW} only by a factor of sqrt(1 - beta2^t) on eps.
 *
 * <p>Weight decay applies to the weight matrices of the linear layers (attention, MLP, spec
 * projection, untied LM head); not to biases, LayerNorm gains and biases, or the token and
 * position embedding tables (which, when tied, is also the LM head).
 */
public final class AdamW {
    private static final float EPS = 1e-8f;

    private final LmConfig cfg;
    private final Map<String, NDArray> params;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long updates;

    /** Fresh state: zero moments, no update done yet. */
    public AdamW(LmConfig cfg, Gpt model) {
        this(cfg, model, null, 0);
    }

    /**
     * State restored from a checkpoint: {@code state} holds arrays named {@code m.NAME} and
     * {@code v.NAME} for every parameter (see {@link #state()}); arrays already on the model's
     * device are adopted, not copied.
     */
    public AdamW(LmConfig cfg, Gpt model, NDList state, long updates) {
        this.cfg = cfg;
        this.params = model.parameters();
        this.updates = updates;
        NDManager owner = model.manager();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            m.put(e.getKey(), moment(state, "m." + e.getKey(), e.getValue(), owner));
            v.put(e.getKey(), moment(state, "v." + e.getKey(), e.getValue(), owner));
        }
    }

    /** Number of updates applied so far (the training step). */
    public long updates() {
        return updates;
    }

    /** Learning rate of update {@code step} (0-based): linear warm-up, then cosine or linear decay to minLr. */
    public static double learningRate(LmConfig cfg, long step) {
        LmConfig.Optimizer o = cfg.optimizer();
        if (step < o.warmupSteps()) {
            return o.lr() * (step + 1) / o.warmupSteps();
        }
        int decaySteps = cfg.run().steps() - o.warmupSteps();
        double progress = decaySteps == 0 ? 1 : Math.min(1.0, (double) (step - o.warmupSteps()) / decaySteps);
        double fraction = o.schedule().equals("cosine") ? 0.5 * (1 + Math.cos(Math.PI * progress)) : 1 - progress;
        return o.minLr() + fraction * (o.lr() - o.minLr());
    }

    /**
     * Applies one update from the gradients the last backward pass left on the parameters, then
     * zeroes them. Scratch arrays go to {@code scope}.
     *
     * @return the global gradient norm before clipping
     */
    public float update(NDManager scope) {
        List<NDArray> grads = new ArrayList<>();
        for (NDArray p : params.values()) {
            NDArray g = p.getGradient();
            g.attach(scope);
            grads.add(g);
        }
        LmConfig.Optimizer o = cfg.optimizer();
        float norm = NDArrays.stack(new NDList(grads.stream().map(NDArray::norm).toList())).norm().getFloat();
        float rescale = o.gradClip() > 0 && norm > o.gradClip() ? (float) (o.gradClip() / norm) : 1f;

        updates++;
        float lr = (float) learningRate(cfg, updates - 1);
        float biasCorrectedLr = (float) (lr * Math.sqrt(1 - Math.pow(o.beta2(), updates))
                / (1 - Math.pow(o.beta1(), updates)));
        int i = 0;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray w = e.getValue();
            float decay = decays(e.getKey(), w) ? (float) o.weightDecay() : 0f;
            // fused libtorch kernel: applies the update in place, then zeroes w's gradient
            w.getNDArrayInternal().adamUpdate(
                    new NDList(w, grads.get(i++), m.get(e.getKey()), v.get(e.getKey())), new NDList(w),
                    lr, biasCorrectedLr, decay, rescale, -1f /* no elementwise clamp */,
                    (float) o.beta1(), (float) o.beta2(), EPS, false, true);
        }
        return norm;
    }

    /**
     * Whether weight decay applies: 2-D weights of linear layers, not embeddings. The 4-D kernel
     * of the convolutional front end ({@code spec_conv.weight}) is not decayed either, like the
     * biases and gains (as run in docs/cpu-recipe.md E11; nanoGPT would decay it).
     */
    static boolean decays(String name, NDArray w) {
        return w.getShape().dimension() == 2 && !name.startsWith("tok_emb.") && !name.startsWith("pos_emb.");
    }

    /** The moments as one list, named {@code m.NAME} then {@code v.NAME}, in parameter order. */
    public NDList state() {
        NDList list = new NDList();
        m.forEach((name, a) -> list.add(named(a, "m." + name)));
        v.forEach((name, a) -> list.add(named(a, "v." + name)));
        return list;
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    private static NDArray moment(NDList state, String name, NDArray param, NDManager owner) {
        if (state == null) {
            return owner.zeros(param.getShape(), param.getDataType());
        }
        NDArray saved = state.get(name);
        if (saved == null || !saved.getShape().equals(param.getShape())) {
            throw new LmException("optimizer state lacks " + name + " of shape " + param.getShape());
        }
        NDArray onDevice = saved.toDevice(param.getDevice(), false);
        onDevice.attach(owner);
        return onDevice;
    }
}
