package org.karellab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.karellab.causal.PProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "pprobe", mixinStandardHelpOptions = true,
        description = "P-probing: for every layer, sequence position and k, a linear probe's test accuracy for the "
                + "state after k actions (ridge classifiers, ridge chosen on val), with 95%% bootstrap intervals "
                + "over programs and the majority rate.")
final class PProbeCommand implements Callable<Integer> {
    private static final PProbe.Options D = PProbe.Options.defaults();

    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, description = "run folder")
    Path run;

    @Option(names = "--out", required = true, description = "CSV to write")
    Path out;

    @Option(names = "--checkpoint", description = "checkpoint step or last (default: ${DEFAULT-VALUE})")
    String checkpoint = D.checkpoint();

    @Option(names = "--layer", split = ",", description = "hidden states (default: every layer); facts.written and facts.next are true facts (each input's start and output facing, the turns), no hidden state: a reference for what they give the probe side by side")
    List<String> layers;

    @Option(names = "--features", split = ",", description = "features (default: the encoding's semantic features)")
    List<String> features;

    @Option(names = "--samples", description = "train programs (default: ${DEFAULT-VALUE})")
    int samples = D.samples();

    @Option(names = "--eval-samples", description = "val and test programs, each (default: ${DEFAULT-VALUE})")
    int evalSamples = D.evalSamples();

    @Option(names = "--examples", split = ",", description = "specification inputs whose run labels the rows, "
            + "e.g. 0,1,2,3,4 (default: 0, as the reference)")
    List<Integer> examples = new java.util.ArrayList<>(D.examples());

    @Option(names = "--shuffle-labels", paramLabel = "SEED", description = "a control run: hand each program's labels "
            + "to another program of the same length (seeded), so cells above majority count what chance gives")
    Long shuffle;

    @Option(names = "--programs-from", paramLabel = "CHECKPOINT", description = "the checkpoint (step or last) whose "
            + "greedy programs label the rows, teacher-forced into --checkpoint's LM; with --checkpoint 0 --programs-from "
            + "last, the random-init control on the trained LM's programs (default: --checkpoint's own programs)")
    String programsFrom;

    @Option(names = "--positions", split = ",", description = "fit only these positions, e.g. emit.0,emit.1 "
            + "(spec.I, spec_token.I, emit.J; default: every position)")
    List<String> positions;

    @Option(names = "--program-scores", paramLabel = "FILE", description = "also write every cell's per-program test sums "
            + "(to compare two P-probings on the same test programs, e.g. a trained LM and its --programs-from control, "
            + "program by program; docs/frames/every-input/paired.jsh)")
    Path programScores;

    @Option(names = "--resamples", description = "bootstrap resamples (default: ${DEFAULT-VALUE})")
    int resamples = D.resamples();

    @Override
    public Integer call() {
        PProbe.Options o = D.toBuilder().checkpoint(checkpoint).layers(layers).features(features).samples(samples)
                .evalSamples(evalSamples).resamples(resamples).examples(examples).shuffle(shuffle).programsFrom(programsFrom)
                .positions(positions).programScores(programScores).build();
        var t = PProbe.run(run, o, out, System.out);
        spec.commandLine().getOut().printf("%d cells in %s%n", t.rowCount(), out);
        return 0;
    }
}
