package org.karellab.lm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.karellab.data.AtomicFiles;
import org.karellab.data.Dataset;
import org.karellab.data.Manifest;
import org.karellab.world.KarelException;

/**
 * A training run's folder: {@code run.json} (which dataset it trains on, and that dataset's
 * manifest checksum), {@code checkpoints/}, {@code metrics.csv}, {@code eval.csv}.
 */
public final class RunDir {
    public static final String FILE = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunDir() {
    }

    /**
     * @param data absolute path of the dataset folder
     * @param manifestSha256 SHA-256 of its manifest.json
     */
    public record Info(String data, String manifestSha256) {
    }

    /** Records {@code data} as the run's dataset, or checks that it is the one recorded. */
    public static void bind(Path run, Path data) {
        Info now = new Info(data.toAbsolutePath().normalize().toString(), Dataset.sha256(data.resolve(Manifest.FILE)));
        Path f = run.resolve(FILE);
        if (Files.isRegularFile(f)) {
            Info was = info(run);
            if (!was.manifestSha256().equals(now.manifestSha256())) {
                throw new KarelException(run + ": was trained on " + was.data() + ", not on " + now.data()
                        + " (manifests differ)");
            }
            return;
        }
        try {
            Files.createDirectories(run);
            AtomicFiles.writeString(f, JSON.writeValueAsString(now) + "\n");
        } catch (IOException e) {
            throw new KarelException(run + ": cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    public static Info info(Path run) {
        Path f = run.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new KarelException(run + ": not a run folder (no " + FILE + ")");
        }
        try {
            return JSON.readValue(f.toFile(), Info.class);
        } catch (IOException e) {
            throw new KarelException(f + ": unreadable: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** The run's dataset folder. */
    public static Path data(Path run) {
        return Path.of(info(run).data());
    }

    /**
     * Checkpoint files chosen by {@code selector}: {@code all}, {@code last}, or a step number.
     */
    public static List<Path> checkpoints(Path run, String selector) {
        info(run);
        List<Path> all = Checkpoint.list(run);
        if (all.isEmpty()) {
            throw new KarelException(run + ": has no checkpoints");
        }
        if (selector.equals("all")) {
            return all;
        }
        if (selector.equals("last")) {
            return List.of(all.get(all.size() - 1));
        }
        long step;
        try {
            step = Long.parseLong(selector);
        } catch (NumberFormatException e) {
            throw new KarelException("--checkpoint '" + selector + "' is not a step number, 'last' or 'all'");
        }
        Path f = Checkpoint.file(run, step);
        if (!Files.isRegularFile(f)) {
            throw new KarelException(run + ": has no checkpoint at step " + step + " (have "
                    + all.stream().map(p -> Long.toString(Checkpoint.stepOf(p))).toList() + ")");
        }
        return List.of(f);
    }
}
