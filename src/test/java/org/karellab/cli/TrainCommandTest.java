package org.karellab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path tmp;

    /** generate's defaults are the paper's train lengths 6-10; every profile's curriculum starts at 1-3. */
    @Test
    void defaultDataForAProfileWithACurriculumNamesTheGenerateOptionThatFixesIt() throws IOException {
        Path paperLengths = Cli.dataset(tmp.resolve("paper"), 60, 10, 10, 3, 1);
        Path run = tmp.resolve("run");
        String line = Cli.assertBadInput(Cli.run("train", "--data", paperLengths, "--out", run, "--profile", "smoke"),
                "curriculum stage 1-3", "it has lengths 6-10", "generate --train-lengths 1-10", "--set curriculum=none");
        assertTrue(line.startsWith("karel-lab: curriculum stage 1-3: "), line);
        assertFalse(Files.exists(run), "a refused dataset leaves no run folder");

        Path allLengths = tmp.resolve("all");
        Cli.ok("generate", "--out", allLengths, "--train", 60, "--val", 10, "--test", 10, "--seed", 3, "--threads", 1,
                "--quiet", "--train-lengths", "1-10");
        Cli.ok("train", "--data", allLengths, "--out", run, "--profile", "smoke", "--set", "steps=5",
                "--set", "warmupSteps=1", "--set", "logEvery=5", "--set", "checkpoints=1");
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("step,epoch,loss,lr,samples_per_s,val_loss,grad_norm", metrics.get(0));
        String[] row = metrics.get(1).split(",", -1);
        assertEquals("5", row[0]);
        assertTrue(Double.parseDouble(row[5]) > 0, "val_loss on the val split: " + metrics.get(1));
        assertTrue(Files.readString(run.resolve("run.json")).contains("\"data\" : \"../all\""),
                "the dataset is recorded relative to the run");
    }
}
