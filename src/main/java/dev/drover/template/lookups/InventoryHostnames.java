package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** inventory_hostnames: the inventory hosts a host pattern selects (the run's inventory, through the engine). */
final class InventoryHostnames implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        Set<String> out = new LinkedHashSet<>();
        List<String> patterns = new ArrayList<>();
        for (Object t : Terms.flatten(terms)) {
            patterns.add(Py.str(t));
        }
        try {
            // Ansible passes the terms as one list of patterns to get_hosts
            out.addAll(Jinja.controller().hosts(String.join(":", patterns)));
        } catch (TemplateException e) {
            throw Jinja.fail(e);
        }
        return new ArrayList<>(out);
    }
}
