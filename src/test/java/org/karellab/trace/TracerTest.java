package org.karellab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
import org.karellab.lm.Batch;
import org.karellab.lm.Checkpoint;
import org.karellab.lm.Gpt;
import org.karellab.lm.HiddenFilter;
import org.karellab.lm.Spec;
import org.karellab.lm.SpecEncoding;
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
        assertEquals(List.of("blocks.0.resid_pre", "blocks.0.resid_post", "blocks.1.resid_post", "ln_final.normalized",
                "mean"), meta.layers());
        assertEquals(TraceMeta.FORMAT_VERSION, meta.formatVersion());
        // mean = average of the embedding sum and every block's resid_post (not ln_final), row by row
        var embed = t.states("blocks.0.resid_pre", false);
        var b0 = t.states("blocks.0.resid_post", false);
        var b1 = t.states("blocks.1.resid_post", false);
        var mean = t.states("mean", false);
        for (int row : new int[] {0, 3, (int) meta.rows() - 1}) {
            for (int c = 0; c < meta.dModel(); c++) {
                float want = (embed.get(row, c) + b0.get(row, c) + b1.get(row, c)) / 3;  // the sum as it always was
                assertEquals(want, mean.get(row, c), 0f);
            }
        }
        assertNotEquals(t.states("ln_final.normalized", false).get(0, 0), t.states("ln_final.normalized", true).get(0, 0),
                "the random-init model has other states");
    }

    @Test
    void statesAreThoseOfTheForwardPassAtEachEmittingPosition() throws Exception {
        // the first row of an action 1: a teacher-forced pass over its generated program, at the
        // position emitting action 1
        TraceSet t = TraceSet.open(traced, null);
        Table programs = Table.read().csv(traced.resolve(Tracer.PROGRAMS).toFile());
        int row = 0;
        while (t.labels().intColumn("index").get(row) != 1) {
            row++;
        }
        int id = t.labels().intColumn("program").get(row);
        var program = ProgramText.parse(programs.stringColumn("generated").get(id));
        try (Dataset ds = Dataset.open(data, false); Gpt model = Checkpoint.loadModel(last());
                NDManager scope = model.newScope()) {
            SpecEncoding enc = SpecEncoding.byName(model.config().encoding());
            var sample = ds.split(Split.TEST).sample(id);
            int specExamples = ds.config().specExamples();
            Batch forced = enc.encode(List.of(Spec.of(sample.inputs(), sample.outputs(), specExamples)),
                    List.of(program));
            int position = forced.specLen() + enc.specTokens(specExamples) + 1;
            var hidden = model.forward(scope, forced, false, HiddenFilter.all()).hidden();
            for (String layer : List.of("blocks.0.resid_pre", "blocks.1.resid_post", "ln_final.normalized")) {
                float[] want = hidden.get(layer).get(new NDIndex("0, {}, :", position)).toFloatArray();
                var stored = t.states(layer, false);
                for (int c = 0; c < meta.dModel(); c++) {
                    assertEquals(want[c], stored.get(row, c), 1e-5f, layer);
                }
            }
        }
    }

    @Test
    void foldersOfTheOldFormatAskToBeRegenerated() throws Exception {
        Path old = tmp.resolve("old-format");
        Files.createDirectories(old);
        Files.copy(traced.resolve(Tracer.LABELS), old.resolve(Tracer.LABELS));
        String json = Files.readString(traced.resolve(TraceMeta.FILE))
                .replaceFirst("\\s*\"formatVersion\" : 2,", "")
                .replace("blocks.0.resid_pre", "embed").replace("ln_final.normalized", "final");
        assertFalse(json.contains("formatVersion"));
        Files.writeString(old.resolve(TraceMeta.FILE), json);
        KarelException e = assertThrows(KarelException.class, () -> TraceSet.open(old, null));
        assertEquals(old + ": trace folder of format version 1 (layers named embed/final), this kit reads version 2: "
                + "regenerate it (delete it and trace again)", e.getMessage());
        assertEquals(0, TraceMeta.readAnyVersion(old).formatVersion());
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
        e = assertThrows(KarelException.class, () -> t.states("final", false), "the old name is gone");
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
