package org.karellab.world;

/**
 * The robot's abstract state at one point of a run: what the probes predict. Defined once here so
 * every part of the kit labels the same way.
 *
 * <ul>
 *   <li>{@code facing}: 4 classes (N, E, S, W).</li>
 *   <li>{@code dx}, {@code dy}: position offset from the start of the run, east and south
 *       positive (grid columns and rows), each in -6..6 as label space (13 classes; on the 6x6
 *       interior the reachable range is -5..5).</li>
 *   <li>{@code facingWall}: 2 classes, the cell in front is a wall.</li>
 *   <li>{@code row}, {@code col}: absolute position, 1..6 each.</li>
 *   <li>{@code wallNorth} .. {@code wallWest}: walls on the four sides (absolute directions).</li>
 * </ul>
 */
public record AbstractState(
        Facing facing,
        int dx,
        int dy,
        boolean facingWall,
        int row,
        int col,
        boolean wallNorth,
        boolean wallEast,
        boolean wallSouth,
        boolean wallWest) {

    /** Offsets span -MAX_OFFSET..MAX_OFFSET as label classes. */
    public static final int MAX_OFFSET = 6;

    public static AbstractState of(World start, World now) {
        return new AbstractState(
                now.facing(),
                now.robotCol() - start.robotCol(),
                now.robotRow() - start.robotRow(),
                now.facingWall(),
                now.robotRow(),
                now.robotCol(),
                now.wallAt(Facing.NORTH),
                now.wallAt(Facing.EAST),
                now.wallAt(Facing.SOUTH),
                now.wallAt(Facing.WEST));
    }

    /** Short human-readable form, e.g. {@code facing=E dx=+1 dy=0 facingWall=no pos=(3,4) walls=N-W}. */
    public String describe() {
        return String.format("facing=%s dx=%+d dy=%+d facingWall=%s pos=(%d,%d) walls=%s%s%s%s",
                facing.name().charAt(0), dx, dy, facingWall ? "yes" : "no", row, col,
                wallNorth ? "N" : "-", wallEast ? "E" : "-", wallSouth ? "S" : "-", wallWest ? "W" : "-");
    }
}
