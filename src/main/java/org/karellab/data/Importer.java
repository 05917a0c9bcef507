package org.karellab.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import org.karellab.world.World;
import org.karellab.world.WorldText;

/** Moves datasets between the kit's folders and the reference's JSONL files, both ways. */
public final class Importer {
    private Importer() {
    }

    /** Writes one split of a dataset folder as a reference JSONL file (gzipped if it ends in .gz). */
    public static int export(Path dataDir, Split split, Path out) {
        try (Dataset d = Dataset.open(dataDir, false)) {
            DatasetFile f = d.split(split);
            ReferenceJsonl.write(out, () -> new java.util.Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                    return i < f.size();
                }

                @Override
                public Sample next() {
                    return f.sample(i++);
                }
            });
            return f.size();
        }
    }

    /**
     * Makes a dataset folder from reference JSONL files, one per split. Records are streamed, not
     * held in memory. Every record must have the same number of examples. Nothing is left at
     * {@code out} when a record is bad.
     */
    public static Manifest importFiles(Map<Split, Path> files, Path out) {
        if (files.isEmpty()) {
            throw new KarelException("import: name at least one split file");
        }
        if (Files.exists(out)) {
            throw new KarelException(out + ": already exists (remove it or choose another --out)");
        }
        Manifest[] made = new Manifest[1];
        AtomicFiles.write(out, tmp -> {
            Files.createDirectories(tmp);
            Map<Split, Scan> scans = new EnumMap<>(Split.class);
            for (Map.Entry<Split, Path> e : files.entrySet()) {
                scans.put(e.getKey(), scan(e.getValue()));
            }
            int examples = scans.values().iterator().next().examples;
            int maxLength = 1;
            for (Map.Entry<Split, Scan> e : scans.entrySet()) {
                if (e.getValue().examples != examples) {
                    throw new KarelException(files.get(e.getKey()) + ": records have " + e.getValue().examples
                            + " examples, other splits " + examples);
                }
                maxLength = Math.max(maxLength, e.getValue().lengths.lastKey());
            }
            Map<String, String> sources = new LinkedHashMap<>();
            Map<String, Manifest.SplitEntry> entries = new LinkedHashMap<>();
            for (Split s : Split.values()) {
                if (scans.containsKey(s)) {
                    Path src = files.get(s);
                    sources.put(s.id(), src.toAbsolutePath() + " sha256:" + Dataset.sha256(src));
                    entries.put(s.id(), writeSplit(src, tmp.resolve(s.id() + ".bin"), maxLength, examples,
                            scans.get(s)));
                }
            }
            GenConfig config = GenConfig.builder().optSeed(0).optTrain(count(scans, Split.TRAIN))
                    .optVal(count(scans, Split.VAL)).optTest(count(scans, Split.TEST))
                    .optTrainLengths(range(scans, List.of(Split.TRAIN)))
                    .optEvalLengths(range(scans, List.of(Split.VAL, Split.TEST)))
                    .optExamples(examples).optSpecExamples(Math.min(GenConfig.defaults().specExamples(), examples))
                    .build();
            made[0] = new Manifest(Manifest.KIND, DatasetFile.VERSION, "import", config, sources, entries);
            Files.writeString(tmp.resolve(Manifest.FILE), made[0].toJson());
        });
        return made[0];
    }

    /** First pass over a file: validates every record and counts examples and lengths. */
    private static final class Scan {
        int examples = -1;
        int records;
        final TreeMap<Integer, Integer> lengths = new TreeMap<>();
    }

    private static Scan scan(Path file) {
        Scan s = new Scan();
        ReferenceJsonl.read(file, r -> {
            Sample sample = r.toSample();
            if (s.examples < 0) {
                s.examples = sample.examples();
            } else if (s.examples != sample.examples()) {
                throw new KarelException(r.where() + ": record has " + sample.examples() + " examples, earlier ones "
                        + s.examples);
            }
            if (sample.program().length() > LengthRange.LIMIT) {
                throw new KarelException(r.where() + ": program has " + sample.program().length()
                        + " actions, more than the kit stores (" + LengthRange.LIMIT + ")");
            }
            s.records++;
            s.lengths.merge(sample.program().length(), 1, Integer::sum);
        });
        if (s.records == 0) {
            throw new KarelException(file + ": holds no records");
        }
        return s;
    }

    private static Manifest.SplitEntry writeSplit(Path src, Path dst, int maxLength, int examples, Scan scan)
            throws IOException {
        int recordSize = DatasetFile.recordSize(maxLength, examples);
        byte[] rec = new byte[recordSize];
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(dst), 1 << 20)) {
            os.write(DatasetFile.header(maxLength, examples, 0));
            ReferenceJsonl.read(src, r -> {
                DatasetFile.encode(exact(r.toSample()), maxLength, rec, 0);
                try {
                    os.write(rec);
                } catch (IOException e) {
                    throw new KarelException(dst + ": cannot write: " + e.getMessage(), e);
                }
            });
        }
        try (RandomAccessFile raf = new RandomAccessFile(dst.toFile(), "rw")) {
            raf.write(DatasetFile.header(maxLength, examples, scan.records));
        }
        return new Manifest.SplitEntry(dst.getFileName().toString(), scan.records, Files.size(dst),
                Dataset.sha256(dst), scan.lengths);
    }

    /**
     * The sample with each output replaced by the world the program makes from its input when that
     * world renders as the record's output: the text form hides markers under the robot (and
     * shortens counts above 9), execution knows them. Outputs that do not match are kept as
     * written, for {@code check} to report.
     */
    public static Sample exact(Sample s) {
        List<World> outputs = new java.util.ArrayList<>(s.examples());
        for (int k = 0; k < s.examples(); k++) {
            World ran = Interpreter.REFERENCE.run(s.inputs().get(k), s.program());
            boolean same = WorldText.render(ran).equals(WorldText.render(s.outputs().get(k)));
            outputs.add(same ? ran : s.outputs().get(k));
        }
        return new Sample(s.program(), s.inputs(), outputs);
    }

    private static int count(Map<Split, Scan> scans, Split s) {
        return scans.containsKey(s) ? scans.get(s).records : 0;
    }

    private static LengthRange range(Map<Split, Scan> scans, List<Split> splits) {
        int lo = Integer.MAX_VALUE;
        int hi = 0;
        for (Split s : splits) {
            if (scans.containsKey(s)) {
                lo = Math.min(lo, scans.get(s).lengths.firstKey());
                hi = Math.max(hi, scans.get(s).lengths.lastKey());
            }
        }
        return hi == 0 ? new LengthRange(1, 1) : new LengthRange(lo, hi);
    }
}
