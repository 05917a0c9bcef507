package org.karellab.world;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which action is executed when the program says an action: a mapping of the five actions onto
 * themselves, applied at execution time (paper-facts, "Alternative semantics"). The program text
 * never changes; only what it does.
 *
 * <p>Named tables: {@code original}, and the reference's twelve alternatives by their names in
 * its {@code probe/alt.py} (indices 0-11, {@link #REFERENCE}): {@code opposite1}, {@code random1},
 * {@code perm1}, {@code unsemantic1} .. {@code unsemantic4}, {@code perm_nomarks_1} ..
 * {@code perm_nomarks_5}. Some of them share a table ({@code perm_nomarks_1} = {@code opposite1};
 * {@code unsemantic4} = {@code perm_nomarks_4} = {@code unsemantic3}); each keeps its own name, and
 * semantics compare equal by table. The kit's earlier names are aliases: {@code flip} =
 * {@code opposite1} (turns swapped, pick and put swapped) and {@code adversarial} =
 * {@code unsemantic1}. The reference's ICML'24 intervention uses {@link #REFERENCE_ICML}. Any other
 * mapping is written {@code pickMarker=turnRight,putMarker=turnLeft,...}; actions not named map to
 * themselves.
 *
 * <p>The mapping need not be a permutation: {@code unsemantic1} sends two actions to turnRight and
 * two to turnLeft, and never executes pickMarker or putMarker; the other eleven are permutations.
 * {@link #isPermutation()} tells which kind a semantics is.
 */
public final class Semantics {
    /** name -> table of the built-in semantics, in the order they are listed to users. */
    private static final Map<String, Semantics> NAMED = new LinkedHashMap<>();

    public static final Semantics ORIGINAL = named("original", "");

    // the reference's twelve (probe/alt.py), in its index order; tables as written there
    /** Reference index 0: turns swapped, pick and put swapped. */
    public static final Semantics OPPOSITE1 = named("opposite1",
            "pickMarker=putMarker,putMarker=pickMarker,turnRight=turnLeft,turnLeft=turnRight,move=move");
    /** Reference index 1. */
    public static final Semantics RANDOM1 = named("random1",
            "pickMarker=turnLeft,putMarker=move,turnRight=pickMarker,turnLeft=putMarker,move=turnRight");
    /** Reference index 2. */
    public static final Semantics PERM1 = named("perm1",
            "pickMarker=putMarker,putMarker=turnRight,turnRight=turnLeft,turnLeft=move,move=pickMarker");
    /** Reference index 3: not a permutation. */
    public static final Semantics UNSEMANTIC1 = named("unsemantic1",
            "pickMarker=turnRight,putMarker=turnLeft,turnRight=move,turnLeft=turnRight,move=turnLeft");
    /** Reference index 4. */
    public static final Semantics UNSEMANTIC2 = named("unsemantic2",
            "pickMarker=turnRight,putMarker=move,turnRight=putMarker,turnLeft=pickMarker,move=turnLeft");
    /** Reference index 5. */
    public static final Semantics UNSEMANTIC3 = named("unsemantic3",
            "pickMarker=putMarker,putMarker=pickMarker,turnRight=move,turnLeft=turnRight,move=turnLeft");
    /** Reference index 6: the table of {@code unsemantic3}. */
    public static final Semantics UNSEMANTIC4 = named("unsemantic4", UNSEMANTIC3);
    /** Reference index 7: the table of {@code opposite1}. */
    public static final Semantics PERM_NOMARKS_1 = named("perm_nomarks_1", OPPOSITE1);
    /** Reference index 8. */
    public static final Semantics PERM_NOMARKS_2 = named("perm_nomarks_2",
            "pickMarker=putMarker,putMarker=pickMarker,turnRight=turnRight,turnLeft=move,move=turnLeft");
    /** Reference index 9. */
    public static final Semantics PERM_NOMARKS_3 = named("perm_nomarks_3",
            "pickMarker=putMarker,putMarker=pickMarker,turnRight=move,turnLeft=turnLeft,move=turnRight");
    /** Reference index 10: the table of {@code unsemantic3}. */
    public static final Semantics PERM_NOMARKS_4 = named("perm_nomarks_4", UNSEMANTIC3);
    /** Reference index 11. */
    public static final Semantics PERM_NOMARKS_5 = named("perm_nomarks_5",
            "pickMarker=putMarker,putMarker=pickMarker,turnRight=turnLeft,turnLeft=move,move=turnRight");

    /** Alias of {@link #OPPOSITE1} (the kit's earlier name). */
    public static final Semantics FLIP = named("flip", OPPOSITE1);
    /** Alias of {@link #UNSEMANTIC1} (the kit's earlier name). */
    public static final Semantics ADVERSARIAL = named("adversarial", UNSEMANTIC1);

    /** The reference's twelve alternatives; element {@code i} is its {@code --alternative i}. */
    public static final List<Semantics> REFERENCE = List.of(OPPOSITE1, RANDOM1, PERM1, UNSEMANTIC1, UNSEMANTIC2,
            UNSEMANTIC3, UNSEMANTIC4, PERM_NOMARKS_1, PERM_NOMARKS_2, PERM_NOMARKS_3, PERM_NOMARKS_4, PERM_NOMARKS_5);

    /**
     * The semantics of the reference's ICML'24 intervention runs: {@code original}, then its
     * alternatives 0, 3, 5, 8 and 11 ({@code opposite1}, {@code unsemantic1}, {@code unsemantic3},
     * {@code perm_nomarks_2}, {@code perm_nomarks_5}).
     */
    public static final List<Semantics> REFERENCE_ICML = List.of(ORIGINAL, OPPOSITE1, UNSEMANTIC1, UNSEMANTIC3,
            PERM_NOMARKS_2, PERM_NOMARKS_5);

    private static Semantics named(String name, String table) {
        Semantics s = new Semantics(name, mapping(table, name));
        NAMED.put(name, s);
        return s;
    }

    /** Another name for the table of {@code same}. */
    private static Semantics named(String name, Semantics same) {
        Semantics s = new Semantics(name, same.table());
        NAMED.put(name, s);
        return s;
    }

    /**
     * The reference's alternative number {@code index} (its {@code --alternative}, 0-11).
     *
     * @throws KarelException for an index outside 0-11
     */
    public static Semantics reference(int index) {
        if (index < 0 || index >= REFERENCE.size()) {
            throw new KarelException("reference alternative " + index + " does not exist (0-"
                    + (REFERENCE.size() - 1) + ")");
        }
        return REFERENCE.get(index);
    }

    private final String name;
    private final Action[] table = new Action[Action.count()];

    private Semantics(String name, Map<Action, Action> mapping) {
        this.name = name;  // null only for a transient value inside parse()
        for (Action a : Action.values()) {
            table[a.ordinal()] = mapping.getOrDefault(a, a);
        }
    }

    /** The action executed when the program says {@code written}. */
    public Action apply(Action written) {
        return table[written.ordinal()];
    }

    /**
     * The name it was asked for ({@code original}, a reference name, {@code flip},
     * {@code adversarial}), or for a mapping text the first built-in name with its table (reference
     * order, so never an alias), else its canonical text.
     */
    public String name() {
        return name;
    }

    /** Names of the built-in tables: original, the reference's twelve in index order, then the aliases. */
    public static Set<String> named() {
        return NAMED.keySet();
    }

    /**
     * How a command line's list of semantics is split (picocli's {@code split}): at a comma, except
     * between two {@code written=executed} pairs of one mapping; a semicolon always ends an entry.
     * So {@code original,flip,pickMarker=putMarker,putMarker=pickMarker} is three entries, and two
     * mappings in a row are written {@code a=b,b=a;c=d,d=c}.
     */
    public static final String LIST_SPLIT = ";|(?<!=[A-Za-z_ ]{1,20}),|,(?![A-Za-z_ ]{1,20}=)";

    /**
     * A named table or a permutation {@code written=executed,...} (camelCase or snake_case names).
     *
     * @throws KarelException for an unknown name, an unknown action, or an action mapped twice
     */
    public static Semantics parse(String spec) {
        String s = spec.trim();
        String key = s.toLowerCase(Locale.ROOT);
        if (NAMED.containsKey(key)) {
            return NAMED.get(key);
        }
        if (!s.contains("=")) {
            throw new KarelException("unknown semantics '" + spec + "' (known: " + String.join(", ", NAMED.keySet())
                    + ", or a mapping like pickMarker=putMarker,putMarker=pickMarker)");
        }
        Semantics sem = new Semantics(null, mapping(s, spec));
        return NAMED.values().stream().filter(sem::equals).findFirst()
                .orElseGet(() -> new Semantics(sem.canonical(), sem.table()));
    }

    private static Map<Action, Action> mapping(String text, String spec) {
        Map<Action, Action> m = new EnumMap<>(Action.class);
        if (text.isBlank()) {
            return m;
        }
        for (String pair : text.split(",")) {
            String[] kv = pair.split("=", -1);
            if (kv.length != 2) {
                throw new KarelException("semantics '" + spec + "': '" + pair.trim() + "' is not written=executed");
            }
            Action from = Action.byName(kv[0]);
            Action to = Action.byName(kv[1]);
            if (from == null || to == null) {
                String bad = from == null ? kv[0].trim() : kv[1].trim();
                throw new KarelException("semantics '" + spec + "': unknown action '" + bad + "'");
            }
            if (m.put(from, to) != null) {
                throw new KarelException("semantics '" + spec + "': " + from + " is mapped twice");
            }
        }
        return m;
    }

    /** Does every action get executed by exactly one written action? */
    public boolean isPermutation() {
        return Arrays.stream(table).distinct().count() == table.length;
    }

    /** {@code written=executed} for every action, in {@link Action} order. */
    public String canonical() {
        StringBuilder sb = new StringBuilder();
        for (Action a : Action.values()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(a.camel).append('=').append(apply(a).camel);
        }
        return sb.toString();
    }

    /** The table as written action -> executed action. */
    public Map<Action, Action> table() {
        return Arrays.stream(Action.values())
                .collect(Collectors.toMap(a -> a, this::apply, (x, y) -> x, () -> new EnumMap<>(Action.class)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Semantics s && Arrays.equals(table, s.table);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(table);
    }

    @Override
    public String toString() {
        return name;
    }
}
