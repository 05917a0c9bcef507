package org.karellab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import org.karellab.world.KarelException;

/** A dataset folder opened for reading: its manifest and memory-mapped split files. */
public final class Dataset implements AutoCloseable {
    private final Path dir;
    private final Manifest manifest;
    private final Map<Split, DatasetFile> files = new EnumMap<>(Split.class);

    private Dataset(Path dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * Opens {@code dir}, checking that every split file is there with the size the manifest
     * gives; with {@code verify} it also checks every SHA-256 (a few seconds for the default
     * sizes).
     */
    public static Dataset open(Path dir, boolean verify) {
        if (!Files.isDirectory(dir)) {
            throw new KarelException(dir + ": not a dataset folder (no such folder)");
        }
        Manifest m = Manifest.read(dir);
        Dataset d = new Dataset(dir, m);
        try {
            for (Map.Entry<String, Manifest.SplitEntry> e : m.splits().entrySet()) {
                Split split = Split.byName(e.getKey());
                Manifest.SplitEntry entry = e.getValue();
                Path f = dir.resolve(entry.file());
                if (!Files.isRegularFile(f)) {
                    throw new KarelException(f + ": missing (listed in " + Manifest.FILE + ")");
                }
                if (verify) {
                    String sha = sha256(f);
                    if (!sha.equals(entry.sha256())) {
                        throw new KarelException(f + ": checksum mismatch (file changed or damaged since it was made)");
                    }
                }
                DatasetFile df = DatasetFile.open(f);
                d.files.put(split, df);
                if (df.size() != entry.count()) {
                    throw new KarelException(f + ": holds " + df.size() + " records, manifest says " + entry.count());
                }
            }
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    public Path dir() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    public GenConfig config() {
        return manifest.config();
    }

    public boolean has(Split split) {
        return files.containsKey(split);
    }

    public DatasetFile split(Split split) {
        DatasetFile f = files.get(split);
        if (f == null) {
            throw new KarelException(dir + ": has no " + split + " split");
        }
        return f;
    }

    public static String sha256(Path f) {
        MessageDigest md = Generator.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new KarelException(f + ": cannot read: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public void close() {
        files.values().forEach(DatasetFile::close);
    }
}
