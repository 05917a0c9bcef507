package org.karellab.world;

/**
 * The reference's text form of a world: 8 lines of 8 characters joined by {@code \n}.
 *
 * <ul>
 *   <li>{@code #} wall, {@code .} empty cell, a digit {@code 1}..{@code 9} a cell with that many
 *       markers; the robot is one of {@code ^ > v <} (facing north, east, south, west).</li>
 *   <li>The robot glyph is drawn over any markers on its cell, so a rendered world can hide
 *       markers under the robot (as in the reference). Parsing therefore gives the robot's cell no
 *       markers.</li>
 *   <li><b>More than 9 markers</b> render as the first decimal digit of the count ({@code 10}..{@code 19}
 *       as {@code 1}, {@code 23} as {@code 2}). That is what the reference writes (it stores the
 *       count into a one-character numpy cell, which keeps the first character), so rendered
 *       outputs compare equal to the reference's byte for byte; the text form is lossy there, the
 *       kit's binary datasets keep exact counts. Random programs of at most 10 actions almost never
 *       reach 10 markers on a cell.</li>
 *   <li>Parsing also accepts {@code 0} (no marker) and {@code o} (one marker), as the reference
 *       parser does. The border must be wall, and there must be exactly one robot.</li>
 * </ul>
 */
public final class WorldText {
    private WorldText() {
    }

    public static String render(World w) {
        StringBuilder sb = new StringBuilder(World.SIZE * (World.SIZE + 1));
        for (int r = 0; r < World.SIZE; r++) {
            if (r > 0) {
                sb.append('\n');
            }
            for (int c = 0; c < World.SIZE; c++) {
                sb.append(glyph(w, r, c));
            }
        }
        return sb.toString();
    }

    private static char glyph(World w, int r, int c) {
        if (r == w.robotRow() && c == w.robotCol()) {
            return w.facing().glyph;
        }
        if (w.isWall(r, c)) {
            return '#';
        }
        int m = w.markers(r, c);
        return m == 0 ? '.' : Integer.toString(m).charAt(0);
    }

    /**
     * Parses the 8-line form. Trailing {@code \r} and one final newline are tolerated.
     *
     * @throws KarelException naming the line and column of the problem
     */
    public static World parse(String text) {
        String t = text.replace("\r", "");
        if (t.endsWith("\n")) {
            t = t.substring(0, t.length() - 1);
        }
        String[] lines = t.split("\n", -1);
        if (lines.length != World.SIZE) {
            throw new KarelException("grid has " + lines.length + " lines, expected " + World.SIZE);
        }
        int[] cells = new int[World.SIZE * World.SIZE]; // marker count, or World.WALL
        int robotRow = -1;
        int robotCol = -1;
        Facing facing = null;
        for (int r = 0; r < World.SIZE; r++) {
            String line = lines[r];
            if (line.length() != World.SIZE) {
                throw new KarelException("grid line " + (r + 1) + " has " + line.length()
                        + " characters, expected " + World.SIZE);
            }
            for (int c = 0; c < World.SIZE; c++) {
                char ch = line.charAt(c);
                String where = "grid line " + (r + 1) + " column " + (c + 1);
                if (!World.isInterior(r, c)) {
                    if (ch != '#') {
                        throw new KarelException(where + ": border cell is '" + ch + "', expected wall '#'");
                    }
                    continue;
                }
                Facing f = Facing.byGlyph(ch);
                if (f != null) {
                    if (facing != null) {
                        throw new KarelException(where + ": a second robot");
                    }
                    robotRow = r;
                    robotCol = c;
                    facing = f;
                } else if (ch == '#') {
                    cells[r * World.SIZE + c] = World.WALL;
                } else if (ch == 'o') {
                    cells[r * World.SIZE + c] = 1;
                } else if (ch >= '0' && ch <= '9') {
                    cells[r * World.SIZE + c] = ch - '0';
                } else if (ch != '.') {
                    throw new KarelException(where + ": unknown character '" + ch + "'");
                }
            }
        }
        if (facing == null) {
            throw new KarelException("grid has no robot (one of ^ > v <)");
        }
        World w = World.empty(robotRow, robotCol, facing);
        for (int r = 1; r <= World.INTERIOR; r++) {
            for (int c = 1; c <= World.INTERIOR; c++) {
                int v = cells[r * World.SIZE + c];
                if (v == World.WALL) {
                    w.setWall(r, c, true);
                } else {
                    w.setMarkers(r, c, v);
                }
            }
        }
        return w;
    }
}
