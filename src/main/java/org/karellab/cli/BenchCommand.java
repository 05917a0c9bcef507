package org.karellab.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.karellab.data.DataBench;
import org.karellab.lm.Bench;
import org.karellab.lm.Gpt;
import org.karellab.lm.LmConfig;
import org.karellab.lm.MatmulPrecision;
import org.karellab.world.KarelException;
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

    @Option(names = "--spec-input", paramLabel = "HOW",
            description = "how spec features enter the model, the same function either way: active (indices of the ones), "
                    + "dense (the float array) or gather (sum of weight columns); default: ${DEFAULT-VALUE}. See docs/performance.md")
    String specInput = "active";

    @Option(names = "--matmul-precision", paramLabel = "P",
            description = "libtorch's float32 matmul precision: highest (default, true float32), high or medium "
                    + "(bfloat16 products on AMX CPUs: faster, different numerics); the same as --set matmulPrecision=P. "
                    + "See docs/performance.md")
    String matmulPrecision;

    @Option(names = "--lm-only", description = "skip the execution and generation measurements")
    boolean lmOnly;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a field of the LM profile (repeatable), e.g. encoding=grid batchSize=256")
    List<String> sets = List.of();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(load("before"));
        Gpt.SpecInput how = specInput(specInput);
        if (!lmOnly) {
            List<DataBench.Row> rows = new ArrayList<>();
            DataBench.execution(200_000); // warm-up
            rows.add(DataBench.execution(2_000_000));
            rows.add(DataBench.generation(samples, threads));
            out.printf("%-10s %14s  %-10s %s%n", "what", "value", "unit", "setting");
            for (DataBench.Row r : rows) {
                out.printf("%-10s %,14.0f  %-10s %s%n", r.what(), r.value(), r.unit(), r.note());
            }
        }
        if (!lmProfile.equals("none")) {
            LmConfig profile = LmConfig.profile(lmProfile).withAll(Overrides.parse(sets));
            LmConfig cfg = matmulPrecision == null ? profile : profile.with("matmulPrecision", matmulPrecision);
            Bench.Result b = MatmulPrecision.during(cfg.hardware().matmulPrecision(), () -> Bench.run(cfg, 3, lmSteps, how));
            out.println();
            out.println("LM training, profile " + lmProfile + (sets.isEmpty() ? "" : " with " + sets)
                    + " (synthetic batches shaped like its encoding), libtorch threads from "
                    + "-Dai.djl.pytorch.num_threads (set it to the cores you have; 2 here):");
            out.print(b.table());
            out.println("float32 matmul precision: " + cfg.hardware().matmulPrecision());
        }
        out.println(load("after"));
        return 0;
    }

    private static Gpt.SpecInput specInput(String name) {
        for (Gpt.SpecInput h : Gpt.SpecInput.values()) {
            if (h.name().equalsIgnoreCase(name)) {
                return h;
            }
        }
        throw new KarelException("--spec-input " + name + ": unknown (known: active, dense, gather)");
    }

    /**
     * The machine's load average: other processes on the cores make every number here smaller,
     * so a measurement is only comparable with one taken at a similar load.
     */
    private static String load(String when) {
        double avg = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "load average (1 min) %s: %s on %d cores", when,
                avg < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", avg), Runtime.getRuntime().availableProcessors());
    }
}
