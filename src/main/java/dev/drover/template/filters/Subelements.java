package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import dev.drover.template.Undefined;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** subelements. */
final class Subelements {
    private Subelements() {
    }

    static void register(Filters fs) {
        fs.add("subelements", (v, a, kw) -> {
            String key = Py.str(a[0]);
            boolean skipMissing = toBool(arg(a, kw, 1, "skip_missing", false));
            List<Object> out = new ArrayList<>();
            for (Object item : toList(v)) {
                Object sub = attr(item, key);
                if (sub instanceof Undefined u) {
                    if (skipMissing) {
                        continue;
                    }
                    throw fail(new TemplateException("could not find '" + key + "' key in iterated item '"
                            + Py.repr(item) + "'"));
                }
                if (!(sub instanceof List<?> l)) {
                    throw fail(new TemplateException("the key " + key + " should point to a list, got '"
                            + Py.repr(sub) + "'"));
                }
                for (Object o : l) {
                    out.add(new Py.Tuple(Arrays.asList(item, o)));
                }
            }
            return out;
        });
    }
}
