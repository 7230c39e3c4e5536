package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;

/** Type conversions: bool, int, float, string, type_debug. */
final class Conversions {
    private Conversions() {
    }

    static void register(Filters fs) {
        fs.add("bool", (v, a, kw) -> toBool(v));
        fs.add("int", (v, a, kw) -> {
            Object base = arg(a, kw, 1, "base", 10);
            if (v instanceof String s && ((Number) base).intValue() != 10) {
                try {
                    String t = s.strip().toLowerCase().replaceFirst("^0[xob]", "");
                    return Long.parseLong(t, ((Number) base).intValue());
                } catch (NumberFormatException e) {
                    return arg(a, kw, 0, "default", 0);
                }
            }
            return toInt(v, arg(a, kw, 0, "default", 0));
        });
        fs.add("float", (v, a, kw) -> toFloat(v, arg(a, kw, 0, "default", 0.0)));
        fs.add("string", (v, a, kw) -> Py.str(v));
        fs.add("type_debug", (v, a, kw) -> typeName(v));
    }
}
