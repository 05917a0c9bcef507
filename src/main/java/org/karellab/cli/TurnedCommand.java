package org.karellab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.karellab.causal.TurnedSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "turned", mixinStandardHelpOptions = true,
        description = "Does the LM's state depend on the compass? Every example of the first test specifications is "
                + "turned 1-3 quarters about the grid centre; the LM's own program is forced on the original, the turned "
                + "and another program's spec; per layer, at the spec and at the action positions, the distance moved "
                + "under the turn over that under the swap, with 95%% bootstrap intervals over programs, in the trained "
                + "LM and in a random-init LM of the same shape (the control).")
final class TurnedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, description = "run folder")
    Path run;

    @Option(names = "--out", required = true, description = "CSV to write")
    Path out;

    @Option(names = "--checkpoint", description = "checkpoint step or last (default: ${DEFAULT-VALUE})")
    String checkpoint = "last";

    @Option(names = "--samples", description = "test programs (default: ${DEFAULT-VALUE})")
    int samples = 500;

    @Option(names = "--resamples", description = "bootstrap resamples (default: ${DEFAULT-VALUE})")
    int resamples = 1000;

    @Option(names = "--seed", description = "seed of the turns and the bootstrap (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--random-init", paramLabel = "SEED", description = "seed of the random-init control LM "
            + "(default: ${DEFAULT-VALUE}; negative: no control)")
    long randomInit = 7;

    @Override
    public Integer call() {
        TurnedSpec.Options o = new TurnedSpec.Options(checkpoint, samples, resamples, seed, randomInit < 0 ? null : randomInit);
        var t = TurnedSpec.run(run, o, out, System.out);
        spec.commandLine().getOut().printf("%d rows in %s%n", t.rowCount(), out);
        return 0;
    }
}
