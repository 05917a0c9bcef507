package org.karellab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.karellab.data.Checker;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Run every record's program on its inputs and compare the rendered outputs with the "
                + "record's. Prints 'checked N records, M mismatches'; exits 0 when M is 0, else 1 "
                + "(2 when FILE holds no record: nothing was checked).")
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "reference JSONL (plain or .gz), a dataset folder, or a split .bin file")
    Path file;

    @Mixin
    InterpreterOptions execution;

    @Override
    public Integer call() {
        Interpreter in = execution.interpreter();
        Checker.Result r = Checker.check(file, in);
        if (r.records() == 0) {
            throw new KarelException(file + ": holds no records: nothing to check");
        }
        r.firstMismatches().forEach(m -> spec.commandLine().getErr().println("mismatch: " + m));
        spec.commandLine().getOut().println(r.summary());
        return r.mismatches() == 0 ? 0 : 1;
    }
}
