package org.karellab.world;

import java.util.Arrays;

/**
 * A Karel world: an 8x8 grid whose outer ring is always wall, so the robot lives in the 6x6
 * interior. A cell is a wall or holds zero or more markers (unbounded). The robot has a position
 * and a facing; its marker bag is unlimited.
 *
 * <p>Mutable for speed (the generator makes millions); {@link #copy()} before changing a world
 * someone else holds. Rows grow southward, columns eastward; {@code (row, col)} are absolute
 * grid coordinates in 0..7.
 */
public final class World {
    /** side of the grid, border included. */
    public static final int SIZE = 8;
    /** side of the interior. */
    public static final int INTERIOR = SIZE - 2;
    /** cell value of a wall; any other value is a marker count. */
    static final int WALL = -1;

    private final int[] cells = new int[SIZE * SIZE];
    private int row;
    private int col;
    private Facing facing;

    private World() {
    }

    /** An empty interior (no walls, no markers) with the robot at {@code (row, col)}. */
    public static World empty(int row, int col, Facing facing) {
        World w = new World();
        for (int r = 0; r < SIZE; r++) {
            for (int c = 0; c < SIZE; c++) {
                if (!isInterior(r, c)) {
                    w.cells[r * SIZE + c] = WALL;
                }
            }
        }
        w.placeRobot(row, col, facing);
        return w;
    }

    public static boolean isInterior(int row, int col) {
        return row >= 1 && row <= INTERIOR && col >= 1 && col <= INTERIOR;
    }

    public World copy() {
        World w = new World();
        System.arraycopy(cells, 0, w.cells, 0, cells.length);
        w.row = row;
        w.col = col;
        w.facing = facing;
        return w;
    }

    public int robotRow() {
        return row;
    }

    public int robotCol() {
        return col;
    }

    public Facing facing() {
        return facing;
    }

    public boolean isWall(int row, int col) {
        return cells[row * SIZE + col] == WALL;
    }

    /** markers on a cell (0 for a wall). */
    public int markers(int row, int col) {
        return Math.max(0, cells[row * SIZE + col]);
    }

    /** Is the cell in front of the robot a wall? */
    public boolean facingWall() {
        return isWall(row + facing.dRow, col + facing.dCol);
    }

    /** Is the neighbour of the robot in absolute direction {@code dir} a wall? */
    public boolean wallAt(Facing dir) {
        return isWall(row + dir.dRow, col + dir.dCol);
    }

    /**
     * This world turned a quarter clockwise about the grid's centre: cell {@code (row, col)} goes
     * to {@code (col, 7 - row)} and the robot's facing turns right (north becomes east). The five
     * actions commute with it: running a program on the turned world gives the turned result.
     */
    public World turned() {
        World w = new World();
        for (int r = 0; r < SIZE; r++) {
            for (int c = 0; c < SIZE; c++) {
                w.cells[c * SIZE + (SIZE - 1 - r)] = cells[r * SIZE + c];
            }
        }
        w.row = col;
        w.col = SIZE - 1 - row;
        w.facing = facing.right();
        return w;
    }

    // ---- changes; only interior cells can change, the border stays wall ----

    public World setWall(int row, int col, boolean wall) {
        requireInterior(row, col);
        if (wall && row == this.row && col == this.col) {
            throw new KarelException("cannot put a wall under the robot at (" + row + "," + col + ")");
        }
        cells[row * SIZE + col] = wall ? WALL : 0;
        return this;
    }

    public World setMarkers(int row, int col, int count) {
        requireInterior(row, col);
        if (count < 0) {
            throw new KarelException("negative marker count " + count + " at (" + row + "," + col + ")");
        }
        if (cells[row * SIZE + col] == WALL) {
            throw new KarelException("cannot put markers on the wall at (" + row + "," + col + ")");
        }
        cells[row * SIZE + col] = count;
        return this;
    }

    /** Moves the robot to an interior non-wall cell. */
    public World placeRobot(int row, int col, Facing facing) {
        requireInterior(row, col);
        if (isWall(row, col)) {
            throw new KarelException("cannot place the robot on the wall at (" + row + "," + col + ")");
        }
        this.row = row;
        this.col = col;
        this.facing = facing;
        return this;
    }

    // ---- the primitive effects the interpreter builds actions from; each says if it succeeded ----

    boolean tryMove() {
        if (facingWall()) {
            return false;
        }
        row += facing.dRow;
        col += facing.dCol;
        return true;
    }

    void turnLeft() {
        facing = facing.left();
    }

    void turnRight() {
        facing = facing.right();
    }

    boolean tryPick() {
        int i = row * SIZE + col;
        if (cells[i] <= 0) {
            return false;
        }
        cells[i]--;
        return true;
    }

    void put() {
        cells[row * SIZE + col]++;
    }

    private static void requireInterior(int row, int col) {
        if (!isInterior(row, col)) {
            throw new KarelException("(" + row + "," + col + ") is not an interior cell (rows and columns 1.."
                    + INTERIOR + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof World w && row == w.row && col == w.col && facing == w.facing
                && Arrays.equals(cells, w.cells);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cells) * 31 + (row * SIZE + col) * 4 + facing.ordinal();
    }

    /** The reference's 8-line text form; see {@link WorldText}. */
    @Override
    public String toString() {
        return WorldText.render(this);
    }
}
