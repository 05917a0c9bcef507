package org.karellab.world;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which action is executed when the program says an action: a mapping of the five actions onto
 * themselves, applied at execution time (paper-facts, "Alternative semantics"). The program text
 * never changes; only what it does.
 *
 * <p>Named tables: {@code original}; {@code flip} (turnLeft and turnRight swapped, pickMarker and
 * putMarker swapped); {@code adversarial} (pickMarker->turnRight, putMarker->turnLeft,
 * turnRight->move, turnLeft->turnRight, move->turnLeft). Any other permutation is written
 * {@code pickMarker=turnRight,putMarker=turnLeft,...}; actions not named map to themselves.
 *
 * <p>The mapping need not be a permutation: the reference's adversarial table (its
 * {@code unsemantic1}) sends two actions to turnRight and two to turnLeft, and never executes
 * pickMarker or putMarker. {@link #isPermutation()} tells which kind a semantics is.
 */
public final class Semantics {
    /** name -> table of the built-in semantics, in the order they are listed to users. */
    private static final Map<String, Semantics> NAMED = new LinkedHashMap<>();

    public static final Semantics ORIGINAL = named("original", "");
    public static final Semantics FLIP = named("flip",
            "turnLeft=turnRight,turnRight=turnLeft,pickMarker=putMarker,putMarker=pickMarker");
    public static final Semantics ADVERSARIAL = named("adversarial",
            "pickMarker=turnRight,putMarker=turnLeft,turnRight=move,turnLeft=turnRight,move=turnLeft");

    private static Semantics named(String name, String table) {
        Semantics s = new Semantics(name, mapping(table, name));
        NAMED.put(name, s);
        return s;
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

    /** {@code original}, {@code flip}, {@code adversarial}, or the permutation's canonical text. */
    public String name() {
        return name;
    }

    /** Names of the built-in tables. */
    public static Set<String> named() {
        return NAMED.keySet();
    }

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
