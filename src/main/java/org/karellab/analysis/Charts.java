package org.karellab.analysis;

import org.karellab.lm.Evaluation;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.NumberColumn;
import tech.tablesaw.api.Table;

/**
 * The study's figures: each method only draws the table it is given (eval.csv and metrics.csv
 * rows, or a {@link Measures} table made from a {@link Selections} of results.csv), so a notebook
 * reads select -> measure -> draw. Every chart is a plain XChart object to restyle at will.
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

    /**
     * Accuracy, generalisation, distinct programs and action entropy over checkpoints, phases
     * marked: {@code all} holds eval.csv's rows over every length, one per checkpoint in step order
     * ({@link Selections#overall}).
     */
    public static XYChart phases(Table all, Phases p) {
        double[] steps = all.longColumn(Evaluation.STEP).asDoubleArray();
        XYChart c = xy("training phases (greedy decoding on test programs)", "step", "fraction");
        c.addSeries("accuracy (5 spec inputs)", steps, all.doubleColumn(Evaluation.ACCURACY).asDoubleArray());
        c.addSeries("generalization (all 10)", steps, all.doubleColumn(Evaluation.GENERALIZATION).asDoubleArray());
        c.addSeries("distinct programs", steps, all.doubleColumn(Evaluation.DISTINCT).asDoubleArray());
        c.addSeries("action entropy / log2(5)", steps,
                all.doubleColumn(Evaluation.ACTION_ENTROPY).divide(Math.log(5) / Math.log(2)).asDoubleArray());
        mark(c, "syntax starts", p.syntaxStart());
        mark(c, "semantics starts", p.semanticsStart());
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        return c;
    }

    /** Perplexity of the reference programs over checkpoints: {@code all} as for {@link #phases}. */
    public static XYChart perplexity(Table all) {
        XYChart c = xy("perplexity of the reference programs", "step", "perplexity");
        c.addSeries("perplexity", all.longColumn(Evaluation.STEP).asDoubleArray(), all.doubleColumn(Evaluation.PERPLEXITY).asDoubleArray());
        return c;
    }

    /** Accuracy per reference program length: {@code t} holds one checkpoint's eval rows ({@link Selections#lastCheckpoint}). */
    public static CategoryChart accuracyByLength(Table t) {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H)
                .title("accuracy by program length, step " + t.longColumn(Evaluation.STEP).get(0)).xAxisTitle("reference length").yAxisTitle("fraction").build();
        c.addSeries("accuracy", t.stringColumn(Evaluation.LENGTH).asList(), t.doubleColumn(Evaluation.ACCURACY).asList());
        c.addSeries("generalization", t.stringColumn(Evaluation.LENGTH).asList(), t.doubleColumn(Evaluation.GENERALIZATION).asList());
        return c;
    }

    private static void mark(XYChart c, String name, long step) {
        if (step >= 0) {
            XYSeries s = c.addSeries(name, new double[] {step, step}, new double[] {0, 1});
            s.setMarker(SeriesMarkers.NONE);
        }
    }

    /**
     * A chart of a {@link Measures} table with its 95% bootstrap intervals: one series per value
     * of {@code series} (null: one series). A numeric {@code x} (step, offset) gives points joined
     * by lines with a vertical bar from {@code ci_low} to {@code ci_high} at each; a categorical
     * {@code x} (semantics, layer, condition) gives grouped bars whose error bars show the longer
     * side of the interval (XChart's error bars are symmetric), as the y-axis title says.
     */
    public static org.knowm.xchart.internal.chartpart.Chart<?, ?> intervals(String title, String xTitle, String yTitle,
            Table summary, String x, String series) {
        if (!(summary.column(x) instanceof NumberColumn)) {
            return categories(title, xTitle, yTitle, summary, x, series);
        }
        XYChart c = xy(title, xTitle, yTitle);
        java.awt.Color[] palette = c.getStyler().getSeriesColors();
        List<String> names = series == null ? List.of("") : new ArrayList<>(new java.util.LinkedHashSet<>(strings(summary, series)));
        for (int si = 0; si < names.size(); si++) {
            String name = names.get(si);
            Table s = series == null ? summary : summary.where(summary.column(series).asStringColumn().isEqualTo(name));
            s = s.sortAscendingOn(x);
            if (s.rowCount() == 0) {
                continue;
            }
            java.awt.Color color = palette[si % palette.length];
            double[] px = ((NumberColumn<?, ?>) s.column(x)).asDoubleArray();
            XYSeries main = c.addSeries(name.isEmpty() ? yTitle : name, px, s.doubleColumn(Measures.VALUE).asDoubleArray());
            main.setMarkerColor(color);
            main.setLineColor(color);
            for (int i = 0; i < s.rowCount(); i++) {
                double lo = s.doubleColumn(Measures.CI_LOW).getDouble(i);
                double hi = s.doubleColumn(Measures.CI_HIGH).getDouble(i);
                if (Double.isNaN(lo) || Double.isNaN(hi)) {
                    continue;
                }
                XYSeries e = c.addSeries(name + " ci " + i, new double[] {px[i], px[i]}, new double[] {lo, hi});
                e.setMarker(SeriesMarkers.NONE);
                e.setShowInLegend(false);
                e.setLineColor(color);
            }
        }
        return c;
    }

    private static CategoryChart categories(String title, String xTitle, String yTitle, Table summary, String x,
            String series) {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle + " (bars: 95% CI, longer side)").build();
        List<String> xs = new ArrayList<>(new java.util.LinkedHashSet<>(strings(summary, x)));
        List<String> names = series == null ? List.of("") : new ArrayList<>(new java.util.LinkedHashSet<>(strings(summary, series)));
        for (String name : names) {
            Table s = series == null ? summary : summary.where(summary.column(series).asStringColumn().isEqualTo(name));
            List<Double> v = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (String cat : xs) {
                Table r = s.where(s.column(x).asStringColumn().isEqualTo(cat));
                double value = r.rowCount() == 0 ? 0 : r.doubleColumn(Measures.VALUE).getDouble(0);
                double lo = r.rowCount() == 0 ? value : r.doubleColumn(Measures.CI_LOW).getDouble(0);
                double hi = r.rowCount() == 0 ? value : r.doubleColumn(Measures.CI_HIGH).getDouble(0);
                v.add(Double.isNaN(value) ? 0 : value);
                err.add(Double.isNaN(lo) || Double.isNaN(hi) ? 0 : Math.max(hi - value, value - lo));
            }
            c.addSeries(name.isEmpty() ? yTitle : name, xs, v, err);
        }
        c.getStyler().setXAxisLabelRotation(xs.size() > 3 ? 20 : 0);
        return c;
    }

    /** The distinct values of a column as strings, in order of appearance. */
    private static List<String> strings(Table t, String column) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            out.add(t.column(column).getString(i));
        }
        return out;
    }

    /**
     * A measure against generative accuracy, one point per checkpoint with its interval:
     * {@code points} is {@link Measures#againstAccuracy}'s table, {@code r} its correlation
     * ({@link Measures#correlation(Table)}), shown in the title with R^2.
     */
    public static XYChart versusAccuracy(Table points, double r, String measureName) {
        List<Double> xs = points.doubleColumn(Evaluation.ACCURACY).asList();
        List<Double> ys = points.doubleColumn(Measures.VALUE).asList();
        List<double[]> bars = new ArrayList<>();
        for (int i = 0; i < points.rowCount(); i++) {
            bars.add(new double[] {xs.get(i), points.doubleColumn(Measures.CI_LOW).getDouble(i),
                    points.doubleColumn(Measures.CI_HIGH).getDouble(i)});
        }
        XYChart c = xy(String.format("%s vs generative accuracy: r = %+.3f, R^2 = %.3f (%d checkpoints)", measureName, r,
                r * r, xs.size()), "generative accuracy", measureName);
        if (!xs.isEmpty()) {
            XYSeries s = c.addSeries("checkpoints", xs, ys);
            s.setLineStyle(SeriesLines.NONE);
            s.setMarkerColor(c.getStyler().getSeriesColors()[0]);
            for (int b = 0; b < bars.size(); b++) {
                XYSeries e = c.addSeries("ci " + b, new double[] {bars.get(b)[0], bars.get(b)[0]},
                        new double[] {bars.get(b)[1], bars.get(b)[2]});
                e.setMarker(SeriesMarkers.NONE);
                e.setShowInLegend(false);
                e.setLineColor(c.getStyler().getSeriesColors()[0]);
            }
        }
        return c;
    }

    /**
     * A heat map of {@code value} over two columns of {@code t}: {@code x} across, {@code y} up, in
     * the order the rows first show them (sort the table to order the axes); cells without a row
     * are left blank. Values are shown in the cells, so a colour never has to be read alone.
     */
    public static org.knowm.xchart.HeatMapChart heatMap(String title, Table t, String x, String y, String value) {
        List<String> xs = new ArrayList<>(new java.util.LinkedHashSet<>(strings(t, x)));
        List<String> ys = new ArrayList<>(new java.util.LinkedHashSet<>(strings(t, y)));
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < t.rowCount(); r++) {
            double v = ((NumberColumn<?, ?>) t.column(value)).getDouble(r);
            if (!Double.isNaN(v)) {
                cells.add(new Number[] {xs.indexOf(t.column(x).getString(r)), ys.indexOf(t.column(y).getString(r)),
                        Math.round(v * 100) / 100.0});
            }
        }
        org.knowm.xchart.HeatMapChart c = new org.knowm.xchart.HeatMapChartBuilder().width(W).height(H + 80).title(title)
                .xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setShowValue(true);
        c.getStyler().setXAxisLabelRotation(xs.size() > 8 ? 45 : 0);
        c.addSeries(value, xs, ys, cells);
        return c;
    }
}
