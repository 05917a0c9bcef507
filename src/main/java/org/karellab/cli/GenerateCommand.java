package org.karellab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.karellab.data.GenConfig;
import org.karellab.data.Generator;
import org.karellab.data.LengthRange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a dataset folder (train/val/test split files and manifest.json) with the "
                + "reference's distribution. The same seed and options give byte-identical files for any --threads.")
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "folder to create (must not exist, or be empty)")
    Path out;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = GenConfig.defaults().seed();

    @Option(names = "--train", description = "train programs (default: ${DEFAULT-VALUE})")
    int train = GenConfig.defaults().train();

    @Option(names = "--val", description = "validation programs (default: ${DEFAULT-VALUE})")
    int val = GenConfig.defaults().val();

    @Option(names = "--test", description = "test programs (default: ${DEFAULT-VALUE})")
    int test = GenConfig.defaults().test();

    @Option(names = "--train-lengths", description = "train program lengths MIN-MAX (default: ${DEFAULT-VALUE})")
    String trainLengths = GenConfig.defaults().trainLengths().toString();

    @Option(names = "--eval-lengths", description = "val/test program lengths MIN-MAX (default: ${DEFAULT-VALUE})")
    String evalLengths = GenConfig.defaults().evalLengths().toString();

    @Option(names = "--dedup", description = "keep every program string in at most one split")
    boolean dedup;

    @Option(names = "--threads", description = "worker threads (default: all cores, ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() {
        GenConfig cfg = GenConfig.builder().optSeed(seed).optTrain(train).optVal(val).optTest(test)
                .optTrainLengths(LengthRange.parse(trainLengths)).optEvalLengths(LengthRange.parse(evalLengths))
                .optDedup(dedup).build();
        Generator.Result r = new Generator(cfg).generate(out, threads, !quiet);
        spec.commandLine().getOut().printf("generated %d programs in %.2f s (%.0f samples/s, %d threads) into %s%n",
                r.samples(), r.seconds(), r.samplesPerSecond(), threads, r.dir());
        return 0;
    }
}
