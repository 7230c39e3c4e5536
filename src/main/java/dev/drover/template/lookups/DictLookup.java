package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** dict: each mapping's items as {key, value} dicts (with_dict). */
final class DictLookup implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            for (Map.Entry<?, ?> e : Jinja.mapOf(t).entrySet()) {
                Map<Object, Object> item = new LinkedHashMap<>();
                item.put("key", e.getKey());
                item.put("value", e.getValue());
                out.add(item);
            }
        }
        return out;
    }
}
