package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** together: the lists zipped, the shorter ones padded with None (zip_longest), each row flattened. */
final class Together implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<List<Object>> lists = new ArrayList<>();
        for (Object t : terms) {
            lists.add(t instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>(List.of(t)));
        }
        if (lists.isEmpty()) {
            throw Jinja.fail(new TemplateException("with_together requires at least one element in each list"));
        }
        int n = lists.stream().mapToInt(List::size).max().orElse(0);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Object> row = new ArrayList<>();
            for (List<Object> l : lists) {
                row.add(i < l.size() ? l.get(i) : null);
            }
            out.add(Terms.flatten(row));
        }
        return out;
    }
}
