package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karellab.world.Action;

class DecoderTest {
    private static final ModelShape CFG = TestConfigs.gridSmoke().model().with("tieEmbeddings", "false");

    /** Prompts: the synthetic grid batch cut to its BOS (row 1 padded after a shorter prefix). */
    private static Batch prompt(int rows) {
        Batch b = Bench.syntheticGridBatch(rows, CFG.featDim(), 11);
        int[] tokens = new int[rows];
        Arrays.fill(tokens, Tokens.BOS);
        return new Batch(rows, b.specLen(), b.featDim(), b.spec(), 1, tokens, new int[rows]);
    }

    /**
     * A model whose logits are the same at every position: ln_f outputs all ones, so the logit of
     * token t is the sum of lm_head row t; the rows favour {@code favourite}.
     */
    private static Gpt constantModel(int favourite) {
        try (Gpt random = Gpt.create(CFG, Device.cpu())) {
            NDManager m = random.manager();
            NDList weights = new NDList();
            random.parameters().forEach((name, w) -> {
                NDArray copy = switch (name) {
                    case "ln_f.weight" -> m.zeros(w.getShape());
                    case "ln_f.bias" -> m.ones(w.getShape());
                    case "lm_head.weight" -> m.create(head(favourite), w.getShape());
                    default -> w.duplicate();
                };
                copy.setName(name);
                weights.add(copy);
            });
            return Gpt.create(CFG, Device.cpu(), weights);
        }
    }

    /** lm_head rows: 1 for the favourite token, 0.5 for TURN_LEFT, 0 for the rest. */
    private static float[] head(int favourite) {
        float[] w = new float[CFG.vocabSize() * CFG.dModel()];
        Arrays.fill(w, favourite * CFG.dModel(), (favourite + 1) * CFG.dModel(), 1f);
        int turnLeft = Tokens.actionToken(Action.TURN_LEFT);
        Arrays.fill(w, turnLeft * CFG.dModel(), (turnLeft + 1) * CFG.dModel(), 0.5f);
        return w;
    }

    @Test
    void neverEndsBeforeTheFirstAction() {
        try (Gpt model = constantModel(Tokens.EOS)) {
            for (Decoder.Decoded d : new Decoder(model).greedy(prompt(3))) {
                assertArrayEquals(new int[] {Tokens.actionToken(Action.TURN_LEFT), Tokens.EOS}, d.tokens());
                assertEquals(List.of(Action.TURN_LEFT), d.actions());
            }
        }
    }

    @Test
    void stopsAtMaxActions() {
        try (Gpt model = constantModel(Tokens.PAD)) {
            for (Decoder.Decoded d : new Decoder(model).greedy(prompt(2))) {
                assertEquals(CFG.maxActions() + 1, d.tokens().length);
                assertEquals(Tokens.EOS, d.tokens()[CFG.maxActions()]);
                assertEquals(CFG.maxActions(), d.actions().size());
                assertTrue(d.actions().stream().allMatch(a -> a == Action.TURN_LEFT), "PAD never emitted");
            }
        }
    }

    @Test
    void randomModelEmitsOnlyValidPrograms() {
        try (Gpt model = Gpt.create(CFG.with("seed", "5"), Device.cpu())) {
            for (Decoder.Decoded d : new Decoder(model).greedy(prompt(16))) {
                int[] t = d.tokens();
                assertTrue(t.length >= 2 && t.length <= CFG.maxActions() + 1, Arrays.toString(t));
                assertEquals(Tokens.EOS, t[t.length - 1]);
                for (int i = 0; i < t.length - 1; i++) {
                    assertTrue(Tokens.isAction(t[i]), Arrays.toString(t));
                }
                assertEquals(t.length, d.logProbs().length);
                for (float p : d.logProbs()) {
                    assertTrue(p <= 0, "log-probability " + p);
                }
            }
        }
    }

    @Test
    void hiddenStatesAreThoseOfThePositionThatEmitsEachAction() {
        try (Gpt model = Gpt.create(CFG.with("seed", "5"), Device.cpu())) {
            Batch prompt = prompt(2);
            List<Decoder.Decoded> decoded = new Decoder(model).greedy(prompt, HiddenFilter.all());
            Decoder.Decoded first = decoded.get(0);
            assertEquals(first.actions().size(), first.hidden().size());
            Map<String, float[]> states = first.hidden().get(first.hidden().size() - 1);
            assertEquals(Gpt.hiddenNames(CFG.nLayer()), List.copyOf(states.keySet()));
            assertEquals(CFG.dModel(), states.get("ln_final.normalized").length);

            // rerun the full sequence: the last action was emitted at token position actions
            int n = first.actions().size();
            int[] tokens = new int[n];
            tokens[0] = Tokens.BOS;
            System.arraycopy(first.tokens(), 0, tokens, 1, n - 1);
            Batch whole = new Batch(1, prompt.specLen(), prompt.featDim(),
                    Arrays.copyOf(prompt.spec(), prompt.specLen() * prompt.featDim()), n, tokens, new int[n]);
            try (NDManager scope = model.newScope()) {
                Gpt.Output out = model.forward(scope, whole, false, HiddenFilter.all());
                for (String name : Gpt.hiddenNames(CFG.nLayer())) {
                    float[] expected = out.hidden().get(name)
                            .get(new NDIndex("0, {}, :", prompt.specLen() + n - 1)).toFloatArray();
                    assertArrayEquals(expected, states.get(name), 1e-5f, name);
                }
            }
        }
    }

    /** Row r: its own number of prompt tokens (spec tokens then BOS), PAD after. */
    private static Batch textPrompt(int[] lengths, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int width = Arrays.stream(lengths).max().orElseThrow();
        int[] tokens = new int[lengths.length * width];
        for (int r = 0; r < lengths.length; r++) {
            for (int t = 0; t < lengths[r] - 1; t++) {
                tokens[r * width + t] = random.nextInt(Tokens.FIRST_FREE, TEXT.vocabSize());
            }
            tokens[r * width + lengths[r] - 1] = Tokens.BOS;
        }
        return new Batch(lengths.length, 0, 0, new float[0], width, tokens, new int[tokens.length]);
    }

    private static final ModelShape TEXT = CFG.with("encoding", "text");

    /**
     * The same programs, log-probabilities and hidden states with and without the cache, on a
     * grid batch and on a text batch whose rows have prompts of different lengths.
     */
    @Test
    void cachedAndUncachedDecodingAgree() {
        float[] v = new float[CFG.dModel()];
        Arrays.fill(v, 0.5f);
        int[] lengths = {3, 7, 1, 5, 7, 2};
        for (int seed = 5; seed < 8; seed++) {
            try (Gpt grid = Gpt.create(CFG.with("seed", Integer.toString(seed)), Device.cpu());
                    Gpt text = Gpt.create(TEXT.with("seed", Integer.toString(seed)), Device.cpu())) {
                Batch gridPrompt = prompt(6);
                Batch textPrompt = textPrompt(lengths, seed);
                List<Edit> gridEdit = List.of(Edit.add("blocks.0.resid_mid", v, gridPrompt.specLen() + 2));
                List<Edit> textEdit = List.of(Edit.replace("blocks.1.resid_pre", v, 4));
                for (Object[] c : new Object[][] {{grid, gridPrompt, List.of()}, {grid, gridPrompt, gridEdit},
                        {text, textPrompt, List.of()}, {text, textPrompt, textEdit}}) {
                    Gpt model = (Gpt) c[0];
                    Batch prompt = (Batch) c[1];
                    @SuppressWarnings("unchecked")
                    List<Edit> edits = (List<Edit>) c[2];
                    List<Decoder.Decoded> cached = new Decoder(model).greedy(prompt, HiddenFilter.all(), edits);
                    List<Decoder.Decoded> full = new Decoder(model).optKvCache(false).greedy(prompt, HiddenFilter.all(), edits);
                    for (int r = 0; r < prompt.size(); r++) {
                        String where = "seed " + seed + " " + model.config().encoding() + " edits " + edits + " row " + r;
                        assertArrayEquals(full.get(r).tokens(), cached.get(r).tokens(), where);
                        assertArrayEquals(full.get(r).logProbs(), cached.get(r).logProbs(), 1e-5f, where);
                        for (int a = 0; a < full.get(r).hidden().size(); a++) {
                            for (String name : Gpt.hiddenNames(CFG.nLayer())) {
                                assertArrayEquals(full.get(r).hidden().get(a).get(name),
                                        cached.get(r).hidden().get(a).get(name), 1e-4f, where + " " + name);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void cachedDecodingCoversEarlyEndsAndDifferentLengths() {
        // a model leaning to EOS: lm_head's EOS row is the mean of the action rows plus noise
        java.util.Set<Integer> lengths = new java.util.HashSet<>();
        for (int seed = 1; seed < 6; seed++) {
            try (Gpt model = eosLeaning(seed)) {
                List<Decoder.Decoded> cached = new Decoder(model).greedy(prompt(16));
                List<Decoder.Decoded> full = new Decoder(model).optKvCache(false).greedy(prompt(16));
                for (int r = 0; r < 16; r++) {
                    assertArrayEquals(full.get(r).tokens(), cached.get(r).tokens());
                    assertArrayEquals(full.get(r).logProbs(), cached.get(r).logProbs(), 1e-5f);
                    lengths.add(cached.get(r).tokens().length);
                }
            }
        }
        assertTrue(lengths.size() >= 3, "rows end at different steps: " + lengths);
    }

    /** Continuing each row from a prefix of its own greedy program writes the rest of that program, cached or not. */
    @Test
    void continuingFromAWrittenPrefixWritesTheRest() {
        for (int seed = 1; seed < 4; seed++) {
            try (Gpt model = eosLeaning(seed)) {
                Batch p = prompt(16);
                List<Decoder.Decoded> whole = new Decoder(model).greedy(p);
                int width = 1 + CFG.maxActions();
                int[] tokens = new int[16 * width];
                int[] written = new int[16];
                for (int r = 0; r < 16; r++) {
                    int[] t = whole.get(r).tokens();                    // actions, then EOS
                    written[r] = r % t.length;                           // 0 .. all actions written
                    tokens[r * width] = Tokens.BOS;
                    System.arraycopy(t, 0, tokens, r * width + 1, written[r]);
                }
                Batch prefixes = new Batch(16, p.specLen(), p.featDim(), p.spec(), width, tokens, new int[16 * width]);
                for (boolean cache : new boolean[] {true, false}) {
                    List<Decoder.Decoded> rest = new Decoder(model).optKvCache(cache)
                            .continueFrom(prefixes, written, HiddenFilter.none(), List.of());
                    for (int r = 0; r < 16; r++) {
                        int[] t = whole.get(r).tokens();
                        assertArrayEquals(Arrays.copyOfRange(t, written[r], t.length), rest.get(r).tokens(),
                                "row " + r + " after " + written[r] + " actions, cache " + cache);
                    }
                }
            }
        }
    }

    @Test
    void continuationRejectsMoreWrittenActionsThanThePromptHolds() {
        try (Gpt model = eosLeaning(1)) {
            assertThrows(LmException.class, () -> new Decoder(model).continueFrom(prompt(2), new int[] {1, 0},
                    HiddenFilter.none(), List.of()));
            assertThrows(LmException.class, () -> new Decoder(model).continueFrom(prompt(2), new int[] {0},
                    HiddenFilter.none(), List.of()));
        }
    }

    /** A random model whose EOS logit is close to the best action's, so programs end at various lengths. */
    private static Gpt eosLeaning(int seed) {
        try (Gpt random = Gpt.create(CFG.with("seed", Integer.toString(seed)), Device.cpu())) {
            NDManager m = random.manager();
            NDList weights = new NDList();
            random.parameters().forEach((name, w) -> {
                NDArray copy = w.duplicate();
                if (name.equals("lm_head.weight")) {
                    NDArray actions = w.get(new NDIndex("{}:{}, :", Tokens.FIRST_ACTION, Tokens.FIRST_FREE));
                    NDArray eos = actions.max(new int[] {0}).expandDims(0);             // (1, C)
                    NDArray rows = w.get(new NDIndex(":{}, :", Tokens.EOS)).concat(eos, 0)
                            .concat(w.get(new NDIndex("{}:, :", Tokens.EOS + 1)), 0);
                    copy = rows;
                }
                copy.setName(name);
                weights.add(copy);
            });
            return Gpt.create(CFG, Device.cpu(), weights);
        }
    }

    @Test
    void scoresTargetsAsSummedNll() {
        Batch b = Bench.syntheticGridBatch(3, CFG.featDim(), 4);
        try (Gpt model = Gpt.create(CFG, Device.cpu()); NDManager scope = model.newScope()) {
            List<Decoder.TargetScore> scores = new Decoder(model).scoreTargets(b);
            double nll = scores.stream().mapToDouble(Decoder.TargetScore::nll).sum();
            int count = scores.stream().mapToInt(Decoder.TargetScore::tokens).sum();
            assertEquals(b.targetCount(), count);
            assertEquals(b.tokLen(), scores.get(0).tokens());
            assertEquals(model.loss(scope, b, false).getFloat(), nll / count, 1e-5);
            assertNotEquals(scores.get(0).nll(), scores.get(1).nll());
        }
    }

    @Test
    void choiceObeysTheConstraints() {
        float[] logp = new float[8];
        Arrays.fill(logp, -5f);
        logp[Tokens.EOS] = -0.1f;
        logp[Tokens.PAD] = 0f;
        logp[6] = -1f;
        assertEquals(6, Decoder.choose(logp, 0, 0, 12), "no EOS before an action, never PAD");
        assertEquals(Tokens.EOS, Decoder.choose(logp, 0, 1, 12));
        logp[Tokens.EOS] = -9f;
        assertEquals(Tokens.EOS, Decoder.choose(logp, 0, 12, 12), "EOS forced at maxActions");
    }
}
