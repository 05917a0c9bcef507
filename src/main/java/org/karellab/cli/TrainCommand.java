package org.karellab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.karellab.lm.Training;
import org.karellab.lm.TrainRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the language model on a dataset's train split. Checkpoints go to RUN/checkpoints, "
                + "a row per logging interval to RUN/metrics.csv; ends by printing 'final weights sha256 HEX'.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "dataset folder (made by generate or import)")
    Path data;

    @Option(names = "--out", required = true, description = "run folder")
    Path out;

    @Option(names = "--profile", description = "smoke, cpu (default), cpu-abs or paper")
    String profile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one config field (repeatable)")
    List<String> sets = List.of();

    @Option(names = "--resume", description = "continue from the newest complete checkpoint of RUN")
    boolean resume;

    @Override
    public Integer call() {
        Map<String, String> overrides = Overrides.parse(sets);
        Training.TrainResult r = TrainRecipe.train(data, out, profile, overrides, resume, System.out);
        spec.commandLine().getOut().flush();
        return r == null ? 1 : 0;
    }
}
