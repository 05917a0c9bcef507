package org.karellab.probe;

import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlTaskTest {
    private static final String[] FACINGS = {"N", "E", "S", "W"};

    @Test
    void eachTypeHasOneFixedLabelWhateverTheRowOrder() {
        ControlTask task = ControlTask.fromLabels(FACINGS, 42);
        ControlTask same = ControlTask.fromLabels(new String[]{"W", "S", "E", "N"}, 42);
        String[] types = new String[400];
        for (int i = 0; i < types.length; i++) {
            types[i] = "move@" + (i % 40);
        }
        String[] labels = task.labels(types);
        assertArrayEquals(labels, same.labels(types));
        for (int i = 40; i < types.length; i++) {
            assertEquals(labels[i % 40], labels[i]);
        }
        assertNotEquals(List.of(labels), List.of(ControlTask.fromLabels(FACINGS, 43).labels(types)));
    }

    @Test
    void labelsFollowTheRealLabelFrequencies() {
        String[] real = new String[100];
        for (int i = 0; i < real.length; i++) {
            real[i] = i < 80 ? "common" : "rare";
        }
        ControlTask task = ControlTask.fromLabels(real, 1);
        Map<String, Integer> counts = new HashMap<>();
        for (int t = 0; t < 5000; t++) {
            counts.merge(task.label("type" + t), 1, Integer::sum);
        }
        assertEquals(0.8, counts.get("common") / 5000.0, 0.03);
    }

    @Test
    void controlTaskIsLearnableOnlyByMemorisingTypes() {
        // Each type has its own random embedding; rows of a type are that embedding plus noise.
        int width = 64;
        int types = 300;
        int rowsPerType = 12;
        SplittableRandom random = new SplittableRandom(5);
        float[][] embeddings = Synthetic.gaussian(types, width, random);
        ControlTask task = ControlTask.fromLabels(FACINGS, 7);
        int seenTypes = 200;
        float[][] train = new float[seenTypes * (rowsPerType - 2)][];
        float[][] seen = new float[seenTypes * 2][];
        float[][] unseen = new float[(types - seenTypes) * rowsPerType][];
        String[] trainLabels = new String[train.length];
        String[] seenLabels = new String[seen.length];
        String[] unseenLabels = new String[unseen.length];
        int nTrain = 0;
        int nSeen = 0;
        int nUnseen = 0;
        for (int t = 0; t < types; t++) {
            String label = task.label("type" + t);
            for (int r = 0; r < rowsPerType; r++) {
                float[] row = embeddings[t].clone();
                for (int j = 0; j < width; j++) {
                    row[j] += (float) (0.3 * Synthetic.gaussian(random));
                }
                if (t >= seenTypes) {
                    unseen[nUnseen] = row;
                    unseenLabels[nUnseen++] = label;
                } else if (r < rowsPerType - 2) {
                    train[nTrain] = row;
                    trainLabels[nTrain++] = label;
                } else {
                    seen[nSeen] = row;
                    seenLabels[nSeen++] = label;
                }
            }
        }
        Model<Label> model = new MlpTrainer(ProbeNetworkTrainer.Settings.defaults(1).optEpochs(20).optLearningRate(3e-3)
                        .optBatchSize(128).optHeldOutFraction(0), 256)
                .train(new Synthetic.Rows(train, trainLabels).dataset("train"));
        double seenAccuracy = ProbeScore.of(model, new Synthetic.Rows(seen, seenLabels).dataset("seen")).accuracy();
        double unseenAccuracy = ProbeScore.of(model, new Synthetic.Rows(unseen, unseenLabels).dataset("unseen")).accuracy();
        assertTrue(seenAccuracy > 0.9, "accuracy on new rows of seen types " + seenAccuracy);
        assertTrue(unseenAccuracy < 0.4, "accuracy on unseen types " + unseenAccuracy);
    }
}
