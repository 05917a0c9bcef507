// Prints an interventions.csv (made by `intervene` or `reproduce`) as one line per layer and edit
// (the `_rest` edits too when the file has them):
// success, changed, still fits the unturned robot, probe reads the target (each a rate over
// programs with its 95% bootstrap interval), relative edit norm; then direction minus random and
// direction minus opposite success, paired, and direction minus shuffled success and changed when the file has them. Run:
//   F=runs/cpu-abs/interventions.csv jshell -J-Xmx2g --class-path "target/karel-lab.jar:target/lib/*" \
//     docs/frames/interventions/table.jsh
import tech.tablesaw.api.*;
import java.nio.file.Path;
import java.util.*;

Table t = Table.read().csv(System.getenv("F"));
String cell(String layer, String method, String measure, boolean interval) {
    Table r = t.where(t.stringColumn("layer").isEqualTo(layer).and(t.stringColumn("method").isEqualTo(method))
            .and(t.stringColumn("measure").isEqualTo(measure)));
    if (r.rowCount() == 0) return "-";
    double v = r.doubleColumn("value").get(0), lo = r.doubleColumn("ci_low").get(0), hi = r.doubleColumn("ci_high").get(0);
    return interval ? String.format("%5.1f [%5.1f, %5.1f]", 100 * v, 100 * lo, 100 * hi) : String.format("%5.1f", 100 * v);
}
String num(String layer, String method, String measure) {
    Table r = t.where(t.stringColumn("layer").isEqualTo(layer).and(t.stringColumn("method").isEqualTo(method))
            .and(t.stringColumn("measure").isEqualTo(measure)));
    return r.rowCount() == 0 ? "-" : String.format("%.3f", r.doubleColumn("value").get(0));
}
Table first = t.first(1);
System.out.println("F = " + System.getenv("F") + "; step " + first.column("step").getString(0) + ", feature "
        + first.stringColumn("feature").get(0) + ", margin " + first.column("margin").getString(0)
        + ", push " + (t.columnNames().contains("push") ? first.column("push").getString(0) : "probe (before the push column)"));
System.out.println("layer | probe val acc | edit | n | success | changed | still fits unturned | probe reads target | |delta|/|h|");
int order(String layer) {  // pipeline order: the embedding, the blocks, the final norm
    if (layer.startsWith("blocks.0.resid_pre")) return -1;
    if (layer.startsWith("blocks.")) return Integer.parseInt(layer.split("\\.")[1]);
    return 1000;
}
List<String> layers = new ArrayList<>(t.stringColumn("layer").unique().asList());
layers.sort(Comparator.comparingInt(l -> order(l)));
for (String layer : layers) {
    Table l = t.where(t.stringColumn("layer").isEqualTo(layer));
    String pv = String.format("%.3f", l.doubleColumn("probe_val_accuracy").get(0));
    for (String method : List.of("direction", "patch", "random", "opposite", "shuffled", "direction_rest", "random_rest", "opposite_rest",
            "shuffled_rest")) {
        Table r = l.where(l.stringColumn("method").isEqualTo(method).and(l.stringColumn("measure").isEqualTo("success")));
        if (r.rowCount() == 0) continue;
        System.out.printf("%s | %s | %s | %d | %s | %s | %s | %s | %s%n", layer, pv, method, r.intColumn("n_programs").get(0),
                cell(layer, method, "success", true), cell(layer, method, "changed", false),
                cell(layer, method, "still_correct", false), cell(layer, method, "reads_target", false),
                num(layer, method, "relative_norm"));
    }
    System.out.printf("%s | paired success: direction - random %s, direction - opposite %s%n", layer,
            cell(layer, "direction_minus_random", "success", true), cell(layer, "direction_minus_opposite", "success", true));
    if (!cell(layer, "direction_rest_minus_random_rest", "success", true).equals("-")) {
        System.out.printf("%s | paired success: direction_rest - random_rest %s, direction_rest - opposite_rest %s%n", layer,
                cell(layer, "direction_rest_minus_random_rest", "success", true),
                cell(layer, "direction_rest_minus_opposite_rest", "success", true));
    }
    for (String d : List.of("direction_minus_shuffled", "direction_rest_minus_shuffled_rest")) {
        if (!cell(layer, d, "success", true).equals("-")) {
            System.out.printf("%s | paired: %s success %s, changed %s%n", layer, d, cell(layer, d, "success", true), cell(layer, d, "changed", true));
        }
    }
}
/exit
