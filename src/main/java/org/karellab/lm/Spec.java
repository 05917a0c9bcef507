package org.karellab.lm;

import java.util.List;
import org.karellab.data.DatasetFile;
import org.karellab.world.World;

/**
 * The specification of one program as the model sees it: {@code examples} (input, output) pairs,
 * stored interleaved (in0, out0, in1, out1, ...) in {@link DatasetFile}'s 38-byte world form, so
 * training batches are built straight from the mapped file without making objects.
 */
public record Spec(byte[] worlds, int examples) {
    public static final int W = DatasetFile.WORLD_BYTES;

    /** The first {@code examples} pairs of record {@code i}. */
    public static Spec of(DatasetFile f, int i, int examples) {
        byte[] b = new byte[2 * examples * W];
        for (int k = 0; k < examples; k++) {
            f.worldBytes(i, k, false, b, (2 * k) * W);
            f.worldBytes(i, k, true, b, (2 * k + 1) * W);
        }
        return new Spec(b, examples);
    }

    /** The first {@code examples} pairs of the given worlds. */
    public static Spec of(List<World> inputs, List<World> outputs, int examples) {
        byte[] b = new byte[2 * examples * W];
        for (int k = 0; k < examples; k++) {
            DatasetFile.encodeWorld(inputs.get(k), b, (2 * k) * W);
            DatasetFile.encodeWorld(outputs.get(k), b, (2 * k + 1) * W);
        }
        return new Spec(b, examples);
    }

    /** Number of worlds (2 per example). */
    public int worldCount() {
        return 2 * examples;
    }

    /** Cell byte of world {@code w} (0..worldCount-1), interior cell {@code c} (0..35): 0xFF wall, else markers. */
    public int cell(int w, int c) {
        return worlds[w * W + c] & 0xFF;
    }

    /** Robot cell index (0..35) of world {@code w}. */
    public int robot(int w) {
        return worlds[w * W + W - 2] & 0xFF;
    }

    /** Facing ordinal (N, E, S, W) of world {@code w}. */
    public int facing(int w) {
        return worlds[w * W + W - 1] & 0xFF;
    }
}
