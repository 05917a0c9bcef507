package org.karellab.lm;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Typed {@code key=value} access to the components of the config records ({@link ModelShape} and
 * the parts of {@link LmConfig}): the CLI's {@code --set}, the flat JSON form and
 * {@link LmConfig#differences}. Keys are component names, unique across the parts. The
 * per-program eval rows ({@link EvalProgram}) use the same component names and values as their
 * CSV columns.
 */
final class ConfigKeys {
    /** Allowed values of the string keys that are choices. */
    private static final Map<String, Supplier<List<String>>> CHOICES = Map.of(
            "encoding", SpecEncodings::names,
            "schedule", () -> List.of("cosine", "linear"),
            "device", () -> List.of("auto", "cpu", "gpu"),
            "matmulPrecision", MatmulPrecision::names);

    private ConfigKeys() {
    }

    static List<String> names(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    static boolean has(Class<? extends Record> type, String key) {
        return names(type).contains(key);
    }

    /** Component name to value, in declaration order. */
    static Map<String, Object> values(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                m.put(c.getName(), c.getAccessor().invoke(r));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    /**
     * A copy of {@code r} with {@code key} set from its text form.
     *
     * @throws LmException for a value of the wrong type or outside the key's choices
     * @throws IllegalArgumentException when {@code r} has no such key (callers check {@link #has})
     */
    @SuppressWarnings("unchecked")
    static <R extends Record> R with(R r, String key, String text) {
        RecordComponent[] components = r.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        Map<String, Object> now = values(r);
        boolean found = false;
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            if (c.getName().equals(key)) {
                args[i] = parse(key, c.getType(), text.trim());
                found = true;
            } else {
                args[i] = now.get(c.getName());
            }
        }
        if (!found) {
            throw new IllegalArgumentException(r.getClass().getSimpleName() + " has no key " + key);
        }
        try {
            Constructor<?> canonical = r.getClass().getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return (R) canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(String key, Class<?> type, String v) {
        try {
            if (type == int.class) {
                return Integer.parseInt(v);
            } else if (type == long.class) {
                return Long.parseLong(v);
            } else if (type == double.class) {
                double d = Double.parseDouble(v);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            }
        } catch (NumberFormatException e) {
            throw new LmException("config key '" + key + "' wants "
                    + (type == double.class ? "a number" : "an integer") + ", got '" + v + "'");
        }
        if (type == boolean.class) {
            if (!v.equals("true") && !v.equals("false")) {
                throw new LmException("config key '" + key + "' wants true or false, got '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }
        Supplier<List<String>> choices = CHOICES.get(key);
        if (choices != null && !choices.get().contains(v)) {
            throw new LmException("config key '" + key + "' wants one of "
                    + String.join("|", choices.get()) + ", got '" + v + "'");
        }
        return v;
    }
}
