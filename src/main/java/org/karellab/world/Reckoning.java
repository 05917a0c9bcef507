package org.karellab.world;

/**
 * Dead reckoning: the robot's state in its start frame computed from the written program alone,
 * as if it ran on an empty, unbounded plane (no wall ever blocks a move), under a semantics.
 * Everything here is a function of the written tokens: it is what a probe could know without
 * reading the world. Where the real run differs (a move was blocked), the state depends on the
 * world.
 *
 * <p>{@link #after(int)} gives {@code {turns, ahead, right}} after the first {@code steps}
 * actions: quarter turns clockwise from the start facing (0..3) and the offset along the start
 * facing and to its right, the same frame as {@link AbstractState#turns()},
 * {@link AbstractState#ahead()}, {@link AbstractState#right()}.
 */
public final class Reckoning {
    private final int[][] states; // (steps + 1, 3): turns, ahead, right

    private Reckoning(int[][] states) {
        this.states = states;
    }

    public static Reckoning of(Program program, Semantics semantics) {
        int n = program.length();
        int[][] s = new int[n + 1][3];
        int turns = 0;
        int ahead = 0;
        int right = 0;
        for (int i = 0; i < n; i++) {
            switch (semantics.apply(program.get(i))) {
                case TURN_LEFT -> turns = (turns + 3) % 4;
                case TURN_RIGHT -> turns = (turns + 1) % 4;
                case MOVE -> {
                    // facing in the start frame: 0 ahead, 1 right, 2 back, 3 left
                    ahead += turns == 0 ? 1 : turns == 2 ? -1 : 0;
                    right += turns == 1 ? 1 : turns == 3 ? -1 : 0;
                }
                default -> {
                    // markers do not move the robot
                }
            }
            s[i + 1] = new int[] {turns, ahead, right};
        }
        return new Reckoning(s);
    }

    /** {@code {turns, ahead, right}} after {@code steps} actions (0 = the start). */
    public int[] after(int steps) {
        return states[steps].clone();
    }

    public int length() {
        return states.length - 1;
    }
}
