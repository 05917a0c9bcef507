package org.karellab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.karellab.data.Importer;
import org.karellab.data.Split;
import org.karellab.world.KarelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write one split of a dataset folder in the reference's JSONL format (gzipped if FILE ends in .gz).")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "dataset folder")
    Path data;

    @Option(names = "--split", required = true, description = "train, val or test")
    String split;

    @Option(names = "--format", description = "output format; only 'reference' (default)")
    String format = "reference";

    @Option(names = "--out", required = true, description = "JSONL file to write")
    Path out;

    @Override
    public Integer call() {
        if (!"reference".equals(format)) {
            throw new KarelException("--format '" + format + "' is unknown (known: reference)");
        }
        int n = Importer.export(data, Split.byName(split), out);
        spec.commandLine().getOut().printf("exported %d records to %s%n", n, out);
        return 0;
    }
}
