package org.karellab.lm;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.karellab.data.AtomicFiles;
import org.karellab.data.Dataset;
import org.karellab.data.DatasetFile;
import org.karellab.data.LengthRange;
import org.karellab.data.Split;
import org.karellab.world.KarelException;

/**
 * Everything {@code train} does between the command line and {@link Training}: the config from a
 * profile and overrides (or, on resume, from the run's {@code config.json}), fitted to the
 * encoding; the run bound to its dataset; the training batches. Notebooks call the same method.
 */
public final class TrainRecipe {
    public static final String CONFIG = "config.json";

    private TrainRecipe() {
    }

    /**
     * The run's config: a profile (default cpu) with overrides, fitted to the data: its
     * {@code specExamples} is the dataset's (the sizes the model derives follow).
     *
     * @throws LmException when the overrides set specExamples to another value than the data's
     */
    public static LmConfig config(String profile, Map<String, String> overrides, int specExamples) {
        LmConfig cfg = LmConfig.profile(profile == null ? "cpu" : profile);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            cfg = cfg.with(e.getKey(), e.getValue());
        }
        return fit(cfg, overrides, specExamples);
    }

    private static LmConfig fit(LmConfig cfg, Map<String, String> overrides, int specExamples) {
        if (overrides.containsKey("specExamples") && cfg.model().specExamples() != specExamples) {
            throw new LmException("--set specExamples=" + cfg.model().specExamples() + ": the dataset has "
                    + specExamples + " examples per specification (specExamples comes from the data)");
        }
        return cfg.with("specExamples", Integer.toString(specExamples)).validate();
    }

    public static Training.TrainResult train(Path data, Path run, String profile, Map<String, String> overrides,
            boolean resume, PrintStream log) {
        Dataset d = Dataset.open(data, true);
        try (d) {
            int specExamples = d.config().specExamples();
            LmConfig cfg;
            Path saved = run.resolve(CONFIG);
            if (resume && profile == null && Files.isRegularFile(saved)) {
                cfg = LmConfig.fromJson(read(saved)).withAll(overrides);
                if (cfg.model().specExamples() != specExamples) {
                    throw new LmException(saved + ": specExamples " + cfg.model().specExamples() + ", but the dataset has "
                            + specExamples);
                }
            } else {
                cfg = config(profile, overrides, specExamples);
            }
            if (resume && !Files.isDirectory(Checkpoint.directory(run))) {
                throw new LmException("--resume: no checkpoint in " + Checkpoint.directory(run));
            }
            // the data first: a dataset that cannot feed this config leaves no run folder behind
            SpecEncoding enc = SpecEncoding.byName(cfg.model().encoding());
            int batchSize = cfg.data().batchSize();
            DatasetFile val = d.split(Split.VAL);
            List<Batch> validation = cfg.run().valSamples() > 0 && val.size() > 0
                    ? TrainData.validationBatches(val, enc, specExamples, cfg.run().valSamples(), batchSize)
                    : List.of();
            TrainData batches = new TrainData(d.split(Split.TRAIN), enc, specExamples, batchSize, cfg.model().seed(),
                    Curriculum.parse(cfg.data().curriculum()), cfg.run().steps(), lengths(cfg.data().trainLengths()),
                    validation);
            RunDir.bind(run, data);
            AtomicFiles.writeString(saved, cfg.toJson() + "\n");
            return Training.train(cfg, batches, run, resume, log);
        }
    }

    /** {@code all} (every length of the split) or a range. */
    static LengthRange lengths(String text) {
        return text.equals("all") ? null : LengthRange.parse(text);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new KarelException(f + ": cannot read: " + e.getMessage(), e);
        }
    }
}
