package org.karellab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.World;

/** Throughput of dataset generation (to disk, the real path) and of program execution. */
public final class DataBench {
    private DataBench() {
    }

    /** One measured figure. */
    public record Row(String what, double value, String unit, String note) {
    }

    /** Generates {@code samples} train programs with the paper's defaults into a temp folder. */
    public static Row generation(int samples, int threads) {
        GenConfig cfg = GenConfig.builder().optTrain(samples).optVal(0).optTest(0).build();
        Path dir;
        try {
            dir = Files.createTempDirectory("karel-bench");
            Generator.Result r = new Generator(cfg).generate(dir.resolve("data"), threads, false);
            AtomicFiles.deleteTree(dir);
            return new Row("generate", r.samplesPerSecond(), "samples/s",
                    samples + " programs of length 6-10, 10 worlds each, to disk, " + threads + " threads");
        } catch (IOException e) {
            throw new KarelException("bench: cannot use a temp folder: " + e.getMessage(), e);
        }
    }

    /** Executes random programs on random worlds on one thread. */
    public static Row execution(int programs) {
        Sampler s = new Sampler(GenConfig.defaults());
        SplittableRandom rng = new SplittableRandom(7);
        List<World> worlds = java.util.stream.IntStream.range(0, 64).mapToObj(i -> s.world(rng)).toList();
        List<Program> progs = java.util.stream.IntStream.range(0, 1024).mapToObj(i -> s.program(rng, 10)).toList();
        long actions = 0;
        int sink = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < programs; i++) {
            World w = worlds.get(i & 63).copy();
            Program p = progs.get(i & 1023);
            Interpreter.REFERENCE.runInPlace(w, p);
            sink += w.robotRow();
            actions += p.length();
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        return new Row("execute", actions / sec, "actions/s",
                programs + " programs of 10 actions, one thread, world copy included (checksum " + (sink & 7) + ")");
    }
}
