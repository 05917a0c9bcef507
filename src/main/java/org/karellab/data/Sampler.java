package org.karellab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.karellab.world.Action;
import org.karellab.world.Facing;
import org.karellab.world.Interpreter;
import org.karellab.world.Program;
import org.karellab.world.World;

/**
 * Random worlds and programs with the reference's distribution (paper-facts, "World" and
 * "Programs and datasets"):
 *
 * <ul>
 *   <li>each interior cell is a wall with probability {@code wallRate}; the robot's position is
 *       uniform over the interior and its cell is cleared; its facing is uniform over N/E/S/W;</li>
 *   <li>each free interior cell other than the robot's gets one marker with probability
 *       {@code markerRate};</li>
 *   <li>each statement is drawn independently with the config's weights.</li>
 * </ul>
 * Stateless; every draw comes from the {@link SplittableRandom} passed in.
 */
public final class Sampler {
    private final double wallRate;
    private final double markerRate;
    private final int[] cumulative;

    public Sampler(GenConfig config) {
        this(config.wallRate(), config.markerRate(), config.weights());
    }

    public Sampler(double wallRate, double markerRate, List<Integer> weights) {
        this.wallRate = wallRate;
        this.markerRate = markerRate;
        this.cumulative = new int[weights.size()];
        int sum = 0;
        for (int i = 0; i < cumulative.length; i++) {
            sum += weights.get(i);
            cumulative[i] = sum;
        }
    }

    public World world(SplittableRandom rng) {
        boolean[] wall = new boolean[World.SIZE * World.SIZE];
        for (int r = 1; r <= World.INTERIOR; r++) {
            for (int c = 1; c <= World.INTERIOR; c++) {
                wall[r * World.SIZE + c] = rng.nextDouble() < wallRate;
            }
        }
        int row = 1 + rng.nextInt(World.INTERIOR);
        int col = 1 + rng.nextInt(World.INTERIOR);
        World w = World.empty(row, col, Facing.of(rng.nextInt(4)));
        for (int r = 1; r <= World.INTERIOR; r++) {
            for (int c = 1; c <= World.INTERIOR; c++) {
                boolean marker = rng.nextDouble() < markerRate;
                boolean robot = r == row && c == col;
                if (wall[r * World.SIZE + c] && !robot) {
                    w.setWall(r, c, true);
                } else if (marker && !robot) {
                    w.setMarkers(r, c, 1);
                }
            }
        }
        return w;
    }

    public Action action(SplittableRandom rng) {
        int x = rng.nextInt(cumulative[cumulative.length - 1]);
        int i = 0;
        while (x >= cumulative[i]) {
            i++;
        }
        return Action.of(i);
    }

    public Program program(SplittableRandom rng, int length) {
        Action[] a = new Action[length];
        for (int i = 0; i < length; i++) {
            a[i] = action(rng);
        }
        return new Program(a);
    }

    /**
     * Program {@code p} run on {@code examples} fresh random worlds (drawn in order from
     * {@code rng}), with the reference interpreter: one record of a dataset.
     */
    public Sample sample(SplittableRandom rng, Program p, int examples) {
        List<World> in = new ArrayList<>(examples);
        List<World> out = new ArrayList<>(examples);
        for (int k = 0; k < examples; k++) {
            World w = world(rng);
            in.add(w);
            out.add(Interpreter.REFERENCE.run(w, p));
        }
        return new Sample(p, in, out);
    }
}
