// The P-probing numbers of docs/frames.md (section 2 "P-probing" and "Every input"), from pprobe CSVs written
// with `pprobe --features facing,... --examples 0,1,2,3,4` (each cell its own ridge, chosen on val). Run from
// the repository root:
//   jshell --class-path "target/karel-lab.jar:target/lib/*" docs/frames/every-input/summary.jsh
// Current facing: k = j + 1 at emit.j; start facing: k = 0. Cells at emit.0-emit.4 (6 layers x 5 positions).
// LM-shuffled-pprobe.csv: the same runs with --shuffle-labels 11, facing only, emit positions kept.
import tech.tablesaw.api.*;
import java.util.*;
boolean above(Table t, int r) { return t.doubleColumn("ci_low").get(r) > t.doubleColumn("majority").get(r); }
double gain(Table t, int r) { return 100 * (t.doubleColumn("accuracy").get(r) - t.doubleColumn("majority").get(r)); }
for (String lm : List.of("north4", "ego", "north")) {
    Table all = org.karellab.causal.PProbe.read(java.nio.file.Path.of("docs/frames/every-input/" + lm + "-pprobe.csv"));
    Table t = all.where(all.stringColumn("feature").isEqualTo("facing"));
    System.out.println("# " + lm);
    int total = 0;
    for (String what : List.of("current", "start")) {
        double[] gainSum = new double[2];
        int[] cells = new int[2], aboveEmbed = new int[1];
        for (int e = 0; e < 5; e++) {
            int up = 0, n = 0;
            double best = Double.NEGATIVE_INFINITY, accLo = 101, accHi = -1, majLo = 101, majHi = -1;
            Set<String> where = new TreeSet<>();
            for (int r = 0; r < t.rowCount(); r++) {
                String pos = t.stringColumn("position_name").get(r);
                if (!pos.startsWith("emit.") || t.intColumn("example").get(r) != e) continue;
                int j = Integer.parseInt(pos.substring(5));
                if (j > 4 || t.intColumn("k").get(r) != (what.equals("current") ? j + 1 : 0)) continue;
                n++;
                if (above(t, r)) { up++; where.add(pos); }
                best = Math.max(best, gain(t, r));
                accLo = Math.min(accLo, 100 * t.doubleColumn("accuracy").get(r)); accHi = Math.max(accHi, 100 * t.doubleColumn("accuracy").get(r));
                majLo = Math.min(majLo, 100 * t.doubleColumn("majority").get(r)); majHi = Math.max(majHi, 100 * t.doubleColumn("majority").get(r));
                int embed = t.stringColumn("layer").get(r).equals("blocks.0.resid_pre") ? 0 : 1;
                gainSum[embed] += gain(t, r);
                cells[embed]++;
                if (embed == 0 && above(t, r)) aboveEmbed[0]++;
            }
            total += up;
            System.out.printf("%-7s facing, input %d: %2d / %d cells above majority %s, largest gain %+.1f points; accuracy %.0f-%.0f%%, majority %.0f-%.0f%%%n",
                    what, e, up, n, where, best, accLo, accHi, majLo, majHi);
        }
        System.out.printf("%-7s facing, mean gain over cells: input embedding %+.1f (%d cells, %d above majority), later layers %+.1f (%d cells)%n",
                what, gainSum[0] / cells[0], cells[0], aboveEmbed[0], gainSum[1] / cells[1], cells[1]);
    }
    System.out.printf("cells above majority, both facings, 5 inputs: %d of 300%n", total);
    // the chance level: the same run with labels handed to other programs of the same length (pprobe --shuffle-labels)
    java.nio.file.Path shuffledFile = java.nio.file.Path.of("docs/frames/every-input/" + lm + "-shuffled-pprobe.csv");
    if (java.nio.file.Files.exists(shuffledFile)) {
        Table sh = org.karellab.causal.PProbe.read(shuffledFile);
        sh = sh.where(sh.stringColumn("feature").isEqualTo("facing"));
        int up = 0, n = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < sh.rowCount(); r++) {
            String pos = sh.stringColumn("position_name").get(r);
            if (!pos.startsWith("emit.")) continue;
            int j = Integer.parseInt(pos.substring(5));
            int k = sh.intColumn("k").get(r);
            if (j > 4 || (k != 0 && k != j + 1)) continue;
            n++;
            if (above(sh, r)) up++;
            best = Math.max(best, gain(sh, r));
        }
        System.out.printf("shuffled-label control, the same cells: %d of %d above majority, largest gain %+.1f points%n", up, n, best);
    }
    // each input's start facing at its own position, and input 0's at the other specification positions
    for (String layer : t.stringColumn("layer").unique().asList()) {
        StringBuilder own = new StringBuilder(), others = new StringBuilder();
        for (int r = 0; r < t.rowCount(); r++) {
            if (!t.stringColumn("layer").get(r).equals(layer) || t.intColumn("k").get(r) != 0) continue;
            String pos = t.stringColumn("position_name").get(r);
            int e = t.intColumn("example").get(r);
            if (pos.equals("spec." + e)) own.append(String.format(" %.0f", 100 * t.doubleColumn("accuracy").get(r)));
            else if (e == 0 && pos.startsWith("spec.")) others.append(String.format(" %.0f", 100 * t.doubleColumn("accuracy").get(r)));
        }
        System.out.printf("start facing at its own spec.e, %-20s:%s | input 0's at spec.1-4:%s%n", layer, own, others);
    }
}
/exit
