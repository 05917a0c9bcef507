package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import org.junit.jupiter.api.Test;

class AdamWTest {
    @Test
    void scheduleWarmsUpThenDecaysToMinLr() {
        LmConfig cfg = TestConfigs.gridCpu().with("steps", "1000").with("warmupSteps", "100")
                .with("lr", "1e-3").with("minLr", "1e-4");
        assertEquals(1e-5, AdamW.learningRate(cfg, 0), 1e-12);
        assertEquals(1e-3, AdamW.learningRate(cfg, 99), 1e-12);
        assertEquals(1e-3, AdamW.learningRate(cfg, 100), 1e-12);
        assertEquals(5.5e-4, AdamW.learningRate(cfg, 550), 1e-9);   // cosine midpoint
        assertEquals(1e-4, AdamW.learningRate(cfg, 1000), 1e-12);
        LmConfig linear = cfg.with("schedule", "linear");
        assertEquals(5.5e-4, AdamW.learningRate(linear, 550), 1e-9);
        assertTrue(AdamW.learningRate(linear, 300) < AdamW.learningRate(cfg, 300), "cosine decays slower at first");
    }

    @Test
    void decayAppliesToLinearWeightsOnly() {
        try (Gpt model = Gpt.create(TestConfigs.gridSmoke().model().with("tieEmbeddings", "false"), Device.cpu())) {
            assertTrue(AdamW.decays("blocks.0.attn.qkv.weight", model.param("blocks.0.attn.qkv.weight")));
            assertTrue(AdamW.decays("lm_head.weight", model.param("lm_head.weight")));
            assertTrue(AdamW.decays("spec_proj.weight", model.param("spec_proj.weight")));
            assertFalse(AdamW.decays("blocks.0.ln1.weight", model.param("blocks.0.ln1.weight")));
            assertFalse(AdamW.decays("blocks.0.mlp.fc.bias", model.param("blocks.0.mlp.fc.bias")));
            assertFalse(AdamW.decays("tok_emb.weight", model.param("tok_emb.weight")));
            assertFalse(AdamW.decays("pos_emb.weight", model.param("pos_emb.weight")));
        }
        try (Gpt conv = Gpt.create(TestConfigs.gridSmoke().model().with("encoding", "abs").with("specConv", "2"), Device.cpu())) {
            assertFalse(AdamW.decays("spec_conv.weight", conv.param("spec_conv.weight")), "the 4-D kernel, as E11 ran");
            assertTrue(AdamW.decays("spec_proj.weight", conv.param("spec_proj.weight")));
        }
    }

    @Test
    void updatesLowerTheLossAndKeepTheirState() {
        LmConfig cfg = TestConfigs.gridSmoke().with("warmupSteps", "0").with("lr", "3e-3");
        Batch batch = Bench.syntheticGridBatch(8, cfg.model().featDim(), 3);
        try (Gpt model = Gpt.create(cfg.model(), Device.cpu())) {
            AdamW optimizer = new AdamW(cfg, model);
            float first = Training.step(model, optimizer, batch, 0).loss();
            float last = first;
            for (int s = 1; s < 15; s++) {
                last = Training.step(model, optimizer, batch, s).loss();
            }
            assertTrue(last < first - 0.2, "loss " + first + " -> " + last);
            assertEquals(15, optimizer.updates());
            NDList state = optimizer.state();
            assertEquals(2 * model.parameters().size(), state.size());
            assertEquals("m.spec_proj.weight", state.get(0).getName());
            assertEquals(0f, model.param("blocks.0.mlp.fc.weight").getGradient().abs().sum().getFloat(),
                    "gradients are zeroed after an update");
        }
    }
}
