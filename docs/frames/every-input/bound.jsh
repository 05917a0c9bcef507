// The trained LM's facing read-out against the facts it could hold uncombined, paired program by program.
// The facts pseudo-layers (pprobe --layer facts.written,facts.next; no hidden state; PProbe.FACTS) hold, for each
// of the five inputs, one-hot side by side: its start facing and its specification output's facing (absolute)
// and the quarter turns from the start facing:
//   facts.next    turns through the action being written (at emit.j, actions 0..j): with the start facing, the
//                 parts of the current facing (k = j + 1);
//   facts.written turns through the actions already written (0..j-1): the parts of the facing before (k = j);
//                 it is facts.next one position earlier.
// No linear read-out adds start facing and turns mod 4 for every pair, and the output facing is the answer only
// where no turn follows, so the same ridge probe on the facts reads what the parts, held exactly and uncombined,
// give it. A trained LM read above that holds more than the parts side by side (a sign of composition: necessary,
// not sufficient); at or below it, its reading is no evidence of composition (nor of its absence). It is a
// reference for this ridge probe, not an upper bound on every linear read-out.
// History: first run 2026-12-01 after the E12c result with facts of start facing and turns only (not fixed
// beforehand); the output facing was added after a review. Fixed on 2026-12-01 before E12d's P-probes were run
// (its training under way, none of its checkpoints read): for E12d, the current facing pooled over emit.1-3 and
// the five layers after the embedding, trained minus facts.next; a sign of composition only if its interval lies
// above 0. The per-layer and per-position lines are secondary.
// Inputs, per LM named in LMS, in the folder PP: LM-pprobe-programs.csv (the trained LM, as paired.jsh) and
// LM-facts-pprobe-programs.csv (pprobe --layer facts.written,facts.next --features facing,rel_facing
// --examples 0,1,2,3,4 --positions emit.0,...,emit.4 --program-scores ...; the same --samples and
// --eval-samples, so the same test programs: the trained LM's own).
// Run from the repository root:
//   PP=/path/to/folder LMS=e12c jshell --class-path "target/karel-lab.jar:target/lib/*" docs/frames/every-input/bound.jsh
import org.karellab.analysis.Measures;
import org.karellab.causal.PProbe;
import org.karellab.probe.ProgramScores;
import tech.tablesaw.api.*;
import java.nio.file.Path;
import java.util.*;
String folder = System.getenv("PP");
List<String> lms = List.of(System.getenv("LMS").split(","));
String row(Table d) {
    if (d.intColumn(Measures.A_ONLY).get(0) + d.intColumn(Measures.B_ONLY).get(0) > 0) throw new IllegalStateException("not the same programs in every cell");
    return String.format("trained %.1f vs facts %.1f: %+.1f [%+.1f, %+.1f] points (n = %d programs, %d cells, trained ahead in %d)",
            100 * d.doubleColumn(Measures.A_RATE).get(0), 100 * d.doubleColumn(Measures.B_RATE).get(0),
            100 * d.doubleColumn(Measures.VALUE).get(0), 100 * d.doubleColumn(Measures.CI_LOW).get(0),
            100 * d.doubleColumn(Measures.CI_HIGH).get(0), d.intColumn(Measures.N_PROGRAMS).get(0),
            d.intColumn(Measures.CELLS).get(0), d.intColumn(Measures.A_AHEAD).get(0));
}
for (String lm : lms) {
    ProgramScores trained = ProgramScores.read(Path.of(folder, lm + "-pprobe-programs.csv"));
    ProgramScores facts = ProgramScores.read(Path.of(folder, lm + "-facts-pprobe-programs.csv"));
    List<String> layers = new ArrayList<>(new TreeSet<>(trained.table().stringColumn(ProgramScores.ID).unique().asList().stream()
            .map(id -> id.split("\\|")[0]).filter(l -> !l.equals("blocks.0.resid_pre")).toList()));
    System.out.println("# " + lm + " against the facts, layers " + layers + ", inputs 0-4");
    // the check that the facts are what they say: the turns themselves (rel_facing) are one of their one-hots
    for (String pseudo : PProbe.FACTS) {
        int ahead = pseudo.equals("facts.next") ? 1 : 0;
        List<String> turns = new ArrayList<>();
        for (int j = 0; j <= 4; j++) for (int e = 0; e < 5; e++) turns.add(PProbe.scoreId(pseudo, "rel_facing", e, "emit." + j, j + ahead));
        Table self = Measures.cellDifference(facts, facts, turns, Measures.Measure.SEMANTIC_CONTENT);
        System.out.printf("%s reads its own turns (rel_facing, k = j + %d) at %.1f%% (must be 100)%n", pseudo, ahead,
                100 * self.doubleColumn(Measures.A_RATE).get(0));
    }
    for (String what : List.of("current", "before")) {
        String pseudo = what.equals("current") ? "facts.next" : "facts.written";
        List<String> later = new ArrayList<>();
        List<String> laterBound = new ArrayList<>();
        for (int j = 0; j <= 4; j++) {
            List<String> ids = new ArrayList<>();
            List<String> bound = new ArrayList<>();                  // each trained cell's facts cell: same input, position, k
            int k = what.equals("current") ? j + 1 : j;
            for (String layer : layers) for (int e = 0; e < 5; e++) {
                ids.add(PProbe.scoreId(layer, "facing", e, "emit." + j, k));
                bound.add(PProbe.scoreId(pseudo, "facing", e, "emit." + j, k));
            }
            if (j >= 1 && j <= 3) { later.addAll(ids); laterBound.addAll(bound); }
            System.out.printf("%-7s facing vs %s, emit.%d: %s%n", what, pseudo, j,
                    row(Measures.cellDifference(trained, ids, facts, bound, Measures.Measure.SEMANTIC_CONTENT)));
        }
        System.out.printf("%-7s facing vs %s, emit.1-3: %s%n", what, pseudo,
                row(Measures.cellDifference(trained, later, facts, laterBound, Measures.Measure.SEMANTIC_CONTENT)));
        for (String layer : layers) {                                // secondary: each layer alone
            List<String> ids = new ArrayList<>();
            List<String> bound = new ArrayList<>();
            for (int i = 0; i < later.size(); i++) {
                if (later.get(i).startsWith(layer + "|")) { ids.add(later.get(i)); bound.add(laterBound.get(i)); }
            }
            System.out.printf("%-7s facing vs %s, emit.1-3, %s: %s%n", what, pseudo, layer,
                    row(Measures.cellDifference(trained, ids, facts, bound, Measures.Measure.SEMANTIC_CONTENT)));
        }
    }
}
/exit
