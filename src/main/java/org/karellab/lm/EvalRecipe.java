package org.karellab.lm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.karellab.data.Dataset;
import org.karellab.data.ProgramSet;
import org.karellab.data.Sample;
import org.karellab.data.Split;
import org.karellab.world.KarelException;

/**
 * What {@code eval} does: load the chosen checkpoints of a run, score each on a split of the
 * run's dataset (or on a reference JSONL file), and merge the rows into the run's eval table and
 * the per-program rows into the table beside it ({@link Evaluation#programsCsv}).
 * Programs are told seen or unseen against the run's training split (see {@link Evaluation}).
 */
public final class EvalRecipe {
    private EvalRecipe() {
    }

    /**
     * @param checkpoint a step number, {@code last} or {@code all}
     * @param file a reference JSONL file to score instead of {@code split}, or null
     * @param onAll called with each checkpoint's {@code all} row as it is done
     * @return every row written
     */
    public static List<EvalRow> evaluate(Path run, String checkpoint, String split, Path file, int limit, int batch,
            Consumer<EvalRow> onAll) {
        if (file != null && stem(file).endsWith("programs")) {
            throw new KarelException("--file " + file + ": a name ending in 'programs' would share its table's name "
                    + "with a per-program table; rename the file");
        }
        List<Path> checkpoints = RunDir.checkpoints(run, checkpoint);
        Path csv = run.resolve(file != null ? "eval-" + stem(file) + ".csv"
                : split.equals("test") ? Evaluation.CSV : "eval-" + split + ".csv");
        List<EvalRow> all = new ArrayList<>();
        try (Dataset d = Dataset.open(RunDir.data(run), false)) {
            int specExamples = d.config().specExamples();
            List<Sample> samples = file != null ? Evaluation.samples(file, limit)
                    : Evaluation.samples(d.split(Split.byName(split)), limit);
            ProgramSet train = null;  // built once, with the first model's training lengths
            for (Path ckpt : checkpoints) {
                Evaluation.Result r;
                try (Gpt model = Checkpoint.loadModel(ckpt)) {
                    if (train == null) {
                        train = Evaluation.trainPrograms(d, Checkpoint.config(ckpt));
                    }
                    r = Evaluation.evaluate(model, Checkpoint.stepOf(ckpt), samples, specExamples, batch, train);
                }
                r.mergeInto(csv);
                onAll.accept(r.all());
                all.addAll(r.rows());
            }
        }
        return all;
    }

    private static String stem(Path f) {
        String n = f.getFileName().toString();
        int dot = n.indexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
