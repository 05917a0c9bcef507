package org.karellab.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.karellab.world.KarelException;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/** A trace folder opened for reading: meta, labels, and hidden states per layer (memory-mapped). */
public final class TraceSet {
    private final Path dir;
    private final TraceMeta meta;
    private final Table labels;

    private TraceSet(Path dir, TraceMeta meta, Table labels) {
        this.dir = dir;
        this.meta = meta;
        this.labels = labels;
    }

    /**
     * Opens {@code dir}; when {@code checkpointSha256} is given, the traces must come from that
     * checkpoint file (so states of another run or checkpoint are never mixed in).
     */
    public static TraceSet open(Path dir, String checkpointSha256) {
        TraceMeta m = TraceMeta.read(dir);
        if (checkpointSha256 != null && !checkpointSha256.equals(m.checkpointSha256())) {
            throw new KarelException(dir + ": traces come from " + m.run() + "/" + m.checkpoint()
                    + ", not from the checkpoint named (checksums differ)");
        }
        Path f = dir.resolve(Tracer.LABELS);
        if (!Files.isRegularFile(f)) {
            throw new KarelException(dir + ": trace folder without " + Tracer.LABELS);
        }
        Map<String, ColumnType> types = new HashMap<>();
        for (String c : new String[] {"program", "ref_length", "gen_length", "index"}) {
            types.put(c, ColumnType.INTEGER);
        }
        Table t;
        try {
            t = Table.read().csv(CsvReadOptions.builder(f.toFile())
                    .columnTypes(name -> types.getOrDefault(name, ColumnType.STRING)).build());
        } catch (RuntimeException e) {
            throw new KarelException(f + ": unreadable labels: " + e.getMessage(), e);
        }
        if (t.rowCount() != m.rows()) {
            throw new KarelException(f + ": has " + t.rowCount() + " rows, meta.json says " + m.rows());
        }
        return new TraceSet(dir, m, t);
    }

    public TraceMeta meta() {
        return meta;
    }

    public Table labels() {
        return labels;
    }

    /** Hidden states of {@code layer} ({@code rows x d_model}); {@code random} for the random-init model. */
    public Npy.Matrix states(String layer, boolean random) {
        if (!meta.layers().contains(layer)) {
            throw new KarelException(dir + ": has no layer '" + layer + "' (have " + meta.layers() + ")");
        }
        if (random && meta.randomInitSeed() == null) {
            throw new KarelException(dir + ": has no random-init states (trace with --random-init)");
        }
        Path f = dir.resolve(random ? Tracer.RANDOM : Tracer.STATES).resolve(layer + ".npy");
        if (!Files.isRegularFile(f)) {
            throw new KarelException(f + ": missing layer file");
        }
        Npy.Matrix m = Npy.read(f);
        if (m.rows() != meta.rows() || m.cols() != meta.dModel()) {
            throw new KarelException(f + ": shape (" + m.rows() + ", " + m.cols() + "), meta.json says ("
                    + meta.rows() + ", " + meta.dModel() + ")");
        }
        return m;
    }

    /** The reference programs (short form) of the traced samples, from {@code programs.csv}. */
    public java.util.List<String> referencePrograms() {
        Path f = dir.resolve(Tracer.PROGRAMS);
        try {
            Table t = Table.read().csv(CsvReadOptions.builder(f.toFile())
                    .columnTypes(name -> ColumnType.STRING).build());
            return t.stringColumn("reference").asList();
        } catch (RuntimeException e) {
            throw new KarelException(f + ": unreadable programs: " + e.getMessage(), e);
        }
    }

    /** The label column {@code SEM:OFFSET:FEATURE}, with a clear error when it was not traced. */
    public String[] column(String semantics, int offset, String feature) {
        String name = Labels.column(semantics, offset, feature);
        if (!labels.columnNames().contains(name)) {
            throw new KarelException(dir + ": no labels for semantics '" + semantics + "' offset " + offset
                    + " feature " + feature + " (traced: " + meta.semantics() + ", offsets " + meta.offsets() + ")");
        }
        return labels.stringColumn(name).asObjectArray();
    }
}
