package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The incremental forward pass gives what the full pass gives. */
class KvCacheTest {
    private static final ModelShape SMOKE = TestConfigs.gridSmoke().model();
    private static final float TOL = 1e-5f;

    /** Token positions [from, to) of the given rows of b; the spec only when from is 0. */
    static Batch slice(Batch b, int[] rows, int from, int to) {
        int n = to - from;
        int[] tokens = new int[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(b.tokens(), rows[i] * b.tokLen() + from, tokens, i * n, n);
        }
        int[] targets = new int[tokens.length];
        Arrays.fill(targets, Batch.NO_TARGET);
        if (from > 0) {
            return new Batch(rows.length, 0, 0, new float[0], n, tokens, targets);
        }
        int f = b.specLen() * b.featDim();
        float[] spec = new float[rows.length * f];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(b.spec(), rows[i] * f, spec, i * f, f);
        }
        return new Batch(rows.length, b.specLen(), b.featDim(), spec, n, tokens, targets);
    }

    static int[] all(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    /** (B, ., C) state of the given rows at the given positions of a pass, as floats. */
    static float[] rows(NDArray h, int[] rows, int from, int to) {
        NDArray picked = h.get(new NDIndex("{}, {}:{}, :", h.getManager().create(Arrays.stream(rows).asLongStream().toArray()),
                from, to));
        return picked.toFloatArray();
    }

    @Test
    void incrementalPassesEqualTheFullPassWithAndWithoutEdits() {
        Batch b = Bench.syntheticGridBatch(3, SMOKE.featDim(), 5);
        int s = b.specLen();
        float[] v = GptEditTest.randomVector(7);
        List<List<Edit>> editLists = List.of(List.of(),
                List.of(Edit.replace("blocks.0.resid_mid", v, s + 1),           // in the prefix
                        Edit.add("blocks.1.resid_pre", v, s + 6, s + 9)));     // at later single steps
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            for (List<Edit> edits : editLists) {
                Gpt.Output full = model.forward(scope, b, false, HiddenFilter.all(), edits);
                try (Gpt.KvCache cache = model.newCache()) {
                    int first = 4;
                    Gpt.Output prefix = model.forward(scope, cache, slice(b, all(3), 0, first), HiddenFilter.all(), edits);
                    assertEquals(s + first, cache.length());
                    for (String name : Gpt.hiddenNames(SMOKE.nLayer())) {
                        assertArrayEquals(rows(full.hidden().get(name), all(3), 0, s + first),
                                prefix.hidden().get(name).toFloatArray(), TOL, name);
                    }
                    assertArrayEquals(full.logits().get(new NDIndex(":, :{}, :", first)).toFloatArray(),
                            prefix.logits().toFloatArray(), TOL);
                    for (int t = first; t < b.tokLen(); t++) {
                        Gpt.Output step = model.forward(scope, cache, slice(b, all(3), t, t + 1), HiddenFilter.all(), edits);
                        for (String name : Gpt.hiddenNames(SMOKE.nLayer())) {
                            assertArrayEquals(rows(full.hidden().get(name), all(3), s + t, s + t + 1),
                                    step.hidden().get(name).toFloatArray(), TOL, name + " at token " + t);
                        }
                        assertArrayEquals(full.logits().get(new NDIndex(":, {}:{}, :", t, t + 1)).toFloatArray(),
                                step.logits().toFloatArray(), TOL);
                    }
                    assertEquals(b.seqLen(), cache.length());
                }
            }
        }
    }

    @Test
    void rowsDroppedFromTheCacheLeaveTheOthersAsTheyWere() {
        Batch b = Bench.syntheticGridBatch(3, SMOKE.featDim(), 6);
        int s = b.specLen();
        int c = SMOKE.dModel();
        float[] perRow = new float[3 * c];                                    // one vector per prompt row
        for (int r = 0; r < 3; r++) {
            System.arraycopy(GptEditTest.randomVector(10 + r), 0, perRow, r * c, c);
        }
        List<Edit> edits = List.of(new Edit("blocks.0.resid_post", Edit.Op.ADD, new int[] {s + 5}, 3, perRow));
        int[] kept = {0, 2};
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            Gpt.Output full = model.forward(scope, b, false, HiddenFilter.all(), edits);
            try (Gpt.KvCache cache = model.newCache()) {
                model.forward(scope, cache, slice(b, all(3), 0, 3), HiddenFilter.none(), edits);
                cache.keepRows(kept);
                assertArrayEquals(kept, cache.rows());
                for (int t = 3; t < b.tokLen(); t++) {
                    Gpt.Output step = model.forward(scope, cache, slice(b, kept, t, t + 1), HiddenFilter.all(), edits);
                    for (String name : Gpt.hiddenNames(SMOKE.nLayer())) {
                        assertArrayEquals(rows(full.hidden().get(name), kept, s + t, s + t + 1),
                                step.hidden().get(name).toFloatArray(), TOL, name + " at token " + t);
                    }
                }
                cache.keepRows(1);                                             // row 2 of the prompt
                assertArrayEquals(new int[] {2}, cache.rows());
            }
        }
    }

    /** A steer in a cached decoding gets each row's number in the first batch, also after rows are dropped. */
    @Test
    void aSteerKeepsTheFirstBatchsRowNumbersWhenRowsAreDropped() {
        Batch b = Bench.syntheticGridBatch(3, SMOKE.featDim(), 6);
        int s = b.specLen();
        int c = SMOKE.dModel();
        float[] perRow = new float[3 * c];
        for (int r = 0; r < 3; r++) {
            System.arraycopy(GptEditTest.randomVector(30 + r), 0, perRow, r * c, c);
        }
        int[] later = {s + 1, s + 4, s + 5};                                   // one in the prefix, two at single steps
        List<Edit> added = List.of(new Edit("blocks.0.resid_post", Edit.Op.ADD, later, 3,
                tileRows(perRow, c, later.length)));
        java.util.Set<Integer> rowsAfterDrop = new java.util.TreeSet<>();
        List<Edit> steered = List.of(Edit.steer("blocks.0.resid_post", (row, pos, state) -> {
            if (pos >= s + 3) {
                rowsAfterDrop.add(row);
            }
            return Arrays.copyOfRange(perRow, row * c, (row + 1) * c);
        }, later));
        int[] kept = {0, 2};
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); NDManager scope = model.newScope()) {
            Gpt.Output full = model.forward(scope, b, false, HiddenFilter.all(), added);
            try (Gpt.KvCache cache = model.newCache()) {
                model.forward(scope, cache, slice(b, all(3), 0, 3), HiddenFilter.none(), steered);
                cache.keepRows(kept);
                for (int t = 3; t < b.tokLen(); t++) {
                    Gpt.Output step = model.forward(scope, cache, slice(b, kept, t, t + 1), HiddenFilter.all(), steered);
                    for (String name : Gpt.hiddenNames(SMOKE.nLayer())) {
                        assertArrayEquals(rows(full.hidden().get(name), kept, s + t, s + t + 1),
                                step.hidden().get(name).toFloatArray(), TOL, name + " at token " + t);
                    }
                }
            }
        }
        assertEquals(java.util.Set.of(0, 2), rowsAfterDrop);
    }

    /** (rows, positions, C) from one (C) vector per row, the same at every position. */
    private static float[] tileRows(float[] perRow, int c, int positions) {
        int rows = perRow.length / c;
        float[] out = new float[rows * positions * c];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < positions; j++) {
                System.arraycopy(perRow, r * c, out, (r * positions + j) * c, c);
            }
        }
        return out;
    }

    @Test
    void misuseFailsClearly() {
        Batch b = Bench.syntheticGridBatch(2, SMOKE.featDim(), 6);
        try (Gpt model = Gpt.create(SMOKE, Device.cpu()); Gpt other = Gpt.create(SMOKE, Device.cpu());
                NDManager scope = model.newScope(); Gpt.KvCache cache = model.newCache()) {
            model.forward(scope, cache, slice(b, all(2), 0, 2), HiddenFilter.none(), List.of());
            assertThrows(LmException.class, () -> model.forward(scope, cache, slice(b, all(2), 0, 1),
                    HiddenFilter.none(), List.of()), "spec positions again");
            assertThrows(LmException.class, () -> model.forward(scope, cache, slice(b, new int[] {0}, 2, 3),
                    HiddenFilter.none(), List.of()), "another number of rows");
            assertThrows(IllegalArgumentException.class, () -> other.forward(scope, cache, slice(b, all(2), 2, 3),
                    HiddenFilter.none(), List.of()), "another model's cache");
            Batch tokens21 = new Batch(2, 0, 0, new float[0], 21, new int[42], new int[42]);
            LmException tooLong = assertThrows(LmException.class, () -> model.forward(scope, cache, tokens21,
                    HiddenFilter.none(), List.of()));
            assertEquals("sequence of 33 positions exceeds contextLength " + SMOKE.contextLength(), tooLong.getMessage());
            assertThrows(IllegalArgumentException.class, () -> cache.keepRows(1, 0));
            try (Gpt.KvCache small = model.newCache(11)) {
                LmException full = assertThrows(LmException.class, () -> model.forward(scope, small,
                        slice(b, all(2), 0, 2), HiddenFilter.none(), List.of()));
                assertEquals("cache holds 11 positions, the pass needs 12", full.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> model.newCache(SMOKE.contextLength() + 1));
        }
    }
}
