package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path run;

    private static final LmConfig CFG = TestConfigs.gridSmoke();

    @Test
    void roundTripKeepsWeightsOptimizerStateAndConfig() {
        Batch batch = Bench.syntheticGridBatch(4, CFG.model().featDim(), 5);
        Path file = Checkpoint.file(run, 3);
        assertEquals(run.resolve("checkpoints/step-000003.ckpt"), file);
        String sha;
        float nextLoss;
        try (Gpt model = Gpt.create(CFG.model(), Device.cpu())) {
            AdamW optimizer = new AdamW(CFG, model);
            for (int s = 0; s < 3; s++) {
                Training.step(model, optimizer, batch, s);
            }
            Checkpoint.save(file, CFG, 3, model, optimizer);
            sha = model.weightsSha256();
            Training.step(model, optimizer, batch, 3);
            nextLoss = Training.step(model, optimizer, batch, 4).loss();
        }
        try (Checkpoint.Loaded c = Checkpoint.read(file);
             Gpt model = Gpt.create(c.config().model(), Device.cpu(), c.weights())) {
            assertEquals(CFG, c.config());
            assertEquals(3, c.step());
            assertEquals(sha, model.weightsSha256());
            AdamW optimizer = new AdamW(c.config(), model, c.optimizer(), c.step());
            Training.step(model, optimizer, batch, 3);
            assertEquals(nextLoss, Training.step(model, optimizer, batch, 4).loss(), "same continuation after reload");
        }
        assertEquals(List.of(file), Checkpoint.list(run));
        assertEquals(3, Checkpoint.stepOf(file));
    }

    @Test
    void truncatedOrCorruptFilesGiveAOneLineError() throws IOException {
        Path file = Checkpoint.file(run, 0);
        try (Gpt model = Gpt.create(CFG.model(), Device.cpu())) {
            Checkpoint.save(file, CFG, 0, model, new AdamW(CFG, model));
        }
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        LmException e = assertThrows(LmException.class, () -> Checkpoint.read(file));
        assertEquals(file + ": truncated or corrupt checkpoint (checksum mismatch)", e.getMessage());

        Files.write(file, new byte[10]);
        assertEquals(file + ": truncated checkpoint (10 bytes)",
                assertThrows(LmException.class, () -> Checkpoint.read(file)).getMessage());
        Files.write(file, new byte[100]);
        assertEquals(file + ": not a Karel Lab checkpoint (bad magic bytes)",
                assertThrows(LmException.class, () -> Checkpoint.read(file)).getMessage());
    }
}
