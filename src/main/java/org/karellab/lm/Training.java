package org.karellab.lm;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.karellab.data.AtomicFiles;

/**
 * The training loop: AdamW on next-token cross-entropy, with checkpoints, resume, a progress bar
 * and {@code RUN/metrics.csv}. One step, as nanoGPT's:
 * <pre>
 *   loss = model.loss(data.batch(step))      // forward, mean cross-entropy over program tokens
 *   loss.backward()                          // inside a GradientCollector
 *   gradNorm = optimizer.update()            // clip, AdamW, zero the gradients
 * </pre>
 *
 * <p>metrics.csv has a row every {@code logEvery} steps: {@value #METRICS_HEADER}. {@code loss}
 * and {@code grad_norm} (before clipping) are means over the interval's steps; {@code val_loss}
 * is the loss on the source's fixed {@link BatchSource#validation() validation batches} at the
 * row's step (empty when there are none).
 *
 * <p>Reproducibility: the data of step {@code k} is {@code data.batch(k)}, dropout reseeds from
 * (seed, k) before every step, initialisation draws from the seed, and libtorch runs a fixed
 * number of threads; so a run interrupted and resumed from a checkpoint with the same config
 * (threads and {@code matmulPrecision} included) ends with exactly the weights of an uninterrupted
 * run. The validation loss draws no random numbers and changes no
 * weight, so it leaves the weights bit-identical to a run without it.
 */
public final class Training {
    static final String METRICS_HEADER = "step,epoch,loss,lr,samples_per_s,val_loss,grad_norm";
    /** metrics.csv's header before val_loss and grad_norm existed; resumed runs pad its rows */
    private static final String OLD_METRICS_HEADER = "step,epoch,loss,lr,samples_per_s";

    private Training() {
    }

    /**
     * What a finished run reports.
     *
     * @param steps            optimizer steps done (cfg.steps)
     * @param finalLoss        mean loss over the last logging interval (NaN if no step ran)
     * @param weightsSha256    {@link Gpt#weightsSha256()} of the final weights
     * @param lastCheckpoint   the checkpoint of the last step
     * @param samplesPerSecond training throughput of this invocation (NaN if no step ran)
     */
    public record TrainResult(long steps, double finalLoss, String weightsSha256, Path lastCheckpoint,
                              double samplesPerSecond) {
    }

    /**
     * What one optimizer step reports.
     *
     * @param loss     the batch's mean loss
     * @param gradNorm the global gradient norm before clipping ({@link AdamW#update})
     */
    public record Step(float loss, float gradNorm) {
    }

    /**
     * Trains {@code cfg.steps} steps into {@code runDir}, writing {@code runDir/checkpoints/} and
     * {@code runDir/metrics.csv}. A resumed run trains with {@code cfg} and logs the keys that
     * differ from the checkpoint's config.
     *
     * @param resume continue from the newest complete checkpoint of {@code runDir}; without it,
     *               {@code runDir} must have no checkpoints yet
     * @throws LmException when there is nothing to resume, or a fresh run would overwrite one
     */
    public static TrainResult train(LmConfig cfg, BatchSource data, Path runDir, boolean resume, PrintStream log) {
        cfg.validate();
        Device device = Devices.device(cfg);
        return MatmulPrecision.during(cfg.hardware().matmulPrecision(), () -> train(cfg, data, runDir, resume, log, device));
    }

    private static TrainResult train(LmConfig cfg, BatchSource data, Path runDir, boolean resume, PrintStream log,
            Device device) {
        int threads = Devices.threads();
        log.println("config: " + cfg.toJson());
        log.printf(Locale.ROOT, "model: %,d parameters; device %s, %d libtorch threads, float32 matmul precision %s%n",
                cfg.model().parameterCount(), device, threads, cfg.hardware().matmulPrecision());
        List<Batch> validation = data.validation();
        int valPrograms = validation.stream().mapToInt(Batch::size).sum();
        log.println(validation.isEmpty() ? "val_loss: none (no validation batches)"
                : "val_loss: on " + valPrograms + " fixed programs of the val split, every " + cfg.run().logEvery() + " steps");

        Checkpoint.Loaded restored = resume ? newestComplete(runDir, log) : null;
        if (!resume && !Checkpoint.list(runDir).isEmpty()) {
            throw new LmException(runDir + " already has checkpoints: pass --resume or use a new run directory");
        }
        Gpt model;
        AdamW optimizer;
        long start;
        if (restored == null) {
            model = Gpt.create(cfg.model(), device);
            optimizer = new AdamW(cfg, model);
            start = 0;
            Checkpoint.save(Checkpoint.file(runDir, 0), cfg, 0, model, optimizer);
        } else {
            try (restored) {
                if (restored.step() > cfg.run().steps()) {
                    throw new LmException("--resume: " + restored.file() + " is past the run's last step " + cfg.run().steps());
                }
                restored.config().differences(cfg).forEach(d -> log.println("note: config changed since the checkpoint: " + d));
                model = Gpt.create(cfg.model(), device, restored.weights());
                optimizer = new AdamW(cfg, model, restored.optimizer(), restored.step());
                start = restored.step();
            }
            log.println("resuming from " + restored.file() + " at step " + start);
        }

        Path metrics = openMetrics(runDir.resolve("metrics.csv"), start);
        long steps = cfg.run().steps();
        int batchSize = cfg.data().batchSize();
        long every = checkpointInterval(cfg);
        double intervalLoss = 0;
        double intervalGradNorm = 0;
        double lastLoss = Double.NaN;
        int intervalSteps = 0;
        long intervalStart = System.nanoTime();
        long runStart = intervalStart;
        double samplesPerSecond = Double.NaN;
        ProgressBarBuilder bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).startsFrom(start, Duration.ZERO);
        try (model) {
            try (ProgressBar progress = bar.build()) {
                for (long step = start; step < steps; step++) {
                    Step s = step(model, optimizer, data.batch(step), step);
                    intervalLoss += s.loss();
                    intervalGradNorm += s.gradNorm();
                    intervalSteps++;
                    long done = step + 1;
                    progress.stepTo(done);

                    if (done % cfg.run().logEvery() == 0 || done == steps) {
                        long now = System.nanoTime();
                        samplesPerSecond = (double) intervalSteps * batchSize / ((now - intervalStart) / 1e9);
                        lastLoss = intervalLoss / intervalSteps;
                        double epoch = (double) done * batchSize / data.samplesPerEpoch();
                        double valLoss = validation.isEmpty() ? Double.NaN : loss(model, validation);
                        appendMetrics(metrics, String.format(Locale.ROOT, "%d,%.4f,%.6f,%.3e,%.1f,%s,%.4f",
                                done, epoch, lastLoss, AdamW.learningRate(cfg, step), samplesPerSecond,
                                Double.isNaN(valLoss) ? "" : String.format(Locale.ROOT, "%.6f", valLoss),
                                intervalGradNorm / intervalSteps));
                        progress.setExtraMessage(String.format(Locale.ROOT, "loss %.4f%s, %.0f samples/s", lastLoss,
                                Double.isNaN(valLoss) ? "" : String.format(Locale.ROOT, ", val %.4f", valLoss),
                                samplesPerSecond));
                        intervalLoss = 0;
                        intervalGradNorm = 0;
                        intervalSteps = 0;
                        intervalStart = System.nanoTime(); // the val loss's time is not training time
                    }
                    if (done % every == 0 || done == steps) {
                        Checkpoint.save(Checkpoint.file(runDir, done), cfg, done, model, optimizer);
                    }
                }
            }
            if (steps > start) {
                samplesPerSecond = (double) (steps - start) * batchSize / ((System.nanoTime() - runStart) / 1e9);
            }
            String sha = model.weightsSha256();
            log.printf(Locale.ROOT, "done: %d steps, final loss %.4f, %.1f samples/s%n", steps, lastLoss, samplesPerSecond);
            log.println("final weights sha256 " + sha);
            return new TrainResult(steps, lastLoss, sha, Checkpoint.file(runDir, steps), samplesPerSecond);
        }
    }

    /**
     * One optimizer step on one batch: forward, backward, AdamW update. Dropout is seeded from
     * (seed, step).
     */
    public static Step step(Gpt model, AdamW optimizer, Batch batch, long step) {
        Engine.getInstance().setRandomSeed(Long.hashCode(model.config().seed() * 0x9E3779B97F4A7C15L + step));
        try (NDManager scope = model.newScope()) {
            NDArray loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                loss = model.loss(scope, batch, true);
                collector.backward(loss);
            }
            float gradNorm = optimizer.update(scope);
            return new Step(loss.getFloat(), gradNorm);
        }
    }

    /**
     * Mean loss per target token over {@code batches}, without dropout and without gradients: it
     * draws no random numbers and changes nothing, so training continues exactly as without it.
     */
    public static double loss(Gpt model, List<Batch> batches) {
        double sum = 0;
        long targets = 0;
        for (Batch b : batches) {
            try (NDManager scope = model.newScope()) {
                sum += (double) model.loss(scope, b, false).getFloat() * b.targetCount();
                targets += b.targetCount();
            }
        }
        return targets == 0 ? Double.NaN : sum / targets;
    }

    /** Steps between checkpoints, so that a run writes about cfg.checkpoints of them. */
    public static long checkpointInterval(LmConfig cfg) {
        return Math.max(1, (cfg.run().steps() + cfg.run().checkpoints() - 1) / cfg.run().checkpoints());
    }

    /** The newest checkpoint that reads back whole, saying so when it has to skip a broken one. */
    private static Checkpoint.Loaded newestComplete(Path runDir, PrintStream log) {
        List<Path> files = Checkpoint.list(runDir);
        if (files.isEmpty()) {
            throw new LmException("--resume: no checkpoint in " + Checkpoint.directory(runDir));
        }
        for (int i = files.size() - 1; i >= 0; i--) {
            try {
                return Checkpoint.read(files.get(i));
            } catch (LmException e) {
                log.println(e.getMessage() + (i > 0 ? "; falling back to the previous checkpoint" : ""));
            }
        }
        throw new LmException("--resume: no complete checkpoint in " + Checkpoint.directory(runDir));
    }

    /**
     * Prepares metrics.csv for appending: a fresh run starts it with the header; a resumed run
     * keeps the rows up to its start step and drops later ones (written after that checkpoint).
     * Rows of a run begun before val_loss and grad_norm existed get those columns empty.
     */
    private static Path openMetrics(Path file, long start) {
        try {
            Files.createDirectories(file.getParent());
            List<String> lines = start > 0 && Files.exists(file) ? Files.readAllLines(file) : List.of();
            boolean old = !lines.isEmpty() && lines.get(0).equals(OLD_METRICS_HEADER);
            StringBuilder text = new StringBuilder(METRICS_HEADER).append('\n');
            for (String l : lines) {
                if (!l.isBlank() && !l.startsWith("step,") && Long.parseLong(l.substring(0, l.indexOf(','))) <= start) {
                    text.append(l).append(old ? ",," : "").append('\n');
                }
            }
            AtomicFiles.writeString(file, text.toString());
            return file;
        } catch (IOException | RuntimeException e) {
            throw new LmException(file + ": cannot prepare metrics: " + e.getMessage(), e);
        }
    }

    private static void appendMetrics(Path file, String row) {
        try {
            Files.writeString(file, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new LmException(file + ": cannot append metrics: " + e.getMessage(), e);
        }
    }
}
