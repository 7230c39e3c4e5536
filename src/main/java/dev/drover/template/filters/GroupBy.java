package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import dev.drover.template.Undefined;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jinja2's groupby(attribute, default=None, case_sensitive=False): the items sorted by the
 * attribute and grouped, as (grouper, list) named tuples that print as Python tuples, unpack in
 * {@code for key, items in …} and answer {@code .grouper} / {@code .list}.
 */
final class GroupBy {
    private GroupBy() {
    }

    private static final List<String> FIELDS = List.of("grouper", "list");

    static void register(Filters fs) {
        fs.add("groupby", (v, a, kw) -> {
            String attribute = Py.str(arg(a, kw, 0, "attribute", null));
            Object dflt = arg(a, kw, 1, "default", null);
            boolean caseSensitive = toBool(arg(a, kw, 2, "case_sensitive", false));
            List<Object> items = toList(v);
            List<Object> keys = new ArrayList<>();
            for (Object o : items) {
                Object k = attr(o, attribute);
                if (k instanceof Undefined u) {
                    if (dflt == null) {
                        throw u.fail();
                    }
                    k = dflt;
                }
                keys.add(k);
            }
            Integer[] order = new Integer[items.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> compare(fold(keys.get(x), caseSensitive), fold(keys.get(y), caseSensitive)));
            List<Object> out = new ArrayList<>();
            Object current = null;
            List<Object> group = null;
            for (int i : order) {
                Object k = fold(keys.get(i), caseSensitive);
                if (group == null || !pyEquals(k, current)) {
                    group = new ArrayList<>();
                    current = k;
                    // the grouper is the first item's own value (its case kept)
                    out.add(new Py.Tuple(Arrays.asList(keys.get(i), group), FIELDS));
                }
                group.add(items.get(i));
            }
            return out;
        });
    }

    private static Object fold(Object key, boolean caseSensitive) {
        return !caseSensitive && key instanceof String s ? s.toLowerCase() : key;
    }
}
