package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Undefined;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Jinja2's sequence filters: length/count, first, last, list, reverse, batch. */
final class Sequences {
    private Sequences() {
    }

    static void register(Filters fs) {
        Filters.Fn length = (v, a, kw) -> {
            if (v instanceof CharSequence s) {
                return s.toString().codePointCount(0, s.length());
            }
            if (v instanceof Map<?, ?> m) {
                return m.size();
            }
            if (v instanceof Collection<?> c) {
                return c.size();
            }
            return toList(v).size();
        };
        fs.add("length", length);
        fs.add("count", length);
        fs.add("first", (v, a, kw) -> {
            List<Object> l = toList(v);
            return l.isEmpty() ? new Undefined("No first item, sequence was empty.", null) : l.get(0);
        });
        fs.add("last", (v, a, kw) -> {
            List<Object> l = toList(v);
            return l.isEmpty() ? new Undefined("No last item, sequence was empty.", null) : l.get(l.size() - 1);
        });
        fs.add("list", (v, a, kw) -> toList(v));
        fs.add("reverse", (v, a, kw) -> {
            if (v instanceof String s) {
                return new StringBuilder(s).reverse().toString();
            }
            List<Object> l = toList(v);
            java.util.Collections.reverse(l);
            return l;
        });
        fs.add("batch", (v, a, kw) -> {
            int size = ((Number) a[0]).intValue();
            boolean fill = a.length > 1;
            List<Object> out = new ArrayList<>();
            List<Object> cur = new ArrayList<>();
            for (Object o : toList(v)) {
                cur.add(o);
                if (cur.size() == size) {
                    out.add(cur);
                    cur = new ArrayList<>();
                }
            }
            if (!cur.isEmpty()) {
                while (fill && cur.size() < size) {
                    cur.add(a[1]);
                }
                out.add(cur);
            }
            return out;
        });
    }
}
