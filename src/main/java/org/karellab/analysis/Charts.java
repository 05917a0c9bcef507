package org.karellab.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * A dot-and-interval chart of a {@link Measures} table: one series per value of {@code series}
     * (null: one series), points at the values of {@code x} (numbers, or categories spread along
     * the axis), a vertical bar from {@code ci_low} to {@code ci_high} at each point (95% bootstrap
     * interval over test programs).
     */
    public static XYChart intervals(String title, String xTitle, String yTitle, Table summary, String x, String series) {
        XYChart c = xy(title, xTitle, yTitle);
        List<String> xs = new ArrayList<>(new java.util.LinkedHashSet<>(strings(summary, x)));
        boolean numeric = summary.column(x) instanceof NumberColumn;
        List<String> names = series == null ? List.of("") : new ArrayList<>(new java.util.LinkedHashSet<>(strings(summary, series)));
        double width = numeric ? 0 : 0.5;
        java.awt.Color[] palette = c.getStyler().getSeriesColors();
        if (!numeric && !xs.isEmpty()) {
            // the category axis: XChart puts a formatted tick at each x value of the data, so anchor one per category
            double mid = summary.doubleColumn(Measures.VALUE).asList().stream().filter(v -> v != null && !v.isNaN())
                    .mapToDouble(Double::doubleValue).average().orElse(0);
            double[] at = new double[xs.size()];
            double[] y = new double[xs.size()];
            for (int i = 0; i < at.length; i++) {
                at[i] = i;
                y[i] = mid;
            }
            XYSeries axis = c.addSeries(" ", at, y);
            axis.setMarker(SeriesMarkers.NONE);
            axis.setLineStyle(SeriesLines.NONE);
            axis.setShowInLegend(false);
        }
        for (int si = 0; si < names.size(); si++) {
            String name = names.get(si);
            Table s = series == null ? summary : summary.where(summary.column(series).asStringColumn().isEqualTo(name));
            List<Double> px = new ArrayList<>();
            List<Double> py = new ArrayList<>();
            List<double[]> bars = new ArrayList<>();
            for (int i = 0; i < s.rowCount(); i++) {
                double at = numeric ? ((NumberColumn<?, ?>) s.column(x)).getDouble(i)
                        : xs.indexOf(s.column(x).getString(i))
                                + (names.size() == 1 ? 0 : width * (si / (names.size() - 1.0) - 0.5));
                px.add(at);
                py.add(s.doubleColumn(Measures.VALUE).getDouble(i));
                bars.add(new double[] {at, s.doubleColumn(Measures.CI_LOW).getDouble(i), s.doubleColumn(Measures.CI_HIGH).getDouble(i)});
            }
            if (px.isEmpty()) {
                continue;
            }
            java.awt.Color color = palette[si % palette.length];
            XYSeries main = c.addSeries(name.isEmpty() ? yTitle : name, px, py);
            main.setMarkerColor(color);
            main.setLineColor(color);
            if (!numeric) {
                main.setLineStyle(SeriesLines.NONE);
            }
            for (int b = 0; b < bars.size(); b++) {
                double[] bar = bars.get(b);
                if (Double.isNaN(bar[1])) {
                    continue;
                }
                XYSeries e = c.addSeries(name + " ci " + b, new double[] {bar[0], bar[0]}, new double[] {bar[1], bar[2]});
                e.setMarker(SeriesMarkers.NONE);
                e.setShowInLegend(false);
                e.setLineColor(color);
            }
        }
        if (!numeric) {
            c.getStyler().setxAxisTickLabelsFormattingFunction(v -> {
                int i = (int) Math.round(v);
                return Math.abs(v - i) < 1e-6 && i >= 0 && i < xs.size() ? xs.get(i) : "";
            });
            c.getStyler().setXAxisLabelRotation(xs.size() > 6 ? 30 : 0);
        }
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
     * A measure against generative accuracy, one point per checkpoint (a {@link Measures} table
     * grouped by step, joined with eval.csv's {@code all} rows), with the least-squares fit's r and
     * R^2 in the title.
     */
    public static XYChart versusAccuracy(Table summary, Table eval, String measureName) {
        Table acc = eval.where(eval.stringColumn("length").isEqualTo("all"));
        Map<Long, Double> byStep = new HashMap<>();
        for (int i = 0; i < acc.rowCount(); i++) {
            byStep.put(acc.longColumn("step").get(i), acc.doubleColumn("accuracy").get(i));
        }
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<double[]> bars = new ArrayList<>();
        for (int i = 0; i < summary.rowCount(); i++) {
            Double a = byStep.get((long) ((NumberColumn<?, ?>) summary.column("step")).getDouble(i));
            if (a != null) {
                xs.add(a);
                ys.add(summary.doubleColumn(Measures.VALUE).getDouble(i));
                bars.add(new double[] {a, summary.doubleColumn(Measures.CI_LOW).getDouble(i),
                        summary.doubleColumn(Measures.CI_HIGH).getDouble(i)});
            }
        }
        double r = Measures.correlation(xs, ys);
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
}
