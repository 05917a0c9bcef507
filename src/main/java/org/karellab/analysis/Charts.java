package org.karellab.analysis;

import java.util.ArrayList;
import java.util.List;
import org.karellab.trace.Labels;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.aggregate.AggregateFunctions;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * The study's figures from its tables (metrics.csv, eval.csv, results.csv), one method each, so a
 * notebook cell is one line. Every chart is a plain XChart object to restyle at will.
 */
public final class Charts {
    private static final int W = 800;
    private static final int H = 420;

    private Charts() {
    }

    private static XYChart xy(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setMarkerSize(5);
        return c;
    }

    /** Training loss over steps. */
    public static XYChart loss(Table metrics) {
        XYChart c = xy("training loss (program tokens)", "step", "cross-entropy");
        c.addSeries("loss", metrics.numberColumn("step").asDoubleArray(), metrics.numberColumn("loss").asDoubleArray())
                .setMarker(SeriesMarkers.NONE);
        return c;
    }

    /** Accuracy, generalisation, distinct programs and action entropy over checkpoints, phases marked. */
    public static XYChart phases(Table eval, Phases p) {
        Table all = eval.where(eval.stringColumn("length").isEqualTo("all")).sortAscendingOn("step");
        double[] steps = all.longColumn("step").asDoubleArray();
        XYChart c = xy("training phases (greedy decoding on test programs)", "step", "fraction");
        c.addSeries("accuracy (5 spec inputs)", steps, all.doubleColumn("accuracy").asDoubleArray());
        c.addSeries("generalization (all 10)", steps, all.doubleColumn("generalization").asDoubleArray());
        c.addSeries("distinct programs", steps, all.doubleColumn("distinct").asDoubleArray());
        c.addSeries("action entropy / log2(5)", steps,
                all.doubleColumn("action_entropy").divide(Math.log(5) / Math.log(2)).asDoubleArray());
        mark(c, "syntax starts", p.syntaxStart());
        mark(c, "semantics starts", p.semanticsStart());
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        return c;
    }

    /** Perplexity of the reference programs over checkpoints. */
    public static XYChart perplexity(Table eval) {
        Table all = eval.where(eval.stringColumn("length").isEqualTo("all")).sortAscendingOn("step");
        XYChart c = xy("perplexity of the reference programs", "step", "perplexity");
        c.addSeries("perplexity", all.longColumn("step").asDoubleArray(), all.doubleColumn("perplexity").asDoubleArray());
        return c;
    }

    /** Accuracy per reference program length at the last checkpoint. */
    public static CategoryChart accuracyByLength(Table eval) {
        long last = (long) eval.longColumn("step").max();
        Table t = eval.where(eval.longColumn("step").isEqualTo(last));
        CategoryChart c = new CategoryChartBuilder().width(W).height(H)
                .title("accuracy by program length, step " + last).xAxisTitle("reference length").yAxisTitle("fraction").build();
        c.addSeries("accuracy", t.stringColumn("length").asList(), t.doubleColumn("accuracy").asList());
        c.addSeries("generalization", t.stringColumn("length").asList(), t.doubleColumn("generalization").asList());
        return c;
    }

    private static void mark(XYChart c, String name, long step) {
        if (step >= 0) {
            XYSeries s = c.addSeries(name, new double[] {step, step}, new double[] {0, 1});
            s.setMarker(SeriesMarkers.NONE);
        }
    }

    /** Rows of the curve: trained LM, real task, mean layer, original semantics, offset 0, trained probes. */
    public static Table curve(Table results) {
        return results.where(results.stringColumn("lm").isEqualTo("trained")
                .and(results.stringColumn("probe").isNotEqualTo("dummy"))
                .and(results.stringColumn("task").isEqualTo("real"))
                .and(results.stringColumn("layer").isEqualTo("mean"))
                .and(results.stringColumn("semantics").isEqualTo("original"))
                .and(results.intColumn("offset").isEqualTo(0)));
    }

    /**
     * Semantic content (mean test accuracy over facing, position and facing-a-wall, in the LM's
     * frame: the rows marked {@code semantic}) per group of the given key columns, and beside it
     * {@code gain_over_majority}: the mean of (accuracy - majority) / (1 - majority), which is 0
     * for a probe no better than always guessing the commonest class (as when a babbling model
     * repeats one action and every label is the same) and 1 for a perfect probe.
     */
    public static Table semanticContent(Table rows, String... by) {
        Table t = rows.where(rows.booleanColumn("semantic").isTrue());
        DoubleColumn acc = t.doubleColumn("accuracy");
        DoubleColumn maj = t.doubleColumn("majority");
        DoubleColumn gain = DoubleColumn.create("gain");
        for (int i = 0; i < t.rowCount(); i++) {
            double m = maj.isMissing(i) ? Double.NaN : maj.get(i);
            gain.append(m >= 1 ? 0 : (acc.get(i) - m) / (1 - m));
        }
        Table withGain = t.copy().addColumns(gain);
        Table s = withGain.summarize("accuracy", "gain", AggregateFunctions.mean).by(by);
        s.column(s.columnCount() - 2).setName("semantic_content");
        s.column(s.columnCount() - 1).setName("gain_over_majority");
        return s;
    }

    /** Probe accuracy per feature over training, one series per (probe, feature). */
    public static XYChart contentOverTraining(Table results) {
        Table c = curve(results);
        XYChart chart = xy("probe accuracy over training (current state, mean layer)", "step", "test accuracy");
        for (String probe : c.stringColumn("probe").unique().asList()) {
            for (String f : Labels.PROBED) {
                Table t = c.where(c.stringColumn("probe").isEqualTo(probe).and(c.stringColumn("feature").isEqualTo(f)))
                        .sortAscendingOn("step");
                if (t.rowCount() > 0) {
                    chart.addSeries(probe + " " + f, t.longColumn("step").asDoubleArray(),
                            t.doubleColumn("accuracy").asDoubleArray());
                }
            }
        }
        return chart;
    }

    /** Semantic content against generative accuracy, one point per checkpoint, for one probe. */
    /** A least-squares fit: {@code r} is Pearson's correlation (its sign tells the direction), {@code r2 = r * r}. */
    public record Fit(XYChart chart, double r, double r2, int points) {
    }

    public static Fit contentVsAccuracy(Table results, Table eval, String probe) {
        return contentVsAccuracy(results, eval, probe, "semantic_content");
    }

    /** As above for {@code measure} = {@code semantic_content} or {@code gain_over_majority}. */
    public static Fit contentVsAccuracy(Table results, Table eval, String probe, String measure) {
        Table sc = semanticContent(curve(results).where(curve(results).stringColumn("probe").isEqualTo(probe)), "step");
        Table acc = eval.where(eval.stringColumn("length").isEqualTo("all"));
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < sc.rowCount(); i++) {
            long step = sc.longColumn("step").get(i);
            Table a = acc.where(acc.longColumn("step").isEqualTo(step));
            if (a.rowCount() > 0) {
                xs.add(a.doubleColumn("accuracy").get(0));
                ys.add(sc.doubleColumn(measure).get(i));
            }
        }
        double r = correlation(xs, ys);
        XYChart c = xy(String.format("%s (%s) vs generative accuracy: r = %+.3f, R^2 = %.3f", measure.replace('_', ' '),
                probe, r, r * r), "generative accuracy", measure.replace('_', ' '));
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        if (!xs.isEmpty()) {
            c.addSeries("checkpoints", xs, ys);
        }
        return new Fit(c, r, r * r, xs.size());
    }

    /** Pearson's correlation of the points (NaN for fewer than 3 or no spread); its square is the R^2 of the least-squares line. */
    public static double correlation(List<Double> x, List<Double> y) {
        int n = x.size();
        if (n < 3) {
            return Double.NaN;
        }
        DoubleColumn a = DoubleColumn.create("x", x);
        DoubleColumn b = DoubleColumn.create("y", y);
        double mx = a.mean();
        double my = b.mean();
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

    /** Final checkpoint, original semantics: semantic content per offset per probe, with copy-current. */
    public static XYChart offsets(Table results) {
        Table t = results.where(results.stringColumn("lm").isEqualTo("trained")
                .and(results.stringColumn("semantics").isEqualTo("original"))
                .and(results.stringColumn("layer").isIn("mean", "-"))
                .and(results.stringColumn("task").isIn("real", "copy_current")));
        long last = (long) results.longColumn("step").max();
        t = t.where(t.longColumn("step").isEqualTo(last).and(t.stringColumn("probe").isNotEqualTo("dummy")));
        Table sc = semanticContent(t, "probe", "offset").sortAscendingOn("offset");
        XYChart c = xy("past and future states (step " + last + ")", "offset (actions)", "semantic content");
        for (String probe : sc.stringColumn("probe").unique().asList()) {
            Table p = sc.where(sc.stringColumn("probe").isEqualTo(probe));
            c.addSeries(probe.equals("none") ? "copy current state" : probe, p.intColumn("offset").asDoubleArray(),
                    p.doubleColumn("semantic_content").asDoubleArray());
        }
        return c;
    }

    /**
     * Final checkpoint, offset 0: per probe and semantics, the gain over the majority class
     * (the semantics differ in how guessable their labels are, so raw accuracy would mislead).
     */
    public static CategoryChart intervention(Table results) {
        long last = (long) results.longColumn("step").max();
        Table t = results.where(results.longColumn("step").isEqualTo(last)
                .and(results.stringColumn("lm").isEqualTo("trained")).and(results.stringColumn("task").isEqualTo("real"))
                .and(results.stringColumn("layer").isEqualTo("mean")).and(results.intColumn("offset").isEqualTo(0))
                .and(results.stringColumn("probe").isNotEqualTo("dummy")));
        Table sc = semanticContent(t, "semantics", "probe");
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title("semantic intervention (step " + last + ")")
                .xAxisTitle("probe").yAxisTitle("gain over majority (semantic features)").build();
        for (String sem : sc.stringColumn("semantics").unique().asList()) {
            Table s = sc.where(sc.stringColumn("semantics").isEqualTo(sem)).sortAscendingOn("probe");
            c.addSeries(sem, s.stringColumn("probe").asList(), s.doubleColumn("gain_over_majority").asList());
        }
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        return c;
    }

    /** Final checkpoint: semantic content per layer for the layer-sweep probes. */
    public static CategoryChart layers(Table results) {
        long last = (long) results.longColumn("step").max();
        Table t = results.where(results.longColumn("step").isEqualTo(last)
                .and(results.stringColumn("lm").isEqualTo("trained")).and(results.stringColumn("task").isEqualTo("real"))
                .and(results.stringColumn("semantics").isEqualTo("original")).and(results.intColumn("offset").isEqualTo(0))
                .and(results.stringColumn("probe").isNotEqualTo("dummy")));
        Table sc = semanticContent(t, "probe", "layer");
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title("semantic content per layer (step " + last + ")")
                .xAxisTitle("layer").yAxisTitle("semantic content").build();
        List<String> layers = sc.stringColumn("layer").unique().asList();
        for (String probe : sc.stringColumn("probe").unique().asList()) {
            Table p = sc.where(sc.stringColumn("probe").isEqualTo(probe));
            if (p.rowCount() == layers.size()) {
                List<Double> v = new ArrayList<>();
                for (String l : layers) {
                    v.add(p.where(p.stringColumn("layer").isEqualTo(l)).doubleColumn("semantic_content").get(0));
                }
                c.addSeries(probe, layers, v);
            }
        }
        c.getStyler().setXAxisLabelRotation(30);
        return c;
    }

    /** Final checkpoint, offset 0, original semantics: trained LM vs baselines and controls, per probe. */
    public static Table baselines(Table results) {
        long last = (long) results.longColumn("step").max();
        Table t = results.where(results.longColumn("step").isEqualTo(last)
                .and(results.stringColumn("layer").isEqualTo("mean")).and(results.intColumn("offset").isEqualTo(0))
                .and(results.stringColumn("semantics").isEqualTo("original")));
        return semanticContent(t, "lm", "task", "probe").sortAscendingOn("probe");
    }

    public static CategoryChart baselinesChart(Table baselines) {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title("baselines and controls")
                .xAxisTitle("probe").yAxisTitle("semantic content").build();
        List<String> probes = baselines.stringColumn("probe").unique().asList();
        for (String lm : List.of("trained", "random_init")) {
            for (String task : List.of("real", "control")) {
                Table s = baselines.where(baselines.stringColumn("lm").isEqualTo(lm).and(baselines.stringColumn("task").isEqualTo(task)));
                if (s.rowCount() == 0) {
                    continue;
                }
                List<Double> v = new ArrayList<>();
                for (String p : probes) {
                    Table r = s.where(s.stringColumn("probe").isEqualTo(p));
                    v.add(r.rowCount() == 0 ? 0.0 : r.doubleColumn("semantic_content").get(0));
                }
                c.addSeries(lm + " LM, " + task + " task", probes, v);
            }
        }
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        return c;
    }
}
