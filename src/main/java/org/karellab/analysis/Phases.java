package org.karellab.analysis;

import org.karellab.lm.Evaluation;
import tech.tablesaw.api.Table;

/**
 * The paper's three training phases, found in an eval table's {@code all} rows:
 *
 * <ul>
 *   <li><b>babbling</b> from the start: few distinct programs, accuracy at its floor;</li>
 *   <li><b>syntax acquisition</b> from the first checkpoint where the share of distinct generated
 *       programs has covered half of its rise from the first to the last checkpoint;</li>
 *   <li><b>semantics acquisition</b> from the first checkpoint where generative accuracy has
 *       covered half of its rise.</li>
 * </ul>
 * Half-rise points are a simple, reproducible rule; the paper marks its phases by eye. When a
 * quantity does not rise, its phase start is -1 (not reached).
 */
public record Phases(long syntaxStart, long semanticsStart, long lastStep) {

    public static Phases of(Table eval) {
        Table all = Selections.overall(eval);
        long[] steps = all.longColumn(Evaluation.STEP).asLongArray();
        double[] distinct = all.doubleColumn(Evaluation.DISTINCT).asDoubleArray();
        double[] accuracy = all.doubleColumn(Evaluation.ACCURACY).asDoubleArray();
        return new Phases(halfRise(steps, distinct), halfRise(steps, accuracy), steps[steps.length - 1]);
    }

    static long halfRise(long[] steps, double[] v) {
        double lo = v[0];
        double hi = v[v.length - 1];
        if (hi <= lo) {
            return -1;
        }
        for (int i = 0; i < v.length; i++) {
            if (v[i] >= lo + (hi - lo) / 2) {
                return steps[i];
            }
        }
        return -1;
    }

    public String describe() {
        return "babbling from step 0"
                + (syntaxStart >= 0 ? ", syntax acquisition from step " + syntaxStart : ", no syntax phase found")
                + (semanticsStart >= 0 ? ", semantics acquisition from step " + semanticsStart : ", no semantics phase found")
                + " (last step " + lastStep + ")";
    }
}
