package org.karellab.analysis;

import java.nio.file.Files;
import java.nio.file.Path;
import org.karellab.data.Dataset;
import org.karellab.data.GenConfig;
import org.karellab.data.Generator;
import org.karellab.data.Manifest;

/**
 * Where a notebook finds its inputs: the main job's output folder. {@code $KAREL_OUT} when set
 * (the {@code reproduce} command sets it while it executes the notebooks); else {@code runs/cpu}
 * of the repository when the CPU reproduction has run; else {@code runs/smoke}, made on the spot
 * at the {@code smoke} size when missing, so every notebook runs top to bottom on a fresh clone.
 */
public final class Lab {
    /** Folder names inside an output folder. */
    public static final String DATA = "data";

    private Lab() {
    }

    public static Path out() {
        String env = System.getenv("KAREL_OUT");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path runs = repoRoot().resolve("runs");
        Path cpu = runs.resolve("cpu");
        return Files.isRegularFile(cpu.resolve(DATA).resolve(Manifest.FILE)) ? cpu : runs.resolve("smoke");
    }

    /** The repository root: the working folder or the nearest parent holding {@code pom.xml}. */
    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("pom.xml")) && Files.isDirectory(q.resolve("notebooks"))) {
                return q;
            }
        }
        return p;
    }

    /** The output folder's dataset, generated at smoke size if it is missing. */
    public static Dataset dataset() {
        Path dir = out().resolve(DATA);
        if (!Files.isRegularFile(dir.resolve(Manifest.FILE))) {
            new Generator(smokeData()).generate(dir, Runtime.getRuntime().availableProcessors(), false);
        }
        return Dataset.open(dir, false);
    }

    /** The dataset of the smoke profile: small, with the paper's distribution and lengths. */
    public static GenConfig smokeData() {
        GenConfig d = GenConfig.defaults();
        return new GenConfig(d.seed(), 20_000, 1_000, 1_000, d.trainLengths(), d.evalLengths(), d.examples(),
                d.specExamples(), d.wallRate(), d.markerRate(), d.weights(), d.dedup());
    }
}
