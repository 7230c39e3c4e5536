package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** regex_replace, regex_search, regex_findall, regex_escape (Python regexes). */
final class Regex {
    private Regex() {
    }

    static void register(Filters fs) {
        fs.add("regex_replace", (v, a, kw) -> {
            Pattern p = regex(arg(a, kw, 0, "pattern", ""), toBool(arg(a, kw, 2, "ignorecase", false)),
                    toBool(arg(a, kw, 3, "multiline", false)));
            String r = replacement(Py.str(arg(a, kw, 1, "replacement", "")));
            int count = ((Number) kw.getOrDefault("count", 0)).intValue();
            Matcher m = p.matcher(Py.str(v));
            if (count <= 0) {
                return m.replaceAll(r);
            }
            StringBuilder sb = new StringBuilder();
            int n = 0;
            while (n < count && m.find()) {
                m.appendReplacement(sb, r);
                n++;
            }
            m.appendTail(sb);
            return sb.toString();
        });
        fs.add("regex_search", (v, a, kw) -> {
            Pattern p = regex(a[0], toBool(kw.getOrDefault("ignorecase", false)), toBool(kw.getOrDefault("multiline", false)));
            Matcher m = p.matcher(Py.str(v));
            if (!m.find()) {
                return null;
            }
            if (a.length <= 1) {
                return m.group();
            }
            List<Object> groups = new ArrayList<>();
            for (int i = 1; i < a.length; i++) {
                String g = Py.str(a[i]);
                if (g.matches("\\\\\\d+")) {
                    groups.add(m.group(Integer.parseInt(g.substring(1))));
                } else if (g.startsWith("\\g<")) {
                    groups.add(m.group(g.substring(3, g.length() - 1)));
                }
            }
            return groups;
        });
        fs.add("regex_findall", (v, a, kw) -> {
            Pattern p = regex(a[0], toBool(arg(a, kw, 2, "ignorecase", false)), toBool(arg(a, kw, 1, "multiline", false)));
            Matcher m = p.matcher(Py.str(v));
            List<Object> out = new ArrayList<>();
            while (m.find()) {
                if (m.groupCount() == 0) {
                    out.add(m.group());
                } else if (m.groupCount() == 1) {
                    out.add(m.group(1) == null ? "" : m.group(1));
                } else {
                    List<Object> t = new ArrayList<>();
                    for (int i = 1; i <= m.groupCount(); i++) {
                        t.add(m.group(i) == null ? "" : m.group(i));
                    }
                    out.add(new Py.Tuple(t));
                }
            }
            return out;
        });
        fs.add("regex_escape", (v, a, kw) -> Py.str(v).replaceAll("([^A-Za-z0-9_])", "\\\\$1"));
    }
}
