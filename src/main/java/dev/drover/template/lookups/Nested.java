package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** nested (cartesian): every combination of one item of each list, each flattened to a list. */
final class Nested implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        if (terms.isEmpty()) {
            throw Jinja.fail(new TemplateException("with_nested requires at least one element in the nested list"));
        }
        if (terms.size() == 1) {
            // as Ansible: each item of a single list is flattened, so it must be a list itself
            List<Object> out = new ArrayList<>();
            for (Object o : terms.get(0) instanceof List<?> l ? l : terms) {
                if (!(o instanceof List<?> item)) {
                    throw Jinja.fail(new TemplateException("'" + Jinja.typeName(o) + "' object is not iterable"));
                }
                out.add(Terms.flatten(item));
            }
            return out;
        }
        List<List<Object>> acc = new ArrayList<>();
        acc.add(new ArrayList<>());
        for (Object t : terms) {
            List<?> pool = t instanceof List<?> l ? l : List.of(t);
            List<List<Object>> next = new ArrayList<>();
            for (List<Object> prefix : acc) {
                for (Object o : pool) {
                    List<Object> row = new ArrayList<>(prefix);
                    row.add(o);
                    next.add(row);
                }
            }
            acc = next;
        }
        List<Object> out = new ArrayList<>();
        for (List<Object> row : acc) {
            out.add(Terms.flatten(row));
        }
        return out;
    }
}
