package org.karellab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.karellab.world.KarelException;

/** GenConfig and LengthRange: the reference's defaults and the bounds on user input. */
class GenConfigTest {

    @Test
    void defaultsAreTheReferences() {
        GenConfig d = GenConfig.defaults();
        assertEquals(500_000, d.train());
        assertEquals(10_000, d.val());
        assertEquals(10_000, d.test());
        assertEquals(new LengthRange(6, 10), d.trainLengths());
        assertEquals(new LengthRange(1, 10), d.evalLengths());
        assertEquals(10, d.examples());
        assertEquals(5, d.specExamples());
        assertEquals(0.1, d.wallRate());
        assertEquals(0.1, d.markerRate());
        assertEquals(List.of(5, 3, 3, 2, 2), d.weights());
        assertEquals(false, d.dedup());
        assertEquals(10, d.maxLength());
        assertEquals(d.trainLengths(), d.lengths(Split.TRAIN));
        assertEquals(d.evalLengths(), d.lengths(Split.VAL));
        assertEquals(10_000, d.count(Split.TEST));
    }

    @Test
    void builderChangesOnlyWhatItIsTold() {
        GenConfig d = GenConfig.defaults();
        GenConfig longer = d.toBuilder().optTrainLengths(new LengthRange(1, 10)).build();
        assertEquals(new LengthRange(1, 10), longer.trainLengths());
        assertEquals(d, longer.toBuilder().optTrainLengths(d.trainLengths()).build(), "every other field kept");
        assertEquals(d, GenConfig.builder().build());
        KarelException e = assertThrows(KarelException.class, () -> GenConfig.builder().optSpecExamples(11).build());
        assertEquals("spec examples 11 is invalid (want 1..10)", e.getMessage());
    }

    private static GenConfig with(int train, int examples, int spec, double wall, double marker, List<Integer> w) {
        return GenConfig.builder().optTrain(train).optVal(0).optTest(0).optExamples(examples).optSpecExamples(spec)
                .optWallRate(wall).optMarkerRate(marker).optWeights(w).build();
    }

    @Test
    void sizesAreBounded() {
        List<Integer> w = List.of(5, 3, 3, 2, 2);
        KarelException e = assertThrows(KarelException.class, () -> with(-5, 10, 5, 0.1, 0.1, w));
        assertTrue(e.getMessage().contains("--train -5"), e.getMessage());
        assertThrows(KarelException.class, () -> with(GenConfig.MAX_PROGRAMS + 1, 10, 5, 0.1, 0.1, w));
        assertEquals(GenConfig.MAX_PROGRAMS, with(GenConfig.MAX_PROGRAMS, 10, 5, 0.1, 0.1, w).train());
        assertEquals(0, with(0, 10, 5, 0.1, 0.1, w).train());
    }

    @Test
    void otherFieldsAreChecked() {
        List<Integer> w = List.of(5, 3, 3, 2, 2);
        assertThrows(KarelException.class, () -> with(1, 0, 1, 0.1, 0.1, w));
        assertThrows(KarelException.class, () -> with(1, 101, 5, 0.1, 0.1, w));
        assertThrows(KarelException.class, () -> with(1, 10, 11, 0.1, 0.1, w));
        assertThrows(KarelException.class, () -> with(1, 10, 0, 0.1, 0.1, w));
        assertThrows(KarelException.class, () -> with(1, 10, 5, 1.0, 0.1, w));
        assertThrows(KarelException.class, () -> with(1, 10, 5, -0.1, 0.1, w));
        assertThrows(KarelException.class, () -> with(1, 10, 5, 0.1, 1.5, w));
        assertThrows(KarelException.class, () -> with(1, 10, 5, Double.NaN, 0.1, w));
        assertThrows(KarelException.class, () -> with(1, 10, 5, 0.1, 0.1, List.of(1, 2, 3)));
        assertThrows(KarelException.class, () -> with(1, 10, 5, 0.1, 0.1, List.of(1, -1, 1, 1, 1)));
        assertThrows(KarelException.class, () -> with(1, 10, 5, 0.1, 0.1, List.of(0, 0, 0, 0, 0)));
    }

    @Test
    void weightsAreCopied() {
        List<Integer> w = new ArrayList<>(List.of(5, 3, 3, 2, 2));
        GenConfig c = with(1, 10, 5, 0.1, 0.1, w);
        w.set(0, 100);
        assertEquals(List.of(5, 3, 3, 2, 2), c.weights());
    }

    @Test
    void lengthRanges() {
        assertEquals(new LengthRange(6, 10), LengthRange.parse("6-10"));
        assertEquals(new LengthRange(7, 7), LengthRange.parse(" 7 "));
        assertEquals(new LengthRange(1, 64), LengthRange.parse("1 - 64"));
        assertEquals("6-10", new LengthRange(6, 10).toString());
        assertEquals("7", new LengthRange(7, 7).toString());
        assertEquals(5, new LengthRange(6, 10).count());
        assertTrue(new LengthRange(6, 10).contains(6) && new LengthRange(6, 10).contains(10));
        assertTrue(!new LengthRange(6, 10).contains(5) && !new LengthRange(6, 10).contains(11));
        for (String bad : List.of("0-3", "10-6", "1-65", "abc", "", "3-", "-3")) {
            assertThrows(KarelException.class, () -> LengthRange.parse(bad), bad);
        }
    }

    @Test
    void splits() {
        assertEquals(Split.VAL, Split.byName("Val"));
        assertEquals("train", Split.TRAIN.id());
        assertEquals(List.of(Split.TEST, Split.VAL, Split.TRAIN), List.of(Split.values()), "generation order");
        assertThrows(KarelException.class, () -> Split.byName("validation"));
    }
}
