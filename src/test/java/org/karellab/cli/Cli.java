package org.karellab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Test helper: runs {@link Main#run} and captures what it prints. */
final class Cli {
    private Cli() {
    }

    record Result(int exit, String out, String err, String[] args) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        String describe() {
            return String.join(" ", args) + "\n-- exit " + exit + "\n-- stdout:\n" + out + "-- stderr:\n" + err;
        }
    }

    static Result run(Object... args) {
        String[] a = Stream.of(args).map(String::valueOf).toArray(String[]::new);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), a);
        return new Result(exit, out.toString(), err.toString(), a);
    }

    /** Runs and asserts exit 0. */
    static Result ok(Object... args) {
        Result r = run(args);
        assertEquals(0, r.exit(), r.describe());
        return r;
    }

    /**
     * Asserts the bad-input contract: exit 2, nothing on stdout, exactly one line on stderr that
     * contains every {@code expected} text, and no stack-trace text.
     */
    static String assertBadInput(Result r, String... expected) {
        assertEquals(2, r.exit(), r.describe());
        assertEquals("", r.out(), r.describe());
        assertEquals(1, r.errLines().size(), r.describe());
        assertTrue(r.err().endsWith("\n"), r.describe());
        String line = r.errLines().get(0);
        for (String e : expected) {
            assertTrue(line.contains(e), "stderr should contain '" + e + "':\n" + r.describe());
        }
        assertFalse(line.contains("Exception"), r.describe());
        assertFalse(r.err().contains("at org."), r.describe());
        assertFalse(r.err().contains("at java."), r.describe());
        return line;
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static String sha256(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Generates a small dataset at {@code dir} through the command line (quiet). */
    static Path dataset(Path dir, int train, int val, int test, int seed, int threads) {
        ok("generate", "--out", dir, "--train", train, "--val", val, "--test", test, "--seed", seed, "--threads", threads,
                "--quiet");
        return dir;
    }
}
