package org.karellab.lm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The one registry of spec encodings: the config's {@code encoding} key, {@link SpecEncoding#byName},
 * the sizes a {@link ModelShape} derives and the label features a probe sweep calls semantic
 * ({@code trace.Labels#semantic}) all read it. Adding an encoding is one {@link #register} call
 * (here for the built-in ones, or from a notebook for an experiment of your own).
 */
public final class SpecEncodings {
    /**
     * The frame an encoding draws its examples in, which decides what "the robot's state" means
     * to a model that reads it.
     */
    public enum Frame {
        /** Worlds as they are: facing north is the same whatever the start pose (grid, text). */
        ABSOLUTE,
        /** Every example drawn around the robot's start pose, facing up (ego). */
        START
    }

    /**
     * One registered encoding.
     *
     * @param name    the config's {@code encoding} value
     * @param frame   the frame its examples are drawn in
     * @param summary one line for help texts
     * @param factory makes a fresh instance
     */
    public record Entry(String name, Frame frame, String summary, Supplier<SpecEncoding> factory) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(frame, "frame");
            Objects.requireNonNull(factory, "factory");
        }
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();
    /** One instance per name, for the sizes (encodings are stateless). */
    private static final Map<String, SpecEncoding> SHARED = new LinkedHashMap<>();

    static {
        register(new Entry(GridEncoding.NAME, Frame.ABSOLUTE, "one position per world", GridEncoding::new));
        register(new Entry(TextEncoding.NAME, Frame.ABSOLUTE, "one token per cell, as the reference", TextEncoding::new));
        register(new Entry(EgoEncoding.NAME, Frame.START, "one position per example pair, drawn around the start pose",
                EgoEncoding::new));
        register(new Entry(EgoEncoding.NORTH, Frame.ABSOLUTE, "one position per example pair, centred on the start cell, north up",
                EgoEncoding::north));
        register(new Entry(EgoEncoding.NORTH4, Frame.ABSOLUTE,
                "as north, the canvas in one of four blocks by start facing", EgoEncoding::north4));
        register(new Entry(CanvasEncoding.NAME, Frame.ABSOLUTE, "one position per example pair, the world's own grid, north up",
                CanvasEncoding::new));
        register(new Entry(CanvasEncoding.ABS4, Frame.ABSOLUTE,
                "as abs, the canvas in one of four blocks by start facing", CanvasEncoding::abs4));
    }

    private SpecEncodings() {
    }

    /**
     * Adds (or replaces) an encoding under {@code entry.name()}.
     *
     * @throws LmException when the factory makes an encoding of another name
     */
    public static synchronized void register(Entry entry) {
        SpecEncoding made = entry.factory().get();
        if (!made.name().equals(entry.name())) {
            throw new LmException("encoding registered as '" + entry.name() + "' calls itself '" + made.name() + "'");
        }
        ENTRIES.put(entry.name(), entry);
        SHARED.put(entry.name(), made);
    }

    /** The registered names, built-in ones first (grid, text, ego, north, north4, abs, abs4). */
    public static synchronized List<String> names() {
        return new ArrayList<>(ENTRIES.keySet());
    }

    /** @throws LmException for a name not registered, naming the known ones */
    public static synchronized Entry entry(String name) {
        Entry e = ENTRIES.get(name);
        if (e == null) {
            throw new LmException("unknown encoding '" + name + "' (known: " + String.join(", ", ENTRIES.keySet()) + ")");
        }
        return e;
    }

    /** A fresh instance of the named encoding. */
    public static SpecEncoding create(String name) {
        return entry(name).factory().get();
    }

    /** The frame the named encoding draws its examples in. */
    public static Frame frame(String name) {
        return entry(name).frame();
    }

    /** A shared instance, for sizes only (featDim, specLen, vocabSize). */
    static synchronized SpecEncoding shared(String name) {
        entry(name);
        return SHARED.get(name);
    }
}
