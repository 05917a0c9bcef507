package org.karellab.probe;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import com.oracle.labs.mlrg.olcut.config.Config;

import java.util.Arrays;

/**
 * A multi-layer perceptron probe: dense layers of {@code hiddenSizes} widths, each followed by ReLU
 * and dropout, then a dense output layer. The paper's probes are {@code {256}} (mlp1) and
 * {@code {256, 1024}} (mlp2). Trained by {@link ProbeNetworkTrainer}'s loop.
 */
public final class MlpTrainer extends ProbeNetworkTrainer {
    private static final long serialVersionUID = 1L;

    @Config(mandatory = true, description = "Hidden layer widths from the input side.")
    private int[] hiddenSizes = {256};

    /** For OLCUT. */
    private MlpTrainer() {}

    public MlpTrainer(Settings settings, int... hiddenSizes) {
        super(settings);
        this.hiddenSizes = hiddenSizes.clone();
        postConfig();
    }

    @Override
    public void postConfig() {
        super.postConfig();
        require(hiddenSizes.length > 0 && Arrays.stream(hiddenSizes).allMatch(w -> w > 0), "hiddenSizes",
                "must be one or more positive widths", Arrays.toString(hiddenSizes));
    }

    /** Hidden layer widths from the input side. */
    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    @Override
    protected Block network(int inputs, int outputs) {
        SequentialBlock mlp = new SequentialBlock();
        for (int width : hiddenSizes) {
            mlp.add(Linear.builder().setUnits(width).build()) // (B, in) -> (B, width)
                    .add(Activation.reluBlock())
                    .add(dropoutBlock());
        }
        return mlp.add(Linear.builder().setUnits(outputs).build()); // (B, width) -> (B, outputs)
    }

    @Override
    protected String describeNetwork() {
        return "hiddenSizes=" + Arrays.toString(hiddenSizes);
    }
}
