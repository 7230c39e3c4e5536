package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** template: a controller template (searched in templates/) rendered with the task's variables. */
final class TemplateLookup implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            out.add(Jinja.renderTemplate(FileLookup.read(SearchPath.find(Py.str(t), "templates"))));
        }
        return out;
    }
}
