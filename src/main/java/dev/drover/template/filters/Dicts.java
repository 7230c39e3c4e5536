package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Dictionaries: combine, dict2items, items2dict, dict. */
final class Dicts {
    private Dicts() {
    }

    static void register(Filters fs) {
        fs.add("combine", (v, a, kw) -> {
            boolean recursive = toBool(kw.getOrDefault("recursive", false));
            String listMerge = Py.str(kw.getOrDefault("list_merge", "replace"));
            for (String k : kw.keySet()) {
                if (!k.equals("recursive") && !k.equals("list_merge")) {
                    throw fail("'recursive' and 'list_merge' are the only valid keyword arguments");
                }
            }
            if (!List.of("replace", "keep", "append", "prepend", "append_rp", "prepend_rp").contains(listMerge)) {
                throw fail("merge_hash: 'list_merge' is set to an invalid value: " + listMerge);
            }
            // Ansible: flatten(terms, levels=1), then merge from the highest priority down
            List<Object> dicts = new ArrayList<>();
            for (Object o : concat(v, a)) {
                if (o instanceof List<?> l) {
                    dicts.addAll(l);
                } else {
                    dicts.add(o);
                }
            }
            if (dicts.isEmpty()) {
                return new LinkedHashMap<>();
            }
            Map<?, ?> result = mapOf(dicts.get(dicts.size() - 1));
            for (int i = dicts.size() - 2; i >= 0; i--) {
                result = mergeHash(mapOf(dicts.get(i)), result, recursive, listMerge);
            }
            return result;
        });
        fs.add("dict2items", (v, a, kw) -> {
            String k = Py.str(kw.getOrDefault("key_name", "key"));
            String val = Py.str(kw.getOrDefault("value_name", "value"));
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : mapOf(v).entrySet()) {
                Map<Object, Object> item = new LinkedHashMap<>();
                item.put(k, e.getKey());
                item.put(val, e.getValue());
                out.add(item);
            }
            return out;
        });
        fs.add("items2dict", (v, a, kw) -> {
            String k = Py.str(arg(a, kw, 0, "key_name", "key"));
            String val = Py.str(arg(a, kw, 1, "value_name", "value"));
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object o : toList(v)) {
                Map<?, ?> m = mapOf(o);
                out.put(m.get(k), m.get(val));
            }
            return out;
        });
        fs.add("dict", (v, a, kw) -> dict(v));
    }

    private static List<Object> concat(Object v, Object[] a) {
        List<Object> out = new ArrayList<>();
        out.add(v);
        out.addAll(java.util.Arrays.asList(a));
        return out;
    }

    /** Ansible's merge_hash(x, y, recursive, list_merge): y wins. */
    static Map<Object, Object> mergeHash(Map<?, ?> x, Map<?, ?> y, boolean recursive, String listMerge) {
        if (x.isEmpty() || x.equals(y)) {
            return new LinkedHashMap<>(y);
        }
        Map<Object, Object> out = new LinkedHashMap<>(x);
        for (Map.Entry<?, ?> e : y.entrySet()) {
            Object key = e.getKey();
            Object yv = e.getValue();
            if (!out.containsKey(key)) {
                out.put(key, yv);
                continue;
            }
            Object xv = out.get(key);
            if (xv instanceof Map<?, ?> xm && yv instanceof Map<?, ?> ym) {
                out.put(key, recursive ? mergeHash(xm, ym, true, listMerge) : yv);
                continue;
            }
            if (xv instanceof List<?> xl && yv instanceof List<?> yl) {
                List<Object> merged = new ArrayList<>();
                switch (listMerge) {
                    case "append" -> {
                        merged.addAll(xl);
                        merged.addAll(yl);
                    }
                    case "prepend" -> {
                        merged.addAll(yl);
                        merged.addAll(xl);
                    }
                    case "append_rp" -> {
                        xl.stream().filter(z -> !contains(yl, z)).forEach(merged::add);
                        merged.addAll(yl);
                    }
                    case "prepend_rp" -> {
                        merged.addAll(yl);
                        xl.stream().filter(z -> !contains(yl, z)).forEach(merged::add);
                    }
                    case "keep" -> merged.addAll(xl);
                    default -> merged.addAll(yl);
                }
                out.put(key, merged);
                continue;
            }
            out.put(key, yv);
        }
        return out;
    }
}
