package org.karellab.causal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.karellab.lm.RunDir;
import org.karellab.trace.Tracer;
import org.karellab.world.KarelException;

/** What the causal tools take from a run: one checkpoint, and the named states they may read or edit. */
final class RunParts {
    private RunParts() {
    }

    /** The one checkpoint {@code selector} (a step or {@code last}) names, or a one-line error. */
    static Path checkpoint(Path run, String selector) {
        return checkpoint(run, selector, "--checkpoint");
    }

    /** As {@link #checkpoint(Path, String)}, the error naming {@code option}, the option that gave the selector. */
    static Path checkpoint(Path run, String selector, String option) {
        if (!selector.equals("last") && !selector.matches("[0-9]+")) {
            throw new KarelException(option + ": '" + selector + "' is not a step number or 'last' (one checkpoint)");
        }
        List<Path> ckpts;
        try {
            ckpts = RunDir.checkpoints(run, selector);
        } catch (KarelException e) {
            throw new KarelException(option + ": " + e.getMessage());
        }
        return ckpts.get(0);                                        // a step or last names one
    }

    /**
     * {@code asked}, or when null every traced state but the mean ({@link Tracer#layers}); an unknown
     * name is a one-line error naming the known ones.
     */
    static List<String> layers(int nLayer, List<String> asked) {
        return layers(nLayer, asked, List.of());
    }

    /** {@link #layers(int, List)} where {@code alsoKnown} may be asked for too (never by default). */
    static List<String> layers(int nLayer, List<String> asked, List<String> alsoKnown) {
        List<String> traced = new ArrayList<>(Tracer.layers(nLayer));
        traced.remove(Tracer.MEAN);
        List<String> known = new ArrayList<>(traced);
        known.addAll(alsoKnown);
        List<String> layers = asked == null ? traced : asked;
        for (String l : layers) {
            if (!known.contains(l)) {
                throw new KarelException("--layer: unknown layer '" + l + "' (known: " + String.join(", ", known) + ")");
            }
        }
        return layers;
    }

    /** Reads {@code csv} with the column types of {@code like} (other columns as strings); a one-line error if unreadable. */
    static tech.tablesaw.api.Table readTyped(Path csv, tech.tablesaw.api.Table like, String what) {
        try {
            return tech.tablesaw.api.Table.read().csv(tech.tablesaw.io.csv.CsvReadOptions.builder(csv.toFile())
                    .columnTypes(name -> like.columnNames().contains(name) ? like.column(name).type()
                            : tech.tablesaw.api.ColumnType.STRING).build());
        } catch (RuntimeException e) {
            throw new KarelException(csv + ": unreadable " + what + " table: " + e.getMessage(), e);
        }
    }
}
