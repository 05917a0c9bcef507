package org.karellab.lm;

import java.util.List;
import org.karellab.world.Program;

/**
 * An encoding whose spec enters as feature vectors ({@code grid}, {@code ego}): no spec tokens,
 * the shared vocabulary; subclasses say how many positions a spec takes and write each one.
 */
abstract class FeatureEncoding implements SpecEncoding {
    @Override
    public int specTokens(int examples) {
        return 0;
    }

    @Override
    public int vocabSize() {
        return Tokens.FIRST_FREE;
    }

    @Override
    public Batch encode(List<Spec> specs, List<Program> programs) {
        return featureBatch(specs, programs, this::write);
    }

    /** Writes the F features of spec position {@code position} of {@code spec} into {@code x} at {@code at}. */
    abstract void write(Spec spec, int position, float[] x, int at);
}
