package org.karellab.lm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.karellab.data.DatasetFile;
import org.karellab.data.LengthRange;
import org.karellab.world.KarelException;
import org.karellab.world.Program;

/**
 * Training batches drawn from a split file: at step {@code s}, {@code batchSize} records sampled
 * uniformly (with replacement) from those whose program length is in the trained range and the
 * {@link Curriculum} allows at {@code s}, by a random stream seeded with (seed, s). A pure function of the step, so a resumed
 * run sees exactly the data an uninterrupted one would.
 */
public final class TrainData implements BatchSource {
    private final DatasetFile file;
    private final SpecEncoding encoding;
    private final int specExamples;
    private final int batchSize;
    private final long seed;
    private final Curriculum curriculum;
    private final long totalSteps;
    /** program lengths trained on at all (null = every length of the split) */
    private final LengthRange only;
    /** record indices by program length */
    private final int[][] byLength;

    public TrainData(DatasetFile file, SpecEncoding encoding, int specExamples, int batchSize, long seed,
            Curriculum curriculum, long totalSteps, LengthRange only) {
        if (file.size() == 0) {
            throw new KarelException(file.path() + ": the training split is empty");
        }
        if (specExamples > file.examples()) {
            throw new KarelException(file.path() + ": has " + file.examples() + " examples per program, the model wants "
                    + specExamples);
        }
        this.file = file;
        this.encoding = encoding;
        this.specExamples = specExamples;
        this.batchSize = batchSize;
        this.seed = seed;
        this.curriculum = curriculum;
        this.totalSteps = totalSteps;
        this.only = only;
        int[] counts = new int[file.maxLength() + 1];
        int[] lengths = new int[file.size()];
        for (int i = 0; i < file.size(); i++) {
            lengths[i] = file.programLength(i);
            counts[lengths[i]]++;
        }
        byLength = new int[counts.length][];
        for (int l = 0; l < counts.length; l++) {
            byLength[l] = new int[counts[l]];
        }
        int[] fill = new int[counts.length];
        for (int i = 0; i < lengths.length; i++) {
            byLength[lengths[i]][fill[lengths[i]]++] = i;
        }
        if (pool(null) == 0) {
            throw new KarelException(file.path() + ": has no training program of length " + only);
        }
        for (Curriculum.Stage s : curriculum.stages()) {
            if (pool(s.lengths()) == 0) {
                throw new KarelException("curriculum stage " + s.lengths() + ": the training split has no program of those lengths"
                        + (only == null ? "" : " within " + only));
            }
        }
    }

    private boolean allowed(int length, LengthRange stage) {
        return (only == null || only.contains(length)) && (stage == null || stage.contains(length));
    }

    /** Records whose length is allowed within {@code stage} (null = no stage limit). */
    private int pool(LengthRange stage) {
        int n = 0;
        for (int l = 1; l < byLength.length; l++) {
            if (allowed(l, stage)) {
                n += byLength[l].length;
            }
        }
        return n;
    }

    /** Record indices of the batch at {@code step}. */
    public int[] indices(long step) {
        LengthRange stage = curriculum.at(step, totalSteps);
        int n = pool(stage);
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        int[] idx = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            int k = rng.nextInt(n);
            for (int l = 1; ; l++) {
                if (!allowed(l, stage)) {
                    continue;
                }
                if (k < byLength[l].length) {
                    idx[b] = byLength[l][k];
                    break;
                }
                k -= byLength[l].length;
            }
        }
        return idx;
    }

    @Override
    public Batch batch(long step) {
        int[] idx = indices(step);
        List<Spec> specs = new ArrayList<>(idx.length);
        List<Program> programs = new ArrayList<>(idx.length);
        for (int i : idx) {
            specs.add(Spec.of(file, i, specExamples));
            programs.add(file.program(i));
        }
        return encoding.encode(specs, programs);
    }

    @Override
    public long samplesPerEpoch() {
        return file.size();
    }
}
