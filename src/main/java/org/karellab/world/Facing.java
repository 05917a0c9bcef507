package org.karellab.world;

/**
 * Where the robot faces. Rows grow southward (row 0 is the top line of the text form), columns
 * grow eastward. The declaration order is part of the dataset storage format.
 */
public enum Facing {
    NORTH('^', -1, 0),
    EAST('>', 0, 1),
    SOUTH('v', 1, 0),
    WEST('<', 0, -1);

    private static final Facing[] VALUES = values();

    /** glyph of the robot in the text form of a world. */
    public final char glyph;
    /** row step of one move (south positive). */
    public final int dRow;
    /** column step of one move (east positive). */
    public final int dCol;

    Facing(char glyph, int dRow, int dCol) {
        this.glyph = glyph;
        this.dRow = dRow;
        this.dCol = dCol;
    }

    /** 90 degrees counter-clockwise: EAST becomes NORTH. */
    public Facing left() {
        return VALUES[(ordinal() + 3) % 4];
    }

    /** 90 degrees clockwise: NORTH becomes EAST. */
    public Facing right() {
        return VALUES[(ordinal() + 1) % 4];
    }

    public static Facing of(int ordinal) {
        return VALUES[ordinal];
    }

    /** The facing drawn as {@code glyph}, or null when it is no robot glyph. */
    public static Facing byGlyph(char glyph) {
        for (Facing f : VALUES) {
            if (f.glyph == glyph) {
                return f;
            }
        }
        return null;
    }
}
