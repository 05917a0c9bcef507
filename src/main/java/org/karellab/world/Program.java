package org.karellab.world;

import java.util.Arrays;
import java.util.List;

/**
 * A straight-line Karel program: a sequence of actions. Immutable. Text forms live in
 * {@link ProgramText}.
 */
public final class Program {
    private final Action[] actions;

    public Program(List<Action> actions) {
        this.actions = actions.toArray(new Action[0]);
    }

    public Program(Action... actions) {
        this.actions = actions.clone();
    }

    public int length() {
        return actions.length;
    }

    public Action get(int i) {
        return actions[i];
    }

    public List<Action> actions() {
        return List.of(actions);
    }

    /** The reference form, {@code def run() {\n  move(); turn_left()\n}}. */
    public String toReference() {
        return ProgramText.toReference(this);
    }

    /** The kit's short form, {@code move turnLeft}. */
    public String toShort() {
        return ProgramText.toShort(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Program p && Arrays.equals(actions, p.actions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(actions);
    }

    @Override
    public String toString() {
        return toShort();
    }
}
