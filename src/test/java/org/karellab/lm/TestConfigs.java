package org.karellab.lm;

/** Configs for the LM tests: the smoke model shaped for grid batches (10 spec positions of 360 features). */
final class TestConfigs {
    private TestConfigs() {
    }

    static LmConfig gridSmoke() {
        return LmConfig.smoke().with("encoding", "grid").with("featDim", "360").with("contextLength", "32");
    }

    static LmConfig gridCpu() {
        return LmConfig.cpu().with("encoding", "grid").with("featDim", "360").with("contextLength", "32");
    }
}
