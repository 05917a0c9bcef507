package org.karellab.world;

import java.util.List;

/**
 * The full state of a run after every action. {@code worlds.get(0)} is the start, and
 * {@code worlds.get(i)} the world after action {@code i} (1-based), so a program of n actions has
 * n+1 worlds.
 *
 * @param program the program as written
 * @param semantics the semantics it ran under
 * @param executed the action actually executed at each step (after the semantics)
 * @param failed whether the executed action could not be carried out (a crash)
 * @param halted whether the run was halted at that step (only under {@link CrashPolicy#HALT}:
 *     from the first crash on, later actions do nothing)
 */
public record Trace(Program program, Semantics semantics, List<World> worlds, List<Action> executed,
        List<Boolean> failed, List<Boolean> halted) {

    public World start() {
        return worlds.get(0);
    }

    public World end() {
        return worlds.get(worlds.size() - 1);
    }

    /** Abstract state after {@code steps} actions (0 = the start). */
    public AbstractState state(int steps) {
        return AbstractState.of(start(), worlds.get(steps));
    }

    public int length() {
        return program.length();
    }
}
