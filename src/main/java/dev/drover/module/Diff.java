package dev.drover.module;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Before and after text of one thing a plan changes (file content, attributes, state). */
public record Diff(String beforeHeader, String afterHeader, String before, String after) {

    /**
     * The diffs of a result in Ansible's shape ({@code diff}: a dict or a list of dicts with
     * before/after/before_header/after_header; a {@code prepared} text becomes its "after").
     */
    public static List<Diff> fromResult(Object diff) {
        List<Diff> out = new ArrayList<>();
        for (Object d : diff instanceof List<?> l ? l : diff == null ? List.of() : List.of(diff)) {
            if (!(d instanceof Map<?, ?> m)) {
                continue;
            }
            if (m.containsKey("before") || m.containsKey("after")) {
                if (java.util.Objects.equals(m.get("before"), m.get("after"))) {
                    continue; // Ansible prints nothing for a diff without a difference
                }
                out.add(new Diff(text(m.get("before_header"), "before"), text(m.get("after_header"), "after"),
                        text(m.get("before"), ""), text(m.get("after"), "")));
            } else if (m.get("prepared") != null) {
                out.add(new Diff("before", "after", "", String.valueOf(m.get("prepared"))));
            }
        }
        return out;
    }

    private static String text(Object v, String fallback) {
        if (v == null) {
            return fallback;
        }
        if (v instanceof String s) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        json(v, 0, b); // as Ansible's callback serialises a structured diff: json.dumps(sort_keys, indent=4)
        return b.append('\n').toString();
    }

    private static void json(Object v, int depth, StringBuilder b) {
        String pad = "    ".repeat(depth + 1);
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                b.append("{}");
                return;
            }
            java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>();
            m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
            b.append("{\n");
            int i = 0;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                b.append(pad);
                quote(e.getKey(), b);
                b.append(": ");
                json(e.getValue(), depth + 1, b);
                b.append(++i < sorted.size() ? ",\n" : "\n");
            }
            b.append("    ".repeat(depth)).append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                b.append(pad);
                json(l.get(i), depth + 1, b);
                b.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            b.append("    ".repeat(depth)).append(']');
        } else if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean || v instanceof Number) {
            b.append(v);
        } else {
            quote(Args.stringOf(v), b);
        }
    }

    private static void quote(String s, StringBuilder b) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        b.append('"');
    }
}
