package org.karellab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.karellab.data.Dataset;
import org.karellab.data.GenConfig;
import org.karellab.data.Generator;
import org.karellab.data.LengthRange;
import org.karellab.data.Split;
import org.karellab.lm.Checkpoint;
import org.karellab.lm.TrainRecipe;
import org.karellab.world.AbstractState;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import org.karellab.world.ProgramText;
import org.karellab.world.Semantics;
import tech.tablesaw.api.Table;

class TracerTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path run;
    static Path traced;
    static TraceMeta meta;

    @BeforeAll
    static void trainAndTrace() {
        GenConfig d = GenConfig.defaults();
        data = tmp.resolve("data");
        new Generator(new GenConfig(5, 2000, 60, 40, new LengthRange(1, 10), d.evalLengths(), d.examples(),
                d.specExamples(), d.wallRate(), d.markerRate(), d.weights(), false)).generate(data, 2, false);
        run = tmp.resolve("run");
        TrainRecipe.train(data, run, "smoke", Map.of(), false, new PrintStream(PrintStream.nullOutputStream()));
        traced = tmp.resolve("trace");
        try (Dataset ds = Dataset.open(data, false)) {
            meta = Tracer.trace(run, last(), ds, Tracer.Options.of(Split.TEST, 0).withRandomInit(9), traced);
        }
    }

    static Path last() {
        List<Path> all = Checkpoint.list(run);
        return all.get(all.size() - 1);
    }

    @Test
    void statesAndLabelsLineUp() {
        TraceSet t = TraceSet.open(traced, Dataset.sha256(last()));
        assertEquals(40, meta.programs());
        assertEquals(t.labels().rowCount(), meta.rows());
        for (String layer : meta.layers()) {
            assertEquals(meta.rows(), t.states(layer, false).rows(), layer);
            assertEquals(meta.rows(), t.states(layer, true).rows(), layer + " (random init)");
        }
        assertEquals(List.of("embed", "blocks.0.resid_post", "blocks.1.resid_post", "final", "mean"), meta.layers());
        // mean = average of embed and every block, row by row
        var embed = t.states("embed", false);
        var b0 = t.states("blocks.0.resid_post", false);
        var b1 = t.states("blocks.1.resid_post", false);
        var mean = t.states("mean", false);
        for (int c = 0; c < meta.dModel(); c++) {
            float want = (embed.get(3, c) + b0.get(3, c) + b1.get(3, c)) / 3;
            assertEquals(want, mean.get(3, c), 1e-5);
        }
        assertNotEquals(t.states("final", false).get(0, 0), t.states("final", true).get(0, 0),
                "the random-init model has other states");
    }

    @Test
    void labelsComeFromRunningTheGeneratedProgramOnInputZero() throws Exception {
        TraceSet t = TraceSet.open(traced, null);
        Table programs = Table.read().csv(traced.resolve(Tracer.PROGRAMS).toFile());
        Table labels = t.labels();
        String[] facing = t.column("original", 0, "facing");
        String[] position = t.column("original", 0, "position");
        String[] before = t.column("original", -1, "facing");
        String[] twoBefore = t.column("original", -2, "facing");
        try (Dataset ds = Dataset.open(data, false)) {
            for (int row = 0; row < labels.rowCount(); row++) {
                int id = labels.intColumn("program").get(row);
                int index = labels.intColumn("index").get(row);
                var program = ProgramText.parse(programs.stringColumn("generated").get(id));
                var trace = Interpreter.REFERENCE.trace(ds.split(Split.TEST).world(id, 0, false), program);
                AbstractState s = trace.state(index + 1);
                assertEquals(s.facing().name(), facing[row]);
                assertEquals(s.dx() + "," + s.dy(), position[row]);
                // the start state is never a label: offset -1 exists from the second action, -2 from the third
                assertEquals(index == 0 ? "" : trace.state(index).facing().name(), before[row]);
                assertEquals(index <= 1, twoBefore[row].isEmpty(), "no label reaches back to the start state");
            }
        }
    }

    @Test
    void alternativeSemanticsRelabelTheSameRows() {
        TraceSet t = TraceSet.open(traced, null);
        String[] original = t.column("original", 0, "facing");
        String[] flip = t.column("flip", 0, "facing");
        String[] actions = t.labels().stringColumn("action").asObjectArray();
        assertEquals(original.length, flip.length);
        boolean turned = false;
        for (String a : actions) {
            turned |= a.startsWith("turn");
        }
        boolean differ = false;
        for (int i = 0; i < original.length; i++) {
            differ |= !original[i].equals(flip[i]);
        }
        assertEquals(turned, differ, "flip changes facing labels exactly when the programs turn");
    }

    @Test
    void badInputsAreClearErrors() {
        assertThrows(KarelException.class, () -> TraceSet.open(traced, "0".repeat(64)), "another checkpoint");
        TraceSet t = TraceSet.open(traced, null);
        KarelException e = assertThrows(KarelException.class, () -> t.states("blocks.7.resid_post", false));
        assertTrue(e.getMessage().contains("no layer"), e.getMessage());
        assertThrows(KarelException.class, () -> t.column("mirror", 0, "facing"));
        assertThrows(KarelException.class, () -> Semantics.parse("mirror"));
        try (Dataset ds = Dataset.open(data, false)) {
            KarelException exists = assertThrows(KarelException.class,
                    () -> Tracer.trace(run, last(), ds, Tracer.Options.of(Split.TEST, 0), traced));
            assertTrue(exists.getMessage().contains("already exists"));
        }
        GenConfig d = GenConfig.defaults();
        Path noTest = tmp.resolve("no-test");
        new Generator(new GenConfig(6, 30, 0, 0, new LengthRange(1, 10), d.evalLengths(), d.examples(),
                d.specExamples(), d.wallRate(), d.markerRate(), d.weights(), false)).generate(noTest, 1, false);
        Path out = tmp.resolve("empty-trace");
        try (Dataset ds = Dataset.open(noTest, false)) {
            KarelException empty = assertThrows(KarelException.class,
                    () -> Tracer.trace(run, last(), ds, Tracer.Options.of(Split.TEST, 0), out));
            assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        }
        assertFalse(Files.exists(out), "nothing half-written");
        assertThrows(KarelException.class, () -> TraceSet.open(tmp.resolve("nothing"), null));
    }
}
