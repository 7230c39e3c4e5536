package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import dev.drover.template.Undefined;

/** Ansible's default (d) and mandatory: the filters that may touch an undefined value. */
final class Defaults {
    private Defaults() {
    }

    static void register(Filters fs) {
        Filters.Fn dflt = (v, a, kw) -> {
            Object d = arg(a, kw, 0, "default_value", "");
            boolean bool = toBool(arg(a, kw, 1, "boolean", false));
            if (v instanceof Undefined || (bool && !Py.truthy(v))) {
                return d;
            }
            return v;
        };
        fs.add("default", dflt);
        fs.add("d", dflt);
        fs.add("mandatory", (v, a, kw) -> {
            if (v instanceof Undefined u) {
                String msg = a.length > 0 && a[0] != null ? Py.str(a[0])
                        : u.name() != null ? "Mandatory variable '" + u.name() + "'  not defined." : "Mandatory variable not defined.";
                throw fail(new TemplateException(msg, u.name()));
            }
            return v;
        });
    }
}
