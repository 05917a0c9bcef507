package org.karellab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.karellab.data.DataBench;
import org.karellab.lm.Bench;
import org.karellab.lm.LmConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure throughput on this machine and print a table.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--samples", description = "programs to generate (default: ${DEFAULT-VALUE}, the paper's 520,000)")
    int samples = 520_000;

    @Option(names = "--threads", description = "generator threads (default: all cores, ${DEFAULT-VALUE})")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--lm-profile", description = "LM profile whose training throughput is measured (default: ${DEFAULT-VALUE}; 'none' to skip)")
    String lmProfile = "cpu";

    @Option(names = "--lm-steps", description = "timed training steps (default: ${DEFAULT-VALUE})")
    int lmSteps = 15;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a field of the LM profile (repeatable), e.g. encoding=grid batchSize=256")
    List<String> sets = List.of();

    @Override
    public Integer call() {
        List<DataBench.Row> rows = new ArrayList<>();
        DataBench.execution(200_000); // warm-up
        rows.add(DataBench.execution(2_000_000));
        rows.add(DataBench.generation(samples, threads));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-10s %14s  %-10s %s%n", "what", "value", "unit", "setting");
        for (DataBench.Row r : rows) {
            out.printf("%-10s %,14.0f  %-10s %s%n", r.what(), r.value(), r.unit(), r.note());
        }
        if (!lmProfile.equals("none")) {
            Bench.Result b = Bench.run(LmConfig.profile(lmProfile).withAll(Overrides.parse(sets)), 3, lmSteps);
            out.println();
            out.println("LM training, profile " + lmProfile + (sets.isEmpty() ? "" : " with " + sets)
                    + " (synthetic batches shaped like its encoding), libtorch threads from "
                    + "-Dai.djl.pytorch.num_threads (set it to the cores you have; 2 here):");
            out.print(b.table());
            out.printf("| reference: PyTorch-in-Python loop, same model, this machine | 206 samples/s |%n");
        }
        return 0;
    }
}
