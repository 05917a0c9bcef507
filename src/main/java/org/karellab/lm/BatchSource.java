package org.karellab.lm;

import java.util.List;

/** Training data as a function of the step, so a resumed run sees exactly the same batches. */
public interface BatchSource {
    /** The batch for optimizer step {@code step} (0-based); a pure function of (source seed, step). */
    Batch batch(long step);

    /** Distinct training samples in one pass over the data, for the epoch column of the metrics. */
    long samplesPerEpoch();

    /**
     * Fixed held-out batches whose loss is logged as {@code val_loss} (the same batches at every
     * row, so rows compare); empty for none.
     */
    default List<Batch> validation() {
        return List.of();
    }
}
