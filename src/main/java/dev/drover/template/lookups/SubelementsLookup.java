package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * subelements: (item, subitem) pairs of a list (or a dict's values) and the list under a
 * (dotted) key of each item; as in Ansible the item no longer holds that key, and
 * {@code {'skip_missing': True}} skips items without it.
 */
final class SubelementsLookup implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        String usage = "subelements lookup expects a list of two or three items, ";
        if (terms.size() < 2 || terms.size() > 3) {
            throw Terms.error(usage);
        }
        Object first = terms.get(0);
        if (!(first instanceof List || first instanceof Map) || !(terms.get(1) instanceof CharSequence)) {
            throw Terms.error(usage + "first a dict or a list, second a string pointing to the subkey");
        }
        String[] keys = Py.str(terms.get(1)).split("\\.");
        List<Object> elements;
        if (first instanceof Map<?, ?> m) {
            if (skipped(m)) {
                return List.of();
            }
            elements = new ArrayList<>(m.values());
        } else {
            elements = new ArrayList<>((List<?>) first);
        }
        Map<?, ?> flags = terms.size() == 3 && terms.get(2) instanceof Map<?, ?> f ? f : Map.of();
        boolean skipMissing = flags.containsKey("skip_missing") && Jinja.toBool(flags.get("skip_missing"));
        List<Object> out = new ArrayList<>();
        for (Object item0 : elements) {
            if (!(item0 instanceof Map<?, ?> item)) {
                throw Terms.error("subelements lookup expects a dictionary, got '" + Py.str(item0) + "'");
            }
            if (skipped(item)) {
                continue;
            }
            Map<Object, Object> copy = new LinkedHashMap<>(item);
            Map<Object, Object> sub = copy;
            List<?> sublist = List.of();
            for (int i = 0; i < keys.length; i++) {
                String k = keys[i];
                if (!sub.containsKey(k)) {
                    if (skipMissing) {
                        continue;
                    }
                    throw Terms.error("could not find '" + k + "' key in iterated item '" + Py.str(sub) + "'");
                }
                Object val = sub.get(k);
                if (i < keys.length - 1) {
                    if (!(val instanceof Map<?, ?> vm)) {
                        if (skipMissing) {
                            continue;
                        }
                        throw Terms.error("the key " + k + " should point to a dictionary, got '" + Py.str(val) + "'");
                    }
                    Map<Object, Object> next = new LinkedHashMap<>(vm);
                    sub.put(k, next);
                    sub = next;
                } else {
                    if (!(val instanceof List<?> l)) {
                        throw Terms.error("the key " + k + " should point to a list, got '" + Py.str(val) + "'");
                    }
                    sublist = l;
                    sub.remove(k);
                }
            }
            for (Object item1 : sublist) {
                out.add(new Py.Tuple(Arrays.asList(copy, item1)));
            }
        }
        return out;
    }

    /** Ansible's {@code x.get('skipped', False) is not False}. */
    private static boolean skipped(Map<?, ?> m) {
        return m.containsKey("skipped") && !Boolean.FALSE.equals(m.get("skipped"));
    }
}
