// The P-probing table of docs/causal-probing.md from a pprobe CSV (PPROBE, default OUT/pprobe.csv of KAREL_OUT):
// per feature, at the layer with the best mean val accuracy over its cells (as notebook 11 draws it), test
// accuracy minus the majority rate averaged over the cells of each kind that hold at least 30 test programs
// (labels from input 0). Run from the repository root:
//   PPROBE=docs/cpu-run/pprobe.csv jshell --class-path "target/karel-lab.jar:target/lib/*" docs/causal-probing/pprobe-table.jsh
import tech.tablesaw.api.*;
import java.util.*;
String file = System.getenv("PPROBE") != null ? System.getenv("PPROBE") : java.nio.file.Path.of(System.getenv("KAREL_OUT"), "pprobe.csv").toString();
Table pp = org.karellab.causal.PProbe.read(java.nio.file.Path.of(file));
pp = pp.where(pp.intColumn("example").isEqualTo(0));
String kind(String pos, int k) {
    if (pos.startsWith("spec_token.")) return null;
    if (pos.startsWith("spec.")) return k == 0 ? "spec, k = 0" : "spec, k >= 1";
    int j = Integer.parseInt(pos.substring(pos.indexOf('.') + 1));
    return k == 0 ? "emit.j, k = 0 (start)" : k <= j ? "emit.j, 1 <= k <= j" : k == j + 1 ? "emit.j, k = j + 1" : "emit.j, k >= j + 2";
}
System.out.println("# " + file);
for (String f : pp.stringColumn("feature").unique().asList()) {
    Table t = pp.where(pp.stringColumn("feature").isEqualTo(f));
    Table byLayer = t.summarize("val_accuracy", tech.tablesaw.aggregate.AggregateFunctions.mean).by("layer");
    String layer = byLayer.sortDescendingOn(byLayer.column(1).name()).stringColumn("layer").get(0);
    Table c = t.where(t.stringColumn("layer").isEqualTo(layer).and(t.intColumn("n_programs").isGreaterThanOrEqualTo(30)));
    Map<String, double[]> sums = new TreeMap<>();
    for (int r = 0; r < c.rowCount(); r++) {
        String kind = kind(c.stringColumn("position_name").get(r), c.intColumn("k").get(r));
        if (kind == null) continue;
        double[] s = sums.computeIfAbsent(kind, x -> new double[2]);
        s[0] += 100 * (c.doubleColumn("accuracy").get(r) - c.doubleColumn("majority").get(r));
        s[1]++;
    }
    System.out.printf("%s at %s (ridge %s):%n", f, layer, t.where(t.stringColumn("layer").isEqualTo(layer)).doubleColumn("ridge").unique().asList());
    sums.forEach((k, s) -> System.out.printf("  %-20s %+6.1f (%d cells)%n", k, s[0] / s[1], (int) s[1]));
}
/exit
