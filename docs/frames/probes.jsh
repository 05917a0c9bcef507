// The probe numbers of docs/frames.md for one sweep's results (KAREL_OUT: a folder holding the
// sweep's results.csv and results-programs.csv, a reproduce output folder or a run folder swept
// with `sweep --run`): every probed feature against its baselines (majority, random-init LM,
// syntax-only), gain over majority with paired differences, and the drops under each alternative
// semantics. side-by-side.jsh opens it; on its own:
//   KAREL_OUT=runs/x/run jshell -J-Xmx4g --class-path "target/karel-lab.jar:target/lib/*" docs/frames/probes.jsh
// (then type /exit, or pipe `echo /exit` into jshell). Every value is "value [ci_low, ci_high] n=programs".
import org.karellab.analysis.*;
import org.karellab.analysis.Measures.Measure;
import org.karellab.probe.*;
import tech.tablesaw.api.*;
import java.util.*;

String ci(Table t, int r) {
    return String.format("%5.1f [%5.1f, %5.1f] n=%d", 100 * t.doubleColumn("value").getDouble(r), 100 * t.doubleColumn("ci_low").getDouble(r),
            100 * t.doubleColumn("ci_high").getDouble(r), t.intColumn("n_programs").get(r));
}
void show(String title, Table t, String... keys) {
    System.out.println("## " + title);
    for (int r = 0; r < t.rowCount(); r++) {
        StringBuilder k = new StringBuilder();
        for (String c : keys) k.append(String.format("%-14s ", t.column(c).getString(r)));
        System.out.println(k + ci(t, r));
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
