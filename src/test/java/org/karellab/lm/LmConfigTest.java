package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LmConfigTest {
    /** RUN/config.json of the cpu reproduction as trained before the config had parts (runs/cpu/run). */
    private static final String CPU_RUN_BEFORE_PARTS = """
            {
              "encoding" : "ego",
              "featDim" : 2315,
              "vocabSize" : 8,
              "contextLength" : 18,
              "trainLengths" : "all",
              "curriculum" : "1-3@0,1-6@0.1,1-10@0.25",
              "maxActions" : 12,
              "nLayer" : 4,
              "dModel" : 256,
              "nHead" : 4,
              "mlpRatio" : 4,
              "dropout" : 0.0,
              "tieEmbeddings" : true,
              "batchSize" : 128,
              "lr" : 0.001,
              "minLr" : 1.0E-4,
              "warmupSteps" : 200,
              "steps" : 5000,
              "weightDecay" : 0.1,
              "beta1" : 0.9,
              "beta2" : 0.99,
              "gradClip" : 1.0,
              "schedule" : "cosine",
              "checkpoints" : 40,
              "logEvery" : 50,
              "seed" : 1,
              "device" : "auto",
              "numThreads" : 0
            }
            """;

    @Test
    void profilesAreValid() {
        for (String name : LmConfig.profileNames()) {
            LmConfig.profile(name).validate();
        }
        LmConfig cpu = LmConfig.profile("cpu");
        assertEquals(4, cpu.model().nLayer());
        assertEquals(256, cpu.model().dModel());
        assertEquals("ego", cpu.model().encoding());
        // 3.26M in the blocks and embeddings, plus the ego projection 2315 x 256
        assertTrue(Math.abs(cpu.model().parameterCount() - 3.76e6) < 0.1e6, "cpu profile has " + cpu.model().parameterCount());
        assertEquals("all", cpu.data().trainLengths());
        assertEquals("1-3@0,1-6@0.1,1-10@0.25", cpu.data().curriculum());
        LmConfig paper = LmConfig.profile("paper");
        assertEquals(20, paper.model().nLayer());
        assertEquals("text", paper.model().encoding());
        assertEquals(2000, Training.checkpointInterval(paper));
        assertEquals("6-10", paper.data().trainLengths());
        assertEquals("none", paper.data().curriculum());
        assertEquals(LmConfig.cpu(), LmConfig.builder().build(), "the builder starts at the cpu recipe");
    }

    @Test
    void sizesAreDerivedFromTheEncodingAndTheData() {
        ModelShape ego = LmConfig.cpu().model();
        assertEquals(2315, ego.featDim());
        assertEquals(Tokens.FIRST_FREE, ego.vocabSize());
        assertEquals(5 + 1 + 12, ego.contextLength(), "5 pairs, BOS, 12 actions");
        ModelShape grid = ego.with("encoding", "grid").with("specExamples", "3").with("maxActions", "7");
        assertEquals(360, grid.featDim());
        assertEquals(6 + 1 + 7, grid.contextLength(), "6 worlds, BOS, 7 actions");
        ModelShape text = ego.with("encoding", "text");
        assertEquals(0, text.featDim());
        assertEquals(430 + 1 + 12, text.contextLength(), "430 spec tokens, BOS, 12 actions");

        LmException e = assertThrows(LmException.class, () -> LmConfig.cpu().with("featDim", "360"));
        assertEquals("config key 'featDim' is derived from encoding (here 2315), not set: set encoding instead", e.getMessage());
        e = assertThrows(LmException.class, () -> LmConfig.cpu().with("contextLength", "32"));
        assertEquals("config key 'contextLength' is derived from encoding, specExamples and maxActions (here 18), not set: "
                + "set maxActions or encoding instead", e.getMessage());
    }

    @Test
    void trainTakesSpecExamplesFromTheData() {
        assertEquals(3, TrainRecipe.config("smoke", Map.of(), 3).model().specExamples());
        LmException e = assertThrows(LmException.class,
                () -> TrainRecipe.config("smoke", Map.of("specExamples", "4"), 3));
        assertEquals("--set specExamples=4: the dataset has 3 examples per specification (specExamples comes from the data)",
                e.getMessage());
    }

    @Test
    void unknownProfileNamesTheKnownOnes() {
        LmException e = assertThrows(LmException.class, () -> LmConfig.profile("huge"));
        assertEquals("unknown config profile 'huge' (known: smoke, cpu, cpu-abs, paper)", e.getMessage());
    }

    @Test
    void overridesAreTyped() {
        LmConfig c = LmConfig.cpu().with("nLayer", "6").with("lr", "3e-4").with("tieEmbeddings", "false")
                .with("schedule", "linear").with("seed", "12345678901");
        assertEquals(6, c.model().nLayer());
        assertEquals(3e-4, c.optimizer().lr());
        assertEquals(false, c.model().tieEmbeddings());
        assertEquals("linear", c.optimizer().schedule());
        assertEquals(12345678901L, c.model().seed());

        assertEquals("config key 'nLayer' wants an integer, got 'abc'",
                assertThrows(LmException.class, () -> c.with("nLayer", "abc")).getMessage());
        assertEquals("config key 'lr' wants a number, got 'fast'",
                assertThrows(LmException.class, () -> c.with("lr", "fast")).getMessage());
        assertEquals("config key 'tieEmbeddings' wants true or false, got 'yes'",
                assertThrows(LmException.class, () -> c.with("tieEmbeddings", "yes")).getMessage());
        assertEquals("config key 'schedule' wants one of cosine|linear, got 'step'",
                assertThrows(LmException.class, () -> c.with("schedule", "step")).getMessage());
        assertEquals("config key 'encoding' wants one of grid|text|ego|north|north4|abs|abs4, got 'pixels'",
                assertThrows(LmException.class, () -> c.with("encoding", "pixels")).getMessage());
        assertEquals("config key 'matmulPrecision' wants one of highest|high|medium, got 'bf16'",
                assertThrows(LmException.class, () -> c.with("matmulPrecision", "bf16")).getMessage());
        assertEquals("medium", c.with("matmulPrecision", "medium").hardware().matmulPrecision());
        assertEquals("config key 'batchSize' wants an integer, got '1.5'",
                assertThrows(LmException.class, () -> LmConfig.builder().set("batchSize", "1.5")).getMessage());
    }

    @Test
    void builderAndWithAgree() {
        LmConfig built = LmConfig.builder().optNLayer(2).optLr(2e-3).optEncoding("grid").optValSamples(0).build();
        LmConfig with = LmConfig.cpu().with("nLayer", "2").with("lr", "2e-3").with("encoding", "grid")
                .with("valSamples", "0");
        assertEquals(built, with);
        assertEquals(built, built.toBuilder().build());
        assertEquals(with, LmConfig.builder().set("nLayer", "2").set("lr", "0.002").set("encoding", "grid")
                .set("valSamples", "0").build());
        // every key the config has can be set through the builder
        LmConfig.Builder b = LmConfig.builder();
        for (String key : LmConfig.keys()) {
            b.set(key, String.valueOf(LmConfig.paper().values().get(key)));
        }
        assertEquals(LmConfig.paper(), b.build());
    }

    @Test
    void unknownKeyListsTheKnownKeys() {
        String message = assertThrows(LmException.class, () -> LmConfig.cpu().with("x", "1")).getMessage();
        assertTrue(message.startsWith("unknown config key 'x' (known: encoding, specExamples, maxActions, nLayer, "), message);
        assertTrue(message.contains("numThreads, matmulPrecision)"), message);
    }

    @Test
    void validateChecksRelationsBetweenKeys() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("dModel", "100");
        bad.put("nHead", "3");
        String message = assertThrows(LmException.class, () -> LmConfig.cpu().withAll(bad)).getMessage();
        assertEquals("config: dModel 100 is not a multiple of nHead 3", message);
        assertEquals("config: warmupSteps 200 is not in [0, steps]",
                assertThrows(LmException.class, () -> LmConfig.builder().optSteps(100).build()).getMessage());
        assertTrue(assertThrows(LmException.class, () -> LmConfig.builder().optCurriculum("1-3").build())
                .getMessage().startsWith("config: curriculum '1-3': "));
    }

    @Test
    void jsonRoundTrip() {
        for (String name : LmConfig.profileNames()) {
            LmConfig c = LmConfig.profile(name).with("lr", "1.2345e-3");
            assertEquals(c, LmConfig.fromJson(c.toJson()));
        }
        assertEquals(LmConfig.cpu().with("nLayer", "3"), LmConfig.fromJson("{\"nLayer\": 3}"));
        assertTrue(LmConfig.cpu().differences(LmConfig.smoke()).contains("nLayer: 4 -> 2"));
        assertTrue(LmConfig.cpu().toJson().contains("\"contextLength\" : 18"), "derived sizes are written for readers");
    }

    @Test
    void configsWrittenBeforeThePartsStillLoadAsTheSameModel() {
        LmConfig old = LmConfig.fromJson(CPU_RUN_BEFORE_PARTS);
        assertEquals(LmConfig.cpu(), old);
        assertEquals(2315, old.model().featDim());
        assertEquals(18, old.model().contextLength());
        assertEquals("highest", old.hardware().matmulPrecision(), "runs before the key trained in float32");
        assertEquals(List.of(), old.differences(LmConfig.cpu()));

        // before specExamples was a key, the context length says how many examples the data had
        LmConfig three = LmConfig.fromJson("{\"encoding\": \"grid\", \"featDim\": 360, \"contextLength\": 19}");
        assertEquals(3, three.model().specExamples(), "6 worlds + BOS + 12 actions = 19");

        LmException e = assertThrows(LmException.class,
                () -> LmConfig.fromJson("{\"encoding\": \"grid\", \"featDim\": 2315}"));
        assertEquals("config: featDim 2315 is recorded, but encoding grid with specExamples 5 and maxActions 12 gives 360",
                e.getMessage());
    }

    @Test
    void theRegistryNamesEveryEncodingAndItsFrame() {
        assertEquals(List.of("grid", "text", "ego", "north", "north4", "abs", "abs4"), SpecEncodings.names());
        assertEquals(SpecEncodings.Frame.START, SpecEncodings.frame("ego"));
        assertEquals(SpecEncodings.Frame.ABSOLUTE, SpecEncodings.frame("grid"));
        assertEquals(SpecEncodings.Frame.ABSOLUTE, SpecEncodings.frame("text"));
        assertEquals("unknown encoding 'pixels' (known: grid, text, ego, north, north4, abs, abs4)",
                assertThrows(LmException.class, () -> SpecEncoding.byName("pixels")).getMessage());
        assertThrows(LmException.class, () -> SpecEncodings.register(
                new SpecEncodings.Entry("mine", SpecEncodings.Frame.ABSOLUTE, "misnamed", GridEncoding::new)));
        assertEquals(List.of("grid", "text", "ego", "north", "north4", "abs", "abs4"), SpecEncodings.names(), "a refused registration leaves no trace");
    }
}
