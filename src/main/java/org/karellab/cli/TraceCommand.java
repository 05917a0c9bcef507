package org.karellab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.karellab.data.Dataset;
import org.karellab.data.Split;
import org.karellab.lm.Checkpoint;
import org.karellab.lm.RunDir;
import org.karellab.trace.TraceMeta;
import org.karellab.trace.Tracer;
import org.karellab.world.Semantics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Record the LM's hidden states while it writes programs for a split, with state labels under "
                + "each semantics and offset. With --checkpoint all, one folder per checkpoint under OUT/step-NNNNNN.")
final class TraceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RunSelection runs;

    @Option(names = "--semantics", split = org.karellab.world.Semantics.LIST_SPLIT, description = "label semantics; a mapping a=b,b=a is one entry, two in a row are separated by ; (default: original,flip,adversarial)")
    List<String> semantics = List.of("original", "flip", "adversarial");

    @Option(names = "--random-init", paramLabel = "SEED",
            description = "also record a randomly initialised model of the same shape (a probing baseline)")
    Long randomInit;

    @Option(names = "--out", required = true, description = "trace folder to create")
    Path out;

    @Override
    public Integer call() {
        List<Path> ckpts = RunDir.checkpoints(runs.run, runs.checkpoint);
        List<Semantics> sems = semantics.stream().map(Semantics::parse).toList();
        Tracer.Options base = Tracer.Options.of(Split.byName(runs.split), runs.limit);
        Tracer.Options o = new Tracer.Options(base.split(), runs.limit, sems, base.offsets(), randomInit, base.batchSize());
        try (Dataset d = Dataset.open(RunDir.data(runs.run), false)) {
            for (Path c : ckpts) {
                Path dir = ckpts.size() == 1 ? out : out.resolve(String.format("step-%06d", Checkpoint.stepOf(c)));
                TraceMeta m = Tracer.trace(runs.run, c, d, o, dir);
                spec.commandLine().getOut().printf("traced %d programs, %d actions at step %d into %s%n",
                        m.programs(), m.rows(), m.step(), dir);
            }
        }
        return 0;
    }
}
