package dev.drover.template.lookups;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** items: the terms, lists among them flattened one level (with_items). */
final class Items implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            if (t instanceof List<?> l) {
                out.addAll(l);
            } else {
                out.add(t);
            }
        }
        return out;
    }
}
