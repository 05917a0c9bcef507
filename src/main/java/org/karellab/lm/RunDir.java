package org.karellab.lm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
     * @param data           the dataset folder, relative to the run folder when written by this
     *                       version (so a run moved together with its data keeps it); an absolute
     *                       path in runs bound before
     * @param manifestSha256 SHA-256 of its manifest.json
     * @param dataAbsolute   the dataset folder's absolute path when the run was bound (null in old
     *                       runs): found there if the run moved without its data
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Info(String data, String manifestSha256, String dataAbsolute) {
    }

    /** Records {@code data} as the run's dataset, or checks that it is the one recorded. */
    public static void bind(Path run, Path data) {
        Path absolute = data.toAbsolutePath().normalize();
        String relative;
        try {
            relative = run.toAbsolutePath().normalize().relativize(absolute).toString();
        } catch (IllegalArgumentException e) {
            relative = absolute.toString(); // another file system root: no relative path exists
        }
        Info now = new Info(relative, Dataset.sha256(data.resolve(Manifest.FILE)), absolute.toString());
        Path f = run.resolve(FILE);
        if (Files.isRegularFile(f)) {
            Info was = info(run);
            if (!was.manifestSha256().equals(now.manifestSha256())) {
                throw new KarelException(run + ": was trained on " + was.data() + ", not on " + absolute
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
            Info i = JSON.readValue(f.toFile(), Info.class);
            if (i.data() == null || i.manifestSha256() == null) {
                throw new KarelException(f + ": lacks data or manifestSha256");
            }
            return i;
        } catch (IOException e) {
            throw new KarelException(f + ": unreadable: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /**
     * The run's dataset folder: where {@code run.json} says, relative to the run (or absolute, in
     * runs bound before paths were relative); else where it was when the run was bound; else a
     * folder of the same name beside the run. Only a folder whose manifest is the recorded one
     * counts.
     *
     * @throws KarelException naming every place looked at when none holds the dataset
     */
    public static Path data(Path run) {
        Info info = info(run);
        Path recorded = Path.of(info.data());
        List<Path> candidates = new ArrayList<>();
        candidates.add(run.toAbsolutePath().normalize().resolve(recorded).normalize());
        if (info.dataAbsolute() != null) {
            candidates.add(Path.of(info.dataAbsolute()));
        }
        Path parent = run.toAbsolutePath().normalize().getParent();
        if (parent != null && recorded.getFileName() != null) {
            candidates.add(parent.resolve(recorded.getFileName()));
        }
        List<String> looked = new ArrayList<>();
        for (Path c : candidates.stream().distinct().toList()) {
            Path manifest = c.resolve(Manifest.FILE);
            if (!Files.isRegularFile(manifest)) {
                looked.add(c + " (missing)");
            } else if (!Dataset.sha256(manifest).equals(info.manifestSha256())) {
                looked.add(c + " (another dataset: its manifest differs)");
            } else {
                return c;
            }
        }
        throw new KarelException(run + ": its dataset is missing: run.json names " + info.data() + " with manifest sha256 "
                + info.manifestSha256() + "; looked at " + String.join(", ", looked)
                + "; move the dataset back there, or beside the run");
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
