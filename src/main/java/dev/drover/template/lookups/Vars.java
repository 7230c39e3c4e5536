package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * vars: the value of each named variable, else the host's own in {@code hostvars} (inventory
 * variables such as ansible_host), else default= or "No variable found with this name".
 */
final class Vars implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        Map<String, Object> vars = Jinja.variables();
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            if (!(t instanceof CharSequence)) {
                throw Jinja.fail(new TemplateException("Invalid setting identifier, \"" + Py.str(t) + "\" is not a string, its a "
                        + "<class '" + Jinja.typeName(t) + "'>"));
            }
            String n = Py.str(t);
            Object own = hostVar(n);
            if (vars.containsKey(n)) {
                out.add(Jinja.variable(n));
            } else if (own != null) {
                out.add(own);
            } else if (options.containsKey("default")) {
                out.add(options.get("default"));
            } else {
                throw Jinja.fail(new TemplateException("No variable found with this name: " + n, n));
            }
        }
        return out;
    }

    /** hostvars[inventory_hostname][name], or null. */
    private static Object hostVar(String name) {
        Object hostvars = Jinja.variable("hostvars");
        Object host = Jinja.variable("inventory_hostname");
        if (hostvars instanceof Map<?, ?> hv && host != null && hv.get(Py.str(host)) instanceof Map<?, ?> h
                && h.containsKey(name)) {
            return h.get(name);
        }
        return null;
    }
}
