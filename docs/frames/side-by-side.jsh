// The numbers of docs/frames.md for one reproduce output folder (KAREL_OUT): accuracy by length
// on the whole test split, every probed feature against its baselines, the flip and adversarial
// drops, and future states against copying. Run it once per folder, from the project root:
//   KAREL_OUT=runs/cpu-abs jshell -J-Xmx4g --class-path "target/karel-lab.jar:target/lib/*" docs/frames/side-by-side.jsh
// Every value is printed as "value [ci_low, ci_high]" with the number of test programs n.
import org.karellab.analysis.*;
import org.karellab.analysis.Measures.Measure;
import org.karellab.probe.*;
import tech.tablesaw.api.*;
import java.util.*;

System.out.println("# " + Lab.out());
// accuracy on the whole test split by length group; a binomial (Wilson) interval, programs are independent
Table full = Lab.evalFull();
int[][] groups = {{1, 3}, {4, 6}, {7, 10}, {6, 10}, {1, 10}};
System.out.println("## accuracy on the whole test split (Wilson 95%)");
for (String col : List.of("accuracy", "generalization", "unseen_accuracy")) {
    for (int[] g : groups) {
        double hits = 0, n = 0;
        for (int r = 0; r < full.rowCount(); r++) {
            String len = full.column("length").getString(r);
            if (len.equals("all")) continue;
            int l = Integer.parseInt(len);
            String nCol = col.startsWith("unseen") ? "unseen_n" : "n";
            double rowN = ((NumericColumn<?>) full.column(nCol)).getDouble(r);
            double v = ((NumericColumn<?>) full.column(col)).getDouble(r);
            if (l >= g[0] && l <= g[1] && rowN > 0 && !Double.isNaN(v)) { hits += v * rowN; n += rowN; }
        }
        double p = hits / n, z = 1.96, d = 1 + z * z / n;
        double mid = (p + z * z / (2 * n)) / d, half = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d;
        System.out.printf("%-16s %2d-%-2d %5.1f [%5.1f, %5.1f] n=%d%n", col, g[0], g[1], 100 * p, 100 * (mid - half), 100 * (mid + half), (int) n);
    }
}
/open docs/frames/probes.jsh
// semantic content against generative accuracy over the curve's checkpoints: r with its interval over programs.
// Each checkpoint's probes are scored on that checkpoint's own programs, so the majority rate of their rows
// moves too: its r says how much of semantic content's r the rows alone give, and the gain's r what is left.
Table curveRows = Selections.trainedProbes(Selections.semantic(Selections.curve(results)));
Table afterStep0 = curveRows.where(curveRows.longColumn("step").isGreaterThan(0));
for (Object[] c : new Object[][] {{Measure.GAIN_OVER_MAJORITY, curveRows, ""}, {Measure.SEMANTIC_CONTENT, curveRows, ""},
        {Measure.SEMANTIC_CONTENT, afterStep0, ", without step 0"}, {Measure.GAIN_OVER_MAJORITY, afterStep0, ", without step 0"},
        {Measure.MAJORITY_RATE, afterStep0, ", without step 0"}}) {
    Table rc = Measures.correlationWithAccuracy((Table) c[1], scores, (Measure) c[0], Lab.evalPrograms(), "probe");
    System.out.println("## r of " + c[0] + " with generative accuracy" + c[2] + " (checkpoints, probe programs, eval programs)");
    for (int i = 0; i < rc.rowCount(); i++) {
        System.out.printf("%-14s r = %+.2f [%+.2f, %+.2f], R^2 = %.2f, %d checkpoints, n = %d / %d, left out: %s%n", rc.stringColumn("probe").get(i),
                rc.doubleColumn("value").get(i), rc.doubleColumn("ci_low").get(i), rc.doubleColumn("ci_high").get(i),
                rc.doubleColumn("r2").get(i), rc.intColumn("n_checkpoints").get(i), rc.intColumn("n_programs").get(i),
                rc.intColumn("n_eval_programs").get(i), rc.stringColumn("left_out").get(i));
    }
}
// future states against copying the current state
Table offsets = Selections.semantic(Selections.offsets(results));
Table vsCopy = null;
for (String probe : Selections.trainedProbes(offsets).stringColumn("probe").unique().asList()) {
    Table d = Measures.difference(offsets, scores, Measure.SEMANTIC_CONTENT, "probe", probe, "none", "offset");
    vsCopy = vsCopy == null ? d : vsCopy.append(d);
}
show("probe minus copying the current state, by offset", vsCopy.where(vsCopy.intColumn("offset").isGreaterThan(0)).sortAscendingOn("a", "offset"), "a", "offset");
/exit
