package org.karellab.probe;

import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.transform.TransformedModel;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProbeDataTest {

    @Test
    void featureNamesAreZeroPaddedInColumnOrder() {
        String[] names = ProbeData.featureNames(256);
        assertEquals("h000", names[0]);
        assertEquals("h255", names[255]);
        assertEquals("h0999", ProbeData.featureNames(1500)[999]);
    }

    @Test
    void datasetCarriesRowsLabelsAndDescription() {
        float[][] x = {{1, 2, 3}, {4, 5, 6}};
        MutableDataset<Label> dataset = ProbeData.classification(x, new int[]{-1, 2},
                Map.of("run", "lm-a", "checkpoint", "8000", "layer", "mean", "split", "train"));
        assertEquals(2, dataset.size());
        assertEquals(3, dataset.getFeatureMap().size());
        Example<Label> first = dataset.getExample(0);
        assertEquals("-1", first.getOutput().getLabel());
        assertEquals(2.0, first.lookup("h001").getValue());
        TraceDataProvenance source = (TraceDataProvenance) dataset.getSourceProvenance();
        assertEquals(Map.of("run", "lm-a", "checkpoint", "8000", "layer", "mean", "split", "train",
                "rows", "2", "features", "3"), source.description());
    }

    @Test
    void badInputGivesOneLineErrors() {
        float[][] none = new float[0][];
        assertEquals("probe data is empty: no rows",
                assertThrows(IllegalArgumentException.class, () -> ProbeData.classification(none, new String[0], Map.of())).getMessage());
        assertEquals("probe data has 1 rows but 2 labels",
                assertThrows(IllegalArgumentException.class, () -> ProbeData.classification(new float[][]{{1}}, new int[]{1, 2}, Map.of())).getMessage());
        assertEquals("row 0 feature h001 is not finite: NaN",
                assertThrows(IllegalArgumentException.class, () -> ProbeData.classification(new float[][]{{1, Float.NaN}}, new int[]{1}, Map.of())).getMessage());
        assertEquals("description key 'outputFactory' is reserved by Tribuo",
                assertThrows(IllegalArgumentException.class, () -> ProbeData.classification(new float[][]{{1}}, new int[]{1}, Map.of("outputFactory", "x"))).getMessage());
    }

    @Test
    void threeSplitsKeepLabelledRowsAndDropColumnsConstantOnTrain() {
        // column 0 is 7 on every labelled train row (its unlabelled row 1 differs and does not count), column 1
        // varies, column 2 is constant on train but not on test: both constant-on-train columns go, in every split
        float[][][] x = {
                {{7, 1, 5}, {9, 2, 5}, {7, 3, 5}},
                {{7, 4, 5}, {1, 5, 5}},
                {{7, 6, 5}, {7, 7, 8}}};
        String[][] y = {{"a", "", "b"}, {"", "a"}, {"b", "a"}};
        ProbeData.Splits<Label> sets = ProbeData.classification(i -> x[i], y, Map.of("layer", "mean"));
        assertEquals(2, sets.train().size());
        assertEquals(1, sets.val().size());
        assertEquals(2, sets.test().size());
        assertEquals(java.util.List.of(0, 2), java.util.Arrays.stream(sets.kept()[0]).boxed().toList());
        assertEquals(java.util.List.of(1), java.util.Arrays.stream(sets.kept()[1]).boxed().toList());
        assertEquals(1, sets.train().getFeatureMap().size(), "only the varying column is kept");
        assertEquals(3.0, sets.train().getExample(1).lookup("h000").getValue());
        assertEquals(5.0, sets.val().getExample(0).lookup("h000").getValue(), "val row 1's column 1");
        assertEquals("a", sets.val().getExample(0).getOutput().getLabel());
        assertEquals(7.0, sets.test().getExample(1).lookup("h000").getValue());
        assertEquals("b", sets.test().getExample(0).getOutput().getLabel());
        assertEquals(1, sets.test().getFeatureMap().size(), "test drops train's constant columns, not its own");
        org.junit.jupiter.api.Assertions.assertSame(sets.test(), sets.get(2));
        assertEquals("split 3 (0 train, 1 val, 2 test)", assertThrows(IndexOutOfBoundsException.class, () -> sets.get(3)).getMessage());
        // no column varies: one zero column is kept so the rows still exist
        ProbeData.Splits<Label> flat = ProbeData.classification(i -> new float[][] {{1, 1}, {1, 1}}, new String[][] {{"a", "b"}, {"a", "b"}, {"a", "b"}}, Map.of());
        assertEquals(2, flat.train().size());
        assertEquals(1, flat.train().getExample(0).size(), "a single column");
        assertEquals(0.0, flat.train().getExample(0).lookup("h000").getValue());
    }

    @Test
    void threeSplitsRegressionAndBadInputs() {
        float[][][] x = {{{1}, {2}, {3}}, {{4}}, {{5}, {6}}};
        ProbeData.Splits<org.tribuo.regression.Regressor> sets = ProbeData.regression(i -> x[i],
                new String[][] {{"-1", "", "2.5"}, {"0"}, {"3", "4"}}, "dx", Map.of());
        assertEquals(2, sets.train().size());
        assertEquals(2.5, sets.train().getExample(1).getOutput().getValues()[0]);
        assertEquals("val split: no rows with a label", assertThrows(IllegalArgumentException.class,
                () -> ProbeData.classification(i -> x[i], new String[][] {{"a", "b", "a"}, {""}, {"a", "b"}}, Map.of())).getMessage());
        assertEquals("train row 2: label 'east' of dx is not a number", assertThrows(IllegalArgumentException.class,
                () -> ProbeData.regression(i -> x[i], new String[][] {{"1", "", "east"}, {"0"}, {"3", "4"}}, "dx", Map.of())).getMessage());
        assertEquals("test split has 2 input columns, train has 1", assertThrows(IllegalArgumentException.class,
                () -> ProbeData.classification(i -> i == 2 ? new float[][] {{1, 2}} : x[i], new String[][] {{"a", "b", "a"}, {"a"}, {"b"}},
                        Map.of())).getMessage());
        assertEquals("probe rows take the train, val and test labels; got 2 splits", assertThrows(IllegalArgumentException.class,
                () -> ProbeData.classification(i -> x[i], new String[][] {{"a"}, {"a"}}, Map.of())).getMessage());
    }

    @Test
    void standardisationUsesTrainingStatisticsOnly() {
        SplittableRandom random = new SplittableRandom(1);
        int rows = 200;
        float[][] train = new float[rows][2];
        String[] labels = new String[rows];
        for (int i = 0; i < rows; i++) {
            // every tenth value is an explicit zero, which must count towards the statistics
            train[i][0] = i % 10 == 0 ? 0f : (float) (10 + 2 * Synthetic.gaussian(random));
            train[i][1] = (float) Synthetic.gaussian(random);
            labels[i] = train[i][1] > 0 ? "up" : "down";
        }
        double mean = 0;
        for (float[] row : train) {
            mean += row[0];
        }
        mean /= rows;
        double squares = 0;
        for (float[] row : train) {
            squares += (row[0] - mean) * (row[0] - mean);
        }
        double sd = Math.sqrt(squares / (rows - 1));

        TransformedModel<Label> model = (TransformedModel<Label>) ProbeRegistry.trainer("liblinear")
                .train(ProbeData.classification(train, labels, Map.of("split", "train")));
        // A test row far from the training distribution is mapped with the training mean and sd.
        Example<Label> testRow = new ArrayExample<>(new Label("up"), ProbeData.featureNames(2), new double[]{100, 0});
        Feature transformed = model.getTransformerMap().transformExample(testRow).lookup("h000");
        assertEquals((100 - mean) / sd, transformed.getValue(), 1e-4);
    }

    @Test
    void modelsRecordWhereTheirRowsCameFrom() {
        Synthetic.Rows rows = Synthetic.linear(200, 4, 2, 3, new SplittableRandom(3));
        Map<String, String> description = Map.of("run", "lm-b", "checkpoint", "4000", "feature", "facing", "offset", "0");
        for (String probe : new String[]{"linear", "mlp1"}) {
            var model = ProbeRegistry.trainer(probe).train(ProbeData.classification(rows.x(), rows.labels(), description));
            assertEquals("lm-b", ProbeData.traceDescription(model.getProvenance()).get("run"));
            assertEquals("facing", ProbeData.traceDescription(model.getProvenance()).get("feature"));
        }
    }
}
