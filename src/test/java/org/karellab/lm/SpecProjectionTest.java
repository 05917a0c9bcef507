package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.karellab.data.GenConfig;
import org.karellab.data.Sampler;
import org.karellab.world.Interpreter;
import org.karellab.world.Program;
import org.karellab.world.World;

/** The ways spec features enter the model are one function: same logits, same gradients. */
class SpecProjectionTest {
    /** the smoke model on the ego encoding (2,315 features per position), untied head for an extra matrix */
    private static final LmConfig EGO = LmConfig.smoke().with("tieEmbeddings", "false");
    private static final float TOLERANCE = 1e-5f;

    /** A real ego batch: 4 random programs, 5 examples each. */
    private static Batch egoBatch() {
        return batch(new EgoEncoding());
    }

    /** 4 random programs, 5 examples each, in {@code encoding}. */
    private static Batch batch(SpecEncoding encoding) {
        Sampler s = new Sampler(GenConfig.defaults());
        SplittableRandom rng = new SplittableRandom(17);
        List<Spec> specs = new ArrayList<>();
        List<Program> programs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Program p = s.program(rng, 1 + rng.nextInt(10));
            List<World> in = new ArrayList<>();
            List<World> out = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                World w = s.world(rng);
                in.add(w);
                out.add(Interpreter.REFERENCE.run(w, p));
            }
            programs.add(p);
            specs.add(Spec.of(in, out, 5));
        }
        return encoding.encode(specs, programs);
    }

    /** Logits, then the gradient of every parameter of the loss, as flat float arrays. */
    private static Map<String, float[]> logitsAndGradients(Gpt model, Batch b) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager scope = model.newScope()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.forward(scope, b, false, HiddenFilter.none()).logits();
                out.put("logits", logits.toFloatArray());
                NDArray loss = model.targetLogProbs(logits, b).sum().div(-b.targetCount());
                collector.backward(loss);
            }
            for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
                NDArray g = p.getValue().getGradient();
                out.put(p.getKey(), g.toFloatArray());
                g.subi(g); // zero it for the next pass
            }
        }
        return out;
    }

    private static void assertClose(Map<String, float[]> want, Map<String, float[]> got, String what) {
        assertEquals(want.keySet(), got.keySet());
        for (String k : want.keySet()) {
            float[] a = want.get(k);
            float[] b = got.get(k);
            assertEquals(a.length, b.length, k);
            double scale = 0;
            double diff = 0;
            for (int i = 0; i < a.length; i++) {
                scale = Math.max(scale, Math.abs(a[i]));
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
            }
            assertTrue(diff <= TOLERANCE * Math.max(1, scale), what + ": " + k + " differs by " + diff + " (scale " + scale + ")");
        }
    }

    @Test
    void activeAndGatheredFeaturesGiveTheDenseLogitsAndGradients() {
        Batch b = egoBatch();
        assertTrue(b.activeFeatures().isPresent());
        try (Gpt model = Gpt.create(EGO.model(), Device.cpu())) {
            assertEquals(Gpt.SpecInput.ACTIVE, model.specInput(), "the default");
            Map<String, float[]> dense = logitsAndGradients(model.specInput(Gpt.SpecInput.DENSE), b);
            float[] specGrad = dense.get("spec_proj.weight");
            assertTrue(maxAbs(specGrad) > 0, "the spec projection gets a gradient");
            assertClose(dense, logitsAndGradients(model.specInput(Gpt.SpecInput.ACTIVE), b), "active");
            assertClose(dense, logitsAndGradients(model.specInput(Gpt.SpecInput.GATHER), b), "gather");
        }
    }

    @Test
    void theConvFrontEndGetsAGradientAndTheSameLogitsEveryWay() {
        Batch b = batch(EgoEncoding.north());
        try (Gpt model = Gpt.create(EGO.model().with("encoding", "north").with("specConv", "4"), Device.cpu())) {
            Map<String, float[]> dense = logitsAndGradients(model.specInput(Gpt.SpecInput.DENSE), b);
            assertTrue(maxAbs(dense.get("spec_conv.weight")) > 0, "the convolution's kernel gets a gradient");
            assertTrue(maxAbs(dense.get("spec_conv.bias")) > 0, "and its bias");
            assertClose(dense, logitsAndGradients(model.specInput(Gpt.SpecInput.ACTIVE), b), "active");
            assertClose(dense, logitsAndGradients(model.specInput(Gpt.SpecInput.GATHER), b), "gather");
        }
    }

    @Test
    void aDenseBatchWithOtherValuesThanZeroAndOneStaysDense() {
        Batch ego = egoBatch();
        float[] x = ego.spec().clone();
        x[3] = 0.5f; // no longer 0/1: there are no active features, every input takes the dense product
        Batch b = new Batch(ego.size(), ego.specLen(), ego.featDim(), x, ego.tokLen(), ego.tokens(), ego.targets());
        assertTrue(b.activeFeatures().isEmpty());
        try (Gpt model = Gpt.create(EGO.model(), Device.cpu())) {
            Map<String, float[]> dense = logitsAndGradients(model.specInput(Gpt.SpecInput.DENSE), b);
            assertClose(dense, logitsAndGradients(model.specInput(Gpt.SpecInput.ACTIVE), b), "active");
            assertClose(dense, logitsAndGradients(model.specInput(Gpt.SpecInput.GATHER), b), "gather");
            Map<String, float[]> binary = logitsAndGradients(model.specInput(Gpt.SpecInput.DENSE), ego);
            assertTrue(Math.abs(binary.get("logits")[0] - dense.get("logits")[0]) > 0
                    || Math.abs(binary.get("spec_proj.bias")[0] - dense.get("spec_proj.bias")[0]) > 0,
                    "the changed feature changes something");
        }
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
