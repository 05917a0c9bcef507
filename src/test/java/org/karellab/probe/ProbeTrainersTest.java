package org.karellab.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformedModel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeTrainersTest {

    /** Training rows per probe: enough for each to converge under early stopping; mlp2's 256x1024 layer dominates test time. */
    private static int trainingRows(String probe) {
        return probe.equals("mlp2") ? 3000 : 4000;
    }

    private static double heldOutAccuracy(String probe, Synthetic.Rows train, Synthetic.Rows test) {
        Model<Label> model = ProbeRegistry.trainer(probe).train(train.dataset("train"));
        return ProbeScore.of(model, test.dataset("test")).accuracy();
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "mlp1", "mlp2"})
    void everyProbeRecoversALinearSignal(String probe) {
        SplittableRandom random = new SplittableRandom(7);
        Synthetic.Rows train = Synthetic.linear(trainingRows(probe), 32, 4, 11, random);
        Synthetic.Rows test = Synthetic.linear(1000, 32, 4, 11, random);
        double accuracy = heldOutAccuracy(probe, train, test);
        assertTrue(accuracy > 0.9, probe + " accuracy " + accuracy);
    }

    @Test
    void onlyTheMlpsRecoverXor() {
        SplittableRandom random = new SplittableRandom(8);
        Synthetic.Rows train = Synthetic.xor(4000, 8, random);
        Synthetic.Rows test = Synthetic.xor(1000, 8, random);
        Synthetic.Rows smallTrain = new Synthetic.Rows(Arrays.copyOf(train.x(), trainingRows("mlp2")),
                Arrays.copyOf(train.labels(), trainingRows("mlp2")));
        double linear = heldOutAccuracy("linear", train, test);
        double mlp1 = heldOutAccuracy("mlp1", train, test);
        double mlp2 = heldOutAccuracy("mlp2", smallTrain, test);
        assertTrue(linear < 0.6, "linear accuracy " + linear);
        assertTrue(mlp1 > 0.9, "mlp1 accuracy " + mlp1);
        assertTrue(mlp2 > 0.9, "mlp2 accuracy " + mlp2);
    }

    @Test
    void majorityBaselineScoresTheMajorityFrequency() {
        SplittableRandom random = new SplittableRandom(9);
        float[][] x = Synthetic.gaussian(300, 4, random);
        String[] labels = new String[300];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10 < 6 ? "north" : i % 10 < 9 ? "east" : "south";
        }
        Synthetic.Rows rows = new Synthetic.Rows(x, labels);
        ProbeScore score = ProbeScore.of(ProbeRegistry.trainer("dummy").train(rows.dataset("train")), rows.dataset("test"));
        assertEquals(0.6, score.accuracy(), 1e-12);
        assertEquals(score.majorityFraction(), score.accuracy(), 1e-12);
        assertEquals(300, score.n());
        assertEquals(List.of("east", "north", "south"), List.copyOf(score.classCounts().keySet()));
        assertEquals(180L, score.classCounts().get("north"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "mlp1", "mlp2", "liblinear", "tree", "dummy"})
    void javaSerializationRoundTripKeepsPredictions(String probe) throws IOException, ClassNotFoundException {
        SplittableRandom random = new SplittableRandom(10);
        Synthetic.Rows train = Synthetic.linear(500, 8, 3, 12, random);
        MutableDataset<Label> test = Synthetic.linear(100, 8, 3, 12, random).dataset("test");
        Model<Label> model = ProbeRegistry.trainer(probe).train(train.dataset("train"));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        Model<?> restored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = (Model<?>) in.readObject();
        }
        assertEquals(model.getProvenance(), restored.getProvenance());
        assertPredictionsEqual(model, restored.castModel(Label.class), test);
        // Tribuo's copy() marshals and unmarshals the provenance, including TraceDataProvenance.
        assertPredictionsEqual(model, model.copy(), test);
        assertEquals(model.getProvenance(), model.copy().getProvenance());
    }

    private static void assertPredictionsEqual(Model<Label> expected, Model<Label> actual, Dataset<Label> rows) {
        List<Prediction<Label>> a = expected.predict(rows);
        List<Prediction<Label>> b = actual.predict(rows);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getOutput().getLabel(), b.get(i).getOutput().getLabel());
            assertEquals(a.get(i).getOutput().getScore(), b.get(i).getOutput().getScore());
        }
    }

    @Test
    void mlpTrainingIsDeterministicGivenTheSeed() {
        SplittableRandom random = new SplittableRandom(11);
        MutableDataset<Label> train = Synthetic.xor(600, 4, random).dataset("train");
        MutableDataset<Label> test = Synthetic.xor(100, 4, random).dataset("test");
        Model<Label> first = ProbeRegistry.trainer("mlp1", 5).train(train);
        Model<Label> again = ProbeRegistry.trainer("mlp1", 5).train(train);
        Model<Label> otherSeed = ProbeRegistry.trainer("mlp1", 6).train(train);
        assertPredictionsEqual(first, again, test);
        assertNotEquals(first.predict(test).get(0).getOutput().getScore(), otherSeed.predict(test).get(0).getOutput().getScore());
    }

    @Test
    void registryProbesRecordHowTheirFitWent() {
        SplittableRandom random = new SplittableRandom(12);
        MutableDataset<Label> train = Synthetic.linear(1000, 4, 3, 13, random).dataset("train");
        for (String probe : List.of("linear", "mlp1", "mlp2")) {
            ProbeNetworkModel<?> model = assertInstanceOf(ProbeNetworkModel.class, ProbeRegistry.trainer(probe, 1).train(train));
            ProbeNetworkModel.Fit fit = model.fit();
            assertTrue(fit.bestEpoch() >= 1 && fit.bestEpoch() <= fit.epochsRun(), probe + ": best " + fit.bestEpoch() + " of " + fit.epochsRun());
            assertEquals(100, fit.heldOut().length, probe);
            assertEquals(900, fit.fitRows(), probe);
            assertEquals("accuracy", fit.scoreName());
            assertTrue(fit.trainScore() > 0.5, probe + " training accuracy " + fit.trainScore());
        }
    }

    @Test
    void unknownProbeNameIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProbeRegistry.trainer("mlp3"));
        assertEquals("unknown probe 'mlp3' (known: linear, mlp1, mlp2, liblinear, tree, dummy; or an OLCUT config file path[#component])",
                e.getMessage());
    }

    @Test
    void emptyDatasetIsAClearError() {
        MutableDataset<Label> empty = new MutableDataset<>(new SimpleDataSourceProvenance("empty", new LabelFactory()), new LabelFactory());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MlpTrainer(ProbeNetworkTrainer.Settings.defaults(1), 8).train(empty));
        assertEquals("cannot train a probe network on an empty dataset", e.getMessage());
    }

    @Test
    void probesLoadFromAnOlcutConfigFile(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("probes.xml");
        Files.writeString(config, """
                <?xml version="1.0" encoding="UTF-8"?>
                <config>
                  <component name="small-mlp" type="org.karellab.probe.MlpTrainer">
                    <propertylist name="hiddenSizes"><item>16</item></propertylist>
                    <property name="epochs" value="2"/>
                    <property name="seed" value="3"/>
                  </component>
                  <component name="deep-tree" type="org.tribuo.classification.dtree.CARTClassificationTrainer">
                    <property name="maxDepth" value="4"/>
                  </component>
                </config>
                """);
        SplittableRandom random = new SplittableRandom(13);
        MutableDataset<Label> train = Synthetic.linear(300, 4, 2, 14, random).dataset("train");

        // a probe network standardises its own inputs, so the registry does not wrap it
        ProbeNetworkModel<?> mlp = assertInstanceOf(ProbeNetworkModel.class, ProbeRegistry.trainer(config + "#small-mlp").train(train));
        assertEquals(64, mlp.parameters().get("01Linear_weight").length, "4 inputs x 16 hidden");
        assertEquals(2, mlp.fit().epochsRun());
        assertTrue(mlp.getProvenance().getTrainerProvenance().toString().contains("epochs=2"),
                mlp.getProvenance().getTrainerProvenance().toString());
        // any other Tribuo trainer is wrapped in the standardiser
        assertInstanceOf(TransformedModel.class, ProbeRegistry.trainer(config + "#deep-tree").train(train));

        IllegalArgumentException ambiguous = assertThrows(IllegalArgumentException.class, () -> ProbeRegistry.trainer(config.toString()));
        assertTrue(ambiguous.getMessage().contains("defines 2 trainers"), ambiguous.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ProbeRegistry.trainer(config + "#nope"));
        assertEquals("probe config " + config + " has no component 'nope'", missing.getMessage());
        IllegalArgumentException noFile = assertThrows(IllegalArgumentException.class, () -> ProbeRegistry.trainer(dir.resolve("none.xml").toString()));
        assertEquals("probe config file not found: " + dir.resolve("none.xml"), noFile.getMessage());
    }
}
