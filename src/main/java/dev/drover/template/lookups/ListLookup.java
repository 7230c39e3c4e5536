package dev.drover.template.lookups;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** list: the terms as they are (with_list). */
final class ListLookup implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        return new ArrayList<>(terms);
    }
}
