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
    private final List<Batch> validation;

    public TrainData(DatasetFile file, SpecEncoding encoding, int specExamples, int batchSize, long seed,
            Curriculum curriculum, long totalSteps, LengthRange only) {
        this(file, encoding, specExamples, batchSize, seed, curriculum, totalSteps, only, List.of());
    }

    /**
     * @param validation fixed held-out batches for {@link #validation()} (see
     *                   {@link #validationBatches})
     */
    public TrainData(DatasetFile file, SpecEncoding encoding, int specExamples, int batchSize, long seed,
            Curriculum curriculum, long totalSteps, LengthRange only, List<Batch> validation) {
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
        this.validation = List.copyOf(validation);
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
                // the usual cause: a dataset made with generate's default (the paper's train lengths 6-10)
                throw new KarelException("curriculum stage " + s.lengths() + ": the training split has no program of those lengths"
                        + (only == null ? "" : " within " + only) + " (it has lengths " + present() + "); make the dataset with "
                        + "generate --train-lengths 1-10, as the cpu recipe does, or train with --set curriculum=none");
            }
        }
    }

    /** The program lengths of the split, as "6-10" or "1, 3, 5". */
    private String present() {
        List<Integer> lengths = new ArrayList<>();
        for (int l = 1; l < byLength.length; l++) {
            if (byLength[l].length > 0) {
                lengths.add(l);
            }
        }
        boolean contiguous = !lengths.isEmpty() && lengths.get(lengths.size() - 1) - lengths.get(0) == lengths.size() - 1;
        return contiguous ? lengths.get(0) + "-" + lengths.get(lengths.size() - 1)
                : String.join(", ", lengths.stream().map(String::valueOf).toList());
    }

    /**
     * Batches of {@code samples} records of {@code val} (fewer if it is smaller), evenly spaced
     * over the file so that every length of it is present; deterministic, drawing no random
     * numbers.
     */
    public static List<Batch> validationBatches(DatasetFile val, SpecEncoding encoding, int specExamples,
            int samples, int batchSize) {
        int n = Math.min(samples, val.size());
        List<Batch> batches = new ArrayList<>();
        for (int from = 0; from < n; from += batchSize) {
            List<Spec> specs = new ArrayList<>();
            List<Program> programs = new ArrayList<>();
            for (int k = from; k < Math.min(n, from + batchSize); k++) {
                int i = (int) ((long) k * val.size() / n);
                specs.add(Spec.of(val, i, specExamples));
                programs.add(val.program(i));
            }
            batches.add(encoding.encode(specs, programs));
        }
        return batches;
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

    @Override
    public List<Batch> validation() {
        return validation;
    }
}
