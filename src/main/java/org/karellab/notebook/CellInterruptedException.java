package org.karellab.notebook;

import java.util.List;

/** A cell stopped by an interrupt request; statements after the one running were not run. */
public final class CellInterruptedException extends CellException {

    CellInterruptedException() {
        super("cell interrupted", List.of("Interrupted: the cell was stopped before it finished."));
    }
}
