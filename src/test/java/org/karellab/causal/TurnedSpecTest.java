package org.karellab.causal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.karellab.data.GenConfig;
import org.karellab.data.Sample;
import org.karellab.data.Sampler;
import org.karellab.lm.Gpt;
import org.karellab.lm.LmConfig;
import org.karellab.lm.ModelShape;
import org.karellab.lm.Spec;
import org.karellab.lm.SpecEncoding;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import org.karellab.world.World;
import tech.tablesaw.api.Table;

class TurnedSpecTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private static List<Sample> samples(int n, long seed) {
        Sampler s = new Sampler(GenConfig.defaults());
        SplittableRandom rng = new SplittableRandom(seed);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s.sample(rng, s.program(rng, 1 + rng.nextInt(10)), 5));
        }
        return out;
    }

    @Test
    void theActionPositionsRunFromTheOneReadingBosThroughTheOneEmittingEos() {
        // ego, 5 examples: spec positions 0-4, BOS at 5 emits action 0; a 3-action program's EOS is emitted at 8
        assertArrayEquals(new int[] {0, 5}, TurnedSpec.span("spec", 5, 5, 3));
        assertArrayEquals(new int[] {5, 9}, TurnedSpec.span("emit", 5, 5, 3));
        // text: 430 spec tokens after no spec positions, BOS at 430
        assertArrayEquals(new int[] {430, 431}, TurnedSpec.span("emit", 0, 430, 0), "an empty program: only EOS");
        assertThrows(IllegalArgumentException.class, () -> TurnedSpec.span("tokens", 5, 5, 3));
    }

    @Test
    void distanceIsEuclidean() {
        assertEquals(5.0, TurnedSpec.distance(new float[] {0, 0, 1}, new float[] {3, 4, 1}), 1e-12);
        assertEquals(0.0, TurnedSpec.distance(new float[] {2, -1}, new float[] {2, -1}));
    }

    @Test
    void aTurnedSpecIsValidForTheSameProgramAndChangesEveryStartFacing() {
        SplittableRandom rng = new SplittableRandom(3);
        for (Sample s : samples(20, 1)) {
            Spec t = TurnedSpec.turn(s, 5, rng);
            Spec o = Spec.of(s.inputs(), s.outputs(), 5);
            for (int e = 0; e < 5; e++) {
                assertNotEquals(o.facing(2 * e), t.facing(2 * e), "1-3 quarter turns always change the facing");
                // the turned output is what the program makes of the turned input
                List<World> turnedIn = new ArrayList<>();
                World w = s.inputs().get(e);
                int k = (t.facing(2 * e) - o.facing(2 * e) + 4) % 4;
                for (int q = 0; q < k; q++) {
                    w = w.turned();
                }
                turnedIn.add(w);
                World run = Interpreter.REFERENCE.run(w, s.program());
                assertEquals(Spec.of(turnedIn, List.of(run), 1).robot(1), t.robot(2 * e + 1));
                assertEquals(run.facing().ordinal(), t.facing(2 * e + 1));
            }
        }
    }

    @Test
    void egoSeesATurnedSpecAsTheSameUpToTheStartPose() {
        // the premise of the measure: in the start frame nothing changes but the appended pose (16 features)
        SpecEncoding ego = SpecEncoding.byName("ego");
        SplittableRandom rng = new SplittableRandom(5);
        for (Sample s : samples(10, 2)) {
            Spec o = Spec.of(s.inputs(), s.outputs(), 5);
            Spec t = TurnedSpec.turn(s, 5, rng);
            float[] a = ego.encode(List.of(o), null).spec();
            float[] b = ego.encode(List.of(t), null).spec();
            int f = ego.featDim();
            for (int e = 0; e < 5; e++) {
                assertArrayEquals(Arrays.copyOfRange(a, e * f, (e + 1) * f - 16), Arrays.copyOfRange(b, e * f, (e + 1) * f - 16));
            }
        }
    }

    @Test
    void anUnturnedSpecGivesRatioZeroAndTheSamePrograms() {
        ModelShape shape = LmConfig.smoke().with("encoding", "ego").model();
        List<Sample> ss = samples(6, 4);
        List<Spec> specs = ss.stream().map(s -> Spec.of(s.inputs(), s.outputs(), 5)).toList();
        List<Spec> swapped = new ArrayList<>(specs.subList(1, 6));
        swapped.add(specs.get(0));
        try (Gpt model = Gpt.create(shape, Device.cpu())) {
            Table t = TurnedSpec.measure(model, null, specs, specs, swapped, new TurnedSpec.Options("last", 6, 50, 1, null), QUIET);
            assertEquals(1 + 2 * Gpt.hiddenNames(shape.nLayer()).size(), t.rowCount());
            assertEquals(TurnedSpec.WRITTEN, t.stringColumn(TurnedSpec.LAYER).get(0));
            assertEquals(1.0, t.doubleColumn(TurnedSpec.RATIO).get(0), "the same spec, the same program");
            for (int r = 1; r < t.rowCount(); r++) {
                assertEquals(0.0, t.doubleColumn(TurnedSpec.TURN).get(r), t.stringColumn(TurnedSpec.LAYER).get(r));
                if (embeddingAtActions(t, r)) {
                    // token and position embeddings only: no spec reaches them, so no scale and no ratio
                    assertEquals(0.0, t.doubleColumn(TurnedSpec.SWAP).get(r));
                    assertTrue(Double.isNaN(t.doubleColumn(TurnedSpec.RATIO).getDouble(r)));
                    continue;
                }
                assertEquals(0.0, t.doubleColumn(TurnedSpec.RATIO).get(r));
                assertTrue(t.doubleColumn(TurnedSpec.SWAP).get(r) > 0, "another spec moves the state");
            }
            // a random-init reader of the same programs gets its own rows, and no second "written" row
            Table v;
            try (Gpt random = Gpt.create(shape.with("seed", "5"), Device.cpu())) {
                v = TurnedSpec.measure(model, random, specs, specs, swapped, new TurnedSpec.Options("last", 6, 50, 1, null), QUIET);
            }
            assertEquals(1 + 4 * Gpt.hiddenNames(shape.nLayer()).size(), v.rowCount());
            assertEquals(1, v.where(v.stringColumn(TurnedSpec.LAYER).isEqualTo(TurnedSpec.WRITTEN)).rowCount());
            Table rand = v.where(v.stringColumn(TurnedSpec.LM).isEqualTo("random-init"));
            Table trained = v.where(v.stringColumn(TurnedSpec.LM).isEqualTo("trained"));
            assertEquals(2 * Gpt.hiddenNames(shape.nLayer()).size(), rand.rowCount());
            assertNotEquals(trained.doubleColumn(TurnedSpec.SWAP).getDouble(3), rand.doubleColumn(TurnedSpec.SWAP).getDouble(2),
                    "another network, other distances");
            // turned for real: the ego input moves only through the pose one-hots, so the ratio is in (0, 1)
            SplittableRandom rng = new SplittableRandom(9);
            List<Spec> turned = ss.stream().map(s -> TurnedSpec.turn(s, 5, rng)).toList();
            Table u = TurnedSpec.measure(model, null, specs, turned, swapped, new TurnedSpec.Options("last", 6, 50, 1, null), QUIET);
            for (int r = 1; r < u.rowCount(); r++) {
                if (embeddingAtActions(u, r)) {
                    continue;
                }
                double ratio = u.doubleColumn(TurnedSpec.RATIO).get(r);
                assertTrue(ratio > 0 && ratio < 1, u.stringColumn(TurnedSpec.LAYER).get(r) + ": " + ratio);
                assertTrue(u.doubleColumn(TurnedSpec.LOW).get(r) <= ratio && ratio <= u.doubleColumn(TurnedSpec.HIGH).get(r));
            }
        }
    }

    private static boolean embeddingAtActions(Table t, int r) {
        return t.stringColumn(TurnedSpec.LAYER).get(r).equals(Gpt.EMBED) && t.stringColumn(TurnedSpec.WHERE).get(r).equals("emit");
    }

    @Test
    void tooFewSamplesIsAnError() {
        KarelException e = assertThrows(KarelException.class, () -> new TurnedSpec.Options("last", 1, 10, 1, null));
        assertEquals("turned spec: samples must be at least 2 (a swap needs another program), got 1", e.getMessage());
    }
}
