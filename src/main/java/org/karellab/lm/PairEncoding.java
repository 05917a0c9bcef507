package org.karellab.lm;

/**
 * An encoding with one sequence position per (input, output) PAIR, drawn on a canvas: the
 * sequence is {@code [pair1, ..., pair5, BOS, action..., EOS]}. A position holds {@code blocks}
 * canvas blocks of {@link #block()} features (1, or 4 with the canvas in the block of the pair's
 * start facing and the others 0), then the start pose as one-hots: facing (4), interior row (6),
 * interior column (6). Subclasses say how a pair is drawn on one block ({@link EgoEncoding},
 * {@link CanvasEncoding}).
 */
abstract class PairEncoding extends FeatureEncoding {
    static final int SIX = 6;
    /** The start pose appended after the blocks: facing, row, column. */
    static final int POSE = 4 + SIX + SIX;

    private final String name;
    /** Canvas blocks: 1, or 4 (one per start facing). */
    private final int blocks;

    PairEncoding(String name, int blocks) {
        this.name = name;
        this.blocks = blocks;
    }

    /** Cells per canvas row and column. */
    abstract int side();

    /** Features per canvas cell. */
    abstract int channels();

    /** Features of one canvas block: side x side cells of {@link #channels()}, channel fastest. */
    final int block() {
        return side() * side() * channels();
    }

    /** The layout of a position's features, for a front end that reads the canvas as an image. */
    @Override
    public final java.util.Optional<CanvasShape> canvasShape() {
        return java.util.Optional.of(new CanvasShape(side(), channels(), blocks, POSE));
    }

    /**
     * Reports the ones of pair {@code k}'s canvas, in increasing order, each offset by {@code at}
     * (the start of the block the pair is drawn in).
     */
    abstract void canvas(Spec spec, int k, Ones ones, int at);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int featDim() {
        return blocks * block() + POSE;
    }

    @Override
    public final int specLen(int examples) {
        return examples;
    }

    @Override
    final void write(Spec spec, int position, float[] x, int at) {
        writeOnes(spec, position, f -> x[at + f] = 1f);
    }

    @Override
    final void writeOnes(Spec spec, int position, Ones ones) {
        int in = 2 * position;
        int f0 = spec.facing(in);
        int start = spec.robot(in);
        canvas(spec, position, ones, blocks == 1 ? 0 : f0 * block());
        int o = blocks * block();
        ones.one(o + f0);
        ones.one(o + 4 + start / SIX);
        ones.one(o + 4 + SIX + start % SIX);
    }
}
