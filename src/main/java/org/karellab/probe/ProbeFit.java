package org.karellab.probe;

import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Model selection on a VALIDATION split: trains each candidate on the training split, keeps the
 * one with the best validation accuracy (the first listed wins ties) and scores only that one on
 * the test split. The reference implementation selects on test; this never does.
 */
public final class ProbeFit {
    private ProbeFit() {}

    /**
     * @param chosen the selected candidate's name
     * @param model the selected candidate's model
     * @param validation validation score of every candidate, in candidate order
     * @param test the selected model's test score
     */
    public record Result(String chosen, Model<Label> model, Map<String, ProbeScore> validation, ProbeScore test) {}

    /** Trains every candidate on {@code train}, selects by {@code validation} accuracy, reports {@code test}. */
    public static Result select(Map<String, ? extends Trainer<Label>> candidates, Dataset<Label> train,
                                Dataset<Label> validation, Dataset<Label> test) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no probe candidates to select from");
        }
        Map<String, ProbeScore> scores = new LinkedHashMap<>();
        String chosen = null;
        Model<Label> best = null;
        for (Map.Entry<String, ? extends Trainer<Label>> candidate : candidates.entrySet()) {
            Model<Label> model = candidate.getValue().train(train);
            ProbeScore score = ProbeScore.of(model, validation);
            scores.put(candidate.getKey(), score);
            if (best == null || score.accuracy() > scores.get(chosen).accuracy()) {
                chosen = candidate.getKey();
                best = model;
            }
        }
        return new Result(chosen, best, scores, ProbeScore.of(best, test));
    }
}
