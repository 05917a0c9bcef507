package org.karellab.trace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.karellab.world.KarelException;

/**
 * NumPy {@code .npy} files of little-endian float32 matrices {@code (rows, cols)}, readable with
 * {@code numpy.load}. The writer streams rows and fills in the row count when closed (its header
 * keeps room for any count), so a split's hidden states never sit in memory at once.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    /** header bytes in total (magic, length, dict, padding): a multiple of 64 */
    private static final int HEADER = 128;

    private Npy() {
    }

    private static byte[] header(long rows, int cols) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int pad = HEADER - MAGIC.length - 2 - dict.length() - 1;
        if (pad < 0) {
            throw new IllegalStateException("npy header too long");
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) (HEADER - MAGIC.length - 2));
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < pad; i++) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    /** Streams float32 rows of a fixed width to a file. */
    public static final class Writer implements AutoCloseable {
        private final Path path;
        private final int cols;
        private final OutputStream out;
        private final ByteBuffer row;
        private long rows;

        public Writer(Path path, int cols) throws IOException {
            this.path = path;
            this.cols = cols;
            this.out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20);
            this.row = ByteBuffer.allocate(cols * 4).order(ByteOrder.LITTLE_ENDIAN);
            out.write(header(0, cols));
        }

        public void write(float[] values, int offset) throws IOException {
            row.clear();
            row.asFloatBuffer().put(values, offset, cols);
            out.write(row.array());
            rows++;
        }

        public long rows() {
            return rows;
        }

        @Override
        public void close() throws IOException {
            out.close();
            try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
                f.write(header(rows, cols));
            }
        }
    }

    /** A memory-mapped float32 matrix. */
    public record Matrix(Path path, long rows, int cols, FloatBuffer data) {
        public float get(long r, int c) {
            return data.get((int) (r * cols + c));
        }

        /** Copies row {@code r} into {@code dst}. */
        public void row(long r, float[] dst) {
            data.get((int) (r * cols), dst, 0, cols);
        }

        /** Every row copied onto the heap: {@code (rows, cols)}. */
        public float[][] toArray() {
            float[][] out = new float[(int) rows][cols];
            for (int r = 0; r < out.length; r++) {
                row(r, out[r]);
            }
            return out;
        }
    }

    private static final Pattern SHAPE = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)");

    public static Matrix read(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(h, 0);
            h.flip();
            byte[] magic = new byte[6];
            if (h.remaining() < 10) {
                throw new KarelException(path + ": not an .npy file (too short)");
            }
            h.get(magic);
            h.get();
            h.get();
            int len = h.getShort() & 0xFFFF;
            if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
                throw new KarelException(path + ": not an .npy file (bad magic)");
            }
            ByteBuffer d = ByteBuffer.allocate(len);
            ch.read(d, 10);
            String dict = new String(d.array(), StandardCharsets.US_ASCII);
            Matcher m = SHAPE.matcher(dict);
            if (!dict.contains("'<f4'") || !m.find() || dict.contains("'fortran_order': True")) {
                throw new KarelException(path + ": not a C-order float32 matrix (" + dict.trim() + ")");
            }
            long rows = Long.parseLong(m.group(1));
            int cols = Integer.parseInt(m.group(2));
            long bytes = rows * cols * 4L;
            if (ch.size() != 10 + len + bytes) {
                throw new KarelException(path + ": truncated: " + ch.size() + " bytes, shape (" + rows + ", " + cols
                        + ") needs " + (10 + len + bytes));
            }
            FloatBuffer fb = ch.map(FileChannel.MapMode.READ_ONLY, 10 + len, bytes).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            return new Matrix(path, rows, cols, fb);
        } catch (IOException e) {
            throw new KarelException(path + ": cannot read: " + e.getMessage(), e);
        }
    }
}
