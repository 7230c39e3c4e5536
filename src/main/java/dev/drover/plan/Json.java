package dev.drover.plan;

import java.util.List;
import java.util.Map;

/**
 * The JSON a plan file is written in: maps in their order, two-space indentation, strings with
 * only {@code "}, {@code \} and control characters escaped. Writing what {@link #parse} read gives
 * the same text again, which is what the plan's checksum is taken over.
 */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(value, 0, b);
        return b.append('\n').toString();
    }

    private static void write(Object v, int depth, StringBuilder b) {
        String pad = "  ".repeat(depth + 1);
        if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            b.append(v);
        } else if (v instanceof Number n) {
            b.append(n.longValue());
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(pad);
                string(String.valueOf(e.getKey()), b);
                b.append(": ");
                write(e.getValue(), depth + 1, b);
                b.append(++i < m.size() ? ",\n" : "\n");
            }
            b.append("  ".repeat(depth)).append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                b.append(pad);
                write(l.get(i), depth + 1, b);
                b.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            b.append("  ".repeat(depth)).append(']');
        } else {
            string(String.valueOf(v), b);
        }
    }

    private static void string(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\ufeff') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** Reads a JSON text (YAML 1.2's JSON subset, through snakeyaml-engine). */
    static Object parse(String text) {
        org.snakeyaml.engine.v2.api.LoadSettings settings = org.snakeyaml.engine.v2.api.LoadSettings.builder()
                .setCodePointLimit(Integer.MAX_VALUE).build();
        return new org.snakeyaml.engine.v2.api.Load(settings).loadFromString(text);
    }
}
