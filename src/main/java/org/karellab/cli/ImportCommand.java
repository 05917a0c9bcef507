package org.karellab.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.karellab.data.Importer;
import org.karellab.data.Manifest;
import org.karellab.data.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Make a dataset folder from reference JSONL files (plain or gzipped), one per split.")
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--train", description = "reference JSONL file of the train split")
    Path train;

    @Option(names = "--val", description = "reference JSONL file of the validation split")
    Path val;

    @Option(names = "--test", description = "reference JSONL file of the test split")
    Path test;

    @Option(names = "--out", required = true, description = "dataset folder to create")
    Path out;

    @Override
    public Integer call() {
        Map<Split, Path> files = new EnumMap<>(Split.class);
        if (train != null) {
            files.put(Split.TRAIN, train);
        }
        if (val != null) {
            files.put(Split.VAL, val);
        }
        if (test != null) {
            files.put(Split.TEST, test);
        }
        Manifest m = Importer.importFiles(files, out);
        m.splits().forEach((s, e) -> spec.commandLine().getOut().printf("imported %s: %d records%n", s, e.count()));
        return 0;
    }
}
