package org.karellab.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.karellab.world.Action;

/**
 * Batched greedy decoding constrained to valid straight-line programs, and scoring of reference
 * programs.
 *
 * <p>Constraints at every step: only action tokens or EOS; EOS only after at least one action;
 * after {@code cfg.maxActions} actions only EOS. Each step reruns the full forward pass on the
 * whole batch (sequences are a few dozen positions), with each row's generated tokens appended
 * after its own prompt; right padding never influences earlier positions, since attention is
 * causal.
 */
public final class Decoder {
    private final Gpt model;

    public Decoder(Gpt model) {
        this.model = model;
    }

    /**
     * One decoded program.
     *
     * @param tokens   the emitted tokens: action tokens, then EOS
     * @param logProbs the model's log-probability of each emitted token (over the full vocabulary,
     *                 before the constraints), aligned with {@code tokens}
     * @param hidden   if asked, for each emitted action (not EOS) the hidden states at the position
     *                 that emitted it: (nLayer + 2, dModel) in {@link Gpt#hiddenNames(int)} order;
     *                 otherwise empty
     */
    public record Decoded(int[] tokens, float[] logProbs, List<float[][]> hidden) {
        /** The actions of the program (the tokens without the final EOS). */
        public List<Action> actions() {
            return Arrays.stream(tokens).filter(Tokens::isAction).mapToObj(Tokens::tokenAction).toList();
        }

        /** Sum of the log-probabilities of all emitted tokens, EOS included. */
        public double logProb() {
            double sum = 0;
            for (float p : logProbs) {
                sum += p;
            }
            return sum;
        }
    }

    /**
     * Greedy decoding of a batch of prompts.
     *
     * @param prompt     spec features and prefix tokens; each row's prefix is its tokens up to and
     *                   including its last BOS (the rest is padding). Targets are ignored.
     * @param keepHidden record the hidden states of every emitted action (for probing)
     */
    public List<Decoded> greedy(Batch prompt, boolean keepHidden) {
        ModelShape cfg = model.config();
        int batch = prompt.size();
        int[] prefixLen = new int[batch];
        for (int r = 0; r < batch; r++) {
            prefixLen[r] = lastBos(prompt, r) + 1;
        }
        int longest = prompt.specLen() + Arrays.stream(prefixLen).max().orElseThrow() + cfg.maxActions();
        if (longest > cfg.contextLength()) {
            throw new LmException("prompt plus " + cfg.maxActions() + " actions needs " + longest
                    + " positions, more than contextLength " + cfg.contextLength());
        }
        List<List<Integer>> emitted = new ArrayList<>();
        List<List<Float>> logProbs = new ArrayList<>();
        List<List<float[][]>> hidden = new ArrayList<>();
        for (int r = 0; r < batch; r++) {
            emitted.add(new ArrayList<>());
            logProbs.add(new ArrayList<>());
            hidden.add(new ArrayList<>());
        }
        boolean[] done = new boolean[batch];
        int finished = 0;
        int vocab = cfg.vocabSize();
        int nStates = cfg.nLayer() + 2;
        int dModel = cfg.dModel();
        while (finished < batch) {
            Batch current = extend(prompt, prefixLen, emitted);
            int[] last = new int[batch];                                  // position emitting the next token
            for (int r = 0; r < batch; r++) {
                last[r] = prefixLen[r] + emitted.get(r).size() - 1;
            }
            try (NDManager scope = model.newScope()) {
                Gpt.Output out = model.forward(scope, current, false, keepHidden);
                float[] logp = atPositions(scope, out.logits().logSoftmax(-1), last, 0).toFloatArray(); // (B, V)
                float[] states = keepHidden ? hiddenAt(scope, out, last, prompt.specLen()) : null;    // (B, nStates, C)
                for (int r = 0; r < batch; r++) {
                    if (done[r]) {
                        continue;
                    }
                    int count = emitted.get(r).size();
                    int token = choose(logp, r * vocab, count, cfg.maxActions());
                    emitted.get(r).add(token);
                    logProbs.get(r).add(logp[r * vocab + token]);
                    if (token == Tokens.EOS) {
                        done[r] = true;
                        finished++;
                    } else if (keepHidden) {
                        float[][] perState = new float[nStates][];
                        for (int s = 0; s < nStates; s++) {
                            int from = (r * nStates + s) * dModel;
                            perState[s] = Arrays.copyOfRange(states, from, from + dModel);
                        }
                        hidden.get(r).add(perState);
                    }
                }
            }
        }
        List<Decoded> result = new ArrayList<>();
        for (int r = 0; r < batch; r++) {
            int[] tokens = emitted.get(r).stream().mapToInt(Integer::intValue).toArray();
            float[] lp = new float[tokens.length];
            for (int i = 0; i < lp.length; i++) {
                lp[i] = logProbs.get(r).get(i);
            }
            result.add(new Decoded(tokens, lp, hidden.get(r)));
        }
        return result;
    }

    /**
     * The summed negative log-likelihood of each row's target tokens and how many there are (for
     * perplexity of reference programs: exp(sum nll / sum tokens)).
     */
    public record TargetScore(double nll, int tokens) {
    }

    public List<TargetScore> scoreTargets(Batch batch) {
        try (NDManager scope = model.newScope()) {
            NDArray logits = model.forward(scope, batch, false, false).logits();
            float[] nll = model.targetLogProbs(logits, batch).sum(new int[] {1}).neg().toFloatArray(); // (B)
            List<TargetScore> scores = new ArrayList<>();
            for (int r = 0; r < batch.size(); r++) {
                int count = 0;
                for (int t = 0; t < batch.tokLen(); t++) {
                    if (batch.targets()[r * batch.tokLen() + t] != Batch.NO_TARGET) {
                        count++;
                    }
                }
                scores.add(new TargetScore(nll[r], count));
            }
            return scores;
        }
    }

    /** Greedy choice among the allowed tokens, given the log-probabilities of row r at offset. */
    static int choose(float[] logp, int offset, int actionsSoFar, int maxActions) {
        if (actionsSoFar >= maxActions) {
            return Tokens.EOS;
        }
        int best = -1;
        for (int t = Tokens.FIRST_ACTION; t < Tokens.FIRST_FREE; t++) {
            if (best < 0 || logp[offset + t] > logp[offset + best]) {
                best = t;
            }
        }
        if (actionsSoFar > 0 && logp[offset + Tokens.EOS] > logp[offset + best]) {
            best = Tokens.EOS;
        }
        return best;
    }

    private static int lastBos(Batch prompt, int row) {
        for (int t = prompt.tokLen() - 1; t >= 0; t--) {
            if (prompt.tokens()[row * prompt.tokLen() + t] == Tokens.BOS) {
                return t;
            }
        }
        throw new LmException("prompt row " + row + " has no BOS token");
    }

    /** The prompt with each row's emitted tokens written after its prefix, PAD elsewhere. */
    private static Batch extend(Batch prompt, int[] prefixLen, List<List<Integer>> emitted) {
        int batch = prompt.size();
        int width = 0;
        for (int r = 0; r < batch; r++) {
            width = Math.max(width, prefixLen[r] + emitted.get(r).size());
        }
        int[] tokens = new int[batch * width];
        int[] targets = new int[batch * width];
        Arrays.fill(targets, Batch.NO_TARGET);
        for (int r = 0; r < batch; r++) {
            System.arraycopy(prompt.tokens(), r * prompt.tokLen(), tokens, r * width, prefixLen[r]);
            List<Integer> gen = emitted.get(r);
            for (int i = 0; i < gen.size(); i++) {
                tokens[r * width + prefixLen[r] + i] = gen.get(i);
            }
        }
        return new Batch(batch, prompt.specLen(), prompt.featDim(), prompt.spec(), width, tokens, targets);
    }

    /**
     * Row r of x at position positions[r] + offset along axis 1.
     *
     * @param x (B, P, D)
     * @return (B, D)
     */
    private static NDArray atPositions(NDManager scope, NDArray x, int[] positions, int offset) {
        long[] index = new long[positions.length];
        for (int r = 0; r < index.length; r++) {
            index[r] = positions[r] + offset;
        }
        NDArray rows = scope.arange(0, positions.length, 1, DataType.INT64);
        return x.get(new NDIndex("{}, {}", rows, scope.create(index)));
    }

    /** Every hidden state at each row's emitting position: (B, nStates, C) flattened. */
    private static float[] hiddenAt(NDManager scope, Gpt.Output out, int[] last, int specLen) {
        NDList states = new NDList();
        for (NDArray h : out.hidden().values()) {
            states.add(atPositions(scope, h, last, specLen));                         // (B, C)
        }
        return NDArrays.stack(states, 1).toFloatArray();                             // (B, nStates, C)
    }
}
