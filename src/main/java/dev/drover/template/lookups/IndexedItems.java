package dev.drover.template.lookups;

import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** indexed_items: (index, item) pairs of the terms' items. */
final class IndexedItems implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> items = new ArrayList<>();
        // one level, as Ansible's listify: [a, [b, c]] gives (0, a), (1, [b, c])
        for (Object t : terms) {
            if (t instanceof List<?> l) {
                items.addAll(l);
            } else {
                items.add(t);
            }
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(new Py.Tuple(java.util.Arrays.asList(i, items.get(i))));
        }
        return out;
    }
}
