package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** sort and dictsort. */
final class Sorting {
    private Sorting() {
    }

    static void register(Filters fs) {
        fs.add("sort", (v, a, kw) -> {
            boolean reverse = toBool(arg(a, kw, 0, "reverse", false));
            boolean caseSensitive = toBool(arg(a, kw, 1, "case_sensitive", false));
            Object attribute = arg(a, kw, 2, "attribute", null);
            List<Object> l = toList(v);
            Comparator<Object> cmp = (x, y) -> {
                Object kx = attribute == null ? x : attr(x, Py.str(attribute));
                Object ky = attribute == null ? y : attr(y, Py.str(attribute));
                check(kx);
                check(ky);
                if (!caseSensitive && kx instanceof String sx && ky instanceof String sy) {
                    return sx.toLowerCase().compareTo(sy.toLowerCase());
                }
                return compare(kx, ky);
            };
            l.sort(reverse ? cmp.reversed() : cmp);
            return l;
        });
        fs.add("dictsort", (v, a, kw) -> {
            boolean caseSensitive = toBool(arg(a, kw, 0, "case_sensitive", false));
            boolean byValue = "value".equals(arg(a, kw, 1, "by", "key"));
            boolean reverse = toBool(arg(a, kw, 2, "reverse", false));
            List<Object> items = new ArrayList<>();
            for (Map.Entry<?, ?> e : mapOf(v).entrySet()) {
                items.add(new Py.Tuple(Arrays.asList(e.getKey(), e.getValue())));
            }
            Comparator<Object> cmp = (x, y) -> {
                Object kx = ((List<?>) x).get(byValue ? 1 : 0);
                Object ky = ((List<?>) y).get(byValue ? 1 : 0);
                if (!caseSensitive && kx instanceof String sx && ky instanceof String sy) {
                    return sx.toLowerCase().compareTo(sy.toLowerCase());
                }
                return compare(kx, ky);
            };
            items.sort(reverse ? cmp.reversed() : cmp);
            return items;
        });
    }
}
