package dev.drover.engine;

import dev.drover.template.TemplateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code with_<lookup>} loops drover runs, as Ansible's lookup plugins of the same names turn
 * their (templated) terms into the loop's items. Any other {@code with_*} is refused when the
 * playbook is validated, not run wrong.
 */
final class WithLoops {
    private WithLoops() {
    }

    static final Set<String> SUPPORTED = Set.of("with_items", "with_list", "with_flattened", "with_dict",
            "with_nested", "with_cartesian", "with_subelements", "with_together", "with_indexed_items",
            "with_sequence");

    /** The items of {@code with_<lookup>} over its rendered terms. */
    static List<Object> items(String key, Object terms) throws TemplateException {
        switch (key) {
            case "with_dict" -> {
                if (!(terms instanceof Map<?, ?> m)) {
                    throw new TemplateException("with_dict expects a dict, got " + describe(terms));
                }
                List<Object> out = new ArrayList<>();
                m.forEach((k, v) -> {
                    Map<String, Object> kv = new LinkedHashMap<>();
                    kv.put("key", k);
                    kv.put("value", v);
                    out.add(kv);
                });
                return out;
            }
            case "with_sequence" -> {
                return sequence(String.valueOf(terms instanceof List<?> l && l.size() == 1 ? l.get(0) : terms));
            }
            default -> {
            }
        }
        List<?> l = list(key, terms);
        return switch (key) {
            case "with_items" -> flatten(l, 1);
            case "with_flattened" -> flatten(l, Integer.MAX_VALUE);
            case "with_nested", "with_cartesian" -> product(key, l);
            case "with_subelements" -> subelements(l);
            case "with_together" -> together(key, l);
            case "with_indexed_items" -> {
                List<Object> out = new ArrayList<>();
                List<Object> flat = flatten(l, 1);
                for (int i = 0; i < flat.size(); i++) {
                    out.add(Arrays.asList(i, flat.get(i)));
                }
                yield out;
            }
            default -> new ArrayList<>(l); // with_list
        };
    }

    private static List<?> list(String key, Object terms) throws TemplateException {
        if (terms instanceof List<?> l) {
            return l;
        }
        if (terms instanceof String || terms instanceof Number || terms instanceof Boolean || terms instanceof Map) {
            return List.of(terms);
        }
        throw new TemplateException(key + " expects a list, got " + describe(terms));
    }

    private static List<Object> flatten(List<?> l, int depth) {
        List<Object> out = new ArrayList<>();
        for (Object o : l) {
            if (depth > 0 && o instanceof List<?> inner) {
                out.addAll(flatten(inner, depth - 1));
            } else {
                out.add(o);
            }
        }
        return out;
    }

    /** with_nested: every combination, the first list varying slowest; each item a list. */
    private static List<Object> product(String key, List<?> lists) throws TemplateException {
        List<List<Object>> acc = new ArrayList<>();
        acc.add(new ArrayList<>());
        for (Object o : lists) {
            List<?> choices = o instanceof List<?> ll ? ll : List.of(o);
            List<List<Object>> next = new ArrayList<>();
            for (List<Object> prefix : acc) {
                for (Object c : choices) {
                    List<Object> p = new ArrayList<>(prefix);
                    p.add(c);
                    next.add(p);
                }
            }
            acc = next;
        }
        if (lists.isEmpty()) {
            throw new TemplateException(key + " requires at least one element in the nested list");
        }
        return new ArrayList<>(acc);
    }

    /** with_together: the lists zipped, shorter ones padded with None (null). */
    private static List<Object> together(String key, List<?> lists) throws TemplateException {
        if (lists.isEmpty()) {
            throw new TemplateException(key + " requires at least one element in each list");
        }
        int n = 0;
        for (Object o : lists) {
            n = Math.max(n, o instanceof List<?> ll ? ll.size() : 1);
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Object> row = new ArrayList<>();
            for (Object o : lists) {
                List<?> ll = o instanceof List<?> x ? x : List.of(o);
                row.add(i < ll.size() ? ll.get(i) : null);
            }
            out.add(row);
        }
        return out;
    }

    /** with_subelements: [list of dicts, 'key.path'(, {skip_missing: bool})] → [dict, subelement]. */
    private static List<Object> subelements(List<?> terms) throws TemplateException {
        if (terms.size() < 2 || terms.size() > 3 || !(terms.get(1) instanceof String path)) {
            throw new TemplateException("subelements lookup expects a list of two or three items, the second a key name");
        }
        boolean skipMissing = false;
        if (terms.size() == 3) {
            if (!(terms.get(2) instanceof Map<?, ?> flags)) {
                throw new TemplateException("the optional third item of subelements must be a dict with flags skip_missing");
            }
            skipMissing = Boolean.TRUE.equals(flags.get("skip_missing"))
                    || "yes".equals(String.valueOf(flags.get("skip_missing")).toLowerCase(java.util.Locale.ROOT))
                    || "true".equals(String.valueOf(flags.get("skip_missing")).toLowerCase(java.util.Locale.ROOT));
        }
        List<?> elements = terms.get(0) instanceof List<?> l ? l
                : terms.get(0) instanceof Map<?, ?> m ? new ArrayList<>(m.values()) : null;
        if (elements == null) {
            throw new TemplateException("subelements lookup expects a list of dicts first, got " + describe(terms.get(0)));
        }
        List<Object> out = new ArrayList<>();
        for (Object e : elements) {
            if (!(e instanceof Map<?, ?> m)) {
                throw new TemplateException("subelements lookup expects a dictionary, got '" + describe(e) + "'");
            }
            if (Boolean.TRUE.equals(m.get("skipped"))) {
                continue;
            }
            Object sub = m;
            boolean missing = false;
            for (String part : path.split("\\.")) {
                if (sub instanceof Map<?, ?> sm && sm.containsKey(part)) {
                    sub = sm.get(part);
                } else {
                    missing = true;
                    break;
                }
            }
            if (missing) {
                if (skipMissing) {
                    continue;
                }
                throw new TemplateException("could not find '" + path + "' key in iterated item '"
                        + dev.drover.template.Templar.toPython(e) + "'");
            }
            if (!(sub instanceof List<?> subs)) {
                throw new TemplateException("the key " + path + " should point to a list, got '"
                        + dev.drover.template.Templar.toPython(sub) + "'");
            }
            for (Object s : subs) {
                out.add(Arrays.asList(e, s));
            }
        }
        return out;
    }

    /** with_sequence: {@code start=1 end=10 stride=1 format=%d} or {@code count=N}, or the short form {@code [start-]end[/stride][:format]}. */
    private static List<Object> sequence(String spec) throws TemplateException {
        long start = 1;
        long end = Long.MIN_VALUE;
        long stride = 1;
        Long count = null;
        String format = "%d";
        String s = spec.trim();
        if (s.contains("=")) {
            for (String kv : s.split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    throw new TemplateException("with_sequence: can't parse arg '" + kv + "'");
                }
                String k = kv.substring(0, eq);
                String v = kv.substring(eq + 1);
                switch (k) {
                    case "start" -> start = parse(v);
                    case "end" -> end = parse(v);
                    case "stride" -> stride = parse(v);
                    case "count" -> count = parse(v);
                    case "format" -> format = v;
                    default -> throw new TemplateException("with_sequence: unrecognized arg '" + k + "'");
                }
            }
        } else {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(?:(-?\\w+)-)?(-?\\w+)(?:/(-?\\w+))?(?::(.+))?").matcher(s);
            if (!m.matches()) {
                throw new TemplateException("with_sequence: can't parse '" + s + "'");
            }
            if (m.group(1) != null) {
                start = parse(m.group(1));
            }
            end = parse(m.group(2));
            if (m.group(3) != null) {
                stride = parse(m.group(3));
            }
            if (m.group(4) != null) {
                format = m.group(4);
            }
        }
        if (count != null) {
            if (end != Long.MIN_VALUE) {
                throw new TemplateException("with_sequence: can't specify both count and end");
            }
            end = count == 0 ? start - stride : start + (count - 1) * stride;
        }
        if (end == Long.MIN_VALUE) {
            throw new TemplateException("with_sequence: must specify count or end");
        }
        List<Object> out = new ArrayList<>();
        if (stride == 0) {
            return out;
        }
        if (stride > 0 ? end < start : end > start) {
            throw new TemplateException("with_sequence: to count backwards make stride negative");
        }
        for (long i = start; stride > 0 ? i <= end : i >= end; i += stride) {
            out.add(String.format(format, i));
        }
        return out;
    }

    private static long parse(String v) throws TemplateException {
        try {
            return Long.decode(v.startsWith("0") && v.length() > 1 && !v.startsWith("0x") ? v.replaceFirst("^0+(?=.)", "") : v);
        } catch (NumberFormatException e) {
            throw new TemplateException("with_sequence: can't parse number '" + v + "'");
        }
    }

    private static String describe(Object o) {
        return o == null ? "None" : dev.drover.template.Templar.toPython(o);
    }
}
