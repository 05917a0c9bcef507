// The trained LM against its random-init control on the same test programs, paired program by program:
// per action position emit.0-4, the facing accuracy of the trained LM minus that of the same LM at
// checkpoint 0 on the trained LM's programs (pprobe --checkpoint 0 --programs-from last), averaged over the
// 25 cells after the embedding (5 states x 5 inputs: the blocks' resid_post and ln_final.normalized), with a 95% bootstrap interval over test programs
// (one resample for every cell: Measures.cellDifference). The labels and rows of the two are the same, so
// the difference of accuracies is the difference of points above majority.
// The primary statistic, fixed on 2026-12-01 before E12c (E12's recipe at seed 3) was trained: the current
// facing (k = j + 1) pooled over emit.1-emit.3 (75 cells), trained minus control; the faint trace that E12
// and E12b showed as cell counts holds at a third seed if its interval lies above 0. The other lines
// (each position, the start facing) are secondary.
// Fixed in commit e5fb517 (2026-12-01 02:17 UTC), before E12d (E12's recipe at seed 4, the first E12 trained with
// Gpt.conv3x3 instead of DJL's Conv2d) was trained: the same primary statistic decides whether the trace
// holds at a fourth seed (interval above 0). The secondary `before` line (k = j, emit.1-3) decides the
// reading: if the current facing holds and the facing before the action is level (its interval contains
// 0), the trace is again the action being written, not tracking.
// Inputs, per LM named in LMS (comma-separated), in the folder PP:
//   LM-pprobe-programs.csv               pprobe --features facing --examples 0,1,2,3,4 --positions emit.0,...,emit.4
//                                        --program-scores LM-pprobe-programs.csv (the trained LM)
//   LM-step0-forced-pprobe-programs.csv  the same with --checkpoint 0 --programs-from last
// Both with the same --samples and --eval-samples (the defaults), so that program p is the same test program.
// Run from the repository root:
//   PP=/path/to/folder LMS=cpu-abs,e12c jshell --class-path "target/karel-lab.jar:target/lib/*" docs/frames/every-input/paired.jsh
// DIGITS=3 prints the points with three decimals instead of one (for a bound at the edge of 0).
import org.karellab.analysis.Measures;
import org.karellab.causal.PProbe;
import org.karellab.probe.ProgramScores;
import tech.tablesaw.api.*;
import java.nio.file.Path;
import java.util.*;
String folder = System.getenv("PP");
List<String> lms = List.of(System.getenv("LMS").split(","));
int digits = System.getenv("DIGITS") == null ? 1 : Integer.parseInt(System.getenv("DIGITS"));
String rate = "%." + digits + "f", diff = "%+." + digits + "f";
String row(Table d) {
    if (d.intColumn(Measures.A_ONLY).get(0) + d.intColumn(Measures.B_ONLY).get(0) > 0) throw new IllegalStateException("not the same programs in every cell");
    return String.format(Locale.ROOT, "trained " + rate + " vs control " + rate + ": " + diff + " [" + diff + ", " + diff
            + "] points (n = %d programs, %d cells, trained ahead in %d)",
            100 * d.doubleColumn(Measures.A_RATE).get(0), 100 * d.doubleColumn(Measures.B_RATE).get(0),
            100 * d.doubleColumn(Measures.VALUE).get(0), 100 * d.doubleColumn(Measures.CI_LOW).get(0),
            100 * d.doubleColumn(Measures.CI_HIGH).get(0), d.intColumn(Measures.N_PROGRAMS).get(0),
            d.intColumn(Measures.CELLS).get(0), d.intColumn(Measures.A_AHEAD).get(0));
}
for (String lm : lms) {
    ProgramScores trained = ProgramScores.read(Path.of(folder, lm + "-pprobe-programs.csv"));
    ProgramScores control = ProgramScores.read(Path.of(folder, lm + "-step0-forced-pprobe-programs.csv"));
    List<String> layers = new ArrayList<>(new TreeSet<>(trained.table().stringColumn(ProgramScores.ID).unique().asList().stream()
            .map(id -> id.split("\\|")[0]).filter(l -> !l.equals("blocks.0.resid_pre")).toList()));
    System.out.println("# " + lm + " against " + lm + "-step0-forced, layers " + layers + ", inputs 0-4");
    for (String what : List.of("current", "start")) {
        List<String> all = new ArrayList<>();
        List<String> later = new ArrayList<>();
        for (int j = 0; j <= 4; j++) {
            List<String> ids = new ArrayList<>();
            for (String layer : layers) {
                for (int e = 0; e < 5; e++) {
                    ids.add(PProbe.scoreId(layer, "facing", e, "emit." + j, what.equals("current") ? j + 1 : 0));
                }
            }
            all.addAll(ids);
            if (j >= 1 && j <= 3) later.addAll(ids);
            System.out.printf("%-7s facing, emit.%d: %s%n", what, j,
                    row(Measures.cellDifference(trained, control, ids, Measures.Measure.SEMANTIC_CONTENT)));
        }
        System.out.printf("%-7s facing, emit.0-4: %s%n", what, row(Measures.cellDifference(trained, control, all, Measures.Measure.SEMANTIC_CONTENT)));
        System.out.printf("%-7s facing, emit.1-3: %s%n", what, row(Measures.cellDifference(trained, control, later, Measures.Measure.SEMANTIC_CONTENT)));
    }
    // added 2026-12-01 after the primary result (secondary): the facing before the action being written,
    // k = j at emit.j, pooled over emit.1-3 as the primary statistic
    List<String> before = new ArrayList<>();
    for (int j = 1; j <= 3; j++) for (String layer : layers) for (int e = 0; e < 5; e++) before.add(PProbe.scoreId(layer, "facing", e, "emit." + j, j));
    System.out.printf("before  facing (k = j), emit.1-3: %s%n", row(Measures.cellDifference(trained, control, before, Measures.Measure.SEMANTIC_CONTENT)));
}
/exit
