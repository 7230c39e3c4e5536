package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import dev.drover.template.Undefined;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Numbers and aggregates: abs, round, pow, random, min, max, sum. */
final class Numbers {
    private Numbers() {
    }

    static void register(Filters fs) {
        fs.add("abs", (v, a, kw) -> {
            if (v instanceof Double d) {
                return Math.abs(d);
            }
            if (v instanceof BigInteger b) {
                return b.abs();
            }
            Object n = v instanceof Number ? v : toFloat(v, 0.0);
            if (n instanceof Double d) {
                return Math.abs(d);
            }
            return Math.abs(((Number) n).longValue());
        });
        fs.add("round", (v, a, kw) -> {
            int precision = ((Number) arg(a, kw, 0, "precision", 0)).intValue();
            String method = Py.str(arg(a, kw, 1, "method", "common"));
            double d = ((Number) toFloat(v, 0.0)).doubleValue();
            java.math.RoundingMode mode = switch (method) {
                case "ceil" -> java.math.RoundingMode.CEILING;
                case "floor" -> java.math.RoundingMode.FLOOR;
                default -> java.math.RoundingMode.HALF_EVEN;
            };
            return new BigDecimal(d).setScale(precision, mode).doubleValue();
        });
        fs.add("pow", (v, a, kw) -> Math.pow(((Number) toFloat(v, 0.0)).doubleValue(),
                ((Number) toFloat(a[0], 0.0)).doubleValue()));
        fs.add("random", (v, a, kw) -> {
            java.util.Random r = new java.util.Random();
            if (v instanceof Number n) {
                return (long) r.nextInt(n.intValue());
            }
            List<Object> l = toList(v);
            return l.get(r.nextInt(l.size()));
        });
        fs.add("min", (v, a, kw) -> minMax(v, kw, -1));
        fs.add("max", (v, a, kw) -> minMax(v, kw, 1));
        fs.add("sum", (v, a, kw) -> {
            Object attribute = arg(a, kw, 0, "attribute", null);
            Object total = arg(a, kw, 1, "start", 0L);
            for (Object o : toList(v)) {
                Object x = attribute == null ? o : attr(o, Py.str(attribute));
                check(x);
                total = add(total, x);
            }
            return total;
        });
    }

    static Object minMax(Object v, Map<String, Object> kw, int sign) {
        Object attribute = kw.get("attribute");
        List<Object> l = toList(v);
        if (l.isEmpty()) {
            return new Undefined("No aggregated item, sequence was empty.", null);
        }
        Object best = l.get(0);
        for (Object o : l.subList(1, l.size())) {
            Object ko = attribute == null ? o : attr(o, Py.str(attribute));
            Object kb = attribute == null ? best : attr(best, Py.str(attribute));
            if (compare(ko, kb) * sign > 0) {
                best = o;
            }
        }
        return best;
    }
}
