package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** combinations, permutations (Python's itertools, as tuples) and Jinja2's items (a dict's (key, value) pairs). */
final class Combinatorics {
    private Combinatorics() {
    }

    static void register(Filters fs) {
        fs.add("combinations", (v, a, kw) -> {
            List<Object> pool = toList(v);
            int r = ((Number) arg(a, kw, 0, "r", 0)).intValue();
            List<Object> out = new ArrayList<>();
            choose(pool, r, 0, new ArrayList<>(), out);
            return out;
        });
        fs.add("permutations", (v, a, kw) -> {
            List<Object> pool = toList(v);
            Object r = arg(a, kw, 0, "r", null);
            List<Object> out = new ArrayList<>();
            permute(pool, r == null ? pool.size() : ((Number) r).intValue(), new ArrayList<>(), new boolean[pool.size()], out);
            return out;
        });
        fs.add("items", (v, a, kw) -> {
            List<Object> out = new ArrayList<>();
            if (v instanceof dev.drover.template.Undefined) {
                return out;
            }
            for (Map.Entry<?, ?> e : mapOf(v).entrySet()) {
                out.add(new Py.Tuple(java.util.Arrays.asList(e.getKey(), e.getValue())));
            }
            return out;
        });
    }

    private static void choose(List<Object> pool, int r, int from, List<Object> cur, List<Object> out) {
        if (cur.size() == r) {
            out.add(new Py.Tuple(cur));
            return;
        }
        for (int i = from; i < pool.size(); i++) {
            cur.add(pool.get(i));
            choose(pool, r, i + 1, cur, out);
            cur.remove(cur.size() - 1);
        }
    }

    private static void permute(List<Object> pool, int r, List<Object> cur, boolean[] used, List<Object> out) {
        if (cur.size() == r) {
            out.add(new Py.Tuple(cur));
            return;
        }
        for (int i = 0; i < pool.size(); i++) {
            if (!used[i]) {
                used[i] = true;
                cur.add(pool.get(i));
                permute(pool, r, cur, used, out);
                cur.remove(cur.size() - 1);
                used[i] = false;
            }
        }
    }
}
