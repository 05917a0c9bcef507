package org.karellab.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.ProgramText;
import org.karellab.world.World;
import org.karellab.world.WorldText;

/**
 * The reference's dataset format: one JSON object per line with string fields
 * {@code input0}..{@code input9}, {@code output0}..{@code output9} (8-line grids, see
 * {@link WorldText}) and {@code code} (a program in the reference form, see
 * {@link ProgramText}). Plain or gzipped: reading detects gzip by its magic bytes, writing
 * gzips when the file name ends in {@code .gz}.
 */
public final class ReferenceJsonl {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ReferenceJsonl() {
    }

    /**
     * One record as written in the file, before interpretation.
     *
     * @param line 1-based line number in the file
     */
    public record Record(String file, int line, String code, List<String> inputs, List<String> outputs) {
        public String where() {
            return file + ":" + line;
        }

        /** Parses the program and grids; errors name the file, line and field. */
        public Sample toSample() {
            Program p;
            try {
                p = ProgramText.parseReference(code);
            } catch (KarelException e) {
                throw e.at(where() + ": field code");
            }
            List<World> in = new ArrayList<>(inputs.size());
            List<World> out = new ArrayList<>(outputs.size());
            for (int k = 0; k < inputs.size(); k++) {
                in.add(grid(k, "input", inputs.get(k)));
                out.add(grid(k, "output", outputs.get(k)));
            }
            return new Sample(p, in, out);
        }

        private World grid(int k, String kind, String text) {
            try {
                return WorldText.parse(text);
            } catch (KarelException e) {
                throw e.at(where() + ": field " + kind + k);
            }
        }
    }

    /** Reads every record of a file (plain or gzipped) and hands it to {@code sink}. */
    public static int read(Path file, Consumer<Record> sink) {
        int n = 0;
        try (Reader r = open(file)) {
            while (r.hasNext()) {
                sink.accept(r.next());
                n++;
            }
        }
        return n;
    }

    /** Iterates the records of a file; close it when done. */
    public static Reader open(Path file) {
        try {
            return new Reader(file);
        } catch (IOException e) {
            throw new KarelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Streaming reader; errors name the file and line. */
    public static final class Reader implements Iterator<Record>, AutoCloseable {
        private final Path file;
        private final BufferedReader in;
        private int lineNo;
        private String pending;

        private Reader(Path file) throws IOException {
            this.file = file;
            InputStream raw = Files.newInputStream(file);
            PushbackInputStream pb = new PushbackInputStream(raw, 2);
            byte[] magic = pb.readNBytes(2);
            if (magic.length > 0) {
                pb.unread(magic);
            }
            boolean gz = magic.length == 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B;
            InputStream s = gz ? new GZIPInputStream(pb, 1 << 16) : pb;
            this.in = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8), 1 << 16);
        }

        @Override
        public boolean hasNext() {
            while (pending == null) {
                String line = readLine();
                if (line == null) {
                    return false;
                }
                lineNo++;
                if (!line.isBlank()) {
                    pending = line;
                }
            }
            return true;
        }

        private String readLine() {
            try {
                return in.readLine();
            } catch (EOFException | ZipException e) {
                throw new KarelException(file + ":" + (lineNo + 1) + ": truncated or damaged gzip stream ("
                        + e.getMessage() + ")", e);
            } catch (IOException e) {
                throw new KarelException(file + ":" + (lineNo + 1) + ": cannot read: " + e.getMessage(), e);
            }
        }

        @Override
        public Record next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String line = pending;
            pending = null;
            return parse(file.toString(), lineNo, line);
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Record parse(String file, int lineNo, String line) {
        String where = file + ":" + lineNo;
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new KarelException(where + ": not a JSON object (" + firstLine(e.getMessage()) + ")", e);
        }
        if (node == null || !node.isObject()) {
            throw new KarelException(where + ": not a JSON object");
        }
        String code = text(node, "code", where);
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (int k = 0; node.has("input" + k) || node.has("output" + k); k++) {
            in.add(text(node, "input" + k, where));
            out.add(text(node, "output" + k, where));
        }
        if (in.isEmpty()) {
            throw new KarelException(where + ": record has no field input0");
        }
        return new Record(file, lineNo, code, in, out);
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new KarelException(where + ": record is missing field " + field);
        }
        if (!v.isTextual()) {
            throw new KarelException(where + ": field " + field + " is not a string");
        }
        return v.asText();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** Writes samples in the reference format, atomically; gzipped when the name ends in .gz. */
    public static void write(Path out, Iterable<Sample> samples) {
        AtomicFiles.write(out, tmp -> {
            try (OutputStream os = stream(tmp, out.getFileName().toString().endsWith(".gz"))) {
                writeTo(os, samples.iterator());
            }
        });
    }

    private static OutputStream stream(Path p, boolean gzip) throws IOException {
        OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(p), 1 << 16);
        return gzip ? new GZIPOutputStream(os, 1 << 16) : os;
    }

    private static void writeTo(OutputStream os, Iterator<Sample> it) throws IOException {
        JsonFactory f = JSON.getFactory();
        for (; it.hasNext(); ) {
            Sample s = it.next();
            JsonGenerator g = f.createGenerator(os, JsonEncoding.UTF8);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            for (int k = 0; k < s.examples(); k++) {
                g.writeStringField("input" + k, WorldText.render(s.inputs().get(k)));
            }
            for (int k = 0; k < s.examples(); k++) {
                g.writeStringField("output" + k, WorldText.render(s.outputs().get(k)));
            }
            g.writeStringField("code", ProgramText.toReference(s.program()));
            g.writeEndObject();
            g.flush();
            os.write('\n');
        }
    }
}
