package org.karellab.cli;

import java.io.PrintWriter;
import org.karellab.world.KarelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar target/karel-lab.jar COMMAND}: the kit's command line. Each command is a thin
 * shell over a library method that returns a result object, so notebooks and tests share the
 * same path. Bad input prints one line, {@code karel-lab: PLACE: PROBLEM}, and exits with 2.
 */
@Command(name = "karel-lab", mixinStandardHelpOptions = true, version = "karel-lab 0.1.0",
        description = "Probe what small language models learn about Karel program semantics.",
        subcommands = {GenerateCommand.class, ExportCommand.class, ImportCommand.class, CheckCommand.class,
                RunCommand.class, TrainCommand.class, EvalCommand.class, TraceCommand.class, SweepCommand.class, InterveneCommand.class, PProbeCommand.class, TurnedCommand.class, ReproduceCommand.class,
                BenchCommand.class})
public final class Main implements Runnable {
    /** Exit status for bad input (also picocli's status for bad options). */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command (see --help)");
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams and returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            String cmd = ex.getCommandLine().getCommandName();
            ex.getCommandLine().getErr().println("karel-lab" + ("karel-lab".equals(cmd) ? "" : " " + cmd) + ": "
                    + ex.getMessage() + " (see --help)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof KarelException) {
                c.getErr().println("karel-lab: " + ex.getMessage());
                return BAD_INPUT;
            }
            throw ex;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
