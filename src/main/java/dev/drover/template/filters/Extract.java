package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.TemplateException;
import dev.drover.template.Undefined;
import java.util.List;
import java.util.Map;

/** extract: container[item], then each of the further keys. */
final class Extract {
    private Extract() {
    }

    static void register(Filters fs) {
        fs.add("extract", (v, a, kw) -> {
            Object value = item(a[0], v);
            Object more = arg(a, kw, 1, "morekeys", null);
            if (more != null) {
                for (Object k : more instanceof List<?> l ? l : List.of(more)) {
                    value = item(value, k);
                }
            }
            return value;
        });
    }

    static Object item(Object container, Object key) {
        if (container instanceof Map<?, ?> m) {
            if (m.containsKey(key)) {
                return m.get(key);
            }
            return new Undefined("'dict object' has no attribute '" + key + "'", null);
        }
        if (container instanceof List<?> l && key instanceof Number n) {
            int i = n.intValue() < 0 ? n.intValue() + l.size() : n.intValue();
            return i >= 0 && i < l.size() ? l.get(i) : new Undefined("list object has no element " + n, null);
        }
        throw fail(new TemplateException("'" + typeName(container) + "' object is not subscriptable"));
    }
}
