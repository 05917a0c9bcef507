package org.karellab.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.karellab.world.Action;

/**
 * Batched greedy decoding constrained to valid straight-line programs, and scoring of reference
 * programs.
 *
 * <p>Constraints at every step: only action tokens or EOS; EOS only after at least one action;
 * after {@code cfg.maxActions} actions only EOS.
 *
 * <p>Decoding is incremental ({@link Gpt.KvCache}): the spec and the prompt tokens every row has
 * run once, then each step runs one position per row, all rows at the same position. A row whose
 * prompt is longer than the shortest reads its own prompt tokens until its prompt ends, then
 * writes; rows that have emitted EOS leave the batch (in groups, as dropping rows copies the
 * cache). {@link #optKvCache(boolean) optKvCache(false)}
 * instead reruns the full forward pass over every position at each step (the reference the cached
 * decoding is tested against), each row's generated tokens appended after its own prompt; right
 * padding never influences earlier positions, attention being causal. Both give the same tokens,
 * log-probabilities and hidden states, to float rounding.
 */
public final class Decoder {
    private final Gpt model;
    private final boolean kvCache;

    /**
     * System property that turns the key/value cache off for every decoder made with
     * {@link #Decoder(Gpt)} ({@code -Dkarellab.decode.kvcache=false}): the uncached reference, for
     * measuring what the cache buys (docs/performance.md) without another build.
     */
    public static final String KV_CACHE_PROPERTY = "karellab.decode.kvcache";

    /** A decoder with the key/value cache (unless {@value #KV_CACHE_PROPERTY} is {@code false}). */
    public Decoder(Gpt model) {
        this(model, !"false".equalsIgnoreCase(System.getProperty(KV_CACHE_PROPERTY, "true")));
    }

    private Decoder(Gpt model, boolean kvCache) {
        this.model = model;
        this.kvCache = kvCache;
    }

    /** This decoder with ({@code true}, the default) or without the key/value cache. */
    public Decoder optKvCache(boolean on) {
        return new Decoder(model, on);
    }

    /**
     * One decoded program.
     *
     * @param tokens   the emitted tokens: action tokens, then EOS
     * @param logProbs the model's log-probability of each emitted token (over the full vocabulary,
     *                 before the constraints), aligned with {@code tokens}
     * @param hidden   for each emitted action (not EOS), the hidden states the filter kept at the
     *                 position that emitted it: name to (dModel), in {@link Gpt#hiddenNames(int)}
     *                 order; empty when nothing was kept
     */
    public record Decoded(int[] tokens, float[] logProbs, List<Map<String, float[]>> hidden) {
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

    /** Greedy decoding of a batch of prompts, keeping no hidden state. */
    public List<Decoded> greedy(Batch prompt) {
        return greedy(prompt, HiddenFilter.none(), List.of());
    }

    /** Greedy decoding keeping the hidden states {@code keep} of every emitted action. */
    public List<Decoded> greedy(Batch prompt, HiddenFilter keep) {
        return greedy(prompt, keep, List.of());
    }

    /**
     * Greedy decoding of a batch of prompts.
     *
     * @param prompt spec features and prefix tokens; each row's prefix is its tokens up to and
     *               including its last BOS (the rest is padding). Targets are ignored.
     * @param keep   hidden states to record at each emitted action (for probing)
     * @param edits  edits of hidden states during decoding ({@link Edit}; positions count from the
     *               start of the sequence, spec positions included; per-row values follow the
     *               prompt's rows)
     */
    public List<Decoded> greedy(Batch prompt, HiddenFilter keep, List<Edit> edits) {
        return continueFrom(prompt, new int[prompt.size()], keep, edits);
    }

    /**
     * Greedy continuation of programs already partly written: row r of {@code prompt} (from
     * {@code encode(specs, prefixes)}) holds its spec, BOS and the first {@code written[r]} actions;
     * decoding goes on from there (the position of the last written action emits the first new
     * token), under the same constraints counting the written actions. The {@link Decoded} rows hold
     * only the new tokens. {@code written} all 0 is {@link #greedy(Batch, HiddenFilter, List)}.
     */
    public List<Decoded> continueFrom(Batch prompt, int[] written, HiddenFilter keep, List<Edit> edits) {
        ModelShape cfg = model.config();
        int batch = prompt.size();
        if (written.length != batch) {
            throw new LmException("continuation: " + written.length + " written counts for " + batch + " prompt rows");
        }
        int[] prefixLen = new int[batch];
        for (int r = 0; r < batch; r++) {
            int bos = lastBos(prompt, r);
            if (written[r] < 0 || written[r] > cfg.maxActions() || bos + 1 + written[r] > prompt.tokLen()) {
                throw new LmException("continuation: row " + r + " cannot hold " + written[r] + " written actions");
            }
            prefixLen[r] = bos + 1 + written[r];
        }
        int longest = 0;                                           // positions the longest row can reach
        for (int r = 0; r < batch; r++) {
            longest = Math.max(longest, prompt.specLen() + prefixLen[r] + cfg.maxActions() - written[r]);
        }
        if (longest > cfg.contextLength()) {
            throw new LmException("prompt plus " + cfg.maxActions() + " actions needs " + longest
                    + " positions, more than contextLength " + cfg.contextLength());
        }
        Rows rows = new Rows(batch, cfg, keep, written);
        if (kvCache) {
            cached(prompt, prefixLen, longest, keep, edits, rows);
        } else {
            uncached(prompt, prefixLen, keep, edits, rows);
        }
        return rows.result();
    }

    /**
     * Incremental decoding: one position per row and step. Rows that finished are fed PAD (their
     * outputs unused) until a quarter of the cache's rows have finished; then they leave the cache.
     */
    private void cached(Batch prompt, int[] prefixLen, int longest, HiddenFilter keep, List<Edit> edits, Rows rows) {
        int batch = prompt.size();
        int common = Arrays.stream(prefixLen).min().orElseThrow();  // prompt tokens every row has
        int[] firstTokens = new int[batch * common];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(prompt.tokens(), r * prompt.tokLen(), firstTokens, r * common, common);
        }
        Batch step = new Batch(batch, prompt.specLen(), prompt.featDim(), prompt.spec(), common, firstTokens,
                noTargets(batch * common));
        int[] held = new int[batch];                                 // prompt row of each row in the cache
        Arrays.setAll(held, r -> r);
        int vocab = model.config().vocabSize();
        try (Gpt.KvCache cache = model.newCache(longest)) {
            for (int pos = common; ; pos++) {                        // token positions run after this step
                int[] next = new int[held.length];
                try (NDManager scope = model.newScope()) {
                    Gpt.Output out = model.forward(scope, cache, step, keep, edits);
                    NDArray last = out.logits().get(new NDIndex(":, -1, :"));                   // (b, V)
                    float[] logp = last.logSoftmax(-1).toFloatArray();
                    Map<String, float[]> states = new LinkedHashMap<>();                          // name -> (b, C)
                    out.hidden().forEach((name, h) -> states.put(name, h.get(new NDIndex(":, -1, :")).toFloatArray()));
                    for (int i = 0; i < held.length; i++) {
                        int r = held[i];
                        if (rows.done[r]) {
                            next[i] = Tokens.PAD;
                        } else if (pos < prefixLen[r]) {               // still reading its own prompt
                            next[i] = prompt.tokens()[r * prompt.tokLen() + pos];
                        } else {
                            int token = rows.emit(r, logp, i * vocab, states, i);
                            next[i] = token == Tokens.EOS ? Tokens.PAD : token;
                        }
                    }
                }
                int[] live = new int[held.length];                   // cache rows still writing
                int alive = 0;
                for (int i = 0; i < held.length; i++) {
                    if (!rows.done[held[i]]) {
                        live[alive++] = i;
                    }
                }
                if (alive == 0) {
                    return;
                }
                live = Arrays.copyOf(live, alive);
                if ((held.length - live.length) * 4 >= held.length) {   // drop the finished rows
                    cache.keepRows(live);
                    int[] kept = new int[live.length];
                    int[] nextKept = new int[live.length];
                    for (int i = 0; i < live.length; i++) {
                        kept[i] = held[live[i]];
                        nextKept[i] = next[live[i]];
                    }
                    held = kept;
                    next = nextKept;
                }
                step = new Batch(held.length, 0, 0, new float[0], 1, next, noTargets(held.length));
            }
        }
    }

    /** The reference: the full forward pass over every position at each step. */
    private void uncached(Batch prompt, int[] prefixLen, HiddenFilter keep, List<Edit> edits, Rows rows) {
        int batch = prompt.size();
        int vocab = model.config().vocabSize();
        while (!rows.allDone()) {
            Batch current = extend(prompt, prefixLen, rows.emitted);
            int[] last = new int[batch];                                  // position emitting the next token
            for (int r = 0; r < batch; r++) {
                last[r] = prefixLen[r] + rows.emitted.get(r).size() - (rows.done[r] ? 1 : 0) - 1;   // a finished row's: unused
            }
            try (NDManager scope = model.newScope()) {
                Gpt.Output out = model.forward(scope, current, false, keep, edits);
                float[] logp = atPositions(scope, out.logits().logSoftmax(-1), last, 0).toFloatArray(); // (B, V)
                Map<String, float[]> states = new LinkedHashMap<>();                              // name -> (B, C)
                out.hidden().forEach((name, h) -> states.put(name,
                        atPositions(scope, h, last, prompt.specLen()).toFloatArray()));
                for (int r = 0; r < batch; r++) {
                    if (!rows.done[r]) {
                        rows.emit(r, logp, r * vocab, states, r);
                    }
                }
            }
        }
    }

    /** What each prompt row has emitted so far. */
    private static final class Rows {
        final ModelShape cfg;
        final boolean keepHidden;
        final List<List<Integer>> emitted = new ArrayList<>();
        final List<List<Float>> logProbs = new ArrayList<>();
        final List<List<Map<String, float[]>>> hidden = new ArrayList<>();
        final boolean[] done;
        final int[] written;     // actions already in each row's prompt
        int finished;

        Rows(int batch, ModelShape cfg, HiddenFilter keep, int[] written) {
            this.cfg = cfg;
            this.written = written;
            this.keepHidden = !keep.keepsNothing();
            this.done = new boolean[batch];
            for (int r = 0; r < batch; r++) {
                emitted.add(new ArrayList<>());
                logProbs.add(new ArrayList<>());
                hidden.add(new ArrayList<>());
            }
        }

        /**
         * Row r chooses its next token from the log-probabilities at {@code offset}; the states of
         * the emitting position are row {@code at} of each (b, C) array. Returns the token.
         */
        int emit(int r, float[] logp, int offset, Map<String, float[]> states, int at) {
            int token = choose(logp, offset, written[r] + emitted.get(r).size(), cfg.maxActions());
            emitted.get(r).add(token);
            logProbs.get(r).add(logp[offset + token]);
            if (token == Tokens.EOS) {
                done[r] = true;
                finished++;
            } else if (keepHidden) {
                int c = cfg.dModel();
                Map<String, float[]> here = new LinkedHashMap<>();
                states.forEach((name, s) -> here.put(name, Arrays.copyOfRange(s, at * c, (at + 1) * c)));
                hidden.get(r).add(here);
            }
            return token;
        }

        boolean allDone() {
            return finished == done.length;
        }

        List<Decoded> result() {
            List<Decoded> result = new ArrayList<>();
            for (int r = 0; r < done.length; r++) {
                int[] tokens = emitted.get(r).stream().mapToInt(Integer::intValue).toArray();
                float[] lp = new float[tokens.length];
                for (int i = 0; i < lp.length; i++) {
                    lp[i] = logProbs.get(r).get(i);
                }
                result.add(new Decoded(tokens, lp, hidden.get(r)));
            }
            return result;
        }
    }

    private static int[] noTargets(int n) {
        int[] t = new int[n];
        Arrays.fill(t, Batch.NO_TARGET);
        return t;
    }

    /**
     * The summed negative log-likelihood of each row's target tokens and how many there are (for
     * perplexity of reference programs: exp(sum nll / sum tokens)).
     */
    public record TargetScore(double nll, int tokens) {
    }

    public List<TargetScore> scoreTargets(Batch batch) {
        try (NDManager scope = model.newScope()) {
            NDArray logits = model.forward(scope, batch, false, HiddenFilter.none()).logits();
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
        int[] kept = new int[batch];                     // emitted tokens to write: a finished row's EOS is not
        int width = 0;
        for (int r = 0; r < batch; r++) {
            List<Integer> gen = emitted.get(r);
            kept[r] = !gen.isEmpty() && gen.get(gen.size() - 1) == Tokens.EOS ? gen.size() - 1 : gen.size();
            width = Math.max(width, prefixLen[r] + kept[r]);
        }
        int[] tokens = new int[batch * width];
        int[] targets = new int[batch * width];
        Arrays.fill(targets, Batch.NO_TARGET);
        for (int r = 0; r < batch; r++) {
            System.arraycopy(prompt.tokens(), r * prompt.tokLen(), tokens, r * width, prefixLen[r]);
            List<Integer> gen = emitted.get(r);
            for (int i = 0; i < kept[r]; i++) {
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
}
