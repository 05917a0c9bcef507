package org.karellab.lm;

/** Configs for the LM tests: the smoke model on the grid encoding (10 spec positions of 360 features, as Bench's synthetic batches). */
final class TestConfigs {
    private TestConfigs() {
    }

    static LmConfig gridSmoke() {
        return LmConfig.smoke().with("encoding", "grid");
    }

    static LmConfig gridCpu() {
        return LmConfig.cpu().with("encoding", "grid");
    }
}
