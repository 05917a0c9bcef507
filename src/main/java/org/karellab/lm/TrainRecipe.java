package org.karellab.lm;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.karellab.data.AtomicFiles;
import org.karellab.data.Dataset;
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

    /** The run's config: a profile (default cpu) with overrides, fitted to its encoding and the data. */
    public static LmConfig config(String profile, Map<String, String> overrides, int specExamples) {
        LmConfig cfg = LmConfig.profile(profile == null ? "cpu" : profile);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            cfg = cfg.with(e.getKey(), e.getValue());
        }
        return SpecEncoding.byName(cfg.encoding()).fit(cfg, specExamples).validate();
    }

    public static Training.TrainResult train(Path data, Path run, String profile, Map<String, String> overrides,
            boolean resume, PrintStream log) {
        Dataset d = Dataset.open(data, true);
        try (d) {
            int specExamples = d.config().specExamples();
            LmConfig cfg;
            Path saved = run.resolve(CONFIG);
            if (resume && profile == null && Files.isRegularFile(saved)) {
                cfg = LmConfig.fromJson(read(saved)).withAll(overrides).validate();
            } else {
                cfg = config(profile, overrides, specExamples);
            }
            if (resume && !Files.isDirectory(Checkpoint.directory(run))) {
                throw new LmException("--resume: no checkpoint in " + Checkpoint.directory(run));
            }
            RunDir.bind(run, data);
            AtomicFiles.writeString(saved, cfg.toJson() + "\n");
            SpecEncoding enc = SpecEncoding.byName(cfg.encoding());
            TrainData batches = new TrainData(d.split(Split.TRAIN), enc, specExamples, cfg.batchSize(), cfg.seed(),
                    Curriculum.parse(cfg.curriculum()), cfg.steps(), lengths(cfg.trainLengths()));
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
