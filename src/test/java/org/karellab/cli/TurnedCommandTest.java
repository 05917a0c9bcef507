package org.karellab.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TurnedCommandTest {
    @Test
    void tooFewSamplesIsOneLineAndNothingWritten(@TempDir Path dir) {
        Path out = dir.resolve("t.csv");
        Cli.assertBadInput(Cli.run("turned", "--run", dir.toString(), "--out", out.toString(), "--samples", "1"),
                "samples must be at least 2");
        assertFalse(Files.exists(out));
    }

    @Test
    void aFolderThatIsNotARunIsOneLine(@TempDir Path dir) {
        Path out = dir.resolve("t.csv");
        Cli.assertBadInput(Cli.run("turned", "--run", dir.resolve("missing").toString(), "--out", out.toString()), "missing");
        assertFalse(Files.exists(out));
    }
}
