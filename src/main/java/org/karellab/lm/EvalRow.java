package org.karellab.lm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.karellab.data.Sample;
import org.karellab.world.Action;
import org.karellab.world.Interpreter;
import org.karellab.world.Program;
import org.karellab.world.World;
import org.karellab.world.WorldText;

/**
 * One row of {@code RUN/eval.csv}: how well the model writes programs at one checkpoint, over
 * programs of one reference length (or {@code all}).
 *
 * @param step training step of the checkpoint
 * @param length reference program length, or {@code all}
 * @param n programs scored
 * @param accuracy generated program gives the right outputs on all specification inputs (the
 *     paper's accuracy; outputs compared rendered, as the reference does)
 * @param generalization right outputs on all inputs, held-out ones included
 * @param exactMatch generated program equals the reference program
 * @param perplexity exp(mean negative log-likelihood per token) of the reference programs,
 *     EOS included
 * @param distinct distinct generated programs / programs
 * @param actionEntropy entropy (bits) of the generated actions' distribution (max log2 5 = 2.32)
 * @param meanLength mean generated program length
 * @param unseenN programs whose reference program does not occur verbatim in the run's training
 *     split (the others the model may simply have memorised)
 * @param unseenAccuracy accuracy over those programs, NaN when there are none
 * @param unseenGeneralization generalization over those programs, NaN when there are none
 * @param seenShare share of the programs that do occur in the training split
 */
public record EvalRow(long step, String length, int n, double accuracy, double generalization, double exactMatch,
        double perplexity, double distinct, double actionEntropy, double meanLength, int unseenN,
        double unseenAccuracy, double unseenGeneralization, double seenShare) {

    public static final String ALL = "all";

    /**
     * Scores generated programs against their samples: a row per reference length and an
     * {@code all} row.
     *
     * @param nll per sample, summed negative log-likelihood of its reference program tokens
     * @param tokens per sample, the number of those tokens
     * @param seen per sample, does its reference program occur in the run's training split
     */
    public static List<EvalRow> score(long step, List<Sample> samples, int specExamples, List<Program> generated,
            double[] nll, int[] tokens, boolean[] seen) {
        return of(step, EvalProgram.score(step, samples, specExamples, generated, seen), generated, nll, tokens);
    }

    /**
     * The rows of one checkpoint as means of its per-program rows (which already say what is
     * correct, exact and seen): a row per reference length and an {@code all} row.
     *
     * @param generated per program, what was written (for distinctness and the actions' entropy)
     */
    public static List<EvalRow> of(long step, List<EvalProgram> programs, List<Program> generated, double[] nll,
            int[] tokens) {
        TreeMap<Integer, List<Integer>> byLength = new TreeMap<>();
        for (int i = 0; i < programs.size(); i++) {
            byLength.computeIfAbsent(programs.get(i).length(), k -> new ArrayList<>()).add(i);
        }
        List<EvalRow> rows = new ArrayList<>();
        for (var e : byLength.entrySet()) {
            rows.add(row(step, Integer.toString(e.getKey()), e.getValue(), programs, generated, nll, tokens));
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < programs.size(); i++) {
            all.add(i);
        }
        rows.add(row(step, ALL, all, programs, generated, nll, tokens));
        return rows;
    }

    /**
     * {spec correct, all correct} for one sample: the program's outputs on the specification
     * inputs, and on all inputs, equal the sample's (compared rendered, as the reference does).
     */
    public static boolean[] correct(Sample s, Program p, int specExamples) {
        boolean spec = true;
        boolean all = true;
        for (int k = 0; k < s.examples(); k++) {
            World got = Interpreter.REFERENCE.run(s.inputs().get(k), p);
            boolean same = WorldText.render(got).equals(WorldText.render(s.outputs().get(k)));
            all &= same;
            if (k < specExamples) {
                spec &= same;
            }
        }
        return new boolean[] {spec, all};
    }

    private static EvalRow row(long step, String length, List<Integer> idx, List<EvalProgram> programs,
            List<Program> generated, double[] nll, int[] tokens) {
        int acc = 0;
        int gen = 0;
        int unseen = 0;
        int unseenAcc = 0;
        int unseenGen = 0;
        int exact = 0;
        double nllSum = 0;
        long tokSum = 0;
        long actions = 0;
        long[] counts = new long[Action.count()];
        Set<Program> distinct = new HashSet<>();
        for (int i : idx) {
            EvalProgram q = programs.get(i);
            acc += q.correct() ? 1 : 0;
            gen += q.generalizes() ? 1 : 0;
            if (!q.seen()) {
                unseen++;
                unseenAcc += q.correct() ? 1 : 0;
                unseenGen += q.generalizes() ? 1 : 0;
            }
            Program p = generated.get(i);
            exact += q.exact() ? 1 : 0;
            nllSum += nll[i];
            tokSum += tokens[i];
            distinct.add(p);
            for (Action a : p.actions()) {
                counts[a.ordinal()]++;
                actions++;
            }
        }
        double entropy = 0;
        for (long c : counts) {
            if (c > 0) {
                double q = (double) c / actions;
                entropy -= q * Math.log(q) / Math.log(2);
            }
        }
        int n = idx.size();
        return new EvalRow(step, length, n, (double) acc / n, (double) gen / n, (double) exact / n,
                Math.exp(nllSum / Math.max(1, tokSum)), (double) distinct.size() / n, entropy, (double) actions / n,
                unseen, unseen == 0 ? Double.NaN : (double) unseenAcc / unseen,
                unseen == 0 ? Double.NaN : (double) unseenGen / unseen, (double) (n - unseen) / n);
    }
}
