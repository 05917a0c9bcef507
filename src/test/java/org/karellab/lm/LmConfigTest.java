package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LmConfigTest {
    @Test
    void profilesAreValid() {
        for (String name : LmConfig.profileNames()) {
            LmConfig.profile(name).validate();
        }
        LmConfig cpu = LmConfig.profile("cpu");
        assertEquals(4, cpu.nLayer());
        assertEquals(256, cpu.dModel());
        assertEquals("ego", cpu.encoding());
        // 3.26M in the blocks and embeddings, plus the ego projection 2315 x 256
        assertTrue(Math.abs(cpu.parameterCount() - 3.76e6) < 0.1e6, "cpu profile has " + cpu.parameterCount());
        assertEquals("all", cpu.trainLengths());
        assertEquals("1-3@0,1-6@0.1,1-10@0.25", cpu.curriculum());
        LmConfig paper = LmConfig.profile("paper");
        assertEquals(20, paper.nLayer());
        assertEquals("text", paper.encoding());
        assertEquals(2000, Training.checkpointInterval(paper));
        assertEquals("6-10", paper.trainLengths());
        assertEquals("none", paper.curriculum());
    }

    @Test
    void unknownProfileNamesTheKnownOnes() {
        LmException e = assertThrows(LmException.class, () -> LmConfig.profile("huge"));
        assertEquals("unknown config profile 'huge' (known: smoke, cpu, paper)", e.getMessage());
    }

    @Test
    void overridesAreTyped() {
        LmConfig c = LmConfig.cpu().with("nLayer", "6").with("lr", "3e-4").with("tieEmbeddings", "false")
                .with("schedule", "linear").with("seed", "12345678901");
        assertEquals(6, c.nLayer());
        assertEquals(3e-4, c.lr());
        assertEquals(false, c.tieEmbeddings());
        assertEquals("linear", c.schedule());
        assertEquals(12345678901L, c.seed());

        assertEquals("config key 'nLayer' wants an integer, got 'abc'",
                assertThrows(LmException.class, () -> c.with("nLayer", "abc")).getMessage());
        assertEquals("config key 'lr' wants a number, got 'fast'",
                assertThrows(LmException.class, () -> c.with("lr", "fast")).getMessage());
        assertEquals("config key 'tieEmbeddings' wants true or false, got 'yes'",
                assertThrows(LmException.class, () -> c.with("tieEmbeddings", "yes")).getMessage());
        assertEquals("config key 'schedule' wants one of cosine|linear, got 'step'",
                assertThrows(LmException.class, () -> c.with("schedule", "step")).getMessage());
    }

    @Test
    void unknownKeyListsTheKnownKeys() {
        String message = assertThrows(LmException.class, () -> LmConfig.cpu().with("x", "1")).getMessage();
        assertTrue(message.startsWith("unknown config key 'x' (known: encoding, featDim, "), message);
        assertTrue(message.contains("numThreads)"), message);
    }

    @Test
    void validateChecksRelationsBetweenKeys() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("dModel", "100");
        bad.put("nHead", "3");
        String message = assertThrows(LmException.class, () -> LmConfig.cpu().withAll(bad)).getMessage();
        assertEquals("config: dModel 100 is not a multiple of nHead 3", message);
    }

    @Test
    void jsonRoundTrip() {
        for (String name : LmConfig.profileNames()) {
            LmConfig c = LmConfig.profile(name).with("lr", "1.2345e-3");
            assertEquals(c, LmConfig.fromJson(c.toJson()));
        }
        assertEquals(LmConfig.cpu().with("nLayer", "3"), LmConfig.fromJson("{\"nLayer\": 3}"));
        assertTrue(LmConfig.cpu().differences(LmConfig.smoke()).contains("nLayer: 4 -> 2"));
    }
}
