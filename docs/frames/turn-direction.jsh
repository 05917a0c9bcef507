// Can the LM tell a left turn from a right one? From per-program eval tables (eval-programs.csv,
// eval-val-programs.csv, ...), each at its last step (every step with ALL_STEPS=1):
// (1) on the length-1 programs whose one action is a turn: right on turnLeft k/n, on turnRight k/n,
//     and the direction skill J = P(right | turnLeft) + P(right | turnRight) - 1 (0 for an LM that
//     writes one default turn, 1 for one that gets both), with a 95% bootstrap interval over these
//     programs (1,000 resamples, seed 1); the interval covers which programs were drawn, not the
//     checkpoint or the seed;
// (2) the length-1 pickMarker programs (k/n right);
// (3) on lengths 1-3: accuracy on the programs whose reference has neither a turn nor a
//     pickMarker, against the others; and how many of the wrong programs equal the reference once
//     the turns and pickMarkers of both are dropped.
// With DATA=<dataset folder>, also how many of the first N val programs of length 1 that are one
// pickMarker change any of their 5 examples (N = the tables' program count). Run:
//   FILES=runs/a/eval-val-programs.csv,runs/b/eval-val-programs.csv \
//     jshell -J-Xmx2g --class-path "target/karel-lab.jar:target/lib/*" docs/frames/turn-direction.jsh
import org.karellab.data.*;
import org.karellab.lm.Evaluation;
import tech.tablesaw.api.*;
import java.nio.file.Path;
import java.util.*;

String withoutTurnsOrPicks(String program) {
    StringBuilder s = new StringBuilder();
    for (String a : program.split(" ")) if (!a.equals("turnLeft") && !a.equals("turnRight") && !a.equals("pickMarker")) s.append(a).append(' ');
    return s.toString();
}
boolean hasTurnOrPick(String program) { return !withoutTurnsOrPicks(program).equals(program + " "); }
double skill(List<Boolean> left, List<Boolean> right, int[] pickL, int[] pickR) {
    double l = 0, r = 0;
    for (int i : pickL) l += left.get(i) ? 1 : 0;
    for (int i : pickR) r += right.get(i) ? 1 : 0;
    return l / pickL.length + r / pickR.length - 1;
}
int programsInTables = 0;
for (String file : System.getenv("FILES").split(",")) {
    Table all = Evaluation.readPrograms(Path.of(file));
    long last = (long) all.longColumn("step").max();
    List<Long> steps = new ArrayList<>(new TreeSet<>(all.longColumn("step").asList()));
    if (!"1".equals(System.getenv("ALL_STEPS"))) steps = List.of(last);
    System.out.println("# " + file);
    for (long step : steps) {
        Table t = all.where(all.longColumn("step").isEqualTo(step));
        programsInTables = Math.max(programsInTables, t.rowCount());
        List<Boolean> left = new ArrayList<>(), right = new ArrayList<>();
        int pickRight = 0, picks = 0, plainRight = 0, plain = 0, otherRight = 0, other = 0, wrong = 0, explained = 0;
        for (int r = 0; r < t.rowCount(); r++) {
            String ref = t.stringColumn("reference").get(r), written = t.stringColumn("written").get(r);
            boolean ok = t.booleanColumn("correct").get(r);
            int len = t.intColumn("length").get(r);
            if (len == 1 && ref.equals("turnLeft")) left.add(ok);
            if (len == 1 && ref.equals("turnRight")) right.add(ok);
            if (len == 1 && ref.equals("pickMarker")) { picks++; if (ok) pickRight++; }
            if (len > 3) continue;
            if (hasTurnOrPick(ref)) { other++; if (ok) otherRight++; } else { plain++; if (ok) plainRight++; }
            if (!ok) { wrong++; if (withoutTurnsOrPicks(ref).equals(withoutTurnsOrPicks(written))) explained++; }
        }
        int[] idxL = new int[left.size()], idxR = new int[right.size()];
        for (int i = 0; i < idxL.length; i++) idxL[i] = i;
        for (int i = 0; i < idxR.length; i++) idxR[i] = i;
        double j = skill(left, right, idxL, idxR);
        double[] boot = new double[1000];
        SplittableRandom rng = new SplittableRandom(1);
        for (int b = 0; b < boot.length; b++) {
            int[] l = new int[idxL.length], rr = new int[idxR.length];
            for (int i = 0; i < l.length; i++) l[i] = rng.nextInt(l.length);
            for (int i = 0; i < rr.length; i++) rr[i] = rng.nextInt(rr.length);
            boot[b] = skill(left, right, l, rr);
        }
        Arrays.sort(boot);
        long leftOk = left.stream().filter(x -> x).count(), rightOk = right.stream().filter(x -> x).count();
        System.out.printf("  step %5d  length 1: turnLeft %2d/%-2d turnRight %2d/%-2d J %+5.2f [%+5.2f, %+5.2f]  pickMarker %2d/%-2d"
                + " | lengths 1-3: no turn or pick %3d/%-3d, others %3d/%-3d, wrong %3d of which equal to the reference without turns and picks %3d%n",
                step, leftOk, left.size(), rightOk, right.size(), j, boot[25], boot[974], pickRight, picks,
                plainRight, plain, otherRight, other, wrong, explained);
    }
}
if (System.getenv("DATA") != null) {
    DatasetFile val = Dataset.open(Path.of(System.getenv("DATA")), false).split(Split.VAL);
    int specs = 0, changing = 0;
    for (int i = 0; i < programsInTables; i++) {
        if (val.programLength(i) != 1 || !val.program(i).toString().equals("pickMarker")) continue;
        specs++;
        boolean changes = false;
        for (int k = 0; k < 5; k++) changes |= !val.world(i, k, false).equals(val.world(i, k, true));
        if (changes) changing++;
    }
    System.out.printf("# DATA: %d of the first %d val programs are one pickMarker; %d of them change any of their 5 examples%n",
            specs, programsInTables, changing);
}
/exit
