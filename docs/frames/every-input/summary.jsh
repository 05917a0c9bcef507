// The "every input" table of docs/frames.md, section 2, from pprobe CSVs written with
// `pprobe --features facing --examples 0,1,2,3,4`. Run from the repository root:
//   jshell --class-path "target/karel-lab.jar:target/lib/*" docs/frames/every-input/summary.jsh
// For each LM and input: at emit.0-emit.4 (6 layers x 5 positions), the cells whose 95% interval lies
// above the majority rate, and the largest gain in points; the current facing is k = j + 1 at emit.j,
// the start facing k = 0. Then the mean gain over cells, with the input embedding apart.
import tech.tablesaw.api.*;
import java.util.*;
for (String lm : List.of("north4", "ego", "north")) {
    Table t = Table.read().csv(tech.tablesaw.io.csv.CsvReadOptions.builder("docs/frames/every-input/" + lm + "-pprobe.csv").build());
    t = t.where(t.stringColumn("feature").isEqualTo("facing").and(t.stringColumn("position_name").startsWith("emit.")));
    System.out.println("# " + lm);
    for (String what : List.of("current", "start")) {
        double[] gainSum = new double[2];
        int[] cells = new int[2];
        for (int e = 0; e < 5; e++) {
            int above = 0, n = 0;
            double best = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < t.rowCount(); r++) {
                int j = Integer.parseInt(t.stringColumn("position_name").get(r).substring(5));
                int k = t.intColumn("k").get(r);
                if (j > 4 || t.intColumn("example").get(r) != e || k != (what.equals("current") ? j + 1 : 0)) continue;
                double acc = t.doubleColumn("accuracy").get(r), maj = t.doubleColumn("majority").get(r);
                n++;
                if (t.doubleColumn("ci_low").get(r) > maj) above++;
                best = Math.max(best, 100 * (acc - maj));
                int embed = t.stringColumn("layer").get(r).equals("blocks.0.resid_pre") ? 0 : 1;
                gainSum[embed] += 100 * (acc - maj);
                cells[embed]++;
            }
            System.out.printf("%-7s facing, input %d: %2d / %d cells above majority, largest gain %+.1f points%n", what, e, above, n, best);
        }
        System.out.printf("%-7s facing, mean gain over cells: input embedding %+.1f (%d cells), later layers %+.1f (%d cells)%n",
                what, gainSum[0] / cells[0], cells[0], gainSum[1] / cells[1], cells[1]);
    }
}
/exit
