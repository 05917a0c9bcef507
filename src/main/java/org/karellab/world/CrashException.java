package org.karellab.world;

/** Thrown under {@link CrashPolicy#ERROR} when an action cannot be carried out. */
public class CrashException extends KarelException {
    /** index of the failing action in the program (0-based). */
    public final int step;
    public final Action action;

    public CrashException(int step, Action action, String why) {
        super("action " + (step + 1) + " (" + action + ") crashed: " + why);
        this.step = step;
        this.action = action;
    }
}
