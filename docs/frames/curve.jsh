// The curve tables of docs/cpu-recipe.md from an eval summary (eval-val.csv, eval.csv): one
// markdown row per checkpoint with accuracy on all lengths, by length group (1-3, 4-6, 7-10,
// 6-10; each group's accuracy is the n-weighted mean of its lengths' rows), generalisation (all
// 10 inputs), accuracy on the programs unseen in training with their n, perplexity and the share
// of distinct programs. Run:
//   FILE=runs/x/eval-val.csv jshell -J-Xmx1g --class-path "target/karel-lab.jar:target/lib/*" docs/frames/curve.jsh
// (then type /exit, or pipe `echo /exit` into jshell).
import org.karellab.lm.Evaluation;
import tech.tablesaw.api.*;
import java.nio.file.Path;
import java.util.*;

Table summary = Evaluation.read(Path.of(System.getenv("FILE")));
double group(Table atStep, int lo, int hi) {
    double right = 0, n = 0;
    for (int r = 0; r < atStep.rowCount(); r++) {
        String len = atStep.column("length").getString(r);
        if (len.equals("all") || Integer.parseInt(len) < lo || Integer.parseInt(len) > hi) continue;
        double rows = atStep.numberColumn("n").getDouble(r);
        right += atStep.numberColumn("accuracy").getDouble(r) * rows;
        n += rows;
    }
    return 100 * right / n;
}
System.out.println("| step | accuracy | 1-3 | 4-6 | 7-10 | 6-10 | generalisation | unseen in train | perplexity | distinct |");
System.out.println("|---|---|---|---|---|---|---|---|---|---|");
for (long step : new TreeSet<>(summary.longColumn("step").asList())) {
    Table at = summary.where(summary.longColumn("step").isEqualTo(step));
    Table all = at.where(at.column("length").asStringColumn().isEqualTo("all"));
    System.out.printf(Locale.ROOT, "| %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% (n = %d) | %.2f | %.3f |%n",
            step, 100 * all.numberColumn("accuracy").getDouble(0), group(at, 1, 3), group(at, 4, 6), group(at, 7, 10), group(at, 6, 10),
            100 * all.numberColumn("generalization").getDouble(0), 100 * all.numberColumn("unseen_accuracy").getDouble(0),
            (long) all.numberColumn("unseen_n").getDouble(0), all.numberColumn("perplexity").getDouble(0), all.numberColumn("distinct").getDouble(0));
}
