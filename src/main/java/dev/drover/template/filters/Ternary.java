package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;

/** ternary. */
final class Ternary {
    private Ternary() {
    }

    static void register(Filters fs) {
        fs.add("ternary", (v, a, kw) -> {
            if (v == null && a.length > 2) {
                return a[2];
            }
            return Py.truthy(v) ? a[0] : a[1];
        });
    }
}
