package org.karellab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --profile paper} end to end on a tiny dataset, two steps of one sample. Off by
 * default: on the 2-core development machine it takes 3-4 minutes, peaks at 6.4 GB resident
 * (4.6 GB of it the 252M parameters with gradients and AdamW moments, about 1.8 GB per sample of
 * activations) and writes two 3.0 GB checkpoints. Run it with
 * {@code mvn -o test -Dtest=PaperProfileTrainTest -Dkarel.heavy=true}. The light check that the
 * profile builds and steps is {@code TrainingTest.paperProfileTakesOneTrainingStep}.
 */
class PaperProfileTrainTest {
    @TempDir
    Path dir;

    @Test
    @EnabledIfSystemProperty(named = "karel.heavy", matches = "true")
    void paperProfileTrainsTwoSteps() throws IOException {
        Path data = dir.resolve("data");
        Cli.ok("generate", "--out", data, "--train", 40, "--val", 10, "--test", 10, "--seed", 3, "--threads", 1,
                "--quiet");
        Path run = dir.resolve("run");
        Cli.ok("train", "--data", data, "--out", run, "--profile", "paper", "--set", "steps=2", "--set", "batchSize=1",
                "--set", "warmupSteps=1", "--set", "checkpoints=1", "--set", "logEvery=1");
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(3, metrics.size(), "header and one row per step: " + metrics);
        assertTrue(metrics.get(2).startsWith("2,"), metrics.get(2));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints").resolve("step-000002.ckpt")));
        assertTrue(Files.readString(run.resolve("config.json")).contains("\"nLayer\" : 20"), "the paper model");
    }
}
