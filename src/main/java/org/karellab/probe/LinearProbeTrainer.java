package org.karellab.probe;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;

/**
 * The linear probe: multinomial logistic regression ({@code Label}) or least squares
 * ({@link #regressor()}), one dense layer on standardised inputs, trained by
 * {@link ProbeNetworkTrainer}'s loop until the held-out score stops improving.
 */
public final class LinearProbeTrainer extends ProbeNetworkTrainer {
    private static final long serialVersionUID = 1L;

    /** For OLCUT. */
    private LinearProbeTrainer() {}

    public LinearProbeTrainer(Settings settings) {
        super(settings);
    }

    @Override
    protected Block network(int inputs, int outputs) {
        return Linear.builder().setUnits(outputs).build(); // (B, inputs) -> (B, outputs)
    }
}
