package org.karellab.notebook;

import java.util.List;

/**
 * A cell that failed: it did not compile, threw, or was interrupted. The kernel stays usable; the message is
 * a one-line summary and {@link #report()} the lines shown under the cell.
 */
public class CellException extends RuntimeException {

    private final List<String> report;

    CellException(String message, List<String> report) {
        super(message);
        this.report = List.copyOf(report);
    }

    public List<String> report() {
        return report;
    }
}
