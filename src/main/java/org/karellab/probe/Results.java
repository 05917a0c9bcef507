package org.karellab.probe;

import java.util.List;
import java.util.Map;
import tech.tablesaw.api.ColumnType;

/**
 * The vocabulary of {@code results.csv}, written by {@link Sweep} and read by the analysis package
 * and the notebooks: column names and the values of the key columns, in one place.
 *
 * <p>A row is one measurement: a probe trained on hidden states (or syntax features) of the train
 * split, chosen on val, scored on test. Key columns: {@code step, lm, task, probe, layer,
 * semantics, offset, feature, metric, rows, seed}. Value columns: {@code n_train, n_test,
 * n_programs, train_accuracy, val_accuracy, accuracy} (the metric's value on test: accuracy or
 * R^2), {@code ci_low, ci_high} (95% bootstrap over test programs), {@code majority} (share of
 * test rows in the train split's majority class), {@code semantic} (the feature counts towards
 * semantic content for the run's encoding), {@code chosen} (the selected hyper-parameters),
 * {@code vs} (see {@link #VS}).
 */
public final class Results {
    private Results() {
    }

    // key columns
    public static final String STEP = "step";
    public static final String LM = "lm";
    public static final String TASK = "task";
    public static final String PROBE = "probe";
    public static final String LAYER = "layer";
    public static final String SEMANTICS = "semantics";
    public static final String OFFSET = "offset";
    public static final String FEATURE = "feature";
    public static final String METRIC = "metric";
    public static final String ROWS = "rows";
    public static final String SEED = "seed";
    // value columns
    public static final String N_TRAIN = "n_train";
    public static final String N_TEST = "n_test";
    public static final String N_PROGRAMS = "n_programs";
    public static final String TRAIN_ACCURACY = "train_accuracy";
    public static final String VAL_ACCURACY = "val_accuracy";
    public static final String ACCURACY = "accuracy";
    public static final String CI_LOW = "ci_low";
    public static final String CI_HIGH = "ci_high";
    public static final String MAJORITY = "majority";
    public static final String SEMANTIC = "semantic";
    public static final String CHOSEN = "chosen";
    /**
     * On original-semantics rows with {@code rows=not_relabelling}: the alternative semantics whose
     * not-relabelling rows they score (so the drop is paired on the same rows); {@code -} elsewhere.
     */
    public static final String VS = "vs";

    /** The column order of results.csv. */
    public static final List<String> COLUMNS = List.of(STEP, LM, TASK, PROBE, LAYER, SEMANTICS, OFFSET, FEATURE,
            METRIC, ROWS, SEED, N_TRAIN, N_TEST, N_PROGRAMS, TRAIN_ACCURACY, VAL_ACCURACY, ACCURACY, CI_LOW, CI_HIGH,
            MAJORITY, SEMANTIC, CHOSEN, VS);

    /** Column types for reading results.csv (the rest are strings). */
    public static final Map<String, ColumnType> TYPES = Map.ofEntries(Map.entry(STEP, ColumnType.LONG),
            Map.entry(OFFSET, ColumnType.INTEGER), Map.entry(N_TRAIN, ColumnType.INTEGER),
            Map.entry(N_TEST, ColumnType.INTEGER), Map.entry(N_PROGRAMS, ColumnType.INTEGER),
            Map.entry(TRAIN_ACCURACY, ColumnType.DOUBLE), Map.entry(VAL_ACCURACY, ColumnType.DOUBLE),
            Map.entry(ACCURACY, ColumnType.DOUBLE), Map.entry(CI_LOW, ColumnType.DOUBLE),
            Map.entry(CI_HIGH, ColumnType.DOUBLE), Map.entry(MAJORITY, ColumnType.DOUBLE),
            Map.entry(SEMANTIC, ColumnType.BOOLEAN));

    /** Values of {@code layer} beside the LM's hidden-state names: the mean over layers, and none (no LM state). */
    public static final String MEAN_LAYER = "mean";
    public static final String NO_LAYER = "-";
    /** The value of {@code semantics} for the reference's own actions, which the alternatives are compared with. */
    public static final String ORIGINAL = org.karellab.world.Semantics.ORIGINAL.name();
    /** Values of {@code probe} that train nothing: the train split's majority class, and no probe at all. */
    public static final String DUMMY = "dummy";
    public static final String NO_PROBE = "none";
    /** The {@code seed} of the row aggregated over probe seeds (mean accuracy, interval over programs). */
    public static final String ALL_SEEDS = "all";

    /** Which language model's states were read. */
    public enum Lm {
        /** the trained LM at the row's checkpoint */
        TRAINED("trained"),
        /** a randomly initialised LM of the same shape on the same programs */
        RANDOM_INIT("random_init");

        public final String id;

        Lm(String id) {
            this.id = id;
        }
    }

    /** What the probe is asked to predict, from what. */
    public enum Task {
        /** the real state label from the LM's hidden state */
        REAL("real"),
        /** the real label from features of the written prefix alone (no LM): what syntax already says */
        SYNTAX("syntax"),
        /** Hewitt and Liang's control task: a fixed random label per written prefix, drawn per feature */
        CONTROL_PREFIX("control_prefix"),
        /** the label of running the same program on another world from the same start pose */
        CONTROL_WORLD("control_world"),
        /** no probe: predict the state at another offset by the current state's label */
        COPY_CURRENT("copy_current");

        public final String id;

        Task(String id) {
            this.id = id;
        }
    }

    /** Which test rows a row scores. */
    public enum Rows {
        ALL("all"),
        /** rows whose state differs from dead reckoning of the written prefix (position); every row for facing a wall */
        WORLD_DEPENDENT("world_dependent"),
        /** rows whose alternative-semantics label is not the train split's fixed relabelling of the original label */
        NOT_RELABELLING("not_relabelling");

        public final String id;

        Rows(String id) {
            this.id = id;
        }
    }

    /** What {@code accuracy} holds. */
    public enum Metric {
        ACCURACY("accuracy"),
        R2("r2");

        public final String id;

        Metric(String id) {
            this.id = id;
        }
    }
}
