package org.karellab.probe;

import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProbeFitTest {

    @Test
    void selectsOnValidationAndOnlyReportsTest() {
        SplittableRandom random = new SplittableRandom(30);
        Synthetic.Rows train = Synthetic.linear(1500, 16, 2, 31, random);
        Synthetic.Rows validation = Synthetic.linear(500, 16, 2, 31, random);
        // A test split on which the majority baseline is perfect: choosing on test would pick "dummy".
        String majority = ProbeScore.of(ProbeRegistry.trainer("dummy").train(train.dataset("train")),
                train.dataset("train")).classCounts().entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String[] allMajority = new String[300];
        Arrays.fill(allMajority, majority);
        MutableDataset<Label> test = new Synthetic.Rows(Synthetic.gaussian(300, 16, random), allMajority).dataset("test");

        Map<String, Trainer<Label>> candidates = new LinkedHashMap<>();
        candidates.put("dummy", ProbeRegistry.trainer("dummy"));
        candidates.put("linear", ProbeRegistry.trainer("linear"));
        ProbeFit.Result result = ProbeFit.select(candidates, train.dataset("train"), validation.dataset("val"), test);

        assertEquals("linear", result.chosen());
        assertEquals(List.of("dummy", "linear"), List.copyOf(result.validation().keySet()));
        assertEquals(ProbeScore.of(result.model(), test), result.test());
        assertEquals(1.0, ProbeScore.of(candidates.get("dummy").train(train.dataset("train")), test).accuracy());
    }

    @Test
    void noCandidatesIsAClearError() {
        Synthetic.Rows rows = Synthetic.linear(10, 2, 2, 1, new SplittableRandom(1));
        assertEquals("no probe candidates to select from", assertThrows(IllegalArgumentException.class,
                () -> ProbeFit.select(Map.of(), rows.dataset("a"), rows.dataset("b"), rows.dataset("c"))).getMessage());
    }
}
