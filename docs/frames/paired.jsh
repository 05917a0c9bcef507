// The paired difference of the LM's accuracy between two evaluations of the same programs, from
// their per-program eval tables (eval-programs.csv, eval-full-programs.csv, eval-val-programs.csv):
// A - B on all programs and by length group, each with its 95% bootstrap interval over programs.
// Each table's last step is used (check the steps printed). With few programs that only one side
// gets right (the last two counts), the interval is crude: read the counts. Run:
//   A=runs/cpu/run/eval-full-programs.csv B=runs/cpu-abs/run/eval-full-programs.csv \
//     jshell -J-Xmx4g --class-path "target/karel-lab.jar:target/lib/*" docs/frames/paired.jsh
import org.karellab.analysis.Measures;
import org.karellab.data.LengthRange;
import org.karellab.lm.Evaluation;
import tech.tablesaw.api.*;
import java.nio.file.Path;
import java.util.*;

Table lastStep(String file) {
    Table t = Evaluation.readPrograms(Path.of(file));
    long last = (long) t.longColumn("step").max();
    return t.where(t.longColumn("step").isEqualTo(last));
}
String pct(Table t, String v, String lo, String hi, int r) {
    return String.format("%5.1f [%5.1f, %5.1f]", 100 * t.doubleColumn(v).get(r), 100 * t.doubleColumn(lo).get(r),
            100 * t.doubleColumn(hi).get(r));
}
Table a = lastStep(System.getenv("A"));
Table b = lastStep(System.getenv("B"));
System.out.println("A = " + System.getenv("A") + " (step " + a.longColumn("step").get(0) + ")");
System.out.println("B = " + System.getenv("B") + " (step " + b.longColumn("step").get(0) + ")");
for (String outcome : List.of("correct", "generalizes")) {
    Table d = Measures.accuracyDifference(a, b, outcome,
            List.of(new LengthRange(1, 3), new LengthRange(4, 6), new LengthRange(7, 10), new LengthRange(6, 10)));
    System.out.println("## " + outcome + ": lengths, A, B, A - B (95% intervals over programs), n, programs only A / only B gets right");
    for (int r = 0; r < d.rowCount(); r++) {
        int onlyA = d.intColumn(Measures.ONLY_A).get(r);
        int onlyB = d.intColumn(Measures.ONLY_B).get(r);
        System.out.printf("%-6s %s  %s  %s  n=%d  %d/%d%n", d.stringColumn(Measures.LENGTHS).get(r),
                pct(d, Measures.A_RATE, Measures.A_LOW, Measures.A_HIGH, r), pct(d, Measures.B_RATE, Measures.B_LOW, Measures.B_HIGH, r),
                onlyA + onlyB == 0 ? "   no disagreement   " : pct(d, Measures.VALUE, Measures.CI_LOW, Measures.CI_HIGH, r),
                d.intColumn(Measures.N_PROGRAMS).get(r), onlyA, onlyB);
    }
}
/exit
