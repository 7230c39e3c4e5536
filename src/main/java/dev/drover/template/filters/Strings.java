package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import dev.drover.template.PyFormat;
import dev.drover.template.PyStr;
import java.util.Arrays;
import java.util.List;

/** Jinja2's string filters: case, trim, center, replace, split, join, format, indent. */
final class Strings {
    private Strings() {
    }

    static void register(Filters fs) {
        fs.add("lower", (v, a, kw) -> Py.str(v).toLowerCase());
        fs.add("upper", (v, a, kw) -> Py.str(v).toUpperCase());
        fs.add("capitalize", (v, a, kw) -> PyStr.call(Py.str(v), "capitalize", a));
        fs.add("title", (v, a, kw) -> PyStr.title(Py.str(v)));
        fs.add("trim", (v, a, kw) -> a.length > 0 && a[0] != null
                ? PyStr.strip(Py.str(v), Py.str(a[0]), true, true) : Py.str(v).strip());
        fs.add("center", (v, a, kw) -> PyStr.center(Py.str(v), ((Number) arg(a, kw, 0, "width", 80)).intValue()));
        fs.add("replace", (v, a, kw) -> {
            Object count = arg(a, kw, 2, "count", null);
            return PyStr.call(Py.str(v), "replace", count == null ? new Object[] {a[0], a[1]} : new Object[] {a[0], a[1], count});
        });
        fs.add("split", (v, a, kw) -> PyStr.split(Py.str(v), arg(a, kw, 0, "sep", null),
                ((Number) arg(a, kw, 1, "maxsplit", -1)).intValue()));
        fs.add("join", (v, a, kw) -> {
            Object attribute = kw.get("attribute");
            List<Object> items = toList(v);
            if (attribute != null) {
                items.replaceAll(o -> attr(o, Py.str(attribute)));
            }
            return PyStr.join(Py.str(arg(a, kw, 0, "d", "")), items);
        });
        fs.add("format", (v, a, kw) -> PyFormat.percent(Py.str(v), Arrays.asList(a)));
        fs.add("indent", (v, a, kw) -> {
            Object w = arg(a, kw, 0, "width", 4);
            String pad = w instanceof Number n ? " ".repeat(n.intValue()) : Py.str(w);
            boolean first = toBool(arg(a, kw, 1, "first", false));
            boolean blank = toBool(arg(a, kw, 2, "blank", false));
            String s = Py.str(v);
            String[] lines = s.split("\n", -1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    sb.append('\n');
                }
                boolean indent = (i > 0 || first) && (blank || !lines[i].isBlank());
                sb.append(indent ? pad : "").append(lines[i]);
            }
            return sb.toString();
        });
    }
}
