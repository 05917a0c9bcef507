// Can the LM tell a left turn from a right one? From per-program eval tables (eval-programs.csv,
// eval-val-programs.csv, ...), each at its last step: (1) turnLeft's share of the turn tokens in the
// programs the LM wrote and in the reference programs, with a 95% bootstrap interval over programs
// (1,000 resamples, seed 1); (2) accuracy on the length-1 programs by their one action, with a
// Wilson interval (programs are independent). A reference turnLeft can be written correctly as
// three turnRights (and the reverse), so (1) is read beside (2), where a wrong turn is wrong. Run:
//   FILES=runs/a/eval-val-programs.csv,runs/b/eval-val-programs.csv \
//     jshell -J-Xmx2g --class-path "target/karel-lab.jar:target/lib/*" docs/frames/turn-direction.jsh
import org.karellab.lm.Evaluation;
import tech.tablesaw.api.*;
import java.nio.file.Path;
import java.util.*;

int[] turns(String program) {
    int left = 0, right = 0;
    for (String a : program.split(" ")) { if (a.equals("turnLeft")) left++; else if (a.equals("turnRight")) right++; }
    return new int[] {left, right};
}
String wilson(int hits, int n) {
    double p = (double) hits / n, z = 1.96, d = 1 + z * z / n;
    double mid = (p + z * z / (2 * n)) / d, half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
    return String.format("%3d/%-3d %5.1f [%5.1f, %5.1f]", hits, n, 100.0 * p, 100 * (mid - half), 100 * (mid + half));
}
for (String file : System.getenv("FILES").split(",")) {
    Table t = Evaluation.readPrograms(Path.of(file));
    long last = (long) t.longColumn("step").max();
    t = t.where(t.longColumn("step").isEqualTo(last));
    int n = t.rowCount();
    int[][] w = new int[n][], ref = new int[n][];
    for (int r = 0; r < n; r++) { w[r] = turns(t.stringColumn("written").get(r)); ref[r] = turns(t.stringColumn("reference").get(r)); }
    System.out.println("# " + file + " (step " + last + ", n = " + n + " programs)");
    for (String who : List.of("written", "reference")) {
        int[][] c = who.equals("written") ? w : ref;
        double[] boot = new double[1000];
        SplittableRandom rng = new SplittableRandom(1);
        for (int b = -1; b < boot.length; b++) {
            double left = 0, all = 0;
            for (int i = 0; i < n; i++) { int r = b < 0 ? i : rng.nextInt(n); left += c[r][0]; all += c[r][0] + c[r][1]; }
            if (b < 0) System.out.printf("  %-9s turnLeft %5.1f%% of %d turn tokens", who, 100 * left / all, (int) all);
            else boot[b] = left / all;
        }
        Arrays.sort(boot);
        System.out.printf(" [%5.1f, %5.1f]%n", 100 * boot[24], 100 * boot[974]);
    }
    Map<String, int[]> one = new TreeMap<>();
    for (int r = 0; r < n; r++) {
        if (t.intColumn("length").get(r) != 1) continue;
        int[] a = one.computeIfAbsent(t.stringColumn("reference").get(r), k -> new int[2]);
        a[1]++;
        if (t.booleanColumn("correct").get(r)) a[0]++;
    }
    for (var e : one.entrySet()) System.out.printf("  length 1, %-10s %s%n", e.getKey(), wilson(e.getValue()[0], e.getValue()[1]));
}
/exit
