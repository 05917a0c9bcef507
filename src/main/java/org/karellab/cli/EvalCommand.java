package org.karellab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.karellab.lm.EvalRow;
import org.karellab.lm.Evaluation;
import org.karellab.lm.EvalRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Score checkpoints: the model writes a program for each specification, the programs are run "
                + "on every input. Rows per checkpoint and program length go to RUN/eval.csv "
                + "(RUN/eval-NAME.csv for --file NAME), with accuracy also on the programs that do not occur in "
                + "the run's training split (unseen_n, unseen_accuracy, unseen_generalization, seen_share). "
                + "A row per program (what was written, correct or not) goes beside it, to RUN/eval-programs.csv "
                + "(RUN/eval-NAME-programs.csv), so two runs scored on one split compare program by program.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RunSelection runs;

    @Option(names = "--file", description = "a reference-format JSONL file to score instead of a split")
    Path file;

    @Option(names = "--batch", description = "programs per decoding batch (default: ${DEFAULT-VALUE})")
    int batch = 256;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<EvalRow> rows = EvalRecipe.evaluate(runs.run, runs.checkpoint, runs.split, file, runs.limit, batch,
                r -> out.printf("step %d: accuracy %.3f, generalization %.3f, exact %.3f, perplexity %.3f (n=%d); "
                        + "unseen in train: accuracy %.3f, generalization %.3f (n=%d, %.1f%% of programs seen)%n",
                        r.step(), r.accuracy(), r.generalization(), r.exactMatch(), r.perplexity(), r.n(),
                        r.unseenAccuracy(), r.unseenGeneralization(), r.unseenN(), 100 * r.seenShare()));
        out.println(Evaluation.table(rows).where(
                Evaluation.table(rows).longColumn("step").isEqualTo(rows.get(rows.size() - 1).step())).print());
        return 0;
    }
}
