package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import java.util.ArrayList;
import java.util.List;

/** flatten. */
final class Flatten {
    private Flatten() {
    }

    static void register(Filters fs) {
        fs.add("flatten", (v, a, kw) -> {
            Object levels = arg(a, kw, 0, "levels", null);
            boolean skipNulls = toBool(arg(a, kw, 1, "skip_nulls", true));
            List<Object> out = new ArrayList<>();
            flatten(toList(v), levels == null ? -1 : ((Number) levels).intValue(), skipNulls, out);
            return out;
        });
    }

    static void flatten(List<Object> in, int levels, boolean skipNulls, List<Object> out) {
        for (Object o : in) {
            if (o == null && skipNulls) {
                continue;
            }
            if (o instanceof List<?> l && levels != 0) {
                flatten(new ArrayList<>(l), levels - 1, skipNulls, out);
            } else {
                out.add(o);
            }
        }
    }
}
