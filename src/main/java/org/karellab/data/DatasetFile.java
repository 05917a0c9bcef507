package org.karellab.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.karellab.world.Action;
import org.karellab.world.Facing;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.World;

/**
 * The kit's binary split file: fixed-size records, memory-mapped for random access, so training
 * can sample batches without loading a split.
 *
 * <pre>
 * header (32 bytes, little-endian):
 *   magic "KARELDS1" (8) | version int (=1) | maxLength int | examples int | count long | pad int
 * record (recordSize = 1 + maxLength + 2 * examples * 38 bytes):
 *   length byte | maxLength action bytes (Action.ordinal, 0xFF padding)
 *   | examples input worlds | examples output worlds
 * world (38 bytes):
 *   36 interior cells row by row (0xFF wall, else the marker count 0..254)
 *   | robot cell index (row-1)*6 + (col-1) | facing ordinal (N, E, S, W)
 * </pre>
 */
public final class DatasetFile implements AutoCloseable {
    static final byte[] MAGIC = "KARELDS1".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER = 32;
    public static final int WORLD_BYTES = World.INTERIOR * World.INTERIOR + 2;
    static final int WALL_BYTE = 0xFF;
    /** Most markers a cell can hold in this format. */
    public static final int MAX_MARKERS = 254;

    private final Path path;
    private final FileChannel channel;
    private final MappedByteBuffer buf;
    private final int maxLength;
    private final int examples;
    private final int count;
    private final int recordSize;

    private DatasetFile(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        long size = channel.size();
        if (size < HEADER) {
            channel.close();
            throw new KarelException(path + ": not a Karel Lab split file (" + size + " bytes, shorter than its header)");
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(h, 0);
        h.flip();
        byte[] magic = new byte[MAGIC.length];
        h.get(magic);
        int version = h.getInt();
        if (!java.util.Arrays.equals(magic, MAGIC) || version != VERSION) {
            channel.close();
            throw new KarelException(path + ": not a Karel Lab split file (bad magic or version)");
        }
        maxLength = h.getInt();
        examples = h.getInt();
        long n = h.getLong();
        if (maxLength < 1 || maxLength > 255 || examples < 1 || examples > 100 || n < 0) {
            channel.close();
            throw new KarelException(path + ": damaged header (max length " + maxLength + ", examples " + examples
                    + ", records " + n + ")");
        }
        recordSize = recordSize(maxLength, examples);
        long expected = HEADER + n * recordSize;
        if (size != expected) {
            channel.close();
            throw new KarelException(path + ": truncated or damaged: " + size + " bytes, header promises "
                    + expected + " (" + n + " records)");
        }
        if (expected > Integer.MAX_VALUE) {
            channel.close();
            throw new KarelException(path + ": " + expected + " bytes is more than one split file may hold (2 GiB)");
        }
        count = (int) n;
        buf = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        buf.order(ByteOrder.LITTLE_ENDIAN);
    }

    public static DatasetFile open(Path path) {
        try {
            return new DatasetFile(path);
        } catch (IOException e) {
            throw new KarelException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    static int recordSize(int maxLength, int examples) {
        return 1 + maxLength + 2 * examples * WORLD_BYTES;
    }

    public Path path() {
        return path;
    }

    public int size() {
        return count;
    }

    public int examples() {
        return examples;
    }

    public int maxLength() {
        return maxLength;
    }

    private int base(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("record " + i + " of " + count);
        }
        return HEADER + i * recordSize;
    }

    /** Length of the program of record {@code i}. */
    public int programLength(int i) {
        return buf.get(base(i)) & 0xFF;
    }

    public Program program(int i) {
        int b = base(i);
        int len = buf.get(b) & 0xFF;
        Action[] a = new Action[len];
        for (int k = 0; k < len; k++) {
            int code = buf.get(b + 1 + k) & 0xFF;
            if (code >= Action.count()) {
                throw new KarelException(path + ": record " + i + ": bad action code " + code);
            }
            a[k] = Action.of(code);
        }
        return new Program(a);
    }

    /** Offset of world {@code k} (input, or output when {@code output}) of record {@code i}. */
    private int worldOffset(int i, int k, boolean output) {
        return base(i) + 1 + maxLength + ((output ? examples : 0) + k) * WORLD_BYTES;
    }

    /** Copies the 38 raw bytes of a world (format above) into {@code dst} at {@code at}. */
    public void worldBytes(int i, int k, boolean output, byte[] dst, int at) {
        buf.get(worldOffset(i, k, output), dst, at, WORLD_BYTES);
    }

    public World world(int i, int k, boolean output) {
        byte[] w = new byte[WORLD_BYTES];
        worldBytes(i, k, output, w, 0);
        try {
            return decodeWorld(w, 0);
        } catch (KarelException e) {
            throw e.at(path + ": record " + i + ": " + (output ? "output" : "input") + k);
        }
    }

    public Sample sample(int i) {
        List<World> in = new ArrayList<>(examples);
        List<World> out = new ArrayList<>(examples);
        for (int k = 0; k < examples; k++) {
            in.add(world(i, k, false));
            out.add(world(i, k, true));
        }
        return new Sample(program(i), in, out);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new KarelException(path + ": cannot close: " + e.getMessage(), e);
        }
    }

    // ---- encoding ----

    static byte[] header(int maxLength, int examples, long count) {
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.put(MAGIC).putInt(VERSION).putInt(maxLength).putInt(examples).putLong(count).putInt(0);
        return h.array();
    }

    /** Encodes one record into {@code dst} at {@code at}; {@code dst} must hold recordSize bytes there. */
    static void encode(Sample s, int maxLength, byte[] dst, int at) {
        Program p = s.program();
        if (p.length() > maxLength) {
            throw new KarelException("program of " + p.length() + " actions is longer than the file's maximum "
                    + maxLength);
        }
        dst[at] = (byte) p.length();
        for (int k = 0; k < maxLength; k++) {
            dst[at + 1 + k] = (byte) (k < p.length() ? p.get(k).ordinal() : 0xFF);
        }
        int o = at + 1 + maxLength;
        for (World w : s.inputs()) {
            encodeWorld(w, dst, o);
            o += WORLD_BYTES;
        }
        for (World w : s.outputs()) {
            encodeWorld(w, dst, o);
            o += WORLD_BYTES;
        }
    }

    /** Writes a world in the 38-byte form above into {@code dst} at {@code at}. */
    public static void encodeWorld(World w, byte[] dst, int at) {
        int o = at;
        for (int r = 1; r <= World.INTERIOR; r++) {
            for (int c = 1; c <= World.INTERIOR; c++) {
                if (w.isWall(r, c)) {
                    dst[o++] = (byte) WALL_BYTE;
                } else {
                    int m = w.markers(r, c);
                    if (m > MAX_MARKERS) {
                        throw new KarelException("cell (" + r + "," + c + ") holds " + m
                                + " markers, more than the dataset format keeps (" + MAX_MARKERS + ")");
                    }
                    dst[o++] = (byte) m;
                }
            }
        }
        dst[o++] = (byte) ((w.robotRow() - 1) * World.INTERIOR + (w.robotCol() - 1));
        dst[o] = (byte) w.facing().ordinal();
    }

    public static World decodeWorld(byte[] src, int at) {
        int robot = src[at + WORLD_BYTES - 2] & 0xFF;
        int facing = src[at + WORLD_BYTES - 1] & 0xFF;
        if (robot >= World.INTERIOR * World.INTERIOR || facing > 3) {
            throw new KarelException("damaged world record (robot cell " + robot + ", facing " + facing + ")");
        }
        World w = World.empty(1 + robot / World.INTERIOR, 1 + robot % World.INTERIOR, Facing.of(facing));
        int o = at;
        for (int r = 1; r <= World.INTERIOR; r++) {
            for (int c = 1; c <= World.INTERIOR; c++) {
                int v = src[o++] & 0xFF;
                if (v == WALL_BYTE) {
                    w.setWall(r, c, true);
                } else if (v > 0) {
                    w.setMarkers(r, c, v);
                }
            }
        }
        return w;
    }

    /** Writes a whole split file (used by import and tests; the generator streams its own). */
    static void write(OutputStream out, List<Sample> samples, int maxLength, int examples) throws IOException {
        out.write(header(maxLength, examples, samples.size()));
        byte[] rec = new byte[recordSize(maxLength, examples)];
        for (Sample s : samples) {
            encode(s, maxLength, rec, 0);
            out.write(rec);
        }
    }

    static boolean looksLikeSplitFile(Path p) {
        try (var in = Files.newInputStream(p)) {
            byte[] m = in.readNBytes(MAGIC.length);
            return java.util.Arrays.equals(m, MAGIC);
        } catch (IOException e) {
            return false;
        }
    }
}
