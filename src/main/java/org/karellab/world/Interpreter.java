package org.karellab.world;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs programs under a {@link Semantics} and a {@link CrashPolicy}. Immutable and thread-safe.
 */
public final class Interpreter {
    /** The reference's interpreter: original semantics, crashes are no-ops. */
    public static final Interpreter REFERENCE = new Interpreter(Semantics.ORIGINAL, CrashPolicy.NOOP);

    private final Semantics semantics;
    private final CrashPolicy policy;

    public Interpreter(Semantics semantics, CrashPolicy policy) {
        this.semantics = semantics;
        this.policy = policy;
    }

    public Semantics semantics() {
        return semantics;
    }

    public CrashPolicy policy() {
        return policy;
    }

    /** The world after running {@code program} from {@code start}; {@code start} is not changed. */
    public World run(World start, Program program) {
        World w = start.copy();
        runInPlace(w, program);
        return w;
    }

    /** Runs {@code program} on {@code world}, changing it. */
    public void runInPlace(World world, Program program) {
        boolean halted = false;
        for (int i = 0; i < program.length() && !halted; i++) {
            halted = step(world, i, program.get(i)) && policy == CrashPolicy.HALT;
        }
    }

    /** Runs {@code program} from {@code start}, recording the world after every action. */
    public Trace trace(World start, Program program) {
        int n = program.length();
        List<World> worlds = new ArrayList<>(n + 1);
        List<Action> executed = new ArrayList<>(n);
        List<Boolean> failed = new ArrayList<>(n);
        List<Boolean> haltedAt = new ArrayList<>(n);
        World w = start.copy();
        worlds.add(w.copy());
        boolean halted = false;
        for (int i = 0; i < n; i++) {
            Action a = program.get(i);
            executed.add(semantics.apply(a));
            boolean crashed = !halted && step(w, i, a);
            halted |= crashed && policy == CrashPolicy.HALT;
            failed.add(crashed);
            haltedAt.add(halted);
            worlds.add(w.copy());
        }
        return new Trace(program, semantics, List.copyOf(worlds), List.copyOf(executed), List.copyOf(failed),
                List.copyOf(haltedAt));
    }

    /**
     * Executes the action written as {@code written} at program index {@code index}.
     *
     * @return whether it crashed (under {@link CrashPolicy#ERROR} a crash throws instead)
     */
    private boolean step(World w, int index, Action written) {
        Action a = semantics.apply(written);
        boolean ok = switch (a) {
            case MOVE -> w.tryMove();
            case TURN_LEFT -> {
                w.turnLeft();
                yield true;
            }
            case TURN_RIGHT -> {
                w.turnRight();
                yield true;
            }
            case PICK_MARKER -> w.tryPick();
            case PUT_MARKER -> {
                w.put();
                yield true;
            }
        };
        if (!ok && policy == CrashPolicy.ERROR) {
            throw new CrashException(index, written,
                    a == Action.MOVE ? "a wall is in front of the robot" : "no marker to pick");
        }
        return !ok;
    }
}
