package org.karellab.notebook;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Functions every cell can call without a prefix: the kernel imports them statically at start-up.
 */
public final class Notebook {

    private Notebook() {
    }

    /**
     * Shows {@code value} under the running cell right away (a Jupyter display_data message), rendered like a
     * cell result: charts as images, tables and records as HTML, anything else as its toString().
     */
    public static void display(Object value) {
        BaseKernel kernel = BaseKernel.notebookKernel();
        kernel.display(value == null ? new DisplayData("null") : kernel.getRenderer().render(value));
    }
}
