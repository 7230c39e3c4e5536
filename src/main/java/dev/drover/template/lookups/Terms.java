package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers the lookups share: Ansible's parse_kv and flattening of terms. */
final class Terms {
    private Terms() {
    }

    /** Ansible's parse_kv: {@code k=v} words (quotes kept together) and the rest as {@code _raw_params}. */
    static Map<String, String> parseKv(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> raw = new ArrayList<>();
        for (String word : words(s)) {
            int eq = word.indexOf('=');
            if (eq > 0 && !word.substring(0, eq).contains("\"") && !word.substring(0, eq).contains("'")) {
                out.put(word.substring(0, eq), unquote(word.substring(eq + 1)));
            } else {
                raw.add(word);
            }
        }
        if (!raw.isEmpty()) {
            out.put("_raw_params", String.join(" ", raw));
        }
        return out;
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                cur.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                cur.append(c);
            } else if (Character.isWhitespace(c)) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** LookupBase._flatten: nested lists of the terms made one flat list. */
    static List<Object> flatten(List<?> terms) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            if (t instanceof List<?> l) {
                out.addAll(flatten(l));
            } else {
                out.add(t);
            }
        }
        return out;
    }

    /** The option {@code name} as a string, or {@code dflt}. */
    static String option(Map<String, ?> options, String name, String dflt) {
        Object v = options.get(name);
        return v == null ? dflt : Py.str(v);
    }

    /** A lookup's own error (Ansible's AnsibleLookupError), subject to {@code errors=}. */
    static RuntimeException error(String message) {
        return Jinja.fail(message);
    }
}
