package org.karellab.lm;

/**
 * How a per-pair encoding lays out one spec position's features, for a front end that reads them
 * as an image ({@code specConv} in {@link ModelShape}): first {@code blocks} canvas blocks, each
 * {@code side x side} cells in row-major order with {@code channels} features per cell (channel
 * fastest), then {@code extra} features whose first four are the start facing's one-hot (N, E, S,
 * W).
 *
 * @param side     cells per canvas row and column (11 for {@code ego}/{@code north}, 6 for {@code abs})
 * @param channels features per cell
 * @param blocks   canvas blocks (1, or 4 for one block per start facing)
 * @param extra    features after the blocks (the start pose)
 */
public record CanvasShape(int side, int channels, int blocks, int extra) {
    /** Width of the start facing's one-hot at the head of the extra features: N, E, S, W. */
    public static final int FACINGS = 4;

    /** Features of all the canvas blocks, before the extra ones. */
    public int canvasFeatures() {
        return blocks * side * side * channels;
    }

    /**
     * Input channels of a convolution over the canvas: every block's channels, and the start
     * facing's {@link #FACINGS} when it is broadcast to every cell.
     */
    public int convChannels(boolean withFacing) {
        return blocks * channels + (withFacing ? FACINGS : 0);
    }
}
