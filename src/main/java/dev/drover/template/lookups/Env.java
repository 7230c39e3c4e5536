package dev.drover.template.lookups;

import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** env: the controller's environment variables (empty when unset, or the default option). */
final class Env implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            String v = System.getenv(Py.str(t));
            out.add(v == null ? options.getOrDefault("default", "") : v);
        }
        return out;
    }
}
