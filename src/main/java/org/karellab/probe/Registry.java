package org.karellab.probe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named factories with built-in names that cannot be replaced or removed, shared by
 * {@link ProbeRegistry} (classification probes) and {@link RegressionProbes}. Thread-safe; names
 * keep their order, built-ins first.
 *
 * @param <V> what a name maps to (a factory of trainers per seed)
 */
final class Registry<V> {
    private final String kind;
    private final Map<String, V> named = new LinkedHashMap<>();
    private final List<String> builtIn;

    /** @param kind what the names name, in error messages (e.g. {@code probe}) */
    Registry(String kind, Map<String, V> builtIns) {
        this.kind = kind;
        this.named.putAll(builtIns);
        this.builtIn = List.copyOf(builtIns.keySet());
    }

    /** Adds or replaces {@code name}; a name is letters, digits and {@code _.+-}, never a built-in or a file name. */
    synchronized void register(String name, V value) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.+-]*") || name.endsWith(".xml")) {
            throw new IllegalArgumentException(kind + " name '" + name + "' must be letters, digits and _.+- (not a file name)");
        }
        if (builtIn.contains(name)) {
            throw new IllegalArgumentException(kind + " '" + name + "' is built in; register under another name");
        }
        named.put(name, value);
    }

    /** Removes {@code name}; returns whether it was registered. */
    synchronized boolean unregister(String name) {
        if (builtIn.contains(name)) {
            throw new IllegalArgumentException(kind + " '" + name + "' is built in and cannot be removed");
        }
        return named.remove(name) != null;
    }

    /** What {@code name} maps to, or null. */
    synchronized V get(String name) {
        return named.get(name);
    }

    synchronized List<String> names() {
        return List.copyOf(named.keySet());
    }
}
