package dev.drover.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The run's masking applied to every string inside a value (a result's maps and lists), as
 * {@link ConsoleListener} does before dumping: vault values become {@code ********} before any
 * escaping (JSON, XML) could hide them from a line filter.
 */
final class Masks {
    private Masks() {
    }

    @SuppressWarnings("unchecked")
    static <T> T deep(T value, UnaryOperator<String> mask) {
        if (value instanceof String s) {
            return (T) mask.apply(s);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(deep(k, mask), deep(x, mask)));
            return (T) out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(deep(x, mask)));
            return (T) out;
        }
        if (value != null && !(value instanceof Number || value instanceof Boolean)) {
            String text = String.valueOf(value);
            String masked = mask.apply(text);
            if (!masked.equals(text)) {
                return (T) masked; // another type that would print a secret: its masked text
            }
        }
        return value;
    }
}
