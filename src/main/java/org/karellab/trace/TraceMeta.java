package org.karellab.trace;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.karellab.world.KarelException;

/**
 * {@code meta.json} of a trace folder: which run, checkpoint (with its SHA-256), data and split
 * made it, the layers stored, and the label columns' semantics and offsets.
 *
 * @param formatVersion {@link #FORMAT_VERSION} when written; folders of another version do not
 *     open (regenerate them). Version 1 (no field in meta.json) named its layers {@code embed},
 *     {@code blocks.i.resid_post}, {@code final}; version 2 uses the names of
 *     {@link org.karellab.lm.Gpt#hiddenNames(int)}
 * @param run absolute path of the run folder
 * @param checkpoint checkpoint file name, e.g. {@code step-001000.ckpt}
 * @param step its training step
 * @param checkpointSha256 SHA-256 of the checkpoint file
 * @param config the run's config JSON
 * @param data absolute path of the dataset folder
 * @param split split traced
 * @param programs programs traced (rows of {@code programs.csv})
 * @param rows rows of every layer file and of {@code labels.csv}: one per generated action
 * @param dModel width of every hidden state
 * @param layers layer names, each stored as {@code states/NAME.npy} (and {@code random/NAME.npy}
 *     when {@code randomInitSeed} is set), see {@link Tracer#layers(int)}; {@code mean} is the mean
 *     of {@code blocks.0.resid_pre} (the embedding sum) and every {@code blocks.i.resid_post}, the
 *     reference's probe input
 * @param semantics semantics of the label columns
 * @param offsets action offsets of the label columns (-2 = two actions earlier)
 * @param randomInitSeed seed of the randomly initialised model of the same shape whose states are
 *     under {@code random/} (teacher-forced on the same generated programs), or null
 */
@JsonPropertyOrder({"formatVersion", "run", "checkpoint", "step", "checkpointSha256", "config", "data", "split", "programs", "rows",
        "dModel", "layers", "semantics", "offsets", "randomInitSeed"})
public record TraceMeta(int formatVersion, String run, String checkpoint, long step, String checkpointSha256, String config, String data,
        String split, int programs, long rows, int dModel, List<String> layers, List<String> semantics,
        List<Integer> offsets, Long randomInitSeed) {

    public static final String FILE = "meta.json";
    /** The version of the trace folders this kit writes and reads. */
    public static final int FORMAT_VERSION = 2;
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new KarelException("cannot write trace meta: " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code dir/meta.json}.
     *
     * @throws KarelException when it is missing or unreadable, or of another format version (an
     *     older kit's folder: regenerate it)
     */
    public static TraceMeta read(Path dir) {
        TraceMeta m = readAnyVersion(dir);
        if (m.formatVersion() != FORMAT_VERSION) {
            throw new KarelException(dir + ": trace folder of format version " + Math.max(1, m.formatVersion())
                    + (m.formatVersion() < FORMAT_VERSION ? " (layers named embed/final)" : "")
                    + ", this kit reads version " + FORMAT_VERSION + ": regenerate it (delete it and trace again)");
        }
        return m;
    }

    /** Reads {@code dir/meta.json} whatever its format version (0 when it has none: version 1). */
    public static TraceMeta readAnyVersion(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new KarelException(dir + ": not a trace folder (no " + FILE + ")");
        }
        try {
            return JSON.readValue(f.toFile(), TraceMeta.class);
        } catch (IOException e) {
            throw new KarelException(f + ": unreadable trace meta: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
