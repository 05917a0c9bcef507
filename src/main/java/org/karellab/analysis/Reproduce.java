package org.karellab.analysis;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.karellab.causal.Intervention;
import org.karellab.causal.PProbe;
import org.karellab.data.Dataset;
import org.karellab.data.GenConfig;
import org.karellab.data.Generator;
import org.karellab.data.LengthRange;
import org.karellab.data.Manifest;
import org.karellab.data.ProgramSet;
import org.karellab.data.Sample;
import org.karellab.data.Split;
import org.karellab.lm.Checkpoint;
import org.karellab.lm.EvalRow;
import org.karellab.lm.Evaluation;
import org.karellab.lm.Gpt;
import org.karellab.lm.LmConfig;
import org.karellab.lm.RunDir;
import org.karellab.lm.TrainRecipe;
import org.karellab.probe.Sweep;
import org.karellab.world.KarelException;
import tech.tablesaw.api.Table;

/**
 * The main job: generate, train, evaluate every checkpoint, trace and sweep the probes, edit
 * the LM's states and P-probe them, then execute every notebook. Each stage skips what is already done, so a re-run after an
 * interruption continues where it stopped.
 *
 * <pre>
 * OUT/data/         the dataset                OUT/run/          checkpoints, metrics.csv, eval.csv, eval-full.csv (+ -programs.csv)
 * OUT/run/traces/   hidden states per checkpoint and split
 * OUT/results.csv   the probing sweep           OUT/notebooks/    executed notebooks (.ipynb, .html)
 * OUT/interventions.csv  causal edits        OUT/pprobe.csv    P-probing (position x k; every layer and the
 *                                              facts reference, PProbe.FACTS), + -programs.csv
 * OUT/pprobe-step0-forced.csv  its control: checkpoint 0 on the trained LM's programs (every layer), + -programs.csv
 * OUT/figures/      every figure as PNG
 * </pre>
 */
public final class Reproduce {
    public static final String RUN = "run";
    public static final String DATA = "data";
    /** The causal interventions' CSV in the output folder. */
    public static final String INTERVENTIONS = "interventions.csv";
    /** The P-probing CSV in the output folder. */
    public static final String PPROBE = "pprobe.csv";
    /** Its per-program test sums ({@code pprobe --program-scores}). */
    public static final String PPROBE_PROGRAMS = "pprobe-programs.csv";
    /** The P-probing of the untrained LM (the first checkpoint) on the trained LM's programs, and its per-program sums. */
    public static final String PPROBE_CONTROL = "pprobe-step0-forced.csv";
    public static final String PPROBE_CONTROL_PROGRAMS = "pprobe-step0-forced-programs.csv";

    private Reproduce() {
    }

    /**
     * A named way to run the whole study.
     *
     * @param profile the {@link LmConfig} profile
     * @param data the dataset
     * @param evalLimit programs scored per checkpoint for the curve (the last checkpoint is also scored on the whole test split)
     * @param sweep probing sweep options
     * @param intervene causal interventions at the last checkpoint
     * @param pprobe P-probing at the last checkpoint
     */
    public record Recipe(String profile, GenConfig data, int evalLimit, Sweep.Options sweep,
            Intervention.Options intervene, PProbe.Options pprobe) {
        public static Recipe named(String name) {
            Sweep.Options s = Sweep.Options.defaults();
            Intervention.Options i = Intervention.Options.defaults();
            PProbe.Options p = PProbe.Options.defaults();
            return switch (name) {
                case "smoke" -> new Recipe("smoke", GenConfig.builder().optTrain(20_000).optVal(1_000).optTest(1_000)
                        .optTrainLengths(new LengthRange(1, 10)).build(), 200,
                        s.toBuilder().probes(List.of("linear", "mlp1")).samples(300).evalSamples(150).curveSamples(100)
                                .seeds(2).resamples(200).build(),
                        i.toBuilder().samples(100).resamples(200).build(), p.toBuilder().samples(300).evalSamples(150).resamples(200).build());
                // the CPU recipe trains on lengths 1-10 (see docs/cpu-recipe.md); test is the paper's
                case "cpu", "cpu-abs" -> new Recipe(name, GenConfig.builder().optTrainLengths(new LengthRange(1, 10)).build(), 500,
                        // in the hour: linear on every group, mlp1 on the curve and the headline (measured on
                        // 2026-11-30: linear 7 min, mlp1 on every group 19 min, on the headline about 4);
                        // the rest: sweep --probes linear,mlp1,mlp2
                        s.toBuilder().checkpoints("every:4").probes(List.of("linear")).headlineProbes(List.of("mlp1"))
                                .build(), i, p);
                // the reference's setting (paper-facts): its dataset, lengths 6-10, the paper-scale LM; for GPUs
                case "paper" -> new Recipe("paper", GenConfig.defaults(), 500, s.toBuilder().checkpoints("every:4").build(), i, p);
                default -> throw new KarelException("unknown profile '" + name
                        + "' for reproduce (known: smoke, cpu, cpu-abs, paper)");
            };
        }
    }

    /** Runs every stage but the notebooks, printing each stage's wall-clock time; returns the output folder. */
    public static Path pipeline(Recipe r, Path out, PrintStream log) {
        Path data = out.resolve(DATA);
        Path run = out.resolve(RUN);
        long t = System.nanoTime();
        if (!Files.isRegularFile(data.resolve(Manifest.FILE))) {
            log.println("== generate " + data);
            Generator.Result g = new Generator(r.data()).generate(data, Runtime.getRuntime().availableProcessors(), true);
            log.printf("generated %d programs in %.1f s%n", g.samples(), g.seconds());
        }
        t = stage(log, "generate", t);
        LmConfig cfg;
        try (Dataset d = Dataset.open(data, false)) {
            cfg = TrainRecipe.config(r.profile(), Map.of(), d.config().specExamples());
        }
        if (!Files.isRegularFile(Checkpoint.file(run, cfg.run().steps()))) {
            log.println("== train " + run);
            boolean resume = !Checkpoint.list(run).isEmpty();
            TrainRecipe.train(data, run, resume ? null : r.profile(), Map.of(), resume, log);
        }
        t = stage(log, "train", t);
        log.println("== eval " + run);
        evaluate(run, r.evalLimit(), log);
        t = stage(log, "eval", t);
        log.println("== sweep");
        Sweep.run(run, r.sweep(), out.resolve(Sweep.CSV), log);
        t = stage(log, "sweep (tracing and probes)", t);
        if (!Files.isRegularFile(out.resolve(INTERVENTIONS))) {
            log.println("== intervene");
            Intervention.run(run, r.intervene(), out.resolve(INTERVENTIONS), log);
        }
        t = stage(log, "intervene", t);
        PProbe.Options pprobe = r.pprobe();
        if (pprobe.layers() == null) {                 // every hidden state, and the facts reference beside them
            int nLayer = Checkpoint.config(Checkpoint.list(run).get(0)).model().nLayer();
            pprobe = pprobe.toBuilder().layers(PProbe.layersWithFacts(nLayer)).build();
        }
        // the control's states are checkpoint 0's; the facts hold no state, so they are not fitted again
        List<String> hidden = pprobe.layers().stream().filter(l -> !PProbe.FACTS.contains(l)).toList();
        PProbe.Options control = pprobe.toBuilder().layers(hidden.isEmpty() ? pprobe.layers() : hidden).build();
        if (!Files.isRegularFile(out.resolve(PPROBE)) || !Files.isRegularFile(out.resolve(PPROBE_PROGRAMS))) {
            log.println("== pprobe");
            PProbe.run(run, pprobe.toBuilder().programScores(out.resolve(PPROBE_PROGRAMS)).build(), out.resolve(PPROBE), log);
        }
        t = stage(log, "pprobe", t);
        if (!Files.isRegularFile(out.resolve(PPROBE_CONTROL)) || !Files.isRegularFile(out.resolve(PPROBE_CONTROL_PROGRAMS))) {
            String first = Long.toString(Checkpoint.stepOf(Checkpoint.list(run).get(0)));
            log.println("== pprobe control: checkpoint " + first + " (untrained) on the last checkpoint's programs");
            PProbe.run(run, control.toBuilder().checkpoint(first).programsFrom("last")
                    .programScores(out.resolve(PPROBE_CONTROL_PROGRAMS)).build(), out.resolve(PPROBE_CONTROL), log);
        }
        stage(log, "pprobe control", t);
        return out;
    }

    /** Prints a stage's wall-clock time (0 when it was already done) and returns the time now. */
    private static long stage(PrintStream log, String name, long since) {
        long now = System.nanoTime();
        log.printf("== stage %s: %.1f min%n", name, (now - since) / 6e10);
        return now;
    }

    /** The last checkpoint scored on the whole test split, by program length. */
    public static final String EVAL_FULL = "eval-full.csv";

    /**
     * Scores every checkpoint not yet in eval.csv on the first {@code limit} test programs (the
     * same programs at every checkpoint, so the curve compares like with like), then the last
     * checkpoint on the whole test split into {@value #EVAL_FULL}. Both also report accuracy on the
     * test programs that do not occur in the run's training split.
     */
    static void evaluate(Path run, int limit, PrintStream log) {
        List<Path> all = Checkpoint.list(run);
        Path last = all.get(all.size() - 1);
        try (Dataset d = Dataset.open(RunDir.data(run), false)) {
            int spec = d.config().specExamples();
            ProgramSet train = trainPrograms(d, last);
            List<Sample> some = Evaluation.samples(d.split(Split.TEST), limit);
            List<Long> done = stepsIn(run.resolve(Evaluation.CSV));
            for (Path c : all) {
                if (!done.contains(Checkpoint.stepOf(c))) {
                    score(c, some, spec, train, run.resolve(Evaluation.CSV), log);
                }
            }
            if (!stepsIn(run.resolve(EVAL_FULL)).contains(Checkpoint.stepOf(last))) {
                score(last, Evaluation.samples(d.split(Split.TEST), 0), spec, train, run.resolve(EVAL_FULL), log);
            }
        }
    }

    /** The programs the run trained on (its config is the same in every checkpoint). */
    private static ProgramSet trainPrograms(Dataset d, Path checkpoint) {
        return Evaluation.trainPrograms(d, Checkpoint.config(checkpoint));
    }

    /**
     * The steps scored in an eval table and in its per-program table (a folder scored before
     * per-program rows existed is scored again, which also writes them).
     */
    private static List<Long> stepsIn(Path csv) {
        Path programs = Evaluation.programsCsv(csv);
        if (!Files.isRegularFile(csv) || !Files.isRegularFile(programs)) {
            return List.of();
        }
        Table t = Evaluation.read(csv);
        java.util.Set<Long> withPrograms = new java.util.HashSet<>(Evaluation.readPrograms(programs).longColumn(Evaluation.STEP).asList());
        return Selections.overall(t).longColumn(Evaluation.STEP).asList().stream()
                .filter(withPrograms::contains).toList();
    }

    private static void score(Path checkpoint, List<Sample> samples, int spec, ProgramSet train, Path csv,
            PrintStream log) {
        try (Gpt model = Checkpoint.loadModel(checkpoint)) {
            Evaluation.Result r = Evaluation.evaluate(model, Checkpoint.stepOf(checkpoint), samples, spec, 256, train);
            r.mergeInto(csv);
            EvalRow a = r.all();
            log.printf("step %d: accuracy %.3f, generalization %.3f, perplexity %.3f, distinct %.3f (n=%d); "
                    + "unseen in train: accuracy %.3f (n=%d)%n", a.step(), a.accuracy(), a.generalization(),
                    a.perplexity(), a.distinct(), a.n(), a.unseenAccuracy(), a.unseenN());
        }
    }

    /**
     * Executes every notebook of {@code notebooks} into {@code OUT/notebooks} (.ipynb and .html),
     * figures to {@code OUT/figures}.
     */
    public static void notebooks(Path notebooks, Path out, PrintStream log) {
        List<Path> books;
        try (Stream<Path> s = Files.list(notebooks)) {
            books = s.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.ipynb")).sorted().toList();
        } catch (IOException e) {
            throw new KarelException(notebooks + ": cannot list notebooks: " + e.getMessage(), e);
        }
        Path dest = out.resolve("notebooks").toAbsolutePath();
        for (Path nb : books) {
            log.println("== notebook " + nb.getFileName());
            long t0 = System.nanoTime();
            exec(List.of("jupyter", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=3600",
                    "--output-dir", dest.toString(), nb.toAbsolutePath().toString()), out, nb.getParent(), log);
            Path executed = dest.resolve(nb.getFileName());
            exec(List.of("jupyter", "nbconvert", "--to", "html", "--output-dir", dest.toString(), executed.toString()),
                    out, nb.getParent(), log);
            stage(log, "notebook " + nb.getFileName(), t0);
        }
    }

    private static void exec(List<String> cmd, Path out, Path dir, PrintStream log) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("KAREL_OUT", out.toAbsolutePath().toString());
        pb.environment().put("KAREL_FIGURES", out.resolve("figures").toAbsolutePath().toString());
        try {
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes());
            int code = p.waitFor();
            if (code != 0) {
                log.print(text);
                throw new KarelException(String.join(" ", cmd.subList(0, 3)) + " failed (exit " + code
                        + ") on " + cmd.get(cmd.size() - 1));
            }
        } catch (IOException e) {
            throw new KarelException("cannot run jupyter (run environment/setup.sh first): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KarelException("interrupted while executing " + cmd.get(cmd.size() - 1), e);
        }
    }
}
