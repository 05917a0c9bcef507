package org.karellab.world;

/** Test helper: hand-written 8-line worlds. */
final class Worlds {
    private Worlds() {
    }

    static final String EMPTY_ROW = "#......#";
    static final String BORDER = "########";

    /** Joins eight lines with {@code \n}. */
    static String grid(String... lines) {
        if (lines.length != 8) {
            throw new IllegalArgumentException("need 8 lines");
        }
        return String.join("\n", lines);
    }

    /** A grid whose interior rows are given (rows 1..6). */
    static String interior(String r1, String r2, String r3, String r4, String r5, String r6) {
        return grid(BORDER, r1, r2, r3, r4, r5, r6, BORDER);
    }

    static World parse(String... lines) {
        return WorldText.parse(grid(lines));
    }
}
