package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Type tests: string, number, integer, float, boolean, mapping, iterable, sequence, truthy, falsy. */
final class Types {
    private Types() {
    }

    static void register(Tests ts) {
        ts.add("all", (v, a) -> toList(v).stream().allMatch(dev.drover.template.Py::truthy));
        ts.add("any", (v, a) -> toList(v).stream().anyMatch(dev.drover.template.Py::truthy));
        Tests.Fn nan = (v, a) -> v instanceof Double d && d.isNaN();
        ts.add("nan", nan);
        ts.add("isnan", nan);
        ts.add("string", (v, a) -> v instanceof CharSequence);
        ts.add("number", (v, a) -> v instanceof Number);
        ts.add("integer", (v, a) -> v instanceof Integer || v instanceof Long || v instanceof BigInteger);
        ts.add("float", (v, a) -> v instanceof Double || v instanceof Float || v instanceof BigDecimal);
        ts.add("boolean", (v, a) -> v instanceof Boolean);
        ts.add("mapping", (v, a) -> v instanceof Map);
        ts.add("iterable", (v, a) -> v instanceof Iterable || v instanceof Map || v instanceof CharSequence);
        ts.add("sequence", (v, a) -> v instanceof List || v instanceof Map || v instanceof CharSequence);
        ts.add("truthy", (v, a) -> Py.truthy(v));
        ts.add("falsy", (v, a) -> !Py.truthy(v));
    }
}
