package org.karellab.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.karellab.data.GenConfig;
import org.karellab.data.Sampler;
import org.karellab.world.Interpreter;
import org.karellab.world.KarelException;
import org.karellab.world.Program;
import org.karellab.world.ProgramText;
import org.karellab.world.World;
import org.karellab.world.WorldText;

class SpecEncodingTest {
    private static final List<String> NAMES = List.of("grid", "text", "ego", "north", "north4", "abs", "abs4");

    /** Random specs and their programs, lengths 1-10. */
    private static List<Spec> specs(List<Program> programs, long seed) {
        Sampler s = new Sampler(GenConfig.defaults());
        SplittableRandom rng = new SplittableRandom(seed);
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Program p = s.program(rng, 1 + rng.nextInt(10));
            List<World> in = new ArrayList<>();
            List<World> out = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                World w = s.world(rng);
                in.add(w);
                out.add(Interpreter.REFERENCE.run(w, p));
            }
            programs.add(p);
            specs.add(Spec.of(in, out, 5));
        }
        return specs;
    }

    /** The targets of a row that carry a loss, in order. */
    private static int[] scored(Batch b, int row) {
        return Arrays.stream(b.targets(), row * b.tokLen(), (row + 1) * b.tokLen()).filter(t -> t >= 0).toArray();
    }

    @Test
    void everyEncodingHasTheSameProgramTargets() {
        List<Program> programs = new ArrayList<>();
        List<Spec> specs = specs(programs, 3);
        Batch grid = SpecEncoding.byName("grid").encode(specs, programs);
        for (String name : NAMES) {
            Batch b = SpecEncoding.byName(name).encode(specs, programs);
            for (int r = 0; r < specs.size(); r++) {
                int[] want = new int[programs.get(r).length() + 1];
                for (int k = 0; k < programs.get(r).length(); k++) {
                    want[k] = Tokens.actionToken(programs.get(r).get(k));
                }
                want[want.length - 1] = Tokens.EOS;
                assertArrayEquals(want, scored(b, r), name + " row " + r);
                assertArrayEquals(scored(grid, r), scored(b, r));
            }
        }
    }

    @Test
    void shapesFollowTheEncoding() {
        List<Program> programs = new ArrayList<>();
        List<Spec> specs = specs(programs, 5);
        for (String name : NAMES) {
            SpecEncoding e = SpecEncoding.byName(name);
            Batch prompt = e.encode(specs, null);
            assertEquals(e.specLen(5), prompt.specLen(), name);
            assertEquals(e.featDim(), prompt.featDim(), name);
            assertEquals(e.specTokens(5) + 1, prompt.tokLen(), name + ": spec tokens then BOS");
            assertEquals(Tokens.BOS, prompt.tokens()[prompt.tokLen() - 1]);
            assertEquals(0, prompt.targetCount(), "a prompt has no targets");
            ModelShape fitted = LmConfig.smoke().with("encoding", name).model();
            assertEquals(e.featDim(), fitted.featDim());
            assertEquals(e.vocabSize(), fitted.vocabSize());
            assertEquals(prompt.seqLen() + fitted.maxActions(), fitted.contextLength(), name + ": prompt, then the actions");
        }
        assertEquals(10, SpecEncoding.byName("grid").specLen(5));
        assertEquals(5, SpecEncoding.byName("ego").specLen(5));
        assertEquals(430, SpecEncoding.byName("text").specTokens(5));
    }

    /** One example: the robot at row 3, column 3 facing east, and the world after one move. */
    private static Spec eastMove() {
        World in = WorldText.parse(String.join("\n", "########", "#......#", "#......#", "#..>...#", "#......#",
                "#......#", "#......#", "########"));
        World out = Interpreter.REFERENCE.run(in, ProgramText.parse("move"));
        return Spec.of(List.of(in), List.of(out), 1);
    }

    @Test
    void egoDrawsTheRobotsMoveInItsOwnFrame() {
        // robot at row 3, column 3 facing east; one move east: in the robot's frame, one cell "up"
        Spec spec = eastMove();
        EgoEncoding ego = new EgoEncoding();
        float[] x = ego.encode(List.of(spec), null).spec();
        int r = EgoEncoding.RADIUS;
        int ahead = ((r - 1) * EgoEncoding.SIDE + r) * EgoEncoding.CHANNELS; // canvas cell one up from the centre
        int centre = (r * EgoEncoding.SIDE + r) * EgoEncoding.CHANNELS;
        assertEquals(1f, x[ahead + 14 + 1], "output robot one cell ahead, facing up (= its start facing)");
        assertEquals(1f, x[centre + 14], "no robot left on the start cell");
        // the east border is 4 cells ahead of the start (columns 4, 5, 6 free, wall at 7)
        int free = ((r - 3) * EgoEncoding.SIDE + r) * EgoEncoding.CHANNELS;
        int wall = ((r - 4) * EgoEncoding.SIDE + r) * EgoEncoding.CHANNELS;
        assertEquals(0f, x[free], "column 6 is free");
        assertEquals(1f, x[wall], "the border wall ahead");
        int tail = EgoEncoding.SIDE * EgoEncoding.SIDE * EgoEncoding.CHANNELS;
        assertEquals(1f, x[tail + 1], "absolute start facing east");
        assertEquals(1f, x[tail + 4 + 2], "absolute start row 3 (index 2)");
        assertEquals(1f, x[tail + 4 + 6 + 2], "absolute start column 3 (index 2)");
    }

    @Test
    void featureBatchesCarryTheOnesOfTheDenseVectors() {
        List<Program> programs = new ArrayList<>();
        List<Spec> specs = specs(programs, 9);
        for (FeatureEncoding e : List.of(new GridEncoding(), new EgoEncoding(), EgoEncoding.north(), EgoEncoding.north4(),
                new CanvasEncoding(), CanvasEncoding.abs4())) {
            Batch b = e.encode(specs, programs);
            int s = e.specLen(5);
            int f = e.featDim();
            float[] want = new float[specs.size() * s * f];
            for (int i = 0; i < specs.size(); i++) {
                for (int pos = 0; pos < s; pos++) {
                    e.write(specs.get(i), pos, want, (i * s + pos) * f);
                }
            }
            assertArrayEquals(want, b.spec(), e.name());
        }
    }

    @Test
    void egoHasOneOnePerWallCellFourPerOpenCellAndThreeForThePose() {
        List<Program> programs = new ArrayList<>();
        List<Spec> specs = specs(programs, 11);
        for (EgoEncoding e : List.of(new EgoEncoding(), EgoEncoding.north(), EgoEncoding.north4())) {
            Batch.ActiveFeatures ones = e.encode(specs, programs).activeFeatures().orElseThrow();
            int canvas = EgoEncoding.SIDE * EgoEncoding.SIDE;
            for (int i = 0; i < specs.size(); i++) {
                for (int k = 0; k < 5; k++) {
                    int open = 0;
                    for (int c = 0; c < 36; c++) {
                        open += specs.get(i).cell(2 * k, c) == 0xFF ? 0 : 1;
                    }
                    // the 11x11 canvas around any interior cell covers the whole 6x6 interior
                    int p = i * 5 + k;
                    assertEquals(canvas + 3 * open + 3, ones.offsets()[p + 1] - ones.offsets()[p],
                            e.name() + " row " + i + " pair " + k);
                }
            }
        }
    }

    @Test
    void northDrawsTheMoveWithTheCompassUp() {
        // the robot of the ego test (row 3, column 3, facing east) moves east: one cell to the RIGHT
        Spec spec = eastMove();
        int r = EgoEncoding.RADIUS;
        int ch = EgoEncoding.CHANNELS;
        for (EgoEncoding e : List.of(EgoEncoding.north(), EgoEncoding.north4())) {
            float[] x = e.encode(List.of(spec), null).spec();
            int block = e.name().equals("north4") ? e.block() : 0; // start facing east: block 1
            int right = block + (r * EgoEncoding.SIDE + r + 1) * ch;
            int above = block + ((r - 1) * EgoEncoding.SIDE + r) * ch;
            assertEquals(1f, x[right + 14 + 1 + 1], e.name() + ": output robot one cell east, facing east");
            assertEquals(1f, x[above + 14], e.name() + ": nobody north of the start");
            // rows 1 and 2 are free north of row 3, the border wall is 3 cells up
            assertEquals(0f, x[block + ((r - 2) * EgoEncoding.SIDE + r) * ch], e.name() + ": row 1 is free");
            assertEquals(1f, x[block + ((r - 3) * EgoEncoding.SIDE + r) * ch], e.name() + ": the north border");
            int tail = e.featDim() - 16;
            assertEquals(1f, x[tail + 1], e.name() + ": absolute start facing east");
            assertEquals(1f, x[tail + 4 + 2], e.name() + ": start row 3 (index 2)");
            assertEquals(1f, x[tail + 4 + 6 + 2], e.name() + ": start column 3 (index 2)");
            if (block > 0) {
                for (int f = 0; f < e.block(); f++) {
                    assertEquals(0f, x[f], "north4: the north-facing block stays empty");
                }
            }
        }
    }

    @Test
    void theConvFrontEndReadsNorthsCanvasWhereTheEncodingDrawsIt() {
        // the east move on north: output robot one cell east of the centre (5, 6), facing east (channel 14+1+1);
        // start facing east (the 4 facing channels follow the 19 canvas channels: channel 20). Four kernels, each
        // picking one channel at one tap, show where the front end finds each feature on the 11x11 image.
        Spec spec = eastMove();
        int side = EgoEncoding.SIDE;
        int cin = EgoEncoding.CHANNELS + 4;
        ModelShape cfg = LmConfig.smoke().model().with("encoding", "north").with("specConv", "4");
        float[] kernel = new float[4 * cin * 9];
        kernel[(0 * cin + 16) * 9 + 4] = 1f;           // output robot facing east, centre tap
        kernel[(1 * cin + 20) * 9 + 4] = 1f;           // start facing east, centre tap
        kernel[(2 * cin + 16) * 9 + 3] = 1f;           // output robot facing east, tap (0, -1): the cell to the west
        kernel[(3 * cin + 16) * 9 + 1] = 1f;           // output robot facing east, tap (-1, 0): the cell to the north
        try (Gpt init = Gpt.create(cfg, Device.cpu()); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDList weights = new NDList();
            for (Map.Entry<String, NDArray> e : init.parameters().entrySet()) {
                NDArray w = switch (e.getKey()) {
                    case "spec_conv.weight" -> m.create(kernel, new Shape(4, cin, 3, 3));
                    case "spec_conv.bias" -> m.zeros(new Shape(4));
                    default -> e.getValue().duplicate();
                };
                w.setName(e.getKey());
                weights.add(w);
            }
            try (Gpt model = Gpt.create(cfg, Device.cpu(), weights); NDManager scope = model.newScope()) {
                Batch b = EgoEncoding.north().encode(List.of(spec), null);
                float[] front = model.specConv(scope, b).toFloatArray();            // (1, 1, 4*121 + 16)
                assertEquals(4 * side * side + 16, front.length);
                float gelu1 = 0.8413447f;                                           // GELU(1)
                for (int k = 0; k < 4; k++) {
                    for (int r = 0; r < side; r++) {
                        for (int c = 0; c < side; c++) {
                            boolean on = switch (k) {
                                case 0 -> r == 5 && c == 6;
                                case 1 -> true;                                     // broadcast to every cell
                                case 2 -> r == 5 && c == 7;                         // reads (r, c-1) = (5, 6)
                                default -> r == 6 && c == 6;                        // reads (r-1, c) = (5, 6)
                            };
                            assertEquals(on ? gelu1 : 0f, front[(k * side + r) * side + c], 1e-6f,
                                    "kernel " + k + " at (" + r + ", " + c + ")");
                        }
                    }
                }
                float[] x = b.spec();
                for (int e = 0; e < 16; e++) {
                    assertEquals(x[x.length - 16 + e], front[4 * side * side + e], "the start pose follows the image");
                }
            }
        }
    }

    @Test
    void absDrawsTheMoveWhereItHappensOnTheWorldsOwnGrid() {
        // the robot of the ego test: interior row 2, column 2 (cell 14), facing east; one move: cell 15
        Spec spec = eastMove();
        int ch = CanvasEncoding.CHANNELS;
        CanvasEncoding abs = new CanvasEncoding();
        assertEquals(880, abs.featDim());
        float[] x = abs.encode(List.of(spec), null).spec();
        assertEquals(1f, x[14 * ch + CanvasEncoding.IN_ROBOT + 1 + 1], "input robot on cell 14, facing east");
        assertEquals(1f, x[14 * ch + CanvasEncoding.OUT_ROBOT], "no output robot on cell 14");
        assertEquals(1f, x[15 * ch + CanvasEncoding.IN_ROBOT], "no input robot on cell 15");
        assertEquals(1f, x[15 * ch + CanvasEncoding.OUT_ROBOT + 1 + 1], "output robot on cell 15, facing east");
        assertEquals(1f, x[0 * ch + CanvasEncoding.CHANGE + 2], "no marker changes anywhere, e.g. cell 0");
        assertEquals(1f, x[864 + 1], "start facing east");
        assertEquals(1f, x[864 + 4 + 2], "start row index 2");
        assertEquals(1f, x[864 + 4 + 6 + 2], "start column index 2");
        double ones = 0;
        for (float v : x) {
            ones += v;
        }
        assertEquals(36 * 5 + 3, ones, "no interior wall: five ones per cell and three for the pose");

        // putMarker on the same world: the marker channels of cell 14 change, the robot stays
        World in = WorldText.parse(String.join("\n", "########", "#......#", "#......#", "#..>...#", "#......#",
                "#......#", "#......#", "########"));
        Spec put = Spec.of(List.of(in), List.of(Interpreter.REFERENCE.run(in, ProgramText.parse("putMarker"))), 1);
        float[] y = abs.encode(List.of(put), null).spec();
        assertEquals(1f, y[14 * ch + CanvasEncoding.IN_MARKERS], "no marker before");
        assertEquals(1f, y[14 * ch + CanvasEncoding.OUT_MARKERS + 1], "one marker after");
        assertEquals(1f, y[14 * ch + CanvasEncoding.CHANGE + 3], "change +1");
        assertEquals(1f, y[14 * ch + CanvasEncoding.OUT_ROBOT + 1 + 1], "the robot stays, facing east");

        // abs4: the same canvas in the east block (1), the others empty, the same pose tail
        CanvasEncoding abs4 = CanvasEncoding.abs4();
        float[] z = abs4.encode(List.of(spec), null).spec();
        int b = abs4.block();
        assertArrayEquals(Arrays.copyOfRange(x, 0, b), Arrays.copyOfRange(z, b, 2 * b));
        assertArrayEquals(Arrays.copyOfRange(x, b, x.length), Arrays.copyOfRange(z, 4 * b, z.length));
        for (int f = 0; f < z.length; f++) {
            if (f < b || (f >= 2 * b && f < 4 * b)) {
                assertEquals(0f, z[f], "abs4: the other blocks stay empty, feature " + f);
            }
        }
    }

    @Test
    void absMarksEveryInteriorWallByItsWallChannelOnly() {
        List<Program> programs = new ArrayList<>();
        List<Spec> specs = specs(programs, 17);
        CanvasEncoding abs = new CanvasEncoding();
        Batch.ActiveFeatures ones = abs.encode(specs, programs).activeFeatures().orElseThrow();
        for (int i = 0; i < specs.size(); i++) {
            for (int k = 0; k < 5; k++) {
                int open = 0;
                for (int c = 0; c < 36; c++) {
                    open += specs.get(i).cell(2 * k, c) == 0xFF ? 0 : 1;
                }
                int p = i * 5 + k;
                assertEquals((36 - open) + 5 * open + 3, ones.offsets()[p + 1] - ones.offsets()[p], "row " + i + " pair " + k);
            }
        }
    }

    @Test
    void theThreeCanvasesAgreeWhereTheyMust() {
        // facing north, rotating is the identity: ego = north = north4's first block; otherwise north4
        // is north moved into the start facing's block
        List<Program> programs = new ArrayList<>();
        List<Spec> specs = specs(programs, 13);
        EgoEncoding ego = new EgoEncoding();
        EgoEncoding north = EgoEncoding.north();
        EgoEncoding north4 = EgoEncoding.north4();
        int b = north4.block();
        int seenNorth = 0;
        int seenOther = 0;
        for (Spec spec : specs) {
            for (int k = 0; k < 5; k++) {
                float[] xe = new float[ego.featDim()];
                float[] xn = new float[north.featDim()];
                float[] x4 = new float[north4.featDim()];
                ego.write(spec, k, xe, 0);
                north.write(spec, k, xn, 0);
                north4.write(spec, k, x4, 0);
                int f0 = spec.facing(2 * k);
                assertArrayEquals(Arrays.copyOfRange(xn, 0, b), Arrays.copyOfRange(x4, f0 * b, (f0 + 1) * b));
                assertArrayEquals(Arrays.copyOfRange(xn, b, xn.length), Arrays.copyOfRange(x4, 4 * b, x4.length));
                if (f0 == 0) {
                    assertArrayEquals(xe, xn, "facing north: ego and north are the same drawing");
                    seenNorth++;
                } else {
                    seenOther++;
                }
            }
        }
        assertEquals(true, seenNorth > 0 && seenOther > 0, "the random specs start facing north and otherwise");
    }

    @Test
    void unknownEncodingIsAnError() {
        assertThrows(KarelException.class, () -> SpecEncoding.byName("pixels"));
    }
}
