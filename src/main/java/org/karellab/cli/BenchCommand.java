package org.karellab.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.karellab.data.DataBench;
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
        return 0;
    }
}
