package org.karellab.lm;

import java.util.ArrayList;
import java.util.List;
import org.karellab.data.Sample;
import org.karellab.world.Program;

/**
 * One row of {@code RUN/eval-programs.csv} (beside each eval table, {@code eval-NAME.csv} ->
 * {@code eval-NAME-programs.csv}): what the model wrote for one specification at one checkpoint and
 * whether it works. {@link EvalRow}s are this table's means per length; keeping the rows lets two
 * runs scored on the same split be compared program by program, a paired difference with an
 * interval over programs (see {@code analysis.Measures.accuracyDifference}).
 *
 * @param step training step of the checkpoint
 * @param program index of the record in the split (or file) scored, from 0
 * @param length reference program length
 * @param seen the reference program occurs verbatim in the run's training split
 * @param correct the written program gives the right outputs on every specification input
 * @param generalizes ... and on the held-out inputs too
 * @param exact the written program equals the reference program
 * @param written the written program, short form ({@code move turnLeft}; empty if none)
 * @param reference the reference program, short form: two tables pair a program only if they agree on it
 */
public record EvalProgram(long step, int program, int length, boolean seen, boolean correct, boolean generalizes,
        boolean exact, String written, String reference) {

    /** Column names of the CSV, in order: the components' names. */
    public static final List<String> COLUMNS = ConfigKeys.names(EvalProgram.class);

    /** The rows of one checkpoint, scored as {@link EvalRow#score} scores them. */
    public static List<EvalProgram> score(long step, List<Sample> samples, int specExamples, List<Program> generated,
            boolean[] seen) {
        if (generated.size() != samples.size() || seen.length != samples.size()) {
            throw new IllegalArgumentException("programs " + generated.size() + ", samples " + samples.size()
                    + ", seen flags " + seen.length + ": one each expected");
        }
        List<EvalProgram> out = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            Program p = generated.get(i);
            boolean[] ok = EvalRow.correct(s, p, specExamples);
            out.add(new EvalProgram(step, i, s.program().length(), seen[i], ok[0], ok[1], p.equals(s.program()),
                    p.toShort(), s.program().toShort()));
        }
        return out;
    }
}
