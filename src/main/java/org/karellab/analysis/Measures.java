package org.karellab.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.karellab.data.LengthRange;
import org.karellab.lm.Evaluation;
import org.karellab.probe.Bootstrap;
import org.karellab.probe.ProgramScores;
import org.karellab.probe.Results;
import org.karellab.world.KarelException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The science measures behind the study's numbers, each with a 95% bootstrap interval over test
 * programs and its n, computed from the sweep's per-program sums ({@link ProgramScores}), never
 * from rows treated as independent.
 *
 * <ul>
 *   <li>{@link Measure#SEMANTIC_CONTENT}: mean test accuracy over the features of a group (the
 *       paper's measure over facing, position and facing a wall);</li>
 *   <li>{@link Measure#GAIN_OVER_MAJORITY}: mean over the features of (accuracy - majority) / (1 -
 *       majority), the majority being the share of test rows in the train split's commonest class:
 *       0 for a probe no better than guessing it, 1 for a perfect probe;</li>
 *   <li>{@link Measure#R2}: mean R^2 of regression rows;</li>
 *   <li>{@link #difference}: a paired difference between two conditions on the same test programs
 *       (original minus an alternative semantics, real minus a control task = selectivity, trained
 *       minus random-init LM, one layer minus another), with its own interval;</li>
 *   <li>{@link #differenceOfDifferences}: a paired difference of two paired differences (a drop on
 *       the trained LM minus the same drop on the random-init LM), with its own interval;</li>
 *   <li>{@link #accuracyDifference}: the LM's accuracy, paired between two runs or checkpoints
 *       scored on the same programs (per-program eval tables);</li>
 *   <li>{@link #cellDifference}: a measure averaged over P-probing cells, paired between two
 *       P-probings of the same test programs (a trained LM and its control);</li>
 *   <li>{@link #correlation}: Pearson's r (R^2 = r^2 of the least-squares line);
 *       {@link #correlationWithAccuracy}: r between a probe measure and generative accuracy over
 *       checkpoints, with an interval over programs; {@link Phases}.</li>
 * </ul>
 */
public final class Measures {
    private Measures() {
    }

    /** How a group of rows (one per feature) becomes one number. */
    public enum Measure {
        SEMANTIC_CONTENT(Bootstrap::accuracy),
        GAIN_OVER_MAJORITY(Bootstrap::gain),
        /**
         * The majority class's rate on the rows a probe was scored on: what the labels alone
         * give, so a measure that moves with it over checkpoints moves with the rows, not the probe
         */
        MAJORITY_RATE(Bootstrap::majorityRate),
        R2(Bootstrap::r2);

        final ToDoubleFunction<double[]> perFeature;

        Measure(ToDoubleFunction<double[]> perFeature) {
            this.perFeature = perFeature;
        }

        /** The mean over the features of one block of sums, 4 columns a feature. */
        double of(double[] block) {
            return of(block, 0, block.length / 4);
        }

        /**
         * The mean over features of the per-feature statistic, on sums laid side by side, 4 columns
         * a feature; a feature without rows in a resample is left out of that resample's mean.
         */
        double of(double[] sums, int from, int features) {
            double total = 0;
            int defined = 0;
            for (int f = 0; f < features; f++) {
                double v = perFeature.applyAsDouble(java.util.Arrays.copyOfRange(sums, 4 * (from + f), 4 * (from + f) + 4));
                if (!Double.isNaN(v)) {
                    total += v;
                    defined++;
                }
            }
            return defined == 0 ? Double.NaN : total / defined;
        }
    }

    /** Output columns of {@link #summarize} and {@link #difference}. */
    public static final String VALUE = "value";
    public static final String CI_LOW = "ci_low";
    public static final String CI_HIGH = "ci_high";
    public static final String N_PROGRAMS = "n_programs";
    public static final String N_ROWS = "n_rows";
    public static final String FEATURES = "features";

    /** Resamples and seed of every interval here (the same data give the same interval). */
    private static final int RESAMPLES = Bootstrap.DEFAULT_RESAMPLES;

    /**
     * One estimate per group of {@code rows} (grouped by the {@code by} columns; each group's rows
     * are its features, of one checkpoint), with a 95% interval over that checkpoint's test programs.
     */
    public static Table summarize(Table rows, ProgramScores scores, Measure m, String... by) {
        Map<String, List<Integer>> groups = groups(rows, by);
        Table out = header(rows, by);
        Cache cache = new Cache(scores);
        for (List<Integer> all : groups.values()) {
            step(rows, all); // one checkpoint per group
            List<Integer> g = withRows(rows, all, scores, cache);
            if (g.isEmpty()) {
                continue;
            }
            long step = step(rows, g);
            int programs = cache.programs(step);
            double[][] sums = stack(rows, g, scores, programs);
            int f = g.size();
            ToDoubleFunction<double[]> stat = s -> m.of(s, 0, f);
            add(out, rows, g.get(0), by, sums, stat, cache.boot(step), features(rows, g));
        }
        return out;
    }

    /**
     * Paired differences {@code A - B} where A are the rows with {@code column = a} and B those with
     * {@code column = b}, matched within each group of the {@code by} columns (which must not include
     * {@code column}) on the same test programs; features are matched by name.
     */
    public static Table difference(Table rows, ProgramScores scores, Measure m, String column, String a, String b,
            String... by) {
        refuseGrouping(by, column);
        Table out = contrast(rows, scores, List.of(where(rows, column, a), where(rows, column, b)), by,
                means -> m.of(means[0]) - m.of(means[1]));
        addLabels(out, "a", a, "b", b);
        return out;
    }

    /**
     * A difference of paired differences on the same test programs: {@code (A - B)} where {@code
     * across = c} minus {@code (A - B)} where {@code across = d}, A and B being the rows with {@code
     * column = a} and {@code column = b}. For example the drop of an alternative semantics (original
     * minus alternative) on the trained LM minus the same drop on the random-init LM: "the drop is
     * larger on the trained LM" is a claim about this number and its interval, not about two
     * intervals side by side. Within each group of the {@code by} columns (which must include
     * neither {@code column} nor {@code across}), the features present in all four cells are used;
     * every resample draws the same programs for the four.
     */
    public static Table differenceOfDifferences(Table rows, ProgramScores scores, Measure m, String column, String a,
            String b, String across, String c, String d, String... by) {
        return differenceOfDifferences(rows, scores, m, Scale.POINTS, column, a, b, across, c, d, by);
    }

    /** How {@link #differenceOfDifferences} puts the two differences on one scale before subtracting. */
    public enum Scale {
        /** {@code A - B} as it is, in the measure's units */
        POINTS,
        /**
         * {@code (A - B) / A}: the share of A that B loses, so that a condition with more to lose is not
         * credited with a larger drop for that alone; undefined (NaN) where an A is 0 or below
         */
        SHARE_OF_A
    }

    /** {@link #differenceOfDifferences} with each difference on the given {@link Scale}. */
    public static Table differenceOfDifferences(Table rows, ProgramScores scores, Measure m, Scale scale, String column,
            String a, String b, String across, String c, String d, String... by) {
        refuseGrouping(by, column, across);
        ToDoubleFunction<double[][]> stat = blocks -> {
            double ac = m.of(blocks[0]);
            double bc = m.of(blocks[1]);
            double ad = m.of(blocks[2]);
            double bd = m.of(blocks[3]);
            if (scale == Scale.POINTS) {
                return (ac - bc) - (ad - bd);
            }
            return ac > 0 && ad > 0 ? (ac - bc) / ac - (ad - bd) / ad : Double.NaN; // no share of nothing (or of less)
        };
        Table out = contrast(rows, scores, List.of(where(rows, column, a, across, c), where(rows, column, b, across, c),
                where(rows, column, a, across, d), where(rows, column, b, across, d)), by, stat);
        addLabels(out, "a", a, "b", b, "c", c, "d", d);
        return out;
    }

    private static Table where(Table rows, String column, String a) {
        return rows.where(rows.stringColumn(column).isEqualTo(a));
    }

    private static Table where(Table rows, String column, String a, String across, String c) {
        return rows.where(rows.stringColumn(column).isEqualTo(a).and(rows.stringColumn(across).isEqualTo(c)));
    }

    /** The columns a contrast compares across cannot also group it: every group would miss its other cells. */
    private static void refuseGrouping(String[] by, String... compared) {
        for (String c : compared) {
            if (List.of(by).contains(c)) {
                throw new KarelException("grouping column '" + c + "' is also the column compared across: leave it out of the grouping");
            }
        }
    }

    private static void addLabels(Table out, String... nameValue) {
        for (int i = 0; i < nameValue.length; i += 2) {
            StringColumn col = StringColumn.create(nameValue[i]);
            for (int r = 0; r < out.rowCount(); r++) {
                col.append(nameValue[i + 1]);
            }
            out.addColumns(col);
        }
    }

    /**
     * The paired contrast of k cells (row subsets) within each group of the {@code by} columns: the
     * features present in every cell of the group (matched by name, in the first cell's order), their
     * per-program sums side by side, and {@code stat} of the k blocks of sums (one a cell, read with
     * {@link Measure#of(double[])}), with an interval from one draw of programs for all k cells.
     */
    private static Table contrast(Table rows, ProgramScores scores, List<Table> cells, String[] by,
            ToDoubleFunction<double[][]> stat) {
        int k = cells.size();
        List<Map<String, List<Integer>>> grouped = new ArrayList<>();
        for (Table t : cells) {
            grouped.add(groups(t, by));
        }
        Table out = header(rows, by);
        Cache cache = new Cache(scores);
        for (Map.Entry<String, List<Integer>> e : grouped.get(0).entrySet()) {
            List<List<Integer>> present = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                List<Integer> g = grouped.get(i).get(e.getKey());
                present.add(g == null ? List.of() : withRows(cells.get(i), g, scores, cache));
            }
            List<List<Integer>> common = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                common.add(new ArrayList<>());
            }
            for (int first : present.get(0)) {
                String feature = cells.get(0).stringColumn(Results.FEATURE).get(first);
                int[] at = new int[k];
                boolean everywhere = true;
                for (int i = 0; i < k && everywhere; i++) {
                    at[i] = -1;
                    for (int j : present.get(i)) {
                        if (cells.get(i).stringColumn(Results.FEATURE).get(j).equals(feature)) {
                            if (at[i] >= 0) {
                                throw new KarelException("feature '" + feature + "' has two rows in one group: add the "
                                        + "column that tells them apart to the grouping");
                            }
                            at[i] = j;
                        }
                    }
                    everywhere = at[i] >= 0;
                }
                if (everywhere) {
                    for (int i = 0; i < k; i++) {
                        common.get(i).add(at[i]);
                    }
                }
            }
            if (common.get(0).isEmpty()) {
                continue;
            }
            long step = step(cells.get(0), common.get(0));
            for (int i = 1; i < k; i++) {
                if (step(cells.get(i), common.get(i)) != step) {
                    throw new KarelException("paired contrast across checkpoints " + step + " and "
                            + step(cells.get(i), common.get(i)));
                }
            }
            int programs = cache.programs(step);
            int f = common.get(0).size();
            double[][] all = new double[programs][4 * f * k];
            for (int i = 0; i < k; i++) {
                double[][] si = stack(cells.get(i), common.get(i), scores, programs);
                for (int p = 0; p < programs; p++) {
                    System.arraycopy(si[p], 0, all[p], i * 4 * f, 4 * f);
                }
            }
            ToDoubleFunction<double[]> of = v -> {
                double[][] blocks = new double[k][];
                for (int i = 0; i < k; i++) {
                    blocks[i] = java.util.Arrays.copyOfRange(v, i * 4 * f, (i + 1) * 4 * f);
                }
                return stat.applyAsDouble(blocks);
            };
            add(out, cells.get(0), common.get(0).get(0), by, all, of, cache.boot(step), features(cells.get(0), common.get(0)));
        }
        return out;
    }

    /** Output columns of {@link #correlationWithAccuracy} besides {@link #VALUE}, {@link #CI_LOW}, {@link #CI_HIGH}, {@link #N_PROGRAMS}. */
    public static final String R2 = "r2";
    public static final String N_CHECKPOINTS = "n_checkpoints";
    public static final String N_EVAL_PROGRAMS = "n_eval_programs";
    public static final String LEFT_OUT = "left_out";

    /**
     * Pearson's r between a probe measure and the LM's generative accuracy over the checkpoints of
     * the curve (the paper's "semantic content tracks generative accuracy", R^2 = r^2), per group of
     * the {@code by} columns (each group: the rows of its features at several checkpoints), with a
     * 95% bootstrap interval over programs.
     *
     * <p>The checkpoints used are those measured on as many test programs as the first one: the
     * sweep's curve traces the same programs at each, while its last checkpoint, measured by the
     * final part on more programs with more seeds and selection, is not comparable; checkpoints left
     * out are named in {@value #LEFT_OUT}. Each resample draws the probe's test programs once for all
     * the checkpoints used, and draws the evaluation's programs (the same at every checkpoint) once,
     * independently. The two sets overlap (both are the first programs of the test split), so the
     * independent draws leave out their correlation. A resample where a series is constant has no
     * r and is left out. The interval covers program sampling only: the checkpoints are fixed.
     *
     * @param evalPrograms per-program evaluation rows ({@link Evaluation#readPrograms}) at every
     *     checkpoint of {@code rows}, the same programs at each
     */
    public static Table correlationWithAccuracy(Table rows, ProgramScores scores, Measure m, Table evalPrograms,
            String... by) {
        Map<Long, java.util.TreeMap<Integer, Boolean>> correct = correctByStep(evalPrograms);
        Table out = Table.create("correlation");
        for (String c : by) {
            out.addColumns(rows.column(c).emptyCopy());
        }
        out.addColumns(DoubleColumn.create(VALUE), DoubleColumn.create(CI_LOW), DoubleColumn.create(CI_HIGH),
                DoubleColumn.create(R2), IntColumn.create(N_CHECKPOINTS), IntColumn.create(N_PROGRAMS),
                IntColumn.create(N_EVAL_PROGRAMS), StringColumn.create(LEFT_OUT));
        Cache cache = new Cache(scores);
        for (List<Integer> group : groups(rows, by).values()) {
            Map<Long, List<Integer>> bySteps = new java.util.TreeMap<>();
            for (int i : withRows(rows, group, scores, cache)) {
                bySteps.computeIfAbsent(rows.longColumn(Results.STEP).get(i), k -> new ArrayList<>()).add(i);
            }
            if (bySteps.isEmpty()) {
                continue;
            }
            int programs = cache.programs(bySteps.keySet().iterator().next());
            List<Long> steps = new ArrayList<>();
            List<String> leftOut = new ArrayList<>();
            java.util.Set<String> features = null;
            for (Map.Entry<Long, List<Integer>> e : bySteps.entrySet()) {
                List<String> f = e.getValue().stream().map(i -> rows.stringColumn(Results.FEATURE).get(i)).toList();
                if (java.util.Set.copyOf(f).size() != f.size()) {
                    throw new KarelException("a feature has two rows at step " + e.getKey() + " (" + f
                            + "): add the column that tells them apart to the grouping");
                }
                if (features == null) {
                    features = java.util.Set.copyOf(f);
                } else if (!features.equals(java.util.Set.copyOf(f))) {
                    throw new KarelException("the features differ between checkpoints: " + features + " and " + f
                            + " at step " + e.getKey());
                }
                if (cache.programs(e.getKey()) == programs) {
                    steps.add(e.getKey());
                } else {
                    leftOut.add(Long.toString(e.getKey()));
                }
            }
            if (steps.size() < 2) {
                continue;
            }
            java.util.Set<Integer> evalIds = null;
            for (long step : steps) {
                java.util.TreeMap<Integer, Boolean> ok = correct.get(step);
                if (ok == null) {
                    throw new KarelException("no per-program evaluation rows at step " + step);
                }
                if (evalIds != null && !evalIds.equals(ok.keySet())) {
                    throw new KarelException("correlation over checkpoints needs the same evaluation programs at each: "
                            + "step " + step + " has others");
                }
                evalIds = ok.keySet();
            }
            Bootstrap probeBoot = new Bootstrap(programs, RESAMPLES, 17);
            Bootstrap evalBoot = new Bootstrap(evalIds.size(), RESAMPLES, 18);
            double[][] y = new double[steps.size()][];   // (checkpoints, resamples): the measure
            double[][] x = new double[steps.size()][];   // (checkpoints, resamples): the accuracy
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int t = 0; t < steps.size(); t++) {
                List<Integer> g = bySteps.get(steps.get(t));
                double[][] sums = stack(rows, g, scores, programs);
                y[t] = probeBoot.distribution(sums, m::of);
                ys.add(m.of(Bootstrap.total(sums)));
                double[][] acc = correct.get(steps.get(t)).values().stream()
                        .map(ok -> new double[] {1, ok ? 1 : 0}).toArray(double[][]::new);
                x[t] = evalBoot.distribution(acc, v -> v[1] / v[0]);
                xs.add(Bootstrap.total(acc)[1] / acc.length);
            }
            double[] r = new double[RESAMPLES];
            for (int b = 0; b < RESAMPLES; b++) {
                List<Double> xb = new ArrayList<>();
                List<Double> yb = new ArrayList<>();
                for (int t = 0; t < steps.size(); t++) {
                    xb.add(x[t][b]);
                    yb.add(y[t][b]);
                }
                r[b] = correlation(xb, yb);
            }
            double point = correlation(xs, ys);
            Bootstrap.Interval ci = Bootstrap.interval(r, 0.95);
            for (String c : by) {
                ((tech.tablesaw.columns.Column) out.column(c)).append(rows.column(c), group.get(0));
            }
            out.doubleColumn(VALUE).append(point);
            out.doubleColumn(CI_LOW).append(ci.low());
            out.doubleColumn(CI_HIGH).append(ci.high());
            out.doubleColumn(R2).append(point * point);
            out.intColumn(N_CHECKPOINTS).append(steps.size());
            out.intColumn(N_PROGRAMS).append(programs);
            out.intColumn(N_EVAL_PROGRAMS).append(evalIds.size());
            out.stringColumn(LEFT_OUT).append(String.join(",", leftOut));
        }
        return out;
    }

    /** Per step, whether each evaluated program was correct on the specification, by program index. */
    private static Map<Long, java.util.TreeMap<Integer, Boolean>> correctByStep(Table evalPrograms) {
        Map<Long, java.util.TreeMap<Integer, Boolean>> bySteps = new HashMap<>();
        for (int i = 0; i < evalPrograms.rowCount(); i++) {
            long step = evalPrograms.longColumn("step").get(i);
            int program = evalPrograms.intColumn("program").get(i);
            boolean ok = evalPrograms.booleanColumn("correct").get(i);
            if (bySteps.computeIfAbsent(step, k -> new java.util.TreeMap<>()).put(program, ok) != null) {
                throw new KarelException("evaluation rows: program " + program + " twice at step " + step);
            }
        }
        return bySteps;
    }

    /** Columns of {@link #accuracyDifference} besides {@link #VALUE}, {@link #CI_LOW}, {@link #CI_HIGH}, {@link #N_PROGRAMS}. */
    public static final String LENGTHS = "lengths";
    public static final String A_RATE = "a_rate";
    public static final String A_LOW = "a_low";
    public static final String A_HIGH = "a_high";
    public static final String B_RATE = "b_rate";
    public static final String B_LOW = "b_low";
    public static final String B_HIGH = "b_high";
    /** Programs only A gets right, and only B: the discordant pairs the difference rests on. */
    public static final String ONLY_A = "only_a";
    public static final String ONLY_B = "only_b";

    /**
     * The paired difference A - B of a program outcome ({@code correct}, {@code generalizes} or
     * {@code exact}) between two evaluations of the same programs: two runs, or two checkpoints
     * of one run, each a per-program table of one step ({@link Evaluation#readPrograms}, filtered
     * to a step). A row for all programs, then one per length range of {@code groups} (n = 0 and
     * NaN where a range has no programs), each with the rates of A and of B, the difference, and
     * the discordant counts; every rate and difference with a 95% bootstrap interval over the
     * programs of the row (the same resamples for A, B and A - B, so the difference's interval
     * accounts for their correlation). With few discordant programs (say under 10) the interval is
     * crude; read the counts.
     *
     * @throws KarelException if a table is not a per-program table of one step, or the two do not
     *     hold the same programs (same indices, same reference programs)
     */
    public static Table accuracyDifference(Table a, Table b, String outcome, List<LengthRange> groups) {
        boolean[][] ok = pairedOutcomes(a, b, outcome);
        int[] length = a.intColumn("length").asIntArray();
        Table out = Table.create("accuracy difference", StringColumn.create(LENGTHS),
                DoubleColumn.create(A_RATE), DoubleColumn.create(A_LOW), DoubleColumn.create(A_HIGH),
                DoubleColumn.create(B_RATE), DoubleColumn.create(B_LOW), DoubleColumn.create(B_HIGH),
                DoubleColumn.create(VALUE), DoubleColumn.create(CI_LOW), DoubleColumn.create(CI_HIGH),
                IntColumn.create(N_PROGRAMS), IntColumn.create(ONLY_A), IntColumn.create(ONLY_B));
        List<LengthRange> rows = new ArrayList<>();
        rows.add(null);
        rows.addAll(groups);
        for (LengthRange g : rows) {
            List<double[]> sums = new ArrayList<>();
            int onlyA = 0;
            int onlyB = 0;
            for (int i = 0; i < length.length; i++) {
                if (g == null || (length[i] >= g.min() && length[i] <= g.max())) {
                    sums.add(new double[] {1, ok[0][i] ? 1 : 0, ok[1][i] ? 1 : 0});
                    onlyA += ok[0][i] && !ok[1][i] ? 1 : 0;
                    onlyB += ok[1][i] && !ok[0][i] ? 1 : 0;
                }
            }
            out.stringColumn(LENGTHS).append(g == null ? "all" : g.min() + "-" + g.max());
            double[][] s = sums.toArray(double[][]::new);
            Bootstrap boot = s.length == 0 ? null : new Bootstrap(s.length, RESAMPLES, 17);
            appendEstimate(out, A_RATE, A_LOW, A_HIGH, s, boot, t -> t[1] / t[0]);
            appendEstimate(out, B_RATE, B_LOW, B_HIGH, s, boot, t -> t[2] / t[0]);
            appendEstimate(out, VALUE, CI_LOW, CI_HIGH, s, boot, t -> (t[1] - t[2]) / t[0]);
            out.intColumn(N_PROGRAMS).append(s.length);
            out.intColumn(ONLY_A).append(onlyA);
            out.intColumn(ONLY_B).append(onlyB);
        }
        return out;
    }

    /** {A's outcomes, B's outcomes}, in A's row order, after checking both hold the same programs of one step. */
    private static boolean[][] pairedOutcomes(Table a, Table b, String outcome) {
        if (!List.of("correct", "generalizes", "exact").contains(outcome)) {
            throw new KarelException("outcome '" + outcome + "' is not one of correct, generalizes, exact");
        }
        for (Table t : List.of(a, b)) {
            String name = t == a ? "A" : "B";
            for (String c : List.of("step", "program", "length", "reference", outcome)) {
                if (!t.containsColumn(c)) {
                    throw new KarelException("table " + name + " is not a per-program eval table (no column '" + c + "')");
                }
            }
            if (t.rowCount() == 0) {
                throw new KarelException("per-program table " + name + " is empty");
            }
            if (t.longColumn("step").unique().size() != 1) {
                throw new KarelException("per-program table " + name + " holds steps "
                        + t.longColumn("step").unique().asList() + ": filter it to one step");
            }
            if (t.intColumn("program").unique().size() != t.rowCount()) {
                throw new KarelException("per-program table " + name + " holds a program more than once");
            }
            if (t.booleanColumn(outcome).countMissing() > 0) {
                throw new KarelException("per-program table " + name + " has empty '" + outcome + "' cells");
            }
        }
        Map<Integer, Integer> rowOf = new HashMap<>();
        for (int j = 0; j < b.rowCount(); j++) {
            rowOf.put(b.intColumn("program").getInt(j), j);
        }
        if (a.rowCount() != b.rowCount()) {
            throw new KarelException("A has " + a.rowCount() + " programs, B " + b.rowCount() + ": not the same programs");
        }
        boolean[][] ok = new boolean[2][a.rowCount()];
        for (int i = 0; i < a.rowCount(); i++) {
            int program = a.intColumn("program").getInt(i);
            Integer j = rowOf.get(program);
            if (j == null) {
                throw new KarelException("program " + program + " is in A but not in B: not the same programs");
            }
            String ra = a.stringColumn("reference").get(i);
            String rb = b.stringColumn("reference").get(j);
            if (!ra.equals(rb)) {
                throw new KarelException("program " + program + " is '" + ra + "' in A but '" + rb
                        + "' in B: scored on different splits or datasets");
            }
            ok[0][i] = a.booleanColumn(outcome).get(i);
            ok[1][i] = b.booleanColumn(outcome).get(j);
        }
        return ok;
    }

    private static void appendEstimate(Table out, String value, String low, String high, double[][] sums, Bootstrap boot,
            ToDoubleFunction<double[]> stat) {
        Bootstrap.Interval ci = boot == null ? new Bootstrap.Interval(Double.NaN, Double.NaN)
                : Bootstrap.interval(boot.distribution(sums, stat), 0.95);
        out.doubleColumn(value).append(sums.length == 0 ? Double.NaN : Bootstrap.point(sums, stat));
        out.doubleColumn(low).append(ci.low());
        out.doubleColumn(high).append(ci.high());
    }

    /** Columns of {@link #cellDifference}: cells with programs in both, and those where A's or B's estimate is the higher. */
    public static final String CELLS = "cells";
    public static final String A_AHEAD = "a_ahead";
    public static final String B_AHEAD = "b_ahead";
    /** (cell, program) pairs with rows in A only, and in B only: 0 and 0 when both read the same programs in every cell. */
    public static final String A_ONLY = "a_only_rows";
    public static final String B_ONLY = "b_only_rows";

    /**
     * The paired difference A - B of a measure over cells: the mean over {@code ids} of m(A's cell)
     * - m(B's cell), each cell on the programs that have rows in both, with 95% bootstrap intervals
     * over programs. One resample serves every cell, so the interval carries the cells'
     * dependence (the same programs at neighbouring layers and positions): the cells are averaged,
     * never counted as independent. Made for P-probing ({@code pprobe --program-scores}) of one
     * run folder with the same {@code --samples} and {@code --eval-samples}, where program p is the
     * same test specification in both files: an LM and its control ({@code --checkpoint 0
     * --programs-from last}, the same programs and rows in every cell), or two checkpoints. Two
     * LMs that write their own programs share the specifications, not the programs, and a cell
     * holds the programs long enough to reach it, so there the pairs are per specification and
     * {@link #A_ONLY}/{@link #B_ONLY} count the rows left out. One row: A's and B's means over the
     * cells, the difference, each with its interval, the programs in at least one cell of both
     * ({@link #N_PROGRAMS}), the cells defined in both, in how many A's and B's estimate is the
     * higher, and the rows left out.
     *
     * @throws KarelException if {@code ids} is empty or names a cell twice, a cell has no rows in A
     *     or in B (a wrong id), or no cell has programs in both
     */
    public static Table cellDifference(ProgramScores a, ProgramScores b, List<String> ids, Measure m) {
        return cellDifference(a, ids, b, ids, m);
    }

    /**
     * {@link #cellDifference(ProgramScores, ProgramScores, List, Measure)} where A's cell
     * {@code idsA[j]} is paired with B's cell {@code idsB[j]}, for cells of other names on the same
     * programs: a hidden state's cell against a reference's (P-probing's {@code facts.next} at the same
     * input, position and k), which may then stand against several of A's cells. A cell of A named
     * twice is refused.
     */
    public static Table cellDifference(ProgramScores a, List<String> idsA, ProgramScores b, List<String> idsB, Measure m) {
        if (idsA.isEmpty()) {
            throw new KarelException("cell difference: no cell named");
        }
        if (idsA.size() != idsB.size()) {
            throw new KarelException("cell difference: " + idsA.size() + " cells of A but " + idsB.size() + " of B to pair them with");
        }
        if (m == Measure.R2) {
            throw new KarelException("cell difference: P-probing cells are classifications; R2 has no meaning here");
        }
        if (java.util.Set.copyOf(idsA).size() != idsA.size()) {
            throw new KarelException("cell difference: a cell is named twice");
        }
        for (int j = 0; j < idsA.size(); j++) {
            String ia = idsA.get(j);
            String ib = idsB.get(j);
            if (!a.has(ia) && !b.has(ib)) {
                throw new KarelException("cell difference: " + (ia.equals(ib) ? "cell '" + ia + "' has no rows in A or B"
                        : "cell '" + ia + "' has no rows in A, nor '" + ib + "' in B"));
            }
            if (!a.has(ia) || !b.has(ib)) {
                throw new KarelException("cell difference: cell '" + (a.has(ia) ? ib : ia) + "' has no rows in " + (a.has(ia) ? "B" : "A"));
            }
        }
        int programs = Math.max(a.programs(), b.programs());
        int c = idsA.size();
        double[][] sums = new double[programs][8 * c];                 // per cell: A's n, a, b, c, then B's
        boolean[] inBoth = new boolean[programs];
        int aOnly = 0;
        int bOnly = 0;
        for (int j = 0; j < c; j++) {
            double[][] sa = a.sums(idsA.get(j), programs);
            double[][] sb = b.sums(idsB.get(j), programs);
            for (int p = 0; p < programs; p++) {
                boolean inA = sa[p][Bootstrap.N] > 0;
                boolean inB = sb[p][Bootstrap.N] > 0;
                aOnly += inA && !inB ? 1 : 0;
                bOnly += inB && !inA ? 1 : 0;
                if (inA && inB) {
                    System.arraycopy(sa[p], 0, sums[p], 8 * j, 4);
                    System.arraycopy(sb[p], 0, sums[p], 8 * j + 4, 4);
                    inBoth[p] = true;
                }
            }
        }
        double[] total = Bootstrap.total(sums);
        int cells = 0;
        int aAhead = 0;
        int bAhead = 0;
        for (int j = 0; j < c; j++) {
            double[] v = cellPair(total, j, m);
            if (!Double.isNaN(v[0]) && !Double.isNaN(v[1])) {
                cells++;
                aAhead += v[0] > v[1] ? 1 : 0;
                bAhead += v[1] > v[0] ? 1 : 0;
            }
        }
        if (cells == 0) {
            throw new KarelException("cell difference: no cell has programs in both A and B");
        }
        Table out = Table.create("cell difference", DoubleColumn.create(A_RATE), DoubleColumn.create(A_LOW),
                DoubleColumn.create(A_HIGH), DoubleColumn.create(B_RATE), DoubleColumn.create(B_LOW), DoubleColumn.create(B_HIGH),
                DoubleColumn.create(VALUE), DoubleColumn.create(CI_LOW), DoubleColumn.create(CI_HIGH),
                IntColumn.create(N_PROGRAMS), IntColumn.create(CELLS), IntColumn.create(A_AHEAD), IntColumn.create(B_AHEAD),
                IntColumn.create(A_ONLY), IntColumn.create(B_ONLY));
        Bootstrap boot = new Bootstrap(programs, RESAMPLES, 17);
        appendEstimate(out, A_RATE, A_LOW, A_HIGH, sums, boot, s -> meanOverCells(s, c, m, (va, vb) -> va));
        appendEstimate(out, B_RATE, B_LOW, B_HIGH, sums, boot, s -> meanOverCells(s, c, m, (va, vb) -> vb));
        appendEstimate(out, VALUE, CI_LOW, CI_HIGH, sums, boot, s -> meanOverCells(s, c, m, (va, vb) -> va - vb));
        int n = 0;
        for (boolean in : inBoth) {
            n += in ? 1 : 0;
        }
        out.intColumn(N_PROGRAMS).append(n);
        out.intColumn(CELLS).append(cells);
        out.intColumn(A_AHEAD).append(aAhead);
        out.intColumn(B_AHEAD).append(bAhead);
        out.intColumn(A_ONLY).append(aOnly);
        out.intColumn(B_ONLY).append(bOnly);
        return out;
    }

    /** A's and B's measure on cell {@code j} of side-by-side sums (8 columns a cell: A's 4, then B's). */
    private static double[] cellPair(double[] s, int j, Measure m) {
        return new double[] {m.of(java.util.Arrays.copyOfRange(s, 8 * j, 8 * j + 4)),
            m.of(java.util.Arrays.copyOfRange(s, 8 * j + 4, 8 * j + 8))};
    }

    /** The mean of {@code pick(A's, B's)} over the cells defined in both; NaN when none is. */
    private static double meanOverCells(double[] s, int cells, Measure m, java.util.function.DoubleBinaryOperator pick) {
        double total = 0;
        int defined = 0;
        for (int j = 0; j < cells; j++) {
            double[] v = cellPair(s, j, m);
            if (!Double.isNaN(v[0]) && !Double.isNaN(v[1])) {
                total += pick.applyAsDouble(v[0], v[1]);
                defined++;
            }
        }
        return defined == 0 ? Double.NaN : total / defined;
    }

    /** Pearson's correlation of the points (NaN for fewer than 3 or no spread); its square is the R^2 of the least-squares line. */
    public static double correlation(List<Double> x, List<Double> y) {
        int n = x.size();
        if (n != y.size()) {
            throw new IllegalArgumentException(n + " x values but " + y.size() + " y values");
        }
        if (n < 3) {
            return Double.NaN;
        }
        double mx = x.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double my = y.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x.get(i) - mx) * (y.get(i) - my);
            sxx += (x.get(i) - mx) * (x.get(i) - mx);
            syy += (y.get(i) - my) * (y.get(i) - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    /**
     * A measure against generative accuracy, one point per checkpoint: {@code summary}'s rows (a
     * {@link #summarize} table grouped by {@code step}) joined with eval.csv's accuracy over every
     * length at the same step; steps without an eval row are left out. Columns: step, accuracy,
     * value, ci_low, ci_high.
     */
    public static Table againstAccuracy(Table summary, Table eval) {
        Table all = Selections.overall(eval);
        Map<Long, Double> byStep = new HashMap<>();
        for (int i = 0; i < all.rowCount(); i++) {
            byStep.put(all.longColumn(Evaluation.STEP).get(i), all.doubleColumn(Evaluation.ACCURACY).get(i));
        }
        Table out = Table.create("against accuracy", tech.tablesaw.api.LongColumn.create(Results.STEP),
                DoubleColumn.create(Evaluation.ACCURACY), DoubleColumn.create(VALUE), DoubleColumn.create(CI_LOW),
                DoubleColumn.create(CI_HIGH));
        for (int i = 0; i < summary.rowCount(); i++) {
            long step = (long) ((tech.tablesaw.api.NumberColumn<?, ?>) summary.column(Results.STEP)).getDouble(i);
            Double a = byStep.get(step);
            if (a != null) {
                out.longColumn(Results.STEP).append(step);
                out.doubleColumn(Evaluation.ACCURACY).append(a);
                out.doubleColumn(VALUE).append(summary.doubleColumn(VALUE).getDouble(i));
                out.doubleColumn(CI_LOW).append(summary.doubleColumn(CI_LOW).getDouble(i));
                out.doubleColumn(CI_HIGH).append(summary.doubleColumn(CI_HIGH).getDouble(i));
            }
        }
        return out;
    }

    /** Pearson's r of {@link #againstAccuracy}'s points, accuracy against value (see {@link #correlation(List, List)}). */
    public static double correlation(Table points) {
        return correlation(points.doubleColumn(Evaluation.ACCURACY).asList(), points.doubleColumn(VALUE).asList());
    }

    /**
     * Accuracy on the test programs seen in training against those not seen, per length, from
     * eval-full.csv: seen accuracy is (accuracy x n − unseen accuracy x unseen_n) / (n − unseen_n).
     * Rows written before eval reported unseen programs are left out. Columns: length, seen_n,
     * seen_accuracy, unseen_n, unseen_accuracy, unseen_generalization.
     */
    public static Table seenAndUnseen(Table evalFull) {
        StringColumn len = StringColumn.create(Evaluation.LENGTH);
        IntColumn seenN = IntColumn.create("seen_n");
        DoubleColumn seenAcc = DoubleColumn.create("seen_accuracy");
        IntColumn unseenN = IntColumn.create(Evaluation.UNSEEN_N);
        DoubleColumn unseenAcc = DoubleColumn.create(Evaluation.UNSEEN_ACCURACY);
        DoubleColumn unseenGen = DoubleColumn.create(Evaluation.UNSEEN_GENERALIZATION);
        IntColumn nCol = evalFull.intColumn(Evaluation.N);
        IntColumn uCol = evalFull.intColumn(Evaluation.UNSEEN_N);
        for (int i = 0; i < evalFull.rowCount(); i++) {
            if (uCol.isMissing(i)) {
                continue;
            }
            int n = nCol.getInt(i);
            int u = uCol.getInt(i);
            double unseen = evalFull.doubleColumn(Evaluation.UNSEEN_ACCURACY).getDouble(i);
            double unseenCorrect = u > 0 ? unseen * u : 0;
            len.append(evalFull.stringColumn(Evaluation.LENGTH).get(i));
            seenN.append(n - u);
            seenAcc.append(n > u ? (evalFull.doubleColumn(Evaluation.ACCURACY).getDouble(i) * n - unseenCorrect) / (n - u) : Double.NaN);
            unseenN.append(u);
            unseenAcc.append(unseen);
            unseenGen.append(evalFull.doubleColumn(Evaluation.UNSEEN_GENERALIZATION).getDouble(i));
        }
        return Table.create("accuracy on test programs seen in train vs unseen", len, seenN, seenAcc, unseenN, unseenAcc,
                unseenGen);
    }

    /** The training phases of an eval table (see {@link Phases}). */
    public static Phases phases(Table eval) {
        return Phases.of(eval);
    }

    // ---- plumbing ----

    private static final class Cache {
        final ProgramScores scores;
        final Map<Long, Integer> programs = new HashMap<>();
        final Map<Long, Bootstrap> boots = new HashMap<>();

        Cache(ProgramScores scores) {
            this.scores = scores;
        }

        int programs(long step) {
            return programs.computeIfAbsent(step, scores::programs);
        }

        Bootstrap boot(long step) {
            return boots.computeIfAbsent(step, s -> new Bootstrap(programs(s), RESAMPLES, 17 + s));
        }
    }

    /** The rows of a group that have test rows (a feature without any, e.g. no world-dependent row, is left out). */
    private static List<Integer> withRows(Table rows, List<Integer> g, ProgramScores scores, Cache cache) {
        List<Integer> out = new ArrayList<>();
        for (int i : g) {
            long step = rows.longColumn(Results.STEP).get(i);
            int programs = cache.programs(step);
            if (programs > 0 && Bootstrap.total(scores.sums(ProgramScores.id(rows, i), programs))[0] > 0) {
                out.add(i);
            }
        }
        return out;
    }

    private static Map<String, List<Integer>> groups(Table rows, String... by) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < rows.rowCount(); i++) {
            StringBuilder key = new StringBuilder();
            for (String c : by) {
                key.append(rows.column(c).getString(i)).append('\u0001');
            }
            groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    private static long step(Table rows, List<Integer> g) {
        long step = rows.longColumn(Results.STEP).get(g.get(0));
        for (int i : g) {
            if (rows.longColumn(Results.STEP).get(i) != step) {
                throw new KarelException("a group spans checkpoints " + step + " and " + rows.longColumn(Results.STEP).get(i)
                        + ": add step to the grouping columns");
            }
        }
        return step;
    }

    /** Per-program sums of the group's rows, side by side: (programs, 4 * rows). */
    private static double[][] stack(Table rows, List<Integer> g, ProgramScores scores, int programs) {
        double[][] out = new double[programs][4 * g.size()];
        for (int j = 0; j < g.size(); j++) {
            double[][] s = scores.sums(ProgramScores.id(rows, g.get(j)), programs);
            for (int p = 0; p < programs; p++) {
                System.arraycopy(s[p], 0, out[p], 4 * j, 4);
            }
        }
        return out;
    }

    private static String features(Table rows, List<Integer> g) {
        return String.join("+", g.stream().map(i -> rows.stringColumn(Results.FEATURE).get(i)).toList());
    }

    private static Table header(Table rows, String... by) {
        Table out = Table.create("measures");
        for (String c : by) {
            out.addColumns(rows.column(c).emptyCopy());
        }
        out.addColumns(DoubleColumn.create(VALUE), DoubleColumn.create(CI_LOW), DoubleColumn.create(CI_HIGH),
                IntColumn.create(N_PROGRAMS), IntColumn.create(N_ROWS), StringColumn.create(FEATURES));
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void add(Table out, Table rows, int first, String[] by, double[][] sums, ToDoubleFunction<double[]> stat,
            Bootstrap boot, String features) {
        for (String c : by) {
            ((tech.tablesaw.columns.Column) out.column(c)).append(rows.column(c), first);
        }
        double[] total = Bootstrap.total(sums);
        Bootstrap.Interval ci = Bootstrap.interval(boot.distribution(sums, stat), 0.95);
        int nPrograms = 0;
        for (double[] p : sums) {
            nPrograms += p[0] > 0 ? 1 : 0;
        }
        out.doubleColumn(VALUE).append(stat.applyAsDouble(total));
        out.doubleColumn(CI_LOW).append(ci.low());
        out.doubleColumn(CI_HIGH).append(ci.high());
        out.intColumn(N_PROGRAMS).append(nPrograms);
        out.intColumn(N_ROWS).append((int) Math.round(total[0]));
        out.stringColumn(FEATURES).append(features);
    }
}
