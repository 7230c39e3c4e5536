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
        return v instanceof String s ? s : Args.stringOf(v) + "\n";
    }
}
