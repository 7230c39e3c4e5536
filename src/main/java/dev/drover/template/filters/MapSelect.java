package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import dev.drover.template.Undefined;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Jinja2's map, select, reject, selectattr, rejectattr. */
final class MapSelect {
    private MapSelect() {
    }

    static void register(Filters fs) {
        fs.add("map", MapSelect::mapItems);
        fs.add("select", (v, a, kw) -> selectItems(v, null, a, 0, true));
        fs.add("reject", (v, a, kw) -> selectItems(v, null, a, 0, false));
        fs.add("selectattr", (v, a, kw) -> selectItems(v, Py.str(a[0]), a, 1, true));
        fs.add("rejectattr", (v, a, kw) -> selectItems(v, Py.str(a[0]), a, 1, false));
    }

    /** Jinja2's map: {@code map(attribute='x', default=d)} or {@code map('filter', args...)}. */
    static Object mapItems(Object v, Object[] a, Map<String, Object> kw) {
        List<Object> out = new ArrayList<>();
        if (a.length == 0 && kw.containsKey("attribute")) {
            // with a filter name first, attribute= is that filter's (map('map', attribute='x'))
            String attribute = Py.str(kw.get("attribute"));
            for (Object o : toList(v)) {
                Object x = attr(o, attribute);
                out.add(x instanceof Undefined && kw.containsKey("default") ? kw.get("default") : x);
            }
            return out;
        }
        if (a.length == 0) {
            return toList(v);
        }
        String name = Py.str(a[0]);
        JinjavaInterpreter interp = JinjavaInterpreter.getCurrent();
        Filter f = interp.getContext().getFilter(name);
        if (f == null) {
            throw fail(new TemplateException("No filter named '" + name + "'."));
        }
        Object[] rest = Arrays.copyOfRange(a, 1, a.length);
        for (Object o : toList(v)) {
            out.add(f.filter(o, interp, rest, kw));
        }
        return out;
    }

    static List<Object> selectItems(Object v, String attribute, Object[] a, int from, boolean keep) {
        ExpTest test = null;
        Object[] testArgs = new Object[0];
        if (a.length > from) {
            String name = Py.str(a[from]);
            test = JinjavaInterpreter.getCurrent().getContext().getExpTest(name);
            if (test == null) {
                throw fail(new TemplateException("No test named '" + name + "'."));
            }
            testArgs = Arrays.copyOfRange(a, from + 1, a.length);
        }
        List<Object> out = new ArrayList<>();
        for (Object o : toList(v)) {
            Object x = attribute == null ? o : attr(o, attribute);
            boolean r;
            if (test == null) {
                r = !(x instanceof Undefined) && Py.truthy(x);
            } else {
                r = test.evaluate(x, JinjavaInterpreter.getCurrent(), testArgs);
            }
            if (r == keep) {
                out.add(o);
            }
        }
        return out;
    }
}
