package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** varnames: the names of the variables that match each Python regex (re.search). */
final class Varnames implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            if (!(t instanceof CharSequence)) {
                throw Jinja.fail(new TemplateException("Invalid setting identifier, \"" + Py.str(t) + "\" is not a string, it is a "
                        + Jinja.typeName(t)));
            }
            Pattern p = Jinja.regex(t, false, false);
            for (String name : Jinja.variables().keySet()) {
                if (p.matcher(name).find()) {
                    out.add(name);
                }
            }
        }
        return out;
    }
}
