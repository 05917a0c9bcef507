package org.karellab.notebook;

import java.util.List;

/** A cell that did not compile; {@link #line()} is the 1-based line of the first error within the cell. */
public final class CompilationException extends CellException {

    private final int line;

    CompilationException(int line, String message, List<String> report) {
        super(message, report);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
