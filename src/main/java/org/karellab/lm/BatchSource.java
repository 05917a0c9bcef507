package org.karellab.lm;

/** Training data as a function of the step, so a resumed run sees exactly the same batches. */
public interface BatchSource {
    /** The batch for optimizer step {@code step} (0-based); a pure function of (source seed, step). */
    Batch batch(long step);

    /** Distinct training samples in one pass over the data, for the epoch column of the metrics. */
    long samplesPerEpoch();
}
