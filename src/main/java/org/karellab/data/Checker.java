package org.karellab.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.World;
import org.karellab.world.WorldText;

/**
 * Runs every record's program on its inputs and compares the rendered outputs with the record's
 * outputs, as the reference does (rendered text, so markers hidden under the robot do not count).
 * A record mismatches when any of its examples does, or when its program crashes under
 * {@link org.karellab.world.CrashPolicy#ERROR}.
 */
public final class Checker {
    /** How many mismatches are described in the result. */
    static final int SHOWN = 5;

    private Checker() {
    }

    public record Result(long records, long mismatches, List<String> firstMismatches) {
        /** The summary line, exactly {@code checked N records, M mismatches}. */
        public String summary() {
            return "checked " + records + " records, " + mismatches + " mismatches";
        }
    }

    /**
     * Checks a dataset folder (every split), one of its {@code .bin} split files, or a file in the
     * reference's JSONL format (plain or gzipped).
     */
    public static Result check(Path source, Interpreter interpreter) {
        Tally t = new Tally(interpreter);
        if (Files.isDirectory(source)) {
            try (Dataset d = Dataset.open(source, false)) {
                for (Split s : Split.values()) {
                    if (d.has(s)) {
                        checkFile(d.split(s), t);
                    }
                }
            }
        } else if (!Files.isRegularFile(source)) {
            throw new KarelException(source + ": no such file or folder");
        } else if (DatasetFile.looksLikeSplitFile(source)) {
            try (DatasetFile f = DatasetFile.open(source)) {
                checkFile(f, t);
            }
        } else {
            ReferenceJsonl.read(source, r -> {
                Sample s = r.toSample();
                t.add(r.where(), s.program(), s.inputs(), r.outputs());
            });
        }
        return new Result(t.records, t.mismatches, List.copyOf(t.shown));
    }

    private static void checkFile(DatasetFile f, Tally t) {
        for (int i = 0; i < f.size(); i++) {
            Sample s = f.sample(i);
            t.add(f.path() + ": record " + i, s.program(), s.inputs(),
                    s.outputs().stream().map(WorldText::render).toList());
        }
    }

    private static final class Tally {
        final Interpreter interpreter;
        long records;
        long mismatches;
        final List<String> shown = new ArrayList<>();

        Tally(Interpreter interpreter) {
            this.interpreter = interpreter;
        }

        void add(String where, Program p, List<World> inputs, List<String> expected) {
            records++;
            String why = firstDifference(p, inputs, expected);
            if (why != null) {
                mismatches++;
                if (shown.size() < SHOWN) {
                    shown.add(where + ": " + why);
                }
            }
        }

        private String firstDifference(Program p, List<World> inputs, List<String> expected) {
            for (int k = 0; k < inputs.size(); k++) {
                String got;
                try {
                    got = WorldText.render(interpreter.run(inputs.get(k), p));
                } catch (KarelException e) {
                    return "example " + k + ": " + e.getMessage();
                }
                if (!got.equals(normalise(expected.get(k)))) {
                    return "example " + k + ": output differs";
                }
            }
            return null;
        }
    }

    private static String normalise(String grid) {
        String g = grid.replace("\r", "");
        return g.endsWith("\n") ? g.substring(0, g.length() - 1) : g;
    }
}
