package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.List;

/** zip, zip_longest, product (Python's itertools). */
final class Zips {
    private Zips() {
    }

    static void register(Filters fs) {
        fs.add("zip", (v, a, kw) -> {
            List<List<Object>> lists = new ArrayList<>();
            lists.add(toList(v));
            for (Object o : a) {
                lists.add(toList(o));
            }
            int n = lists.stream().mapToInt(List::size).min().orElse(0);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<Object> t = new ArrayList<>();
                for (List<Object> l : lists) {
                    t.add(l.get(i));
                }
                out.add(new Py.Tuple(t));
            }
            return out;
        });
        fs.add("zip_longest", (v, a, kw) -> {
            List<List<Object>> lists = new ArrayList<>();
            lists.add(toList(v));
            for (Object o : a) {
                lists.add(toList(o));
            }
            Object fill = kw.get("fillvalue");
            int n = lists.stream().mapToInt(List::size).max().orElse(0);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<Object> t = new ArrayList<>();
                for (List<Object> l : lists) {
                    t.add(i < l.size() ? l.get(i) : fill);
                }
                out.add(new Py.Tuple(t));
            }
            return out;
        });
        fs.add("product", (v, a, kw) -> {
            List<List<Object>> acc = new ArrayList<>();
            acc.add(new ArrayList<>());
            List<List<Object>> pools = new ArrayList<>();
            pools.add(toList(v));
            for (Object o : a) {
                pools.add(toList(o));
            }
            for (List<Object> pool : pools) {
                List<List<Object>> next = new ArrayList<>();
                for (List<Object> prefix : acc) {
                    for (Object o : pool) {
                        List<Object> t = new ArrayList<>(prefix);
                        t.add(o);
                        next.add(t);
                    }
                }
                acc = next;
            }
            List<Object> out = new ArrayList<>();
            for (List<Object> t : acc) {
                out.add(new Py.Tuple(t));
            }
            return out;
        });
    }
}
