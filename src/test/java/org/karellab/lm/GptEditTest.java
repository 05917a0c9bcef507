package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Edits of hidden states during the forward pass (activation patching). */
class GptEditTest {
    private static final ModelShape SMOKE = TestConfigs.gridSmoke().model();

    static float[] randomVector(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[SMOKE.dModel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** State {@code h} (B, L, C) of row {@code row} at position {@code pos}. */
    static float[] at(NDArray h, int row, int pos) {
        return h.get(new NDIndex("{}, {}, :", row, pos)).toFloatArray();
    }

    @Test
    void aReplaceAtPositionPChangesNothingBeforePAndEverythingLaterDownstream() {
        Batch b = Bench.syntheticGridBatch(2, SMOKE.featDim(), 7);
        int p = b.specLen() + 4;                                        // a token position
        float[] v = randomVector(1);
        String edited = "blocks.0.resid_mid";
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            Gpt.Output x = model.forward(scope, b, false, HiddenFilter.all());
            Gpt.Output y = model.forward(scope, b, false, HiddenFilter.all(), List.of(Edit.replace(edited, v, p)));
            List<String> names = Gpt.hiddenNames(SMOKE.nLayer());
            for (String name : names) {
                NDArray before = x.hidden().get(name);
                NDArray after = y.hidden().get(name);
                assertArrayEquals(before.get(new NDIndex(":, :{}, :", p)).toFloatArray(),
                        after.get(new NDIndex(":, :{}, :", p)).toFloatArray(), name + " before p (causality)");
            }
            for (int row = 0; row < 2; row++) {
                assertArrayEquals(v, at(y.hidden().get(edited), row, p), "the edited state is the vector");
                for (int q = p + 1; q < b.seqLen(); q++) {
                    assertArrayEquals(at(x.hidden().get(edited), row, q), at(y.hidden().get(edited), row, q),
                            "the edit itself touches only position p");
                }
                assertFalse(java.util.Arrays.equals(at(x.hidden().get("blocks.0.resid_post"), row, p),
                        at(y.hidden().get("blocks.0.resid_post"), row, p)), "the MLP of block 0 reads the edit");
                for (String name : names.subList(names.indexOf("blocks.1.resid_mid"), names.size())) {
                    for (int q = p; q < b.seqLen(); q++) {   // block 1's attention carries it to every later position
                        assertFalse(java.util.Arrays.equals(at(x.hidden().get(name), row, q), at(y.hidden().get(name), row, q)),
                                name + " at position " + q + " should see the edit");
                    }
                }
            }
            int t = p - b.specLen();                                       // token index of position p
            assertArrayEquals(x.logits().get(new NDIndex(":, :{}, :", t)).toFloatArray(),
                    y.logits().get(new NDIndex(":, :{}, :", t)).toFloatArray());
            assertFalse(x.logits().get(new NDIndex(":, {}:, :", t)).contentEquals(y.logits().get(new NDIndex(":, {}:, :", t))));
        }
    }

    @Test
    void addingZerosIsTheIdentity() {
        Batch b = Bench.syntheticGridBatch(2, SMOKE.featDim(), 8);
        int[] every = new int[b.seqLen()];
        java.util.Arrays.setAll(every, i -> i);
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            Gpt.Output x = model.forward(scope, b, false, HiddenFilter.all());
            List<Edit> zeros = Gpt.hiddenNames(SMOKE.nLayer()).stream()
                    .map(n -> Edit.add(n, new float[SMOKE.dModel()], every)).toList();
            Gpt.Output y = model.forward(scope, b, false, HiddenFilter.all(), zeros);
            for (Map.Entry<String, NDArray> e : x.hidden().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), y.hidden().get(e.getKey()).toFloatArray(), e.getKey());
            }
            assertArrayEquals(x.logits().toFloatArray(), y.logits().toFloatArray());
            // and a non-zero addition shifts exactly the edited position of that state
            float[] v = randomVector(2);
            Gpt.Output z = model.forward(scope, b, false, HiddenFilter.all(), List.of(Edit.add("ln_final.normalized", v, 12)));
            float[] base = at(x.hidden().get("ln_final.normalized"), 1, 12);
            float[] shifted = at(z.hidden().get("ln_final.normalized"), 1, 12);
            for (int k = 0; k < v.length; k++) {
                assertEquals(base[k] + v[k], shifted[k], 1e-6f);
            }
        }
    }

    @Test
    void patchingEveryPositionOfALayerFromRunBMakesLaterLayersThoseOfRunB() {
        Batch a = Bench.syntheticGridBatch(2, SMOKE.featDim(), 21);
        Batch other = Bench.syntheticGridBatch(2, SMOKE.featDim(), 22);
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            Gpt.Output runB = model.forward(scope, other, false, HiddenFilter.all());
            Gpt.Output runA = model.forward(scope, a, false, HiddenFilter.all());
            Edit patch = Edit.patchAll("blocks.0.resid_post", runB.hidden().get("blocks.0.resid_post"));
            Gpt.Output patched = model.forward(scope, a, false, HiddenFilter.all(), List.of(patch));
            List<String> names = Gpt.hiddenNames(SMOKE.nLayer());
            for (String name : names.subList(names.indexOf("blocks.0.resid_post"), names.size())) {
                assertArrayEquals(runB.hidden().get(name).toFloatArray(), patched.hidden().get(name).toFloatArray(),
                        1e-6f, name);
            }
            assertArrayEquals(runB.logits().toFloatArray(), patched.logits().toFloatArray(), 1e-6f);
            assertArrayEquals(runA.hidden().get("blocks.0.resid_mid").toFloatArray(),
                    patched.hidden().get("blocks.0.resid_mid").toFloatArray(), "earlier states stay run A's");
            assertFalse(runA.hidden().get("blocks.0.resid_mid").contentEquals(runB.hidden().get("blocks.0.resid_mid")));

            // a (L, C) slice: run B's row 1 patched into every row of run A
            NDArray row1 = runB.hidden().get("blocks.0.resid_post").get(1);        // (L, C)
            Gpt.Output both = model.forward(scope, a, false, HiddenFilter.all(),
                    List.of(Edit.patchAll("blocks.0.resid_post", row1)));
            for (int r = 0; r < 2; r++) {
                assertArrayEquals(runB.hidden().get("ln_final.normalized").get(1).toFloatArray(),
                        both.hidden().get("ln_final.normalized").get(r).toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void perRowValuesAndBadEdits() {
        Batch b = Bench.syntheticGridBatch(2, SMOKE.featDim(), 9);
        int c = SMOKE.dModel();
        float[] v0 = randomVector(3);
        float[] v1 = randomVector(4);
        float[] perRow = new float[2 * c];                                    // (rows 2, positions 1, C)
        System.arraycopy(v0, 0, perRow, 0, c);
        System.arraycopy(v1, 0, perRow, c, c);
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            Gpt.Output y = model.forward(scope, b, false, HiddenFilter.of("blocks.1.resid_pre"),
                    List.of(new Edit("blocks.1.resid_pre", Edit.Op.REPLACE, new int[] {3}, 2, perRow)));
            assertArrayEquals(v0, at(y.hidden().get("blocks.1.resid_pre"), 0, 3));
            assertArrayEquals(v1, at(y.hidden().get("blocks.1.resid_pre"), 1, 3));
            // a position past this sequence (but inside the context) is not reached: no change
            Gpt.Output x = model.forward(scope, b, false, HiddenFilter.none());
            Gpt.Output far = model.forward(scope, b, false, HiddenFilter.none(),
                    List.of(Edit.replace("blocks.0.resid_pre", v0, SMOKE.contextLength() - 1)));
            assertArrayEquals(x.logits().toFloatArray(), far.logits().toFloatArray());

            List<List<Edit>> bad = List.of(
                    List.of(Edit.replace("embed", v0, 1)),
                    List.of(Edit.replace("blocks.2.resid_pre", v0, 1)),
                    List.of(Edit.replace("blocks.0.resid_pre", new float[c + 1], 1)),
                    List.of(new Edit("blocks.0.resid_pre", Edit.Op.ADD, new int[] {1}, 3, new float[3 * c])),
                    List.of(Edit.replace("blocks.0.resid_pre", v0, SMOKE.contextLength())));
            for (List<Edit> edits : bad) {
                LmException e = assertThrows(LmException.class,
                        () -> model.forward(scope, b, false, HiddenFilter.none(), edits), edits.toString());
                assertTrue(e.getMessage().startsWith("edit of"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Edit.replace("blocks.0.resid_pre", v0, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Edit.replace("blocks.0.resid_pre", v0, -1));
        assertThrows(IllegalArgumentException.class, () -> Edit.replace("blocks.0.resid_pre", v0));
        assertThrows(IllegalArgumentException.class,
                () -> new Edit("blocks.0.resid_pre", Edit.Op.ADD, new int[] {1, 2}, 2, new float[5]));
    }

    /**
     * A steer adds what it computes from the state the pass has there: a per-row constant is the
     * per-row ADD edit, minus the state zeroes it, null leaves the pass as it was, and the state
     * it is given is the unedited one.
     */
    @Test
    void aSteerAddsWhatItComputesFromTheStateItSees() {
        Batch b = Bench.syntheticGridBatch(2, SMOKE.featDim(), 9);
        int c = SMOKE.dModel();
        int p = b.specLen() + 3;
        int q = b.specLen() + 5;
        String name = "blocks.1.resid_pre";
        float[] perRow = new float[2 * 2 * c];                                 // (rows, positions, C)
        for (int k = 0; k < 4; k++) {
            System.arraycopy(randomVector(20 + k), 0, perRow, k * c, c);
        }
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            Gpt.Output x = model.forward(scope, b, false, HiddenFilter.all());
            Gpt.Output added = model.forward(scope, b, false, HiddenFilter.all(),
                    List.of(new Edit(name, Edit.Op.ADD, new int[] {p, q}, 2, perRow)));
            float[][] seen = new float[2][];
            Gpt.Output steered = model.forward(scope, b, false, HiddenFilter.all(), List.of(Edit.steer(name, (row, pos, state) -> {
                if (pos == p) {
                    seen[row] = state;
                }
                int k = row * 2 + (pos == p ? 0 : 1);
                return java.util.Arrays.copyOfRange(perRow, k * c, (k + 1) * c);
            }, p, q)));
            for (String n : Gpt.hiddenNames(SMOKE.nLayer())) {
                assertArrayEquals(added.hidden().get(n).toFloatArray(), steered.hidden().get(n).toFloatArray(), n);
            }
            for (int row = 0; row < 2; row++) {
                assertArrayEquals(at(x.hidden().get(name), row, p), seen[row], "the steer sees the unedited state");
            }
            Gpt.Output zeroed = model.forward(scope, b, false, HiddenFilter.all(), List.of(Edit.steer(name, (row, pos, state) -> {
                float[] minus = new float[state.length];
                for (int k = 0; k < minus.length; k++) {
                    minus[k] = -state[k];
                }
                return row == 1 ? minus : null;
            }, p)));
            assertArrayEquals(new float[c], at(zeroed.hidden().get(name), 1, p), "minus the state zeroes it");
            assertArrayEquals(at(x.hidden().get(name), 0, p), at(zeroed.hidden().get(name), 0, p), "null leaves row 0 alone");
            assertArrayEquals(x.hidden().get(name).get(new NDIndex("0, :, :")).toFloatArray(),
                    zeroed.hidden().get(name).get(new NDIndex("0, :, :")).toFloatArray());
            LmException wide = assertThrows(LmException.class, () -> model.forward(scope, b, false, HiddenFilter.none(),
                    List.of(Edit.steer(name, (row, pos, state) -> new float[c + 1], p))));
            assertEquals("steer of " + name + " at position " + p + " gave " + (c + 1) + " values, dModel is " + c, wide.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Edit(name, Edit.Op.STEER, new int[] {p}, 1, new float[0]),
                "STEER without a steer");
        assertThrows(IllegalArgumentException.class, () -> new Edit(name, Edit.Op.ADD, new int[] {p}, 1, new float[c],
                (row, pos, state) -> null), "a steer on an ADD edit");
        assertThrows(IllegalArgumentException.class, () -> new Edit(name, Edit.Op.STEER, new int[] {p}, 1, new float[c],
                (row, pos, state) -> null), "a steer with values");
    }
}
