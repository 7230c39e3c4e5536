package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import java.util.ArrayList;
import java.util.List;

/** Ansible's set theory filters: unique, difference, intersect, union, symmetric_difference. */
final class Sets {
    private Sets() {
    }

    static void register(Filters fs) {
        fs.add("unique", (v, a, kw) -> unique(toList(v)));
        fs.add("difference", (v, a, kw) -> {
            List<Object> other = toList(a[0]);
            List<Object> out = new ArrayList<>();
            for (Object o : unique(toList(v))) {
                if (!contains(other, o)) {
                    out.add(o);
                }
            }
            return out;
        });
        fs.add("intersect", (v, a, kw) -> {
            List<Object> other = toList(a[0]);
            List<Object> out = new ArrayList<>();
            for (Object o : unique(toList(v))) {
                if (contains(other, o)) {
                    out.add(o);
                }
            }
            return out;
        });
        fs.add("union", (v, a, kw) -> {
            List<Object> all = toList(v);
            all.addAll(toList(a[0]));
            return unique(all);
        });
        fs.add("symmetric_difference", (v, a, kw) -> {
            List<Object> x = unique(toList(v));
            List<Object> y = unique(toList(a[0]));
            List<Object> out = new ArrayList<>();
            for (Object o : x) {
                if (!contains(y, o)) {
                    out.add(o);
                }
            }
            for (Object o : y) {
                if (!contains(x, o)) {
                    out.add(o);
                }
            }
            return out;
        });
    }
}
