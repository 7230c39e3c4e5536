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
            Map<Object, Object> out = new LinkedHashMap<>(mapOf(v));
            List<Object> others = new ArrayList<>();
            for (Object o : a) {
                if (o instanceof List<?> l) {
                    others.addAll(l);
                } else {
                    others.add(o);
                }
            }
            for (Object o : others) {
                merge(out, mapOf(o), recursive);
            }
            return out;
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

    @SuppressWarnings("unchecked")
    static void merge(Map<Object, Object> into, Map<?, ?> from, boolean recursive) {
        for (Map.Entry<?, ?> e : from.entrySet()) {
            Object old = into.get(e.getKey());
            if (recursive && old instanceof Map<?, ?> om && e.getValue() instanceof Map<?, ?> nm) {
                Map<Object, Object> merged = new LinkedHashMap<>((Map<Object, Object>) om);
                merge(merged, nm, true);
                into.put(e.getKey(), merged);
            } else {
                into.put(e.getKey(), e.getValue());
            }
        }
    }
}
