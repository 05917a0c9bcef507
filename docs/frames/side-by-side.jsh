// The numbers of docs/frames.md for one reproduce output folder (KAREL_OUT): accuracy by length
// on the whole test split, every probed feature against its baselines, the flip and adversarial
// drops, and future states against copying. Run it once per folder:
//   KAREL_OUT=runs/cpu-abs jshell -J-Xmx4g --class-path "target/karel-lab.jar:target/lib/*" docs/frames/side-by-side.jsh
// Every value is printed as "value [ci_low, ci_high]" with the number of test programs n.
import org.karellab.analysis.*;
import org.karellab.analysis.Measures.Measure;
import org.karellab.probe.*;
import tech.tablesaw.api.*;
import java.util.*;

String ci(Table t, int r) {
    return String.format("%5.1f [%5.1f, %5.1f] n=%d", 100 * t.doubleColumn("value").get(r), 100 * t.doubleColumn("ci_low").get(r),
            100 * t.doubleColumn("ci_high").get(r), t.intColumn("n_programs").get(r));
}
void show(String title, Table t, String... keys) {
    System.out.println("## " + title);
    for (int r = 0; r < t.rowCount(); r++) {
        StringBuilder k = new StringBuilder();
        for (String c : keys) k.append(String.format("%-14s ", t.column(c).getString(r)));
        System.out.println(k + ci(t, r));
    }
}
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
Table results = Lab.results();
ProgramScores scores = Lab.programScores();
// every probed feature at the last checkpoint, headline condition, per LM / task / probe
Table base = Selections.baselines(results);
base = base.where(base.stringColumn("task").isIn("real", "syntax"));
base.addColumns(base.stringColumn("lm").join("/", base.stringColumn("task")).setName("condition"));
show("accuracy per feature (mean layer, offset 0)", Measures.summarize(base, scores, Measure.SEMANTIC_CONTENT, "feature", "condition", "probe")
        .sortAscendingOn("feature", "condition", "probe"), "feature", "condition", "probe");
Table trained = Selections.trainedProbes(base);
show("gain over majority per feature", Measures.summarize(trained, scores, Measure.GAIN_OVER_MAJORITY, "feature", "condition", "probe")
        .sortAscendingOn("feature", "condition", "probe"), "feature", "condition", "probe");
Table sem = Selections.semantic(base);
show("semantic content (the frame's features)", Measures.summarize(sem, scores, Measure.SEMANTIC_CONTENT, "condition", "probe"), "condition", "probe");
Table diffs = null;
for (String other : List.of("random_init/real", "trained/syntax")) {
    Table d = Measures.difference(Selections.trainedProbes(sem), scores, Measure.SEMANTIC_CONTENT, "condition", "trained/real", other, "probe");
    diffs = diffs == null ? d : diffs.append(d);
}
show("semantic content: trained/real minus ...", diffs, "b", "probe");
Table perFeature = null;
for (String other : List.of("random_init/real", "trained/syntax")) {
    Table d = Measures.difference(trained, scores, Measure.GAIN_OVER_MAJORITY, "condition", "trained/real", other, "probe", "feature");
    perFeature = perFeature == null ? d : perFeature.append(d);
}
show("gain over majority per feature: trained/real minus ...", perFeature.sortAscendingOn("feature", "b", "probe"), "feature", "b", "probe");
// the semantic intervention: drop in gain over majority, original minus alternative, paired
Table realI = Selections.where(Selections.trainedProbes(Selections.semantic(Selections.intervention(results, Results.Rows.ALL))), "task", "real");
Table drops = null;
for (String alt : realI.stringColumn("semantics").unique().asList()) {
    if (alt.equals("original")) continue;
    Table d = Measures.difference(realI, scores, Measure.GAIN_OVER_MAJORITY, "semantics", "original", alt, "lm", "probe");
    drops = drops == null ? d : drops.append(d);
    Table f = Measures.difference(realI, scores, Measure.GAIN_OVER_MAJORITY, "semantics", "original", alt, "lm", "probe", "feature");
    show("drop per feature, original minus " + alt, f.sortAscendingOn("feature", "lm", "probe"), "feature", "lm", "probe");
}
show("drop in gain over majority (semantic features)", drops.sortAscendingOn("b", "lm", "probe"), "b", "lm", "probe");
// each semantics as read: raw accuracy (semantic content) and gain over majority, trained and random-init LM
show("semantic content under each semantics", Measures.summarize(realI, scores, Measure.SEMANTIC_CONTENT, "semantics", "lm", "probe")
        .sortAscendingOn("semantics", "lm", "probe"), "semantics", "lm", "probe");
show("gain over majority under each semantics", Measures.summarize(realI, scores, Measure.GAIN_OVER_MAJORITY, "semantics", "lm", "probe")
        .sortAscendingOn("semantics", "lm", "probe"), "semantics", "lm", "probe");
// is the drop larger on the trained LM? the difference of the two paired drops, itself paired on the same programs:
// in points of gain, as the share of the original gain that is lost, and in points of raw accuracy
for (Object[] scale : new Object[][] {{Measure.GAIN_OVER_MAJORITY, Measures.Scale.POINTS, "points of gain"},
        {Measure.GAIN_OVER_MAJORITY, Measures.Scale.SHARE_OF_A, "share of the original gain lost"},
        {Measure.SEMANTIC_CONTENT, Measures.Scale.POINTS, "points of raw accuracy"}}) {
    Table dd = null;
    for (String alt : realI.stringColumn("semantics").unique().asList()) {
        if (alt.equals("original")) continue;
        Table d = Measures.differenceOfDifferences(realI, scores, (Measure) scale[0], (Measures.Scale) scale[1], "semantics",
                "original", alt, "lm", "trained", "random_init", "probe");
        dd = dd == null ? d : dd.append(d);
    }
    show("drop on the trained LM minus drop on the random-init LM, " + scale[2], dd.sortAscendingOn("b", "probe"), "b", "probe");
}
// semantic content against generative accuracy over the curve's checkpoints: r with its interval over programs
Table curveRows = Selections.trainedProbes(Selections.semantic(Selections.curve(results)));
Table afterStep0 = curveRows.where(curveRows.longColumn("step").isGreaterThan(0));
for (Object[] c : new Object[][] {{Measure.GAIN_OVER_MAJORITY, curveRows, ""}, {Measure.SEMANTIC_CONTENT, curveRows, ""},
        {Measure.SEMANTIC_CONTENT, afterStep0, ", without step 0"}}) {
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
