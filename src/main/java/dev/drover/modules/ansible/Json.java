package dev.drover.modules.ansible;

import dev.drover.module.Args;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/** The JSON a module receives and answers (JSON is YAML 1.2: snakeyaml-engine reads it). */
final class Json {
    private Json() {
    }

    static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(v, b);
        return b.toString();
    }

    private static void write(Object v, StringBuilder b) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger
                || v instanceof Short || v instanceof Byte) {
            b.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            b.append(Double.isFinite(d) ? String.valueOf(d) : "null");
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                string(String.valueOf(e.getKey()), b);
                b.append(": ");
                write(e.getValue(), b);
            }
            b.append('}');
        } else if (v instanceof List<?> || v instanceof java.util.Set<?>) {
            b.append('[');
            boolean first = true;
            for (Object o : (java.util.Collection<?>) v) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                write(o, b);
            }
            b.append(']');
        } else {
            string(Args.stringOf(v), b);
        }
    }

    /** A JSON string, ASCII only: also a valid Python string literal with the same value. */
    static String pythonLiteral(String s) {
        StringBuilder b = new StringBuilder();
        string(s, b);
        return b.toString();
    }

    private static void string(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** Parses one JSON document. */
    static Object parse(String json) {
        LoadSettings settings = LoadSettings.builder().setSchema(new JsonSchema()).setCodePointLimit(Integer.MAX_VALUE)
                .setAllowDuplicateKeys(true).build();
        return new Load(settings).loadFromString(json);
    }
}
