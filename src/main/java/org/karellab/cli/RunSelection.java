package org.karellab.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that read a run's checkpoints on a split of its dataset. */
final class RunSelection {
    @Option(names = "--run", required = true, description = "run folder")
    Path run;

    @Option(names = "--checkpoint", description = "a step number, 'last' (default) or 'all'")
    String checkpoint = "last";

    @Option(names = "--split", description = "train, val or test split of the run's dataset (default: ${DEFAULT-VALUE})")
    String split = "test";

    @Option(names = "--limit", description = "use only the first N programs (default: all)")
    int limit;
}
