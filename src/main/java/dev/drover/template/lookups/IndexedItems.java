package dev.drover.template.lookups;

import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** indexed_items: (index, item) pairs of the flattened terms. */
final class IndexedItems implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> items = Terms.flatten(terms);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(new Py.Tuple(java.util.Arrays.asList(i, items.get(i))));
        }
        return out;
    }
}
