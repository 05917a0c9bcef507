package org.karellab.analysis;

import java.nio.file.Files;
import java.nio.file.Path;
import org.karellab.data.Dataset;
import org.karellab.lm.Evaluation;
import org.karellab.probe.Sweep;
import tech.tablesaw.api.Table;

/**
 * Where a notebook finds its inputs: the main job's output folder. {@code $KAREL_OUT} when set
 * (the {@code reproduce} command sets it while it executes the notebooks); else {@code runs/cpu}
 * of the repository when the CPU reproduction has run; else {@code runs/smoke}, made on the spot
 * at the {@code smoke} size when missing, so every notebook runs top to bottom on a fresh clone.
 */
public final class Lab {
    /** Folder names inside an output folder. */
    public static final String DATA = "data";

    private Lab() {
    }

    public static Path out() {
        String env = System.getenv("KAREL_OUT");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path runs = repoRoot().resolve("runs");
        Path cpu = runs.resolve("cpu");
        return Files.isRegularFile(cpu.resolve(Sweep.CSV)) ? cpu : runs.resolve("smoke");
    }

    /** The repository root: the working folder or the nearest parent holding {@code pom.xml}. */
    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("pom.xml")) && Files.isDirectory(q.resolve("notebooks"))) {
                return q;
            }
        }
        return p;
    }

    /**
     * The output folder, after making sure the pipeline has run there: when notebooks run on
     * their own (no {@code $KAREL_OUT}, no CPU reproduction), the smoke pipeline runs once into
     * {@code runs/smoke}, in a minute or two.
     */
    public static Path ready() {
        Path out = out();
        if (!Files.isRegularFile(out.resolve(Sweep.CSV)) && System.getenv("KAREL_OUT") == null) {
            Reproduce.pipeline(Reproduce.Recipe.named("smoke"), out, System.out);
        }
        return out;
    }

    /** The output folder's dataset. */
    public static Dataset dataset() {
        return Dataset.open(ready().resolve(DATA), false);
    }

    /** The output folder's training run. */
    public static Path run() {
        return ready().resolve(Reproduce.RUN);
    }

    /** The run's training metrics (a row per logging interval). */
    public static Table metrics() {
        return Table.read().csv(run().resolve("metrics.csv").toFile());
    }

    /** The run's evaluation over checkpoints (a row per checkpoint and program length). */
    public static Table eval() {
        return Evaluation.read(run().resolve(Evaluation.CSV));
    }

    /**
     * The evaluation over checkpoints, a row per checkpoint and program (the same first test
     * programs at each): the accuracy series of {@link Measures#correlationWithAccuracy}.
     */
    public static Table evalPrograms() {
        return Evaluation.readPrograms(Evaluation.programsCsv(run().resolve(Evaluation.CSV)));
    }

    /** The last checkpoint scored on the whole test split (a row per program length). */
    public static Table evalFull() {
        return Evaluation.read(run().resolve(Reproduce.EVAL_FULL));
    }

    /**
     * The last checkpoint's programs on the whole test split, a row each (what was written, correct
     * or not): compare two runs with {@link Measures#accuracyDifference}.
     */
    public static Table evalFullPrograms() {
        return Evaluation.readPrograms(Evaluation.programsCsv(run().resolve(Reproduce.EVAL_FULL)));
    }

    /** The probing sweep's results (a row per measurement). */
    public static Table results() {
        return Sweep.read(ready().resolve(Sweep.CSV));
    }

    /** The sweep's per-program sums, from which {@link Measures} bootstraps intervals over test programs. */
    public static org.karellab.probe.ProgramScores programScores() {
        return org.karellab.probe.ProgramScores.read(ready().resolve(Sweep.PROGRAMS));
    }

    /** The causal interventions (a row per layer, method and measure; see {@link org.karellab.causal.Intervention}). */
    public static Table interventions() {
        return org.karellab.causal.Intervention.read(ready().resolve(Reproduce.INTERVENTIONS));
    }

    /** P-probing (a row per layer, feature, position and k; see {@link org.karellab.causal.PProbe}). */
    public static Table pprobe() {
        Path csv = ready().resolve(Reproduce.PPROBE);
        return org.karellab.causal.PProbe.requireOwnReading(org.karellab.causal.PProbe.read(csv), csv);
    }

    /** P-probing's per-program test sums: pair cells with {@link Measures#cellDifference}. */
    public static org.karellab.probe.ProgramScores pprobeScores() {
        return org.karellab.probe.ProgramScores.read(ready().resolve(Reproduce.PPROBE_PROGRAMS));
    }

    /**
     * The P-probing of the untrained LM (the run's first checkpoint) on the trained LM's programs,
     * teacher-forced: every cell has the same rows and labels as {@link #pprobe}'s.
     */
    public static Table pprobeControl() {
        Path csv = ready().resolve(Reproduce.PPROBE_CONTROL);
        Table t = org.karellab.causal.PProbe.read(csv);
        if (t.longColumn("programs_step").asList().equals(t.longColumn("step").asList())) {
            throw new org.karellab.world.KarelException(csv + ": the probed checkpoint wrote its own programs; "
                    + "the control reads another checkpoint's (pprobe --programs-from)");
        }
        return t;
    }

    /** The control's per-program test sums. */
    public static org.karellab.probe.ProgramScores pprobeControlScores() {
        return org.karellab.probe.ProgramScores.read(ready().resolve(Reproduce.PPROBE_CONTROL_PROGRAMS));
    }
}
