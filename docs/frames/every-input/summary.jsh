// The P-probing numbers of docs/frames.md (section 2 "P-probing" and "Every input"), from pprobe CSVs written
// with `pprobe --features facing,... --examples 0,1,2,3,4` (each cell its own ridge, chosen on val). Run from
// the repository root:
//   jshell --class-path "target/karel-lab.jar:target/lib/*" docs/frames/every-input/summary.jsh
// Current facing: k = j + 1 at emit.j; start facing: k = 0. Cells at emit.0-emit.4 (6 layers x 5 positions).
// LM-step0: the LM at its checkpoint 0 (its own initial weights; pprobe --checkpoint 0), the random-init control.
// north-conv-nofacing-s2: E12b, E12 at seed 2 (facing only, one shuffled seed).
// cpu-abs: the `cpu-abs` run's own LM (E12's recipe, reproduce --profile cpu-abs; facing only, two shuffled seeds).
// LM-step0-forced: the same LM at checkpoint 0 on the trained LM's programs (pprobe --checkpoint 0 --programs-from last),
// so every label (the current facings too) is the trained run's.
// LM-shuffled-sSEED-pprobe.csv: the same runs with --shuffle-labels SEED (11-14), facing only, the cells counted here kept.
// The files beside it are the pprobe outputs filtered: the real runs keep facing for every input and the
// other features for input 0 (pprobe --features facing,position,wall, or rel_facing,rel_position,wall,facing
// for ego, --examples 0,1,2,3,4).
import tech.tablesaw.api.*;
import java.util.*;
boolean above(Table t, int r) { return t.doubleColumn("ci_low").get(r) > t.doubleColumn("majority").get(r); }
double gain(Table t, int r) { return 100 * (t.doubleColumn("accuracy").get(r) - t.doubleColumn("majority").get(r)); }
/** The cells at emit.0-emit.J (both facings, every input) whose interval lies above majority. */
boolean inScope(Table t, int r, int lastJ) {
    String pos = t.stringColumn("position_name").get(r);
    if (!pos.startsWith("emit.")) return false;
    int j = Integer.parseInt(pos.substring(5)), k = t.intColumn("k").get(r);
    return j <= lastJ && (k == 0 || k == j + 1);
}
int count(Table t, int lastJ) {
    int n = 0;
    for (int r = 0; r < t.rowCount(); r++) if (inScope(t, r, lastJ) && above(t, r)) n++;
    return n;
}
double largest(Table t) {
    double best = Double.NEGATIVE_INFINITY;
    for (int r = 0; r < t.rowCount(); r++) if (inScope(t, r, 4)) best = Math.max(best, gain(t, r));
    return best;
}
for (String lm : List.of("north4", "ego", "north", "north-conv", "north-conv-nofacing", "north4-step0", "ego-step0", "north-step0", "north-conv-step0", "north-conv-nofacing-step0",
        "north4-step0-forced", "ego-step0-forced", "north-step0-forced", "north-conv-step0-forced", "north-conv-nofacing-step0-forced",
        "cpu-abs", "cpu-abs-step0-forced", "north-conv-nofacing-s2", "north-conv-nofacing-s2-step0-forced")) {
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
    // the chance level: the same runs with each program's labels handed to another program of the same
    // length (pprobe --shuffle-labels SEED), one file per seed; the counts at emit.0-4 and at emit.0 alone
    System.out.printf("real labels, emit.0 alone: %d of 60 cells above majority%n", count(t, 0));
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("docs/frames/every-input"))) {
        for (java.nio.file.Path f : files.filter(f -> f.getFileName().toString().startsWith(lm + "-shuffled-s")).sorted().toList()) {
            Table sh = org.karellab.causal.PProbe.read(f);
            sh = sh.where(sh.stringColumn("feature").isEqualTo("facing"));
            System.out.printf("shuffled labels (%s): %d of 300 cells above majority at emit.0-4, largest gain %+.1f points; emit.0 alone: %d of 60%n",
                    f.getFileName(), count(sh, 4), largest(sh), count(sh, 0));
        }
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
// The trained LM against its random-init control on the same rows (LM-step0-forced): first a check that
// every facing cell has the same rows and labels (majority, n), then per action position emit.0-4 the mean
// gain over the 25 cells after the embedding (5 layers x 5 inputs), trained and control, and in how many
// cells the trained LM reads more. The cells are not independent and the two readings share their test
// programs, so the counts and means carry no interval. Of the own-programs control (LM-step0), only the
// cells the programs cannot change (spec.* positions, and k = 0 before the first action) share the rows.
for (String lm : List.of("north4", "ego", "north", "north-conv", "north-conv-nofacing", "cpu-abs", "north-conv-nofacing-s2")) {
    Table tr = org.karellab.causal.PProbe.read(java.nio.file.Path.of("docs/frames/every-input/" + lm + "-pprobe.csv"));
    tr = tr.where(tr.stringColumn("feature").isEqualTo("facing"));
    Map<String, Integer> index = new HashMap<>();
    for (int r = 0; r < tr.rowCount(); r++) {
        index.put(tr.stringColumn("layer").get(r) + "|" + tr.intColumn("example").get(r) + "|" + tr.intColumn("position").get(r) + "|" + tr.intColumn("k").get(r), r);
    }
    System.out.println("# " + lm + " trained against " + lm + "-step0-forced (the same programs)");
    for (String control : List.of("step0-forced", "step0")) {
        java.nio.file.Path file = java.nio.file.Path.of("docs/frames/every-input/" + lm + "-" + control + "-pprobe.csv");
        if (!java.nio.file.Files.exists(file)) { System.out.println(control + ": not run"); continue; }
        Table c = org.karellab.causal.PProbe.read(file);
        c = c.where(c.stringColumn("feature").isEqualTo("facing"));
        int same = 0, matched = 0;
        for (int r = 0; r < c.rowCount(); r++) {
            Integer t = index.get(c.stringColumn("layer").get(r) + "|" + c.intColumn("example").get(r) + "|" + c.intColumn("position").get(r) + "|" + c.intColumn("k").get(r));
            if (t == null) continue;
            matched++;
            if (c.doubleColumn("majority").getDouble(r) == tr.doubleColumn("majority").getDouble(t) && c.intColumn("n_programs").getInt(r) == tr.intColumn("n_programs").getInt(t)) same++;
        }
        System.out.printf("%s: %d of the trained run's %d facing cells present, %d with the same majority and n%n", control, matched, tr.rowCount(), same);
    }
    Table c = org.karellab.causal.PProbe.read(java.nio.file.Path.of("docs/frames/every-input/" + lm + "-step0-forced-pprobe.csv"));
    c = c.where(c.stringColumn("feature").isEqualTo("facing"));
    for (String what : List.of("current", "start")) {
        StringBuilder line = new StringBuilder();
        for (int j = 0; j <= 4; j++) {
            double gt = 0, gc = 0;
            int n = 0, ahead = 0;
            for (int r = 0; r < c.rowCount(); r++) {
                if (!c.stringColumn("position_name").get(r).equals("emit." + j) || c.stringColumn("layer").get(r).equals("blocks.0.resid_pre")) continue;
                if (c.intColumn("k").get(r) != (what.equals("current") ? j + 1 : 0)) continue;
                int t = index.get(c.stringColumn("layer").get(r) + "|" + c.intColumn("example").get(r) + "|" + c.intColumn("position").get(r) + "|" + c.intColumn("k").get(r));
                gt += gain(tr, t); gc += gain(c, r); n++;
                if (tr.doubleColumn("accuracy").get(t) > c.doubleColumn("accuracy").get(r)) ahead++;
            }
            line.append(String.format(" | emit.%d: %+.1f vs %+.1f, ahead in %d/%d", j, gt / n, gc / n, ahead, n));
        }
        System.out.printf("%-7s facing, mean gain trained vs control%s%n", what, line);
    }
}
/exit
