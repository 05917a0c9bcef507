package org.karellab.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers: small generated datasets, checksums and rate assertions. */
final class TestData {
    private TestData() {
    }

    static GenConfig config(long seed, int train, int val, int test, boolean dedup) {
        return GenConfig.builder().optSeed(seed).optTrain(train).optVal(val).optTest(test).optDedup(dedup).build();
    }

    static GenConfig config(long seed, int train, int val, int test, String trainLengths, String evalLengths,
            boolean dedup) {
        return config(seed, train, val, test, dedup).toBuilder().optTrainLengths(LengthRange.parse(trainLengths))
                .optEvalLengths(LengthRange.parse(evalLengths)).build();
    }

    static Path generate(Path out, GenConfig cfg, int threads) {
        new Generator(cfg).generate(out, threads, false);
        return out;
    }

    /** SHA-256 computed here, independently of the code under test. */
    static String sha256(Path f) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Asserts that {@code hits / n} is within 5 standard errors of {@code p} (binomial): a false
     * alarm has probability below 1e-6, yet a rate off by a few standard errors is caught.
     */
    static void assertRate(String what, long hits, long n, double p) {
        double rate = (double) hits / n;
        double se = Math.sqrt(p * (1 - p) / n);
        assertTrue(Math.abs(rate - p) <= 5 * se,
                String.format("%s: rate %.5f over %d, expected %.5f +- %.5f (5 SE)", what, rate, n, p, 5 * se));
    }
}
