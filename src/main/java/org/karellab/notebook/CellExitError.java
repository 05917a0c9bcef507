package org.karellab.notebook;

/**
 * What a cell gets instead of ending the kernel with {@code System.exit}, {@code Runtime.exit} or
 * {@code Runtime.halt} (see {@link CellExits}). An Error, so that a cell's
 * {@code catch (Exception e)} does not hide it.
 */
public final class CellExitError extends Error {
    private static final long serialVersionUID = 1L;

    CellExitError(String call) {
        super(call + " was called in a cell: a cell cannot end the kernel, which keeps its state "
                + "(restart it from the Kernel menu to start afresh)");
    }
}
