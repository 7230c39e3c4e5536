package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** vars: the value of each named variable (with default= for the missing ones). */
final class Vars implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        Map<String, Object> vars = Jinja.variables();
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            String n = Py.str(t);
            if (vars.containsKey(n)) {
                out.add(Jinja.variable(n));
            } else if (options.containsKey("default")) {
                out.add(options.get("default"));
            } else {
                throw Jinja.fail(new TemplateException("No variable found with this name: " + n, n));
            }
        }
        return out;
    }
}
