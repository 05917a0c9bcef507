package org.karellab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.world.Action;
import org.karellab.world.Facing;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.World;
import org.karellab.world.WorldText;

/** The reference's JSONL records (paper-facts, "Text form of a world"). */
class ReferenceJsonlTest {
    @TempDir
    Path dir;

    static final String IN = String.join("\n", "########", "#>.....#", "#......#", "#......#", "#......#",
            "#......#", "#......#", "########");
    static final String OUT = String.join("\n", "########", "#.>....#", "#......#", "#......#", "#......#",
            "#......#", "#......#", "########");

    static List<Sample> samples(int n, long seed) {
        Sampler s = new Sampler(GenConfig.defaults());
        SplittableRandom rng = new SplittableRandom(seed);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s.sample(rng, s.program(rng, 1 + rng.nextInt(10)), 10));
        }
        return out;
    }

    private static List<ReferenceJsonl.Record> readAll(Path f) {
        List<ReferenceJsonl.Record> l = new ArrayList<>();
        ReferenceJsonl.read(f, l::add);
        return l;
    }

    @Test
    void writeThenReadPlainAndGzip() throws IOException {
        List<Sample> samples = samples(30, 1);
        for (String name : List.of("a.jsonl", "a.jsonl.gz")) {
            Path f = dir.resolve(name);
            ReferenceJsonl.write(f, samples);
            List<ReferenceJsonl.Record> recs = readAll(f);
            assertEquals(30, recs.size());
            for (int i = 0; i < 30; i++) {
                ReferenceJsonl.Record r = recs.get(i);
                Sample s = samples.get(i);
                assertEquals(i + 1, r.line());
                assertEquals(s.program().toReference(), r.code());
                assertEquals(s.program(), r.toSample().program());
                assertEquals(s.inputs(), r.toSample().inputs(), "inputs never hide markers");
                for (int k = 0; k < 10; k++) {
                    assertEquals(WorldText.render(s.outputs().get(k)), r.outputs().get(k));
                }
            }
        }
        byte[] gz = Files.readAllBytes(dir.resolve("a.jsonl.gz"));
        assertEquals(0x1F, gz[0] & 0xFF);
        assertEquals(0x8B, gz[1] & 0xFF);
        assertTrue(Files.size(dir.resolve("a.jsonl.gz")) < Files.size(dir.resolve("a.jsonl")));
        assertEquals(List.of("a.jsonl", "a.jsonl.gz"), TestData.names(dir), "no temporary files left");
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        Path gz = dir.resolve("b.jsonl.gz");
        ReferenceJsonl.write(gz, samples(3, 2));
        Path renamed = Files.move(gz, dir.resolve("b.txt"));
        assertEquals(3, readAll(renamed).size());
    }

    @Test
    void recordLayoutIsTheReferences() throws IOException {
        Sample s = new Sample(new Program(Action.PUT_MARKER, Action.TURN_RIGHT),
                List.of(World.empty(1, 1, Facing.EAST)), List.of(World.empty(1, 1, Facing.SOUTH).setMarkers(1, 1, 1)));
        Path f = dir.resolve("c.jsonl");
        ReferenceJsonl.write(f, List.of(s));
        String text = Files.readString(f);
        assertTrue(text.endsWith("\n"));
        assertEquals(1, text.lines().count());
        JsonNode node = new ObjectMapper().readTree(text);
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("input0", "output0", "code"), fields);
        assertEquals("def run() {\n  put_marker(); turn_right()\n}", node.get("code").asText());
        assertEquals(IN, node.get("input0").asText());
        assertEquals(IN.replace('>', 'v'), node.get("output0").asText(), "the marker hides under the robot");
    }

    @Test
    void blankLinesAreSkippedButCounted() throws IOException {
        String rec = "{\"input0\":" + json(IN) + ",\"output0\":" + json(OUT)
                + ",\"code\":\"def run() {\\n  move()\\n}\"}";
        Path f = dir.resolve("d.jsonl");
        Files.writeString(f, "\n" + rec + "\n\n  \n" + rec + "\r\n");
        List<ReferenceJsonl.Record> recs = readAll(f);
        assertEquals(2, recs.size());
        assertEquals(2, recs.get(0).line());
        assertEquals(5, recs.get(1).line());
        assertEquals(f + ":5", recs.get(1).where());
        assertEquals(new Program(Action.MOVE), recs.get(1).toSample().program());
        assertEquals(WorldText.parse(OUT), recs.get(1).toSample().outputs().get(0));
    }

    static String json(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

    private KarelException bad(String line) throws IOException {
        String good = "{\"input0\":" + json(IN) + ",\"output0\":" + json(OUT)
                + ",\"code\":\"def run() {\\n  move()\\n}\"}";
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, good + "\n" + line + "\n");
        return assertThrows(KarelException.class, () -> ReferenceJsonl.read(f, r -> r.toSample()));
    }

    @Test
    void notJson() throws IOException {
        String m = bad("this is not json").getMessage();
        assertTrue(m.startsWith(dir.resolve("bad.jsonl") + ":2: not a JSON object"), m);
        assertTrue(bad("[1, 2]").getMessage().contains(":2: not a JSON object"));
        assertTrue(bad("{\"input0\": ").getMessage().contains(":2: not a JSON object"));
    }

    @Test
    void missingAndWrongFields() throws IOException {
        assertTrue(bad("{\"input0\":" + json(IN) + ",\"output0\":" + json(OUT) + "}").getMessage()
                .endsWith(":2: record is missing field code"));
        assertTrue(bad("{\"input0\":" + json(IN) + ",\"output0\":" + json(OUT) + ",\"input1\":" + json(IN)
                + ",\"code\":\"def run() { move() }\"}").getMessage().endsWith(":2: record is missing field output1"));
        assertTrue(bad("{\"code\":\"def run() { move() }\"}").getMessage().endsWith(":2: record has no field input0"));
        assertTrue(bad("{\"input0\":" + json(IN) + ",\"output0\":5,\"code\":\"def run() { move() }\"}").getMessage()
                .endsWith(":2: field output0 is not a string"));
    }

    @Test
    void badContentNamesLineAndField() throws IOException {
        String m = bad("{\"input0\":" + json(IN) + ",\"output0\":" + json(OUT.replace("#.>....#\n", ""))
                + ",\"code\":\"def run() { move() }\"}").getMessage();
        assertTrue(m.endsWith(":2: field output0: grid has 7 lines, expected 8"), m);
        m = bad("{\"input0\":" + json(IN) + ",\"output0\":" + json(OUT) + ",\"code\":\"def run() { jump() }\"}")
                .getMessage();
        assertTrue(m.contains(":2: field code: statement 1: unknown action 'jump'"), m);
    }

    @Test
    void truncatedGzipNamesTheFile() throws IOException {
        Path gz = dir.resolve("e.jsonl.gz");
        ReferenceJsonl.write(gz, samples(200, 3));
        byte[] b = Files.readAllBytes(gz);
        Path cut = dir.resolve("cut.jsonl.gz");
        Files.write(cut, Arrays.copyOf(b, b.length / 2));
        int[] seen = new int[1];
        KarelException e = assertThrows(KarelException.class, () -> ReferenceJsonl.read(cut, r -> seen[0]++));
        assertTrue(e.getMessage().startsWith(cut + ":") && e.getMessage().contains("truncated or damaged gzip"),
                e.getMessage());
        assertTrue(seen[0] > 0 && seen[0] < 200, "records before the damage were read: " + seen[0]);
    }

    @Test
    void writeIsAtomic() {
        Path f = dir.resolve("f.jsonl");
        Iterable<Sample> failing = () -> new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Sample next() {
                if (i++ == 3) {
                    throw new KarelException("boom");
                }
                return samples(1, i).get(0);
            }
        };
        assertThrows(KarelException.class, () -> ReferenceJsonl.write(f, failing));
        assertTrue(!Files.exists(f));
        assertEquals(0, dir.toFile().list().length, "no temporary file left");
    }
}
