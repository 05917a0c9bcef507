package org.karellab.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.karellab.world.KarelException;
import org.karellab.world.Program;

/**
 * Generates a dataset folder: {@code test.bin}, {@code val.bin}, {@code train.bin} and
 * {@code manifest.json}.
 *
 * <p>Reproducibility: each split is cut into chunks of {@value #CHUNK} programs, and chunk
 * {@code c} of split {@code s} draws from its own random stream seeded by (seed, s, c). Chunks
 * are made in parallel and written in order, so the bytes do not depend on the thread count.
 * Each split has equal numbers of programs of every length in its range (the remainder going to
 * the shortest lengths), in a seeded random order, like the reference's generator.
 *
 * <p>With {@code dedup}, splits are made in the order test, val, train, and a program already
 * used by an earlier split is redrawn; when every program of a length is used up (short lengths:
 * there are only 5 programs of length 1), the sample takes the next length of its range instead,
 * and the manifest's length histogram shows what was made.
 */
public final class Generator {
    static final int CHUNK = 2048;
    /** redraws of one length before it counts as used up under dedup */
    static final int DEDUP_TRIES = 200;

    private final GenConfig config;
    private final Sampler sampler;
    private final int maxLength;

    public Generator(GenConfig config) {
        this.config = config;
        this.sampler = new Sampler(config);
        this.maxLength = config.maxLength();
    }

    /** What {@link #generate} made and how fast. */
    public record Result(Path dir, Manifest manifest, int samples, double seconds) {
        public double samplesPerSecond() {
            return samples / seconds;
        }
    }

    /**
     * Writes the dataset to {@code out}, which must not exist or be empty. Nothing is left at
     * {@code out} if generation fails.
     */
    public Result generate(Path out, int threads, boolean progress) {
        if (threads < 1) {
            throw new KarelException("--threads " + threads + " is invalid (want at least 1)");
        }
        if (Files.exists(out) && !isEmptyDir(out)) {
            throw new KarelException(out + ": already exists and is not an empty folder (remove it or choose another --out)");
        }
        long t0 = System.nanoTime();
        Manifest[] made = new Manifest[1];
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "generate");
            t.setDaemon(true);
            return t;
        });
        int total = config.train() + config.val() + config.test();
        try (ProgressBar bar = progress ? bar(total) : null) {
            AtomicFiles.write(out, tmp -> {
                Files.createDirectories(tmp);
                Map<String, Manifest.SplitEntry> entries = new LinkedHashMap<>();
                Set<Program> used = new HashSet<>();
                for (Split split : Split.values()) {
                    if (bar != null) {
                        bar.setExtraMessage(split.id());
                    }
                    entries.put(split.id(), writeSplit(split, tmp, pool, threads, used, bar));
                }
                made[0] = new Manifest(Manifest.KIND, DatasetFile.VERSION, "generate", config, null, entries);
                Files.writeString(tmp.resolve(Manifest.FILE), made[0].toJson());
            });
        } finally {
            pool.shutdownNow();
        }
        return new Result(out, made[0], total, (System.nanoTime() - t0) / 1e9);
    }

    private static boolean isEmptyDir(Path p) {
        try (var s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** One generated chunk: its encoded records, and the programs and lengths drawn. */
    private record Chunk(byte[] bytes, List<Program> programs) {
    }

    private Manifest.SplitEntry writeSplit(Split split, Path dir, ExecutorService pool, int threads,
            Set<Program> used, ProgressBar bar) throws IOException {
        int n = config.count(split);
        int[] lengths = lengthOrder(split, n);
        Set<Program> forbidden = config.dedup() ? Set.copyOf(used) : Set.of();
        int chunks = (n + CHUNK - 1) / CHUNK;
        int recordSize = DatasetFile.recordSize(maxLength, config.examples());
        MessageDigest sha = sha256();
        TreeMap<Integer, Integer> histogram = new TreeMap<>();
        String file = split.id() + ".bin";
        try (OutputStream os = new DigestOutputStream(
                new BufferedOutputStream(Files.newOutputStream(dir.resolve(file)), 1 << 20), sha)) {
            os.write(DatasetFile.header(maxLength, config.examples(), n));
            ArrayDeque<Future<Chunk>> window = new ArrayDeque<>();
            int next = 0;
            while (next < chunks || !window.isEmpty()) {
                while (next < chunks && window.size() < 2 * threads) {
                    int c = next++;
                    window.add(pool.submit(() -> chunk(split, c, lengths, forbidden, recordSize)));
                }
                Chunk done = await(window.poll());
                os.write(done.bytes());
                for (Program p : done.programs()) {
                    histogram.merge(p.length(), 1, Integer::sum);
                    if (config.dedup()) {
                        used.add(p);
                    }
                }
                if (bar != null) {
                    bar.stepBy(done.programs().size());
                }
            }
        }
        long bytes = DatasetFile.HEADER + (long) n * recordSize;
        return new Manifest.SplitEntry(file, n, bytes, HexFormat.of().formatHex(sha.digest()), histogram);
    }

    /**
     * One bar for the whole dataset, advanced a chunk at a time and redrawn at most once a second.
     * Its width is fixed ({@value #BAR_WIDTH} characters, or {@code $COLUMNS}): asking the terminal
     * for its width on every redraw (the library's default) costs more than generating.
     */
    private static ProgressBar bar(int total) {
        return new ProgressBarBuilder().setTaskName("generate").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, barWidth(System.getenv("COLUMNS")))).build();
    }

    static final int BAR_WIDTH = 100;

    /** The bar's width: {@code $COLUMNS} if it is a sensible number, else {@value #BAR_WIDTH}. */
    static int barWidth(String columns) {
        if (columns == null) {
            return BAR_WIDTH;
        }
        try {
            int c = Integer.parseInt(columns.trim());
            return c >= 40 && c <= 1000 ? c - 1 : BAR_WIDTH;
        } catch (NumberFormatException e) {
            return BAR_WIDTH;
        }
    }

    private Chunk chunk(Split split, int c, int[] lengths, Set<Program> forbidden, int recordSize) {
        SplittableRandom rng = new SplittableRandom(mix(config.seed(), split.ordinal(), c));
        int from = c * CHUNK;
        int to = Math.min(lengths.length, from + CHUNK);
        byte[] bytes = new byte[(to - from) * recordSize];
        List<Program> programs = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            Program p = drawProgram(rng, split, lengths[i], forbidden);
            DatasetFile.encode(sampler.sample(rng, p, config.examples()), maxLength, bytes, (i - from) * recordSize);
            programs.add(p);
        }
        return new Chunk(bytes, programs);
    }

    private Program drawProgram(SplittableRandom rng, Split split, int length, Set<Program> forbidden) {
        if (forbidden.isEmpty()) {
            return sampler.program(rng, length);
        }
        LengthRange range = config.lengths(split);
        int len = length;
        for (int tried = 0; tried < range.count(); tried++) {
            for (int t = 0; t < DEDUP_TRIES; t++) {
                Program p = sampler.program(rng, len);
                if (!forbidden.contains(p)) {
                    return p;
                }
            }
            len = len == range.max() ? range.min() : len + 1;
        }
        throw new KarelException("--dedup: split " + split + " finds no program of length " + range
                + " unused by earlier splits; make the earlier splits smaller or the lengths longer");
    }

    /** Exactly equal counts per length (remainder to the shortest), in a seeded random order. */
    int[] lengthOrder(Split split, int n) {
        LengthRange r = config.lengths(split);
        int[] lengths = new int[n];
        int k = r.count();
        int i = 0;
        for (int j = 0; j < k; j++) {
            int len = r.min() + j;
            int count = n / k + (j < n % k ? 1 : 0);
            for (int t = 0; t < count; t++) {
                lengths[i++] = len;
            }
        }
        SplittableRandom rng = new SplittableRandom(mix(config.seed(), split.ordinal(), -1));
        for (int a = n - 1; a > 0; a--) {
            int b = rng.nextInt(a + 1);
            int tmp = lengths[a];
            lengths[a] = lengths[b];
            lengths[b] = tmp;
        }
        return lengths;
    }

    /** SplitMix64's finaliser over (seed, split, chunk): independent streams per chunk. */
    static long mix(long seed, int split, int chunk) {
        long z = seed * 0x9E3779B97F4A7C15L + ((long) split << 32) + (chunk & 0xFFFFFFFFL) + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
