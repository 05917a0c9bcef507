package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.List;
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
            for (Decoder.Decoded d : new Decoder(model).greedy(prompt(3), false)) {
                assertArrayEquals(new int[] {Tokens.actionToken(Action.TURN_LEFT), Tokens.EOS}, d.tokens());
                assertEquals(List.of(Action.TURN_LEFT), d.actions());
            }
        }
    }

    @Test
    void stopsAtMaxActions() {
        try (Gpt model = constantModel(Tokens.PAD)) {
            for (Decoder.Decoded d : new Decoder(model).greedy(prompt(2), false)) {
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
            for (Decoder.Decoded d : new Decoder(model).greedy(prompt(16), false)) {
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
            List<Decoder.Decoded> decoded = new Decoder(model).greedy(prompt, true);
            Decoder.Decoded first = decoded.get(0);
            assertEquals(first.actions().size(), first.hidden().size());
            float[][] states = first.hidden().get(first.hidden().size() - 1);
            assertEquals(CFG.nLayer() + 2, states.length);
            assertEquals(CFG.dModel(), states[0].length);

            // rerun the full sequence: the last action was emitted at token position actions
            int n = first.actions().size();
            int[] tokens = new int[n];
            tokens[0] = Tokens.BOS;
            System.arraycopy(first.tokens(), 0, tokens, 1, n - 1);
            Batch whole = new Batch(1, prompt.specLen(), prompt.featDim(),
                    Arrays.copyOf(prompt.spec(), prompt.specLen() * prompt.featDim()), n, tokens, new int[n]);
            try (NDManager scope = model.newScope()) {
                Gpt.Output out = model.forward(scope, whole, false, true);
                List<String> names = Gpt.hiddenNames(CFG.nLayer());
                for (int s = 0; s < names.size(); s++) {
                    float[] expected = out.hidden().get(names.get(s))
                            .get(new NDIndex("0, {}, :", prompt.specLen() + n - 1)).toFloatArray();
                    assertArrayEquals(expected, states[s], 1e-5f, names.get(s));
                }
            }
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
