package org.karellab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.karellab.world.Action;
import org.karellab.world.Program;
import org.karellab.world.World;

/** The sampler alone: its rates follow its parameters (so the generator's statistics tests can discriminate). */
class SamplerTest {

    /** counts of: walls off the robot's cell, free cells off the robot's cell, markers on them. */
    private static long[] count(Sampler s, int worlds, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long walls = 0;
        long free = 0;
        long markers = 0;
        for (int i = 0; i < worlds; i++) {
            World w = s.world(rng);
            assertEquals(0, w.markers(w.robotRow(), w.robotCol()));
            for (int r = 1; r <= 6; r++) {
                for (int c = 1; c <= 6; c++) {
                    if (r == w.robotRow() && c == w.robotCol()) {
                        continue;
                    }
                    if (w.isWall(r, c)) {
                        walls++;
                    } else {
                        free++;
                        markers += w.markers(r, c);
                    }
                }
            }
        }
        return new long[] {walls, free, markers};
    }

    @Test
    void referenceRates() {
        long[] n = count(new Sampler(GenConfig.defaults()), 20_000, 1);
        TestData.assertRate("walls", n[0], 20_000L * 35, 0.1);
        TestData.assertRate("markers", n[2], n[1], 0.1);
    }

    @Test
    void otherRatesAreFollowedAndDetected() {
        long[] n = count(new Sampler(0.2, 0.3, List.of(5, 3, 3, 2, 2)), 20_000, 2);
        TestData.assertRate("walls", n[0], 20_000L * 35, 0.2);
        TestData.assertRate("markers", n[2], n[1], 0.3);
        // the same counts are far outside the tolerance for the reference rates
        double se = Math.sqrt(0.1 * 0.9 / (20_000.0 * 35));
        assertTrue(Math.abs((double) n[0] / (20_000 * 35) - 0.1) > 50 * se);
    }

    @Test
    void noWallsNoMarkers() {
        long[] n = count(new Sampler(0, 0, List.of(5, 3, 3, 2, 2)), 500, 3);
        assertEquals(0, n[0]);
        assertEquals(0, n[2]);
        assertEquals(500L * 35, n[1]);
    }

    @Test
    void allMarkersExceptUnderTheRobot() {
        long[] n = count(new Sampler(0, 1, List.of(5, 3, 3, 2, 2)), 200, 4);
        assertEquals(n[1], n[2], "every free cell other than the robot's holds one marker");
    }

    @Test
    void weightsAreFollowed() {
        Sampler only = new Sampler(0.1, 0.1, List.of(0, 0, 0, 1, 0));
        SplittableRandom rng = new SplittableRandom(5);
        assertEquals(new Program(Action.PICK_MARKER, Action.PICK_MARKER, Action.PICK_MARKER), only.program(rng, 3));
        Sampler s = new Sampler(0.1, 0.1, List.of(1, 1, 1, 1, 1));
        long[] counts = new long[5];
        for (int i = 0; i < 50_000; i++) {
            counts[s.action(rng).ordinal()]++;
        }
        for (int a = 0; a < 5; a++) {
            TestData.assertRate("uniform action " + a, counts[a], 50_000, 0.2);
        }
    }

    @Test
    void sameStreamSameDraws() {
        Sampler s = new Sampler(GenConfig.defaults());
        assertEquals(s.world(new SplittableRandom(9)), s.world(new SplittableRandom(9)));
        assertEquals(s.program(new SplittableRandom(9), 10), s.program(new SplittableRandom(9), 10));
        assertNotEquals(s.program(new SplittableRandom(9), 10), s.program(new SplittableRandom(10), 10));
        assertEquals(7, s.program(new SplittableRandom(9), 7).length());
    }
}
