// The seed-averaged paired difference of the LM's accuracy between two recipes scored on the same
// programs: A and B are comma-separated per-program eval tables (one per seed, each at its last step);
// each program's outcome is averaged over A's seeds and over B's, and A - B is reported with a 95%
// bootstrap interval over programs (1,000 resamples, seed 1). The interval covers which programs were
// drawn; with two seeds a side it says little about seed-to-seed spread (compare the seeds' own rates).
// Run from the repository root:
//   A=docs/frames/north-conv-nofacing-e12/eval-val-programs.csv,docs/frames/north-conv-nofacing-e12b/eval-val-programs.csv \
//   B=docs/frames/north4-e3/eval-val-programs.csv,docs/frames/north4-e3b/eval-val-programs.csv \
//     jshell -J-Xmx4g --class-path "target/karel-lab.jar:target/lib/*" docs/frames/paired-seeds.jsh
// Fixed on 2026-12-01 while E3c (`north4` at seed 3) was training, before any of its checkpoints was
// scored: the check of the choice of E12 over `north4` is A = every run of E12's recipe scored on the
// first 1,000 val programs (E12, E12b, E12c, E12d and the cpu-abs run 2), B = E3, E3b and E3c; the
// same without run 2 beside it. The choice holds if A - B's interval lies above 0.
import org.karellab.lm.Evaluation;
import org.karellab.probe.Bootstrap;
import tech.tablesaw.api.*;
import java.nio.file.Path;
import java.util.*;

/** program -> outcome (1 or 0) of each file at its last step, and program -> length. */
Map<Integer, Integer> lengths = new TreeMap<>();
double[] mean(String files, String outcome) {
    List<String> names = List.of(files.split(","));
    double[] sum = null;
    for (String f : names) {
        Table t = Evaluation.readPrograms(Path.of(f));
        long last = (long) t.longColumn("step").max();
        t = t.where(t.longColumn("step").isEqualTo(last));
        System.out.println("  " + f + " (step " + last + ", " + t.rowCount() + " programs)");
        if (sum == null) sum = new double[t.rowCount()];
        if (sum.length != t.rowCount()) throw new IllegalStateException(f + ": " + t.rowCount() + " programs, not " + sum.length);
        for (int r = 0; r < t.rowCount(); r++) {
            int p = t.intColumn("program").get(r);
            if (p != r) throw new IllegalStateException(f + ": row " + r + " is program " + p);
            Integer before = lengths.putIfAbsent(p, t.intColumn("length").get(r));
            if (before != null && before != t.intColumn("length").get(r)) throw new IllegalStateException(f + ": program " + p + " has another length");
            sum[r] += t.booleanColumn(outcome).get(r) ? 1 : 0;
        }
    }
    for (int r = 0; r < sum.length; r++) sum[r] /= names.size();
    return sum;
}
for (String outcome : List.of("correct", "generalizes")) {
    System.out.println("## " + outcome + " (A = " + System.getenv("A").split(",").length + " seeds, B = " + System.getenv("B").split(",").length + " seeds)");
    double[] a = mean(System.getenv("A"), outcome), b = mean(System.getenv("B"), outcome);
    for (int[] range : List.of(new int[] {1, 10}, new int[] {1, 3}, new int[] {4, 6}, new int[] {7, 10}, new int[] {6, 10})) {
        List<double[]> rows = new ArrayList<>();
        double sa = 0, sb = 0;
        for (int p = 0; p < a.length; p++) {
            int len = lengths.get(p);
            if (len < range[0] || len > range[1]) continue;
            double[] row = new double[2];
            row[Bootstrap.N] = 1;
            row[Bootstrap.CORRECT] = a[p] - b[p];
            rows.add(row);
            sa += a[p]; sb += b[p];
        }
        double[][] sums = rows.toArray(double[][]::new);
        Bootstrap boot = new Bootstrap(sums.length, 1000, 1);
        Bootstrap.Interval ci = Bootstrap.interval(boot.distribution(sums, Bootstrap::accuracy), 0.95);
        System.out.printf("%-6s A %5.1f  B %5.1f  A - B %+5.1f [%+5.1f, %+5.1f]  n=%d%n", range[0] + "-" + range[1],
                100 * sa / sums.length, 100 * sb / sums.length, 100 * Bootstrap.point(sums, Bootstrap::accuracy),
                100 * ci.low(), 100 * ci.high(), sums.length);
    }
}
/exit
