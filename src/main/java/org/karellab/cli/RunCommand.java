package org.karellab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.karellab.data.GenConfig;
import org.karellab.data.Sampler;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.ProgramText;
import org.karellab.world.Trace;
import org.karellab.world.World;
import org.karellab.world.WorldText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a program on a world: prints the world before and after, and the abstract state after each action.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--program", required = true,
            description = "program in the reference form (def run() { move(); turn_left() }) or the short form (move turnLeft)")
    String program;

    @Option(names = "--world", description = "file with a world in the 8-line text form (default: a random world from --seed)")
    Path world;

    @Option(names = "--seed", description = "seed of the random world (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Mixin
    InterpreterOptions execution;

    @Override
    public Integer call() {
        Interpreter in = execution.interpreter();
        Program p;
        try {
            p = ProgramText.parse(program);
        } catch (KarelException e) {
            throw e.at("--program");
        }
        World start = world == null ? new Sampler(GenConfig.defaults()).world(new SplittableRandom(seed)) : read(world);
        Trace t = in.trace(start, p);
        PrintWriter out = spec.commandLine().getOut();
        out.println("program: " + p.toShort() + "   (semantics " + in.semantics() + ", crash policy " + in.policy() + ")");
        out.println("before:");
        out.println(WorldText.render(start));
        out.println("0. start       " + t.state(0).describe());
        for (int i = 1; i <= p.length(); i++) {
            String note = t.failed().get(i - 1) ? "  (crashed)" : t.halted().get(i - 1) ? "  (halted)" : "";
            String exec = t.executed().get(i - 1) == p.get(i - 1) ? "" : " as " + t.executed().get(i - 1);
            out.printf("%d. %-12s %s%s%s%n", i, p.get(i - 1), t.state(i).describe(), exec, note);
        }
        out.println("after:");
        out.println(WorldText.render(t.end()));
        return 0;
    }

    private static World read(Path f) {
        String text;
        try {
            text = Files.readString(f);
        } catch (IOException e) {
            throw new KarelException(f + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return WorldText.parse(text);
        } catch (KarelException e) {
            throw e.at(f.toString());
        }
    }
}
