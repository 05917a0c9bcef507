package org.karellab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.karellab.analysis.Reproduce;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "The main job: generate, train, evaluate every checkpoint, trace, sweep the probes, then execute "
                + "every notebook into OUT/notebooks (with HTML) and save each figure to OUT/figures. Re-run after an "
                + "interruption, it continues where it stopped.")
final class ReproduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--profile", description = "cpu (default), cpu-abs (absolute frame), smoke, or paper (the reference's setting; for a GPU)")
    String profile = "cpu";

    @Option(names = "--out", description = "output folder (default: runs/PROFILE)")
    Path out;

    @Option(names = "--notebooks", description = "folder of the notebooks to execute (default: ${DEFAULT-VALUE})")
    Path notebooks = Path.of("notebooks");

    @Option(names = "--no-notebooks", description = "stop after the probing sweep")
    boolean noNotebooks;

    @Override
    public Integer call() {
        Path dir = out != null ? out : Path.of("runs", profile);
        long t0 = System.nanoTime();
        Reproduce.pipeline(Reproduce.Recipe.named(profile), dir, System.out);
        if (!noNotebooks) {
            Reproduce.notebooks(notebooks, dir, System.out);
        }
        spec.commandLine().getOut().printf("reproduce %s: done in %.1f minutes, outputs in %s%n", profile,
                (System.nanoTime() - t0) / 6e10, dir);
        return 0;
    }
}
