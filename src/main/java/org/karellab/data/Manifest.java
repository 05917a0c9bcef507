package org.karellab.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import org.karellab.world.KarelException;

/**
 * {@code manifest.json} of a dataset folder: what made it (config and seed) and, per split, its
 * file, record count, size and SHA-256, and its program-length histogram. No time stamps: the
 * same config gives the same bytes.
 *
 * @param kind always {@value #KIND}
 * @param formatVersion version of the split file format
 * @param generator how the data came to be: {@code "generate"} or {@code "import"}
 * @param config the generation config (for imported data: the sizes and lengths found, and the
 *     reference's distribution parameters, which the files do not record)
 * @param sources for imported data: split name -> the file it came from and its SHA-256
 * @param splits split name -> its file entry, in generation order
 */
@JsonPropertyOrder({"kind", "formatVersion", "generator", "config", "sources", "splits"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(String kind, int formatVersion, String generator, GenConfig config,
        Map<String, String> sources, Map<String, SplitEntry> splits) {

    public static final String KIND = "karel-lab-dataset";
    public static final String FILE = "manifest.json";

    /** One split file. */
    @JsonPropertyOrder({"file", "count", "bytes", "sha256", "lengths"})
    public record SplitEntry(String file, int count, long bytes, String sha256, SortedMap<Integer, Integer> lengths) {
    }

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new KarelException("cannot write manifest: " + e.getMessage(), e);
        }
    }

    public static Manifest read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new KarelException(dir + ": not a dataset folder (no " + FILE + ")");
        }
        Manifest m;
        try {
            m = JSON.readValue(f.toFile(), Manifest.class);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new KarelException(f + ": unreadable manifest: " + msg, e);
        } catch (KarelException e) {
            throw e.at(f.toString());
        }
        if (!KIND.equals(m.kind()) || m.splits() == null || m.config() == null) {
            throw new KarelException(f + ": not a Karel Lab dataset manifest (kind '" + m.kind() + "')");
        }
        return m;
    }
}
