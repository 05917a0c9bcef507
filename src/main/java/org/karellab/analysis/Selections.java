package org.karellab.analysis;

import org.karellab.lm.EvalRow;
import org.karellab.lm.Evaluation;
import org.karellab.probe.Results;
import org.karellab.probe.Results.Lm;
import org.karellab.probe.Results.Metric;
import org.karellab.probe.Results.Rows;
import org.karellab.probe.Results.Task;
import tech.tablesaw.api.Table;
import tech.tablesaw.selection.Selection;

/**
 * Named row filters of {@code results.csv}, so a notebook reads select -> measure -> draw and
 * the vocabulary ({@link Results}) is written in one place. Every selection keeps the rows
 * aggregated over probe seeds ({@code seed=all}); {@link #seeds} keeps the per-seed rows.
 */
public final class Selections {
    private Selections() {
    }

    /** The rows aggregated over probe seeds. */
    public static Table aggregated(Table r) {
        return r.where(r.stringColumn(Results.SEED).isEqualTo(Results.ALL_SEEDS));
    }

    /** The per-seed rows (for the spread between probe seeds). */
    public static Table seeds(Table r) {
        return r.where(r.stringColumn(Results.SEED).isNotEqualTo(Results.ALL_SEEDS));
    }

    /** The last checkpoint's rows. */
    public static Table finalStep(Table r) {
        return r.where(r.longColumn(Results.STEP).isEqualTo(lastStep(r)));
    }

    public static long lastStep(Table r) {
        return (long) r.longColumn(Results.STEP).max();
    }

    /** Rows of features that count towards semantic content for the run's encoding. */
    public static Table semantic(Table r) {
        return r.where(r.booleanColumn(Results.SEMANTIC).isTrue());
    }

    /** Rows of probes that were trained (not the majority class, not copying). */
    public static Table trainedProbes(Table r) {
        return r.where(r.stringColumn(Results.PROBE).isNotIn(Results.DUMMY, Results.NO_PROBE));
    }

    /** The main condition: the given LM and task, mean layer (or none), original semantics, offset 0, all rows, accuracy. */
    private static Selection main(Table r, Lm lm, Task task) {
        return r.stringColumn(Results.LM).isEqualTo(lm.id).and(r.stringColumn(Results.TASK).isEqualTo(task.id))
                .and(r.stringColumn(Results.LAYER).isIn(Results.MEAN_LAYER, Results.NO_LAYER))
                .and(r.stringColumn(Results.SEMANTICS).isEqualTo(Results.ORIGINAL)).and(r.intColumn(Results.OFFSET).isEqualTo(0))
                .and(rows(r, Rows.ALL)).and(r.stringColumn(Results.METRIC).isEqualTo(Metric.ACCURACY.id))
                .and(r.stringColumn(Results.SEED).isEqualTo(Results.ALL_SEEDS));
    }

    private static Selection rows(Table r, Rows rows) {
        return r.stringColumn(Results.ROWS).isEqualTo(rows.id);
    }

    /** Semantic content over training: trained LM, real task, main condition, every checkpoint, every probe and the majority class. */
    public static Table curve(Table r) {
        return r.where(main(r, Lm.TRAINED, Task.REAL));
    }

    /**
     * The last checkpoint, main condition, every LM and task (trained / random-init LM; real,
     * syntax-only, prefix and wrong-world controls): what could explain the probes away.
     */
    public static Table baselines(Table r) {
        Table f = finalStep(r);
        Selection any = null;
        for (Lm lm : Lm.values()) {
            for (Task t : Task.values()) {
                Selection s = main(f, lm, t);
                any = any == null ? s : any.or(s);
            }
        }
        return f.where(any);
    }

    /**
     * The semantic intervention at the last checkpoint: offset 0, mean layer or syntax features,
     * every semantics, the given row filter, trained and random-init LM, real and syntax tasks.
     */
    public static Table intervention(Table r, Rows rows) {
        Table f = finalStep(r);
        return f.where(f.intColumn(Results.OFFSET).isEqualTo(0)
                .and(f.stringColumn(Results.LAYER).isIn(Results.MEAN_LAYER, Results.NO_LAYER))
                .and(f.stringColumn(Results.TASK).isIn(Task.REAL.id, Task.SYNTAX.id)).and(rows(f, rows))
                .and(f.stringColumn(Results.METRIC).isEqualTo(Metric.ACCURACY.id))
                .and(f.stringColumn(Results.SEED).isEqualTo(Results.ALL_SEEDS)));
    }

    /** Past and future states at the last checkpoint: trained LM, original semantics, probes and copying the current state. */
    public static Table offsets(Table r) {
        Table f = finalStep(r);
        return f.where(f.stringColumn(Results.LM).isEqualTo(Lm.TRAINED.id)
                .and(f.stringColumn(Results.TASK).isIn(Task.REAL.id, Task.COPY_CURRENT.id))
                .and(f.stringColumn(Results.LAYER).isIn(Results.MEAN_LAYER, Results.NO_LAYER))
                .and(f.stringColumn(Results.SEMANTICS).isEqualTo(Results.ORIGINAL)).and(rows(f, Rows.ALL))
                .and(f.stringColumn(Results.METRIC).isEqualTo(Metric.ACCURACY.id))
                .and(f.stringColumn(Results.SEED).isEqualTo(Results.ALL_SEEDS)));
    }

    /** The layer sweep at the last checkpoint: trained LM, real task, original semantics, offset 0. */
    public static Table layers(Table r) {
        Table f = finalStep(r);
        return f.where(f.stringColumn(Results.LM).isEqualTo(Lm.TRAINED.id).and(f.stringColumn(Results.TASK).isEqualTo(Task.REAL.id))
                .and(f.stringColumn(Results.SEMANTICS).isEqualTo(Results.ORIGINAL)).and(f.intColumn(Results.OFFSET).isEqualTo(0))
                .and(rows(f, Rows.ALL)).and(f.stringColumn(Results.METRIC).isEqualTo(Metric.ACCURACY.id))
                .and(f.stringColumn(Results.SEED).isEqualTo(Results.ALL_SEEDS))
                .and(f.stringColumn(Results.PROBE).isNotEqualTo(Results.DUMMY)));
    }

    /** Rows scored on the world-dependent rows only, at the last checkpoint, original semantics, offset 0. */
    public static Table worldDependent(Table r) {
        Table f = finalStep(r);
        return f.where(f.intColumn(Results.OFFSET).isEqualTo(0).and(rows(f, Rows.WORLD_DEPENDENT))
                .and(f.stringColumn(Results.SEMANTICS).isEqualTo(Results.ORIGINAL))
                .and(f.stringColumn(Results.LAYER).isIn(Results.MEAN_LAYER, Results.NO_LAYER))
                .and(f.stringColumn(Results.SEED).isEqualTo(Results.ALL_SEEDS)));
    }

    /** The regression probes' rows (R^2) at the last checkpoint. */
    public static Table regression(Table r) {
        Table f = finalStep(r);
        return f.where(f.stringColumn(Results.METRIC).isEqualTo(Metric.R2.id)
                .and(f.stringColumn(Results.SEED).isEqualTo(Results.ALL_SEEDS)));
    }

    /** eval.csv's rows over every program length ({@code length=all}), one per checkpoint, in step order. */
    public static Table overall(Table eval) {
        return eval.where(eval.stringColumn(Evaluation.LENGTH).isEqualTo(EvalRow.ALL)).sortAscendingOn(Evaluation.STEP);
    }

    /** eval.csv's (or eval-full.csv's) rows of its last checkpoint, one per length and {@code all}. */
    public static Table lastCheckpoint(Table eval) {
        return eval.where(eval.longColumn(Evaluation.STEP).isEqualTo((long) eval.longColumn(Evaluation.STEP).max()));
    }

    /** Rows where {@code column} equals {@code value}. */
    public static Table where(Table r, String column, String value) {
        return r.where(r.stringColumn(column).isEqualTo(value));
    }

    /** The column {@link #withCondition} adds: the LM and the task of a row, as {@code lm/task}. */
    public static final String CONDITION = "condition";

    /** The {@link #CONDITION} value of an LM and a task, e.g. {@code trained/real}. */
    public static String condition(Lm lm, Task task) {
        return lm.id + "/" + task.id;
    }

    /** {@code r} with a {@link #CONDITION} column, one value per LM and task, to compare conditions as groups. */
    public static Table withCondition(Table r) {
        Table out = r.copy();
        out.addColumns(out.stringColumn(Results.LM).join("/", out.stringColumn(Results.TASK)).setName(CONDITION));
        return out;
    }
}
