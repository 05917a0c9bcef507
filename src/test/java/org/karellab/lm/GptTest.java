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
    void hiddenStatesHaveTransformerLensNamesAndShapes() {
        Batch b = Bench.syntheticGridBatch(3, SMOKE.featDim(), 1);
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            Gpt.Output out = model.forward(scope, b, false, HiddenFilter.all());
            assertEquals(new Shape(3, b.tokLen(), SMOKE.vocabSize()), out.logits().getShape());
            assertEquals(List.of("blocks.0.resid_pre", "blocks.0.resid_mid", "blocks.0.resid_post",
                    "blocks.1.resid_pre", "blocks.1.resid_mid", "blocks.1.resid_post", "ln_final.normalized"),
                    List.copyOf(out.hidden().keySet()));
            assertEquals(Gpt.hiddenNames(SMOKE.nLayer()), List.copyOf(out.hidden().keySet()));
            for (NDArray h : out.hidden().values()) {
                assertEquals(new Shape(3, b.seqLen(), SMOKE.dModel()), h.getShape());
            }
            assertTrue(model.forward(scope, b, false, HiddenFilter.none()).hidden().isEmpty());
        }
    }

    @Test
    void statesChainFromBlockToBlock() {
        Batch b = Bench.syntheticGridBatch(2, SMOKE.featDim(), 3);
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            Map<String, NDArray> h = model.forward(scope, b, false, HiddenFilter.all()).hidden();
            // resid_pre of block i+1 is resid_post of block i
            assertArrayEquals(h.get("blocks.0.resid_post").toFloatArray(), h.get("blocks.1.resid_pre").toFloatArray());
            // the embedding sum: spec_proj at spec positions, tok_emb at tokens, plus pos_emb
            NDArray pos = model.param("pos_emb.weight").get(new NDIndex(":{}, :", b.seqLen()));  // (L, C)
            NDArray tok = model.param("tok_emb.weight").get(new NDIndex("{}, :", Tokens.BOS)); // BOS at token 0
            assertArrayEquals(tok.add(pos.get(b.specLen())).toFloatArray(),
                    h.get("blocks.0.resid_pre").get(new NDIndex("0, {}, :", b.specLen())).toFloatArray(), 1e-6f);
            // ln_final.normalized is ln_f(resid_post of the last block): mean 0, variance 1 (gain 1, bias 0)
            NDArray fin = h.get("ln_final.normalized");
            assertEquals(0f, fin.mean(new int[] {2}).abs().max().getFloat(), 1e-5f);
            assertEquals(1f, fin.pow(2).mean(new int[] {2}).mean().getFloat(), 2e-2f);
            // resid_mid differs from both neighbours (attention and MLP both write)
            assertFalse(h.get("blocks.0.resid_mid").contentEquals(h.get("blocks.0.resid_pre")));
            assertFalse(h.get("blocks.0.resid_mid").contentEquals(h.get("blocks.0.resid_post")));
        }
    }

    @Test
    void theFilterKeepsOnlyWhatIsAsked() {
        Batch b = Bench.syntheticGridBatch(2, SMOKE.featDim(), 3);
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            Map<String, NDArray> all = model.forward(scope, b, false, HiddenFilter.all()).hidden();
            Map<String, NDArray> posts = model.forward(scope, b, false, HiddenFilter.of("blocks.*.resid_post")).hidden();
            assertEquals(List.of("blocks.0.resid_post", "blocks.1.resid_post"), List.copyOf(posts.keySet()));
            Map<String, NDArray> two = model.forward(scope, b, false,
                    HiddenFilter.of("ln_final.normalized", "blocks.0.resid_pre")).hidden();
            assertEquals(List.of("blocks.0.resid_pre", "ln_final.normalized"), List.copyOf(two.keySet()),
                    "in hiddenNames order, whatever the order asked");
            for (Map.Entry<String, NDArray> e : two.entrySet()) {
                assertArrayEquals(all.get(e.getKey()).toFloatArray(), e.getValue().toFloatArray(), e.getKey());
            }
            assertEquals(List.of("blocks.1.resid_pre", "blocks.1.resid_mid", "blocks.1.resid_post"),
                    List.copyOf(model.forward(scope, b, false, HiddenFilter.of("blocks.1.*")).hidden().keySet()));
            LmException typo = assertThrows(LmException.class,
                    () -> model.forward(scope, b, false, HiddenFilter.of("blocks.*.resid_psot")));
            assertTrue(typo.getMessage().contains("'blocks.*.resid_psot' matches no hidden state"), typo.getMessage());
            assertThrows(LmException.class, () -> model.forward(scope, b, false, HiddenFilter.of("blocks.2.resid_post")),
                    "a block the model does not have");
        }
    }

    @Test
    void parameterCountMatchesTheConfigFormula() {
        for (ModelShape cfg : List.of(SMOKE, SMOKE.with("tieEmbeddings", "false"), SMOKE.with("encoding", "text"),
                SMOKE.with("specHidden", "48"))) {
            try (Gpt model = Gpt.create(cfg, Device.cpu())) {
                assertEquals(cfg.parameterCount(), model.parameterCount());
            }
        }
    }

    @Test
    void theSpecFrontEndIsAnMlpPerPosition() {
        // specHidden H: the spec positions enter as spec_mlp(GELU(spec_proj(x))), computed here by hand
        ModelShape cfg = SMOKE.with("specHidden", "48");
        Batch b = Bench.syntheticGridBatch(2, cfg.featDim(), 5);
        try (Gpt model = Gpt.create(cfg, Device.cpu()); NDManager scope = model.newScope()) {
            assertEquals(new Shape(48, cfg.featDim()), model.param("spec_proj.weight").getShape());
            assertEquals(new Shape(cfg.dModel(), 48), model.param("spec_mlp.weight").getShape());
            NDArray x = scope.create(b.spec(), new Shape(2, b.specLen(), cfg.featDim()));        // (B, S, F)
            NDArray h = x.matMul(model.param("spec_proj.weight").transpose()).add(model.param("spec_proj.bias"));
            // GELU as PyTorch's default: 0.5 x (1 + erf(x / sqrt 2))
            float[] hv = h.toFloatArray();
            float[] g = new float[hv.length];
            for (int i = 0; i < hv.length; i++) {
                g[i] = (float) (0.5 * hv[i] * (1 + erf(hv[i] / Math.sqrt(2))));
            }
            NDArray want = scope.create(g, h.getShape()).matMul(model.param("spec_mlp.weight").transpose())
                    .add(model.param("spec_mlp.bias"));                                          // (B, S, C)
            for (Gpt.SpecInput how : Gpt.SpecInput.values()) {
                model.specInput(how);
                assertArrayEquals(want.toFloatArray(), model.specProjection(scope, b).toFloatArray(), 1e-5f, how.name());
            }
            // and it is what blocks.0.resid_pre holds at a spec position, with pos_emb
            model.specInput(Gpt.SpecInput.ACTIVE);
            NDArray embed = model.forward(scope, b, false, HiddenFilter.of(Gpt.EMBED)).hidden().get(Gpt.EMBED);
            assertArrayEquals(want.get(new NDIndex("1, 2, :")).add(model.param("pos_emb.weight").get(2)).toFloatArray(),
                    embed.get(new NDIndex("1, 2, :")).toFloatArray(), 1e-5f);
        }
        assertThrows(LmException.class, () -> SMOKE.with("specHidden", "-1").validate());
        LmException text = assertThrows(LmException.class, () -> SMOKE.with("encoding", "text").with("specHidden", "8").validate());
        assertEquals("config: specHidden needs an encoding with spec features, not text", text.getMessage());
    }

    @Test
    void theSpecConvFrontEndIsAConvolutionOverEachPairsCanvas() {
        // specConv K: spec_proj(GELU(conv3x3(canvas + start facing broadcast)), pose), computed here by hand,
        // on abs (one 6x6 block of 24 channels) and abs4 (four blocks, read as 96 channels); with
        // specConvFacing=false the convolution reads the canvas channels alone
        for (String encoding : List.of("abs", "abs4"))
        for (boolean withFacing : List.of(true, false)) {
            ModelShape cfg = SMOKE.with("encoding", encoding).with("specConv", "3")
                    .with("specConvFacing", Boolean.toString(withFacing));
            CanvasShape c = cfg.canvas();
            int side = c.side();
            int k = 3;
            Batch b = Bench.syntheticGridBatch(2, cfg.featDim(), 11);
            String what = encoding + " specConvFacing=" + withFacing;
            try (Gpt model = Gpt.create(cfg, Device.cpu()); NDManager scope = model.newScope()) {
                int cin = c.blocks() * c.channels() + (withFacing ? 4 : 0);
                assertEquals(new Shape(k, cin, 3, 3), model.param("spec_conv.weight").getShape(), what);
                assertEquals(new Shape(cfg.dModel(), k * side * side + 16), model.param("spec_proj.weight").getShape());
                float[] w = model.param("spec_conv.weight").toFloatArray();                      // (K, Cin, 3, 3)
                float[] bias = model.param("spec_conv.bias").toFloatArray();
                int f = cfg.featDim();
                int positions = 2 * b.specLen();
                float[] x = b.spec();
                float[] front = new float[positions * cfg.specInputWidth()];
                for (int p = 0; p < positions; p++) {
                    int at = p * f;
                    int out = p * cfg.specInputWidth();
                    for (int o = 0; o < k; o++) {
                        for (int r = 0; r < side; r++) {
                            for (int col = 0; col < side; col++) {
                                double sum = bias[o];
                                for (int ch = 0; ch < cin; ch++) {
                                    for (int dr = -1; dr <= 1; dr++) {
                                        for (int dc = -1; dc <= 1; dc++) {
                                            int rr = r + dr;
                                            int cc = col + dc;
                                            if (rr < 0 || rr >= side || cc < 0 || cc >= side) {
                                                continue;                       // zero padding
                                            }
                                            float in = ch < c.blocks() * c.channels()
                                                    ? x[at + (ch / c.channels()) * side * side * c.channels()
                                                        + (rr * side + cc) * c.channels() + ch % c.channels()]
                                                    : x[at + c.canvasFeatures() + ch - c.blocks() * c.channels()]; // facing, every cell
                                            sum += w[((o * cin + ch) * 3 + dr + 1) * 3 + dc + 1] * in;
                                        }
                                    }
                                }
                                front[out + (o * side + r) * side + col] = (float) (0.5 * sum * (1 + erf(sum / Math.sqrt(2))));
                            }
                        }
                    }
                    for (int e = 0; e < 16; e++) {
                        front[out + k * side * side + e] = x[at + c.canvasFeatures() + e];
                    }
                }
                NDArray want = scope.create(front, new Shape(2, b.specLen(), cfg.specInputWidth()))
                        .matMul(model.param("spec_proj.weight").transpose()).add(model.param("spec_proj.bias"));
                for (Gpt.SpecInput how : Gpt.SpecInput.values()) {
                    model.specInput(how);
                    assertArrayEquals(want.toFloatArray(), model.specProjection(scope, b).toFloatArray(), 1e-5f,
                            what + " " + how.name());
                }
                assertEquals(cfg.parameterCount(), model.parameterCount(), what);
            }
        }
        assertThrows(LmException.class, () -> SMOKE.with("encoding", "abs").with("specConv", "-1").validate());
        LmException noConv = assertThrows(LmException.class, () -> SMOKE.with("encoding", "abs").with("specConvFacing", "false").validate());
        assertEquals("config: specConvFacing=false needs specConv > 0 (there is no convolution to leave it out of)", noConv.getMessage());
        LmException grid = assertThrows(LmException.class, () -> SMOKE.with("specConv", "4").validate());
        assertTrue(grid.getMessage().startsWith("config: specConv needs an encoding that draws each pair on a canvas"),
                grid.getMessage());
    }

    /** erf(z) by its Maclaurin series (the pre-activations here are small). */
    private static double erf(double z) {
        double sum = 0;
        double term = z;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -z * z / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
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
            Gpt.Output x = model.forward(scope, b, false, HiddenFilter.all());
            Gpt.Output y = model.forward(scope, altered, false, HiddenFilter.all());
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
            Gpt.Output out = model.forward(scope, b, false, HiddenFilter.all());
            assertEquals(new Shape(2, 5, vocab), out.logits().getShape());
            assertEquals(new Shape(2, 5, 32), out.hidden().get("ln_final.normalized").getShape());
            float loss = model.loss(scope, b, false).getFloat();
            assertTrue(Math.abs(loss - Math.log(vocab)) < 1, "untrained loss near ln(V): " + loss);
        }
    }

    @Test
    void tooLongSequencesFailClearly() {
        Batch b = Bench.syntheticGridBatch(1, SMOKE.featDim(), 1);
        ModelShape shortContext = SMOKE.with("maxActions", "5");                  // 10 spec + BOS + 5 actions
        try (Gpt model = Gpt.create(shortContext, Device.cpu()); NDManager scope = model.newScope()) {
            LmException e = assertThrows(LmException.class, () -> model.forward(scope, b, false, HiddenFilter.none()));
            assertEquals("sequence of 22 positions exceeds contextLength 16", e.getMessage());
        }
    }
}
