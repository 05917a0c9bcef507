package org.karellab.probe;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.transform.TransformTrainer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeRegistryTest {

    /** What a notebook would define: a tanh MLP. */
    static final class TanhMlp extends ProbeNetworkTrainer {
        TanhMlp(Settings settings) {
            super(settings);
        }

        @Override
        protected Block network(int inputs, int outputs) {
            return new SequentialBlock()
                    .add(Linear.builder().setUnits(16).build())
                    .add(Activation.tanhBlock())
                    .add(Linear.builder().setUnits(outputs).build());
        }
    }

    @Test
    void aRegisteredNotebookTrainerIsFoundByName() {
        try {
            ProbeRegistry.register("tanh-mlp", seed -> new TanhMlp(ProbeNetworkTrainer.Settings.defaults(seed)
                    .optLearningRate(1e-2).optBatchSize(64).optEpochs(40)));
            assertTrue(ProbeRegistry.names().contains("tanh-mlp"));
            assertEquals(List.of("linear", "mlp1", "mlp2", "liblinear", "tree", "dummy"), ProbeRegistry.names().subList(0, 6));
            Trainer<Label> trainer = ProbeRegistry.trainer("tanh-mlp", 4);
            assertEquals(4, assertInstanceOf(TanhMlp.class, trainer).settings().seed());
            assertEquals(List.of("default"), List.copyOf(ProbeRegistry.candidates("tanh-mlp", 4).keySet()));
            // and it trains like any probe
            Synthetic.Rows rows = Synthetic.xor(1000, 4, new SplittableRandom(50));
            double accuracy = ProbeScore.of(trainer.train(rows.dataset("train")), rows.dataset("train")).accuracy();
            assertTrue(accuracy > 0.85, "tanh MLP on XOR " + accuracy);
            // registering again replaces it; a Tribuo trainer is wrapped in the standardiser
            ProbeRegistry.register("tanh-mlp", seed -> new CARTClassificationTrainer(3));
            assertInstanceOf(TransformTrainer.class, ProbeRegistry.trainer("tanh-mlp", 4));
        } finally {
            ProbeRegistry.unregister("tanh-mlp");
        }
        assertFalse(ProbeRegistry.names().contains("tanh-mlp"));
    }

    @Test
    void aRegisteredGridKeepsItsOrderAndItsFirstIsTheDefault() {
        try {
            ProbeRegistry.registerCandidates("tanh-grid", seed -> {
                LinkedHashMap<String, Trainer<Label>> grid = new LinkedHashMap<>();
                grid.put("slow", new TanhMlp(ProbeNetworkTrainer.Settings.defaults(seed).optLearningRate(1e-4)));
                grid.put("fast", new TanhMlp(ProbeNetworkTrainer.Settings.defaults(seed).optLearningRate(1e-2)));
                return grid;
            });
            LinkedHashMap<String, Trainer<Label>> grid = ProbeRegistry.candidates("tanh-grid", 8);
            assertEquals(List.of("slow", "fast"), List.copyOf(grid.keySet()));
            assertEquals(1e-4, ((TanhMlp) ProbeRegistry.trainer("tanh-grid", 8)).settings().learningRate());
        } finally {
            ProbeRegistry.unregister("tanh-grid");
        }
    }

    @Test
    void builtInGridsAreSmallSeededAndDefaultFirst() {
        for (String probe : List.of("linear", "mlp1", "mlp2")) {
            LinkedHashMap<String, Trainer<Label>> grid = ProbeRegistry.candidates(probe, 3);
            assertTrue(grid.size() >= 2 && grid.size() <= 4, probe + ": " + grid.keySet());
            for (var candidate : grid.entrySet()) {
                ProbeNetworkTrainer trainer = assertInstanceOf(ProbeNetworkTrainer.class, candidate.getValue());
                assertEquals(3, trainer.settings().seed());
                assertEquals(trainer.settings().describe(), candidate.getKey());
            }
            assertEquals(grid.values().iterator().next().toString(), ProbeRegistry.trainer(probe, 3).toString());
        }
        assertEquals("[256, 1024]", java.util.Arrays.toString(((MlpTrainer) ProbeRegistry.trainer("mlp2", 1)).hiddenSizes()));
        assertEquals(1, ProbeRegistry.candidates("tree", 1).size());
    }

    @Test
    void badRegistrationsAreClearErrors() {
        assertEquals("probe 'linear' is built in; register under another name", assertThrows(IllegalArgumentException.class,
                () -> ProbeRegistry.register("linear", seed -> new CARTClassificationTrainer(3))).getMessage());
        assertEquals("probe name 'my probe' must be letters, digits and _.+- (not a file name)", assertThrows(
                IllegalArgumentException.class, () -> ProbeRegistry.register("my probe", seed -> new CARTClassificationTrainer(3))).getMessage());
        assertEquals("probe name 'p.xml' must be letters, digits and _.+- (not a file name)", assertThrows(
                IllegalArgumentException.class, () -> ProbeRegistry.register("p.xml", seed -> new CARTClassificationTrainer(3))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProbeRegistry.unregister("mlp1"));
        try {
            ProbeRegistry.registerCandidates("empty-grid", seed -> new LinkedHashMap<>());
            assertEquals("probe 'empty-grid' has no candidates", assertThrows(IllegalArgumentException.class,
                    () -> ProbeRegistry.trainer("empty-grid", 1)).getMessage());
        } finally {
            ProbeRegistry.unregister("empty-grid");
        }
    }
}
