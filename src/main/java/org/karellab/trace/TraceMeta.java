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
 *     when {@code randomInitSeed} is set); {@code mean} is the mean of {@code embed} and every
 *     {@code blocks.i.resid_post}, the reference's probe input
 * @param semantics semantics of the label columns
 * @param offsets action offsets of the label columns (-2 = two actions earlier)
 * @param randomInitSeed seed of the randomly initialised model of the same shape whose states are
 *     under {@code random/} (teacher-forced on the same generated programs), or null
 */
@JsonPropertyOrder({"run", "checkpoint", "step", "checkpointSha256", "config", "data", "split", "programs", "rows",
        "dModel", "layers", "semantics", "offsets", "randomInitSeed"})
public record TraceMeta(String run, String checkpoint, long step, String checkpointSha256, String config, String data,
        String split, int programs, long rows, int dModel, List<String> layers, List<String> semantics,
        List<Integer> offsets, Long randomInitSeed) {

    public static final String FILE = "meta.json";
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new KarelException("cannot write trace meta: " + e.getMessage(), e);
        }
    }

    public static TraceMeta read(Path dir) {
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
