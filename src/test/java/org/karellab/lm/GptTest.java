package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GptTest {
    private static final ModelShape SMOKE = TestConfigs.gridSmoke().model();

    @Test
    void hiddenStatesHaveStableNamesAndShapes() {
        Batch b = Bench.syntheticGridBatch(3, SMOKE.featDim(), 1);
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            Gpt.Output out = model.forward(scope, b, false, true);
            assertEquals(new Shape(3, b.tokLen(), SMOKE.vocabSize()), out.logits().getShape());
            assertEquals(List.of("embed", "blocks.0.resid_post", "blocks.1.resid_post", "final"),
                    List.copyOf(out.hidden().keySet()));
            assertEquals(Gpt.hiddenNames(SMOKE.nLayer()), List.copyOf(out.hidden().keySet()));
            for (NDArray h : out.hidden().values()) {
                assertEquals(new Shape(3, b.seqLen(), SMOKE.dModel()), h.getShape());
            }
            assertTrue(model.forward(scope, b, false, false).hidden().isEmpty());
        }
    }

    @Test
    void parameterCountMatchesTheConfigFormula() {
        for (ModelShape cfg : List.of(SMOKE, SMOKE.with("tieEmbeddings", "false"), SMOKE.with("encoding", "text"))) {
            try (Gpt model = Gpt.create(cfg, Device.cpu())) {
                assertEquals(cfg.parameterCount(), model.parameterCount());
            }
        }
    }

    @Test
    void initialisationIsDeterministicInTheSeed() {
        String a;
        String b;
        String c;
        try (Gpt m = Gpt.create(SMOKE, Device.cpu())) {
            a = m.weightsSha256();
        }
        try (Gpt m = Gpt.create(SMOKE, Device.cpu())) {
            b = m.weightsSha256();
        }
        try (Gpt m = Gpt.create(SMOKE.with("seed", "2"), Device.cpu())) {
            c = m.weightsSha256();
        }
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void changingALaterTokenNeverChangesEarlierPositions() {
        Batch b = Bench.syntheticGridBatch(2, SMOKE.featDim(), 7);
        int changed = 6;                                            // token position
        int[] tokens = b.tokens().clone();
        for (int r = 0; r < b.size(); r++) {
            int i = r * b.tokLen() + changed;
            tokens[i] = tokens[i] == Tokens.EOS ? Tokens.BOS : Tokens.EOS;
        }
        Batch altered = new Batch(b.size(), b.specLen(), b.featDim(), b.spec(), b.tokLen(), tokens, b.targets());
        int firstChangedPosition = b.specLen() + changed;
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            Gpt.Output x = model.forward(scope, b, false, true);
            Gpt.Output y = model.forward(scope, altered, false, true);
            for (Map.Entry<String, NDArray> e : x.hidden().entrySet()) {
                NDArray before = e.getValue().get(new NDIndex(":, :{}, :", firstChangedPosition));
                NDArray after = y.hidden().get(e.getKey()).get(new NDIndex(":, :{}, :", firstChangedPosition));
                assertArrayEquals(before.toFloatArray(), after.toFloatArray(), e.getKey());
                NDArray later = e.getValue().get(new NDIndex(":, {}:, :", firstChangedPosition));
                NDArray laterAltered = y.hidden().get(e.getKey()).get(new NDIndex(":, {}:, :", firstChangedPosition));
                assertFalse(later.contentEquals(laterAltered), e.getKey() + " should see the change");
            }
            assertArrayEquals(x.logits().get(new NDIndex(":, :{}, :", changed)).toFloatArray(),
                    y.logits().get(new NDIndex(":, :{}, :", changed)).toFloatArray());
        }
    }

    @Test
    void textEncodingHasNoSpecPositions() {
        ModelShape text = SMOKE.with("encoding", "text");
        int vocab = text.vocabSize();
        int[] tokens = {8, 9, 10, Tokens.BOS, 3, 4, 11, 12, Tokens.BOS, 5};
        int[] targets = {-1, -1, -1, 3, 4, -1, -1, -1, 5, Tokens.EOS};
        Batch b = new Batch(2, 0, 0, new float[0], 5, tokens, targets);
        try (Gpt model = Gpt.create(text, Device.cpu()); NDManager scope = model.newScope()) {
            Gpt.Output out = model.forward(scope, b, false, true);
            assertEquals(new Shape(2, 5, vocab), out.logits().getShape());
            assertEquals(new Shape(2, 5, 32), out.hidden().get("final").getShape());
            float loss = model.loss(scope, b, false).getFloat();
            assertTrue(Math.abs(loss - Math.log(vocab)) < 1, "untrained loss near ln(V): " + loss);
        }
    }

    @Test
    void tooLongSequencesFailClearly() {
        Batch b = Bench.syntheticGridBatch(1, SMOKE.featDim(), 1);
        ModelShape shortContext = SMOKE.with("maxActions", "5");                  // 10 spec + BOS + 5 actions
        try (Gpt model = Gpt.create(shortContext, Device.cpu()); NDManager scope = model.newScope()) {
            LmException e = assertThrows(LmException.class, () -> model.forward(scope, b, false, false));
            assertEquals("sequence of 22 positions exceeds contextLength 16", e.getMessage());
        }
    }
}
