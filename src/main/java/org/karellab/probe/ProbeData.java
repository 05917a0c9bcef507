package org.karellab.probe;

import org.karellab.data.Split;
import org.karellab.trace.Labels;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Bridge from plain arrays (one row of hidden-state floats per generated action) to Tribuo
 * datasets, and the input standardisation every probe uses.
 *
 * <p>Features are named {@code h000, h001, ...} (zero padded, so Tribuo's sorted feature ids follow
 * the column order). Every dataset carries a {@link TraceDataProvenance} built from the caller's
 * description plus the row and feature counts.
 */
public final class ProbeData {
    private ProbeData() {}

    /** Feature names for {@code width} columns: {@code h000..h255} for 256, wider padding past 1000 columns. */
    public static String[] featureNames(int width) {
        int digits = Math.max(3, String.valueOf(width - 1).length());
        String[] names = new String[width];
        for (int i = 0; i < width; i++) {
            names[i] = "h" + String.format("%0" + digits + "d", i);
        }
        return names;
    }

    /**
     * The probe rows of one trace folder: the hidden states of {@code layer} at every action whose
     * state at {@code offset} exists, labelled with {@code feature} under {@code semantics} (see
     * {@link org.karellab.trace.Labels}); rows without a label (before the first action or past
     * the end) are left out, exactly as the sweep leaves them out. Every column is kept, so sets
     * made from different splits line up; for the sweep's own rows of all three splits (which also
     * drop the columns constant on train) use {@link #forTraces(org.karellab.trace.TraceSet[], String,
     * String, int, String)}.
     */
    public static MutableDataset<Label> forTraces(org.karellab.trace.TraceSet traces, String layer, String semantics,
            int offset, String feature) {
        String[] y = traces.column(semantics, offset, feature);
        int[] keep = labelledRows(y);
        if (keep.length == 0) {
            throw new org.karellab.world.KarelException(traces.meta().split() + " traces: no rows with a label for "
                    + org.karellab.trace.Labels.column(semantics, offset, feature));
        }
        org.karellab.trace.Npy.Matrix m = traces.states(layer, false);
        float[][] x = new float[keep.length][m.cols()];
        String[] labels = new String[keep.length];
        for (int j = 0; j < keep.length; j++) {
            m.row(keep[j], x[j]);
            labels[j] = y[keep[j]];
        }
        Map<String, String> desc = new LinkedHashMap<>();
        desc.put("split", traces.meta().split());
        desc.put("step", Long.toString(traces.meta().step()));
        desc.put("layer", layer);
        desc.put("semantics", semantics);
        desc.put("offset", Integer.toString(offset));
        desc.put("feature", feature);
        return classification(x, labels, desc);
    }

    /**
     * The probe rows of the three probe splits, exactly as the sweep builds them for the trained LM
     * on the real task: the hidden states of {@code layer} at every action whose state at
     * {@code offset} exists, labelled with {@code feature} under {@code semantics}, without the
     * columns that are constant on the kept train rows (see
     * {@link #classification(IntFunction, String[][], Map)}). The description is the sweep's.
     *
     * @param splits the train, val and test trace folders of one checkpoint, in that order (disjoint programs)
     * @throws org.karellab.world.KarelException if the folders are not train, val and test of one
     *     checkpoint, or a split has no labelled row
     */
    public static Splits<Label> forTraces(org.karellab.trace.TraceSet[] splits, String layer, String semantics,
            int offset, String feature) {
        if (splits.length != 3) {
            throw new org.karellab.world.KarelException("forTraces takes the train, val and test traces; got "
                    + splits.length + " folders");
        }
        String[][] y = new String[3][];
        for (int i = 0; i < 3; i++) {
            org.karellab.trace.TraceMeta meta = splits[i].meta();
            if (!meta.split().equals(SPLITS[i]) || meta.step() != splits[0].meta().step()) {
                throw new org.karellab.world.KarelException("forTraces: folder " + i + " holds the " + meta.split()
                        + " split of step " + meta.step() + "; expected " + SPLITS[i] + " of step " + splits[0].meta().step());
            }
            y[i] = splits[i].column(semantics, offset, feature);
        }
        Map<String, String> desc = new LinkedHashMap<>(); // the sweep's description of a trained/real group
        desc.put("step", Long.toString(splits[0].meta().step()));
        desc.put("lm", Results.Lm.TRAINED.id);
        desc.put("task", Results.Task.REAL.id);
        desc.put("layer", layer);
        desc.put("semantics", semantics);
        desc.put("offset", Integer.toString(offset));
        desc.put("feature", feature);
        try {
            return classification(i -> splits[i].states(layer, false).toArray(), y, desc);
        } catch (IllegalArgumentException e) {
            throw new org.karellab.world.KarelException("forTraces " + Labels.column(semantics, offset, feature)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The probe rows of three splits from any inputs: {@code x.apply(i)} is split {@code i}'s input
     * matrix (a row per action; hidden states, or the written tokens' features), {@code y[i]} its
     * labels, empty where the state does not exist. Rows without a label are left out, and so are
     * the columns that are constant on the kept train rows: they carry nothing, and standardising
     * them would divide by zero. This is the one place the sweep's probe rows are made.
     *
     * @throws IllegalArgumentException if a split has no labelled row
     */
    public static Splits<Label> classification(IntFunction<float[][]> x, String[][] y, Map<String, String> description) {
        int[][] keep = keptRows(y);
        float[][][] in = keptInputs(x, keep);
        List<MutableDataset<Label>> sets = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sets.add(classification(in[i], pick(y[i], keep[i]), description));
        }
        return new Splits<>(sets.get(0), sets.get(1), sets.get(2), keep);
    }

    /** As {@link #classification(IntFunction, String[][], Map)} with numeric labels: regression rows on {@code targetName}. */
    public static Splits<Regressor> regression(IntFunction<float[][]> x, String[][] y, String targetName,
            Map<String, String> description) {
        int[][] keep = keptRows(y);
        float[][][] in = keptInputs(x, keep);
        List<MutableDataset<Regressor>> sets = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String[] labels = pick(y[i], keep[i]);
            double[] target = new double[labels.length];
            for (int j = 0; j < labels.length; j++) {
                try {
                    target[j] = Double.parseDouble(labels[j]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(SPLITS[i] + " row " + keep[i][j] + ": label '" + labels[j]
                            + "' of " + targetName + " is not a number");
                }
            }
            sets.add(regression(in[i], target, targetName, description));
        }
        return new Splits<>(sets.get(0), sets.get(1), sets.get(2), keep);
    }

    /**
     * Probe rows of the train, val and test splits.
     *
     * @param kept for each split, the row index (in its trace folder) of every dataset row, in order
     */
    public record Splits<T extends Output<T>>(MutableDataset<T> train, MutableDataset<T> val, MutableDataset<T> test,
            int[][] kept) {
        /** Split {@code i}: 0 train, 1 val, 2 test. */
        public MutableDataset<T> get(int i) {
            return switch (i) {
                case 0 -> train;
                case 1 -> val;
                case 2 -> test;
                default -> throw new IndexOutOfBoundsException("split " + i + " (0 train, 1 val, 2 test)");
            };
        }
    }

    /** The probe splits' names, in the order of {@link Splits}. */
    private static final String[] SPLITS = {Split.TRAIN.id(), Split.VAL.id(), Split.TEST.id()};

    private static int[][] keptRows(String[][] y) {
        if (y.length != 3) {
            throw new IllegalArgumentException("probe rows take the train, val and test labels; got " + y.length + " splits");
        }
        int[][] keep = new int[3][];
        for (int i = 0; i < 3; i++) {
            keep[i] = labelledRows(y[i]);
            if (keep[i].length == 0) {
                throw new IllegalArgumentException(SPLITS[i] + " split: no rows with a label");
            }
        }
        return keep;
    }

    /** The kept rows' inputs of the three splits, without the columns constant on the kept train rows. */
    private static float[][][] keptInputs(IntFunction<float[][]> in, int[][] keep) {
        float[][] train = in.apply(0); // read once: every split's x is a full matrix
        int width = train[0].length;
        boolean[] varies = new boolean[width];
        int kept = 0;
        for (int c = 0; c < width; c++) {
            float first = train[keep[0][0]][c];
            for (int r : keep[0]) {
                if (train[r][c] != first) {
                    varies[c] = true;
                    kept++;
                    break;
                }
            }
        }
        float[][][] out = new float[3][][];
        for (int i = 0; i < 3; i++) {
            float[][] x = i == 0 ? train : in.apply(i);
            if (x[0].length != width) {
                throw new IllegalArgumentException(SPLITS[i] + " split has " + x[0].length + " input columns, train has " + width);
            }
            out[i] = new float[keep[i].length][];
            for (int j = 0; j < keep[i].length; j++) {
                float[] row = x[keep[i][j]];
                if (kept == width) {
                    out[i][j] = row;
                } else {
                    float[] r = new float[Math.max(1, kept)];
                    int at = 0;
                    for (int c = 0; c < width; c++) {
                        if (varies[c]) {
                            r[at++] = row[c];
                        }
                    }
                    out[i][j] = r;
                }
            }
        }
        return out;
    }

    private static String[] pick(String[] y, int[] keep) {
        String[] out = new String[keep.length];
        for (int j = 0; j < keep.length; j++) {
            out[j] = y[keep[j]];
        }
        return out;
    }

    /** Indices of the rows that have a label (a non-empty label column value). */
    public static int[] labelledRows(String[] labels) {
        return java.util.stream.IntStream.range(0, labels.length).filter(r -> !labels[r].isEmpty()).toArray();
    }

    /** Classification rows: {@code labels[i]} is the class of row {@code x[i]}. */
    public static MutableDataset<Label> classification(float[][] x, String[] labels, Map<String, String> description) {
        checkRows(x, labels.length);
        return build(x, i -> new Label(requireLabel(labels[i], i)), new LabelFactory(), description);
    }

    /** Classification rows with integer classes (e.g. dx in -6..6); class names are the decimal strings. */
    public static MutableDataset<Label> classification(float[][] x, int[] labels, Map<String, String> description) {
        checkRows(x, labels.length);
        return build(x, i -> new Label(Integer.toString(labels[i])), new LabelFactory(), description);
    }

    /** Regression rows: a single target dimension called {@code targetName} (e.g. {@code dx}). */
    public static MutableDataset<Regressor> regression(float[][] x, double[] targets, String targetName,
                                                       Map<String, String> description) {
        checkRows(x, targets.length);
        return build(x, i -> {
            if (!Double.isFinite(targets[i])) {
                throw new IllegalArgumentException("target of row " + i + " is not finite: " + targets[i]);
            }
            return new Regressor(targetName, targets[i]);
        }, new RegressionFactory(), description);
    }

    /**
     * Wraps a trainer so its inputs are standardised (mean 0, sd 1 per feature) with statistics of
     * the TRAINING set only; the fitted standardiser is part of the returned model (a Tribuo
     * {@code TransformedModel}) and is applied unchanged to validation and test rows.
     */
    public static <T extends Output<T>> TransformTrainer<T> standardised(Trainer<T> inner) {
        TransformationMap standardise = new TransformationMap(List.of(new MeanStdDevTransformation()));
        // Rows from this class are dense, so implicit zeros need not be counted; counting them is also
        // wrong in Tribuo 4.3.2 (MeanStdDevStatistics.observeSparse resets the running mean to zero).
        return new TransformTrainer<>(inner, standardise, true, false);
    }

    /**
     * The caller's description of the rows a model was trained on, found by following the dataset
     * provenance chain (through any transformed datasets) to its {@link TraceDataProvenance}.
     *
     * @throws IllegalArgumentException if the model was not trained on data from this class
     */
    public static Map<String, String> traceDescription(ModelProvenance provenance) {
        DataProvenance source = provenance.getDatasetProvenance();
        while (source instanceof DatasetProvenance dataset) {
            source = dataset.getSourceProvenance();
        }
        if (source instanceof TraceDataProvenance trace) {
            return trace.description();
        }
        throw new IllegalArgumentException("model was not trained on ProbeData rows: source is " + source.getClass().getName());
    }

    private static <T extends Output<T>> MutableDataset<T> build(float[][] x, IntFunction<T> output,
                                                                 OutputFactory<T> factory,
                                                                 Map<String, String> description) {
        Map<String, String> full = new LinkedHashMap<>(description);
        full.put("rows", Integer.toString(x.length));
        full.put("features", Integer.toString(x[0].length));
        MutableDataset<T> dataset = new MutableDataset<>(new TraceDataProvenance(full, factory), factory);
        String[] names = featureNames(x[0].length);
        double[] values = new double[names.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < values.length; j++) {
                if (!Float.isFinite(x[i][j])) {
                    throw new IllegalArgumentException("row " + i + " feature " + names[j] + " is not finite: " + x[i][j]);
                }
                values[j] = x[i][j];
            }
            Example<T> example = new ArrayExample<>(output.apply(i), names, values);
            dataset.add(example);
        }
        return dataset;
    }

    private static void checkRows(float[][] x, int labelCount) {
        if (x.length == 0) {
            throw new IllegalArgumentException("probe data is empty: no rows");
        }
        if (x.length != labelCount) {
            throw new IllegalArgumentException("probe data has " + x.length + " rows but " + labelCount + " labels");
        }
        int width = x[0].length;
        if (width == 0) {
            throw new IllegalArgumentException("probe data rows have no features");
        }
        for (int i = 1; i < x.length; i++) {
            if (x[i].length != width) {
                throw new IllegalArgumentException("row " + i + " has " + x[i].length + " features, row 0 has " + width);
            }
        }
    }

    private static String requireLabel(String label, int row) {
        if (label == null || label.isEmpty()) {
            throw new IllegalArgumentException("label of row " + row + " is missing");
        }
        return label;
    }
}
