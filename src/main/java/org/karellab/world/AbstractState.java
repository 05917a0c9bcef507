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
 *   <li>In the robot's start frame: {@code turns}, quarter turns clockwise from the start facing
 *       (0..3), and {@code ahead}, {@code right}, the offset from the start along the start
 *       facing and to its right. These do not depend on where the robot started or faced, only on
 *       what the program did.</li>
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
        boolean wallWest,
        int turns,
        int ahead,
        int right) {

    /** Offsets span -MAX_OFFSET..MAX_OFFSET as label classes. */
    public static final int MAX_OFFSET = 6;

    public static AbstractState of(World start, World now) {
        Facing f0 = start.facing();
        int dRow = now.robotRow() - start.robotRow();
        int dCol = now.robotCol() - start.robotCol();
        Facing r0 = f0.right();
        return new AbstractState(
                now.facing(),
                dCol,
                dRow,
                now.facingWall(),
                now.robotRow(),
                now.robotCol(),
                now.wallAt(Facing.NORTH),
                now.wallAt(Facing.EAST),
                now.wallAt(Facing.SOUTH),
                now.wallAt(Facing.WEST),
                (now.facing().ordinal() - f0.ordinal() + 4) % 4,
                dRow * f0.dRow + dCol * f0.dCol,
                dRow * r0.dRow + dCol * r0.dCol);
    }

    /** Short human-readable form, e.g. {@code facing=E dx=+1 dy=0 facingWall=no pos=(3,4) walls=N-W}. */
    public String describe() {
        return String.format("facing=%s dx=%+d dy=%+d facingWall=%s pos=(%d,%d) walls=%s%s%s%s",
                facing.name().charAt(0), dx, dy, facingWall ? "yes" : "no", row, col,
                wallNorth ? "N" : "-", wallEast ? "E" : "-", wallSouth ? "S" : "-", wallWest ? "W" : "-");
    }
}
