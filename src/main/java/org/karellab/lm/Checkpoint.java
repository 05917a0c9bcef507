package org.karellab.lm;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A training checkpoint: {@code RUN/checkpoints/step-000500.ckpt}, holding the config, the step
 * (optimizer updates done), the weights and the AdamW moments. There is no RNG state to save:
 * initialisation draws from the config's seed and dropout reseeds from (seed, step) every step.
 *
 * <p>File layout:
 * <pre>
 *   "KLCKPT01"                      8-byte magic
 *   int n, n bytes                  header JSON: {"step": 500, "config": {...}}
 *   NDList                          weights, named as Gpt.parameters(), DJL's NDList encoding
 *   NDList                          optimizer moments m.NAME..., v.NAME... (AdamW.state())
 *   32 bytes                        SHA-256 of everything above
 * </pre>
 * Files are written to a temporary sibling and renamed into place, so a crash never leaves a
 * half-written file under the final name; the checksum catches truncation or corruption
 * afterwards (disk full, copy cut short), reported as an {@link LmException}.
 */
public final class Checkpoint {
    private static final byte[] MAGIC = "KLCKPT01".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST_BYTES = 32;
    private static final Pattern NAME = Pattern.compile("step-(\\d+)\\.ckpt");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoint() {
    }

    /** What a checkpoint holds; the arrays live on the CPU in a manager closed with this. */
    public record Loaded(Path file, LmConfig config, long step, NDList weights, NDList optimizer, NDManager manager)
            implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
        }
    }

    public static Path directory(Path runDir) {
        return runDir.resolve("checkpoints");
    }

    /** {@code RUN/checkpoints/step-000500.ckpt}. */
    public static Path file(Path runDir, long step) {
        return directory(runDir).resolve(String.format("step-%06d.ckpt", step));
    }

    /** The step a checkpoint file name stands for, or -1 if it is not one. */
    public static long stepOf(Path file) {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /** The run's checkpoint files, oldest step first (without opening them). */
    public static List<Path> list(Path runDir) {
        Path dir = directory(runDir);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> stepOf(f) >= 0)
                    .sorted((a, b) -> Long.compare(stepOf(a), stepOf(b)))
                    .toList();
        } catch (IOException e) {
            throw new LmException(dir + ": cannot list checkpoints: " + e.getMessage(), e);
        }
    }

    /** Writes a checkpoint atomically (temporary file, then rename). */
    public static void save(Path file, LmConfig cfg, long step, Gpt model, AdamW optimizer) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            MessageDigest digest = sha256();
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                DataOutputStream out = new DataOutputStream(new DigestOutputStream(raw, digest));
                out.write(MAGIC);
                ObjectNode header = JSON.createObjectNode();
                header.put("step", step);
                header.set("config", JSON.readTree(cfg.toJson()));
                byte[] headerBytes = JSON.writeValueAsBytes(header);
                out.writeInt(headerBytes.length);
                out.write(headerBytes);
                new NDList(model.parameters().values()).encode(out);
                optimizer.state().encode(out);
                out.flush();
                raw.write(digest.digest());
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write failure is what the user needs to see
            }
            throw new LmException(file + ": cannot write checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and verifies a checkpoint: the arrays are decoded on the CPU.
     *
     * @throws LmException naming the file if it is truncated, corrupt or not a checkpoint
     */
    public static Loaded read(Path file) {
        verifyChecksum(file);
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            DataInputStream data = new DataInputStream(in);
            data.readFully(new byte[MAGIC.length]);
            byte[] headerBytes = new byte[data.readInt()];
            data.readFully(headerBytes);
            JsonNode header = JSON.readTree(headerBytes);
            LmConfig cfg = LmConfig.fromJson(header.get("config").toString());
            long step = header.get("step").asLong();
            NDList weights = NDList.decode(manager, data);
            NDList optimizer = NDList.decode(manager, data);
            return new Loaded(file, cfg, step, weights, optimizer, manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw new LmException(file + ": unreadable checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * The config in a checkpoint's header, without reading its arrays or verifying its checksum
     * (for provenance records; {@link #read} verifies).
     */
    public static LmConfig config(Path file) {
        try (DataInputStream data = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new LmException(file + ": not a checkpoint");
            }
            byte[] headerBytes = new byte[data.readInt()];
            data.readFully(headerBytes);
            return LmConfig.fromJson(JSON.readTree(headerBytes).get("config").toString());
        } catch (IOException e) {
            throw new LmException(file + ": unreadable checkpoint: " + e.getMessage(), e);
        }
    }

    /** Loads just the model of a checkpoint onto the device its config asks for (for eval). */
    public static Gpt loadModel(Path file) {
        try (Loaded c = read(file)) {
            return Gpt.create(c.config().model(), Devices.device(c.config()), c.weights());
        }
    }

    private static void verifyChecksum(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new LmException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
        if (size < MAGIC.length + DIGEST_BYTES) {
            throw new LmException(file + ": truncated checkpoint (" + size + " bytes)");
        }
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            long remaining = size - DIGEST_BYTES;
            boolean first = true;
            while (remaining > 0) {
                int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n == 0) {
                    throw new LmException(file + ": truncated checkpoint (file shrank while reading)");
                }
                if (first && !Arrays.equals(Arrays.copyOf(buffer, MAGIC.length), MAGIC)) {
                    throw new LmException(file + ": not a Karel Lab checkpoint (bad magic bytes)");
                }
                first = false;
                digest.update(buffer, 0, n);
                remaining -= n;
            }
            if (!Arrays.equals(digest.digest(), in.readNBytes(DIGEST_BYTES))) {
                throw new LmException(file + ": truncated or corrupt checkpoint (checksum mismatch)");
            }
        } catch (IOException e) {
            throw new LmException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
