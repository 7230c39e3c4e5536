package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.io.IOException;

/** to_json, to_nice_json, tojson, from_json. */
final class Json {
    private Json() {
    }

    static void register(Filters fs) {
        // to_json(indent=2) is json.dumps with that indent (indent=0, newlines without indent, is not done)
        fs.add("to_json", (v, a, kw) -> Py.json(v, kw.get("indent") instanceof Number n ? n.intValue() : 0,
                toBool(kw.getOrDefault("sort_keys", false))));
        fs.add("to_nice_json", (v, a, kw) -> Py.json(v, ((Number) arg(a, kw, 0, "indent", 4)).intValue(), true));
        fs.add("tojson", (v, a, kw) -> Py.json(v, 0, true));
        Filters.Fn fromJson = (v, a, kw) -> {
            try {
                return new ObjectMapper().readValue(Py.str(v), Object.class);
            } catch (IOException e) {
                throw fail(new TemplateException("from_json: " + e.getMessage()));
            }
        };
        fs.add("from_json", fromJson);
        fs.add("fromjson", fromJson);
    }
}
