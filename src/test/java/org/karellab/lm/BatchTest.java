package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BatchTest {
    private static final int[] TOKENS = {Tokens.BOS, 3, Tokens.BOS, 4};
    private static final int[] TARGETS = {3, Tokens.EOS, 4, Tokens.EOS};

    /** B = 2, S = 2, F = 4: positions (0,0) = {1, 3}, (0,1) = {}, (1,0) = {0}, (1,1) = {0, 1, 2, 3}. */
    private static Batch.ActiveFeatures ones() {
        return new Batch.ActiveFeatures.Builder(4, 2)
                .add(1).add(3).endPosition()
                .endPosition()
                .add(0).endPosition()
                .add(0).add(1).add(2).add(3).endPosition()
                .build();
    }

    private static final float[] DENSE = {
        0, 1, 0, 1, 0, 0, 0, 0,
        1, 0, 0, 0, 1, 1, 1, 1};

    @Test
    void activeFeaturesReadAsTheDenseArrayAndBack() {
        Batch sparse = new Batch(2, 2, 4, ones(), 2, TOKENS, TARGETS);
        assertArrayEquals(DENSE, sparse.spec());
        assertSame(sparse.spec(), sparse.spec(), "made once");
        Batch dense = new Batch(2, 2, 4, DENSE, 2, TOKENS, TARGETS);
        Batch.ActiveFeatures a = dense.activeFeatures().orElseThrow();
        assertArrayEquals(new int[] {0, 2, 2, 3, 7}, a.offsets());
        assertArrayEquals(new int[] {1, 3, 0, 0, 1, 2, 3}, a.indices());
        assertEquals(7, a.count());
        assertEquals(4, a.maxPerPosition());
    }

    @Test
    void otherValuesThanZeroAndOneHaveNoActiveFeatures() {
        float[] x = DENSE.clone();
        x[5] = 2f;
        assertTrue(new Batch(2, 2, 4, x, 2, TOKENS, TARGETS).activeFeatures().isEmpty());
    }

    @Test
    void withTokensKeepsTheSpec() {
        Batch sparse = new Batch(2, 2, 4, ones(), 2, TOKENS, TARGETS);
        Batch longer = sparse.withTokens(3, new int[6], new int[] {-1, -1, -1, -1, -1, -1});
        assertEquals(3, longer.tokLen());
        assertSame(sparse.activeFeatures().orElseThrow(), longer.activeFeatures().orElseThrow());
        assertArrayEquals(DENSE, longer.spec());
        assertEquals(0, longer.targetCount());
    }

    @Test
    void badActiveFeaturesAreRejected() {
        Batch.ActiveFeatures outOfRange = new Batch.ActiveFeatures.Builder(4, 2)
                .add(4).endPosition().endPosition().endPosition().endPosition().build();
        assertEquals("batch: active feature 4 at position 0 is out of [0, 4) or not increasing",
                assertThrows(IllegalArgumentException.class,
                        () -> new Batch(2, 2, 4, outOfRange, 2, TOKENS, TARGETS)).getMessage());
        Batch.ActiveFeatures repeated = new Batch.ActiveFeatures.Builder(4, 2)
                .endPosition().add(2).add(2).endPosition().endPosition().endPosition().build();
        assertThrows(IllegalArgumentException.class, () -> new Batch(2, 2, 4, repeated, 2, TOKENS, TARGETS));
        Batch.ActiveFeatures tooFew = new Batch.ActiveFeatures.Builder(3, 2)
                .endPosition().endPosition().endPosition().build();
        assertThrows(IllegalArgumentException.class, () -> new Batch(2, 2, 4, tooFew, 2, TOKENS, TARGETS));
        assertThrows(IllegalStateException.class, () -> new Batch.ActiveFeatures.Builder(2, 1).endPosition().build());
    }
}
