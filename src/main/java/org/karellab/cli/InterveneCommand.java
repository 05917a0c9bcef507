package org.karellab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.karellab.causal.Intervention;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "intervene", mixinStandardHelpOptions = true,
        description = "Causal test of the facing probe: edit the LM's hidden state where it emits action t (along "
                + "the linear probe's class directions, by patching another program's state, or in a random "
                + "direction of the same norm, or towards the other turn), let it write the rest, and score the continuation against a robot "
                + "turned 90 degrees. Success rates with 95%% bootstrap intervals over programs, per layer.")
final class InterveneCommand implements Callable<Integer> {
    private static final Intervention.Options D = Intervention.Options.defaults();

    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, description = "run folder")
    Path run;

    @Option(names = "--out", required = true, description = "CSV to write")
    Path out;

    @Option(names = "--checkpoint", description = "checkpoint step or last (default: ${DEFAULT-VALUE})")
    String checkpoint = D.checkpoint();

    @Option(names = "--layer", split = ",", description = "hidden states to edit, e.g. blocks.1.resid_post (default: every layer)")
    List<String> layers;

    @Option(names = "--feature", description = "rel_facing or facing (default: the facing of the encoding's frame)")
    String feature;

    @Option(names = "--method", split = ",", description = "direction, patch, random, opposite (default: all four); shuffled, the push "
            + "between the same classes on the probe's rows with shuffled labels, at the direction edit's norm; direction_rest, random_rest, "
            + "opposite_rest, shuffled_rest push at every position from t on, each from the state there")
    List<String> methods = D.methods();

    @Option(names = "--samples", description = "test programs to edit (default: ${DEFAULT-VALUE})")
    int samples = D.samples();

    @Option(names = "--probe-samples", description = "programs per probe split when the run has no final traces (default: ${DEFAULT-VALUE})")
    int probeSamples = D.probeSamples();

    @Option(names = "--margin", description = "probe logit lead of the target after a direction edit (default: ${DEFAULT-VALUE})")
    double margin = D.margin();

    @Option(names = "--resamples", description = "bootstrap resamples (default: ${DEFAULT-VALUE})")
    int resamples = D.resamples();

    @Option(names = "--seed", description = "seed of steps, random directions, donors and bootstrap (default: ${DEFAULT-VALUE})")
    long seed = D.seed();

    @Option(names = "--push", description = "probe (the least step along the probe's class directions to a logit lead of "
            + "--margin) or mean (the difference of the two classes' mean states on the probe's training rows) (default: ${DEFAULT-VALUE})")
    String push = D.push();

    @Option(names = "--all-programs", description = "edit every program of two or more actions, not only those the LM wrote correctly")
    boolean allPrograms;

    @Override
    public Integer call() {
        Intervention.Options o = D.toBuilder().checkpoint(checkpoint).layers(layers).feature(feature).methods(methods)
                .samples(samples).probeSamples(probeSamples).margin(margin).resamples(resamples).seed(seed)
                .allPrograms(allPrograms).push(push).build();
        var t = Intervention.run(run, o, out, System.out);
        spec.commandLine().getOut().printf("%d measurements in %s%n", t.rowCount(), out);
        return 0;
    }
}
