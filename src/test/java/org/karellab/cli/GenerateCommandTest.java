package org.karellab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    @TempDir
    Path dir;

    private static final List<String> FILES = List.of("manifest.json", "test.bin", "train.bin", "val.bin");

    private Map<String, String> generate(String name, long seed, int threads, String... extra) throws IOException {
        Path out = dir.resolve(name);
        List<Object> args = new java.util.ArrayList<>(List.of("generate", "--out", out, "--seed", seed, "--threads",
                threads, "--quiet", "--train", 2500, "--val", 200, "--test", 300));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.ok(args.toArray());
        assertEquals(1, r.outLines().size(), r.describe());
        assertTrue(r.out().startsWith("generated 3000 programs in "), r.out());
        assertTrue(r.out().contains(threads + " threads) into "), r.out());
        assertEquals(FILES, Cli.names(out));
        Map<String, String> sums = new HashMap<>();
        for (String f : FILES) {
            sums.put(f, Cli.sha256(out.resolve(f)));
        }
        return sums;
    }

    @Test
    void sameSeedSameFilesAcrossRunsAndThreadCounts() throws IOException {
        Map<String, String> a1 = generate("a1", 42, 1);
        assertEquals(a1, generate("b1", 42, 1), "1 thread twice");
        Map<String, String> a2 = generate("a2", 42, 2);
        assertEquals(a2, generate("b2", 42, 2), "2 threads twice");
        assertEquals(a1, a2, "1 thread vs 2 threads");
        Map<String, String> other = generate("c", 43, 2);
        for (String f : FILES) {
            assertNotEquals(a1.get(f), other.get(f), f);
        }
    }

    @Test
    void manifestRecordsOptionsAndChecksums() throws IOException {
        generate("d", 5, 2, "--train-lengths", "3-4", "--eval-lengths", "2-4", "--dedup");
        Path out = dir.resolve("d");
        JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        JsonNode c = m.get("config");
        assertEquals(5, c.get("seed").asLong());
        assertEquals(2500, c.get("train").asInt());
        assertEquals(200, c.get("val").asInt());
        assertEquals(300, c.get("test").asInt());
        assertEquals("3-4", c.get("trainLengths").asText());
        assertEquals("2-4", c.get("evalLengths").asText());
        assertTrue(c.get("dedup").asBoolean());
        for (String s : List.of("train", "val", "test")) {
            JsonNode e = m.get("splits").get(s);
            assertEquals(Cli.sha256(out.resolve(s + ".bin")), e.get("sha256").asText(), s);
            assertEquals(Files.size(out.resolve(s + ".bin")), e.get("bytes").asLong(), s);
        }
        assertEquals(Set.of("3", "4"), keys(m.get("splits").get("train").get("lengths")));
        // only 25 programs of length 2 exist and test takes most of them, so dedup moves val programs to
        // other lengths of its range; the histogram still adds up to the split's size
        int val = 0;
        for (JsonNode n : m.get("splits").get("val").get("lengths")) {
            val += n.asInt();
        }
        assertEquals(200, val);
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> s = new HashSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    @Test
    void generatedDatasetChecksClean() throws IOException {
        generate("e", 8, 2);
        Cli.Result r = Cli.ok("check", dir.resolve("e"));
        assertEquals("checked 3000 records, 0 mismatches\n", r.out());
    }
}
