package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** version (version_compare): loose version comparison with an operator. */
final class VersionTest {
    private VersionTest() {
    }

    static void register(Tests ts) {
        Tests.Fn version = (v, a) -> {

            String op = a.length > 1 ? Py.str(a[1]) : "eq";
            int c = Version.compare(Py.str(v), Py.str(a[0]));
            return switch (op) {
                case "<", "lt" -> c < 0;
                case "<=", "le" -> c <= 0;
                case ">", "gt" -> c > 0;
                case ">=", "ge" -> c >= 0;
                case "==", "=", "eq" -> c == 0;
                case "!=", "<>", "ne" -> c != 0;
                default -> throw fail(new TemplateException("Invalid operator type (" + op + ")"));
            };
        };
        ts.add("version", version);
        ts.add("version_compare", version);
    }

    /** Loose version comparison (numbers numerically, words alphabetically). */
    static final class Version {
        static int compare(String a, String b) {
            List<Object> x = parts(a);
            List<Object> y = parts(b);
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                Object p = x.get(i);
                Object q = y.get(i);
                int c;
                if (p instanceof Long lp && q instanceof Long lq) {
                    c = Long.compare(lp, lq);
                } else if (p instanceof Long) {
                    c = -1;
                } else if (q instanceof Long) {
                    c = 1;
                } else {
                    c = p.toString().compareTo(q.toString());
                }
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.size(), y.size());
        }

        private static List<Object> parts(String v) {
            List<Object> out = new ArrayList<>();
            Matcher m = Pattern.compile("\\d+|[a-z]+").matcher(v.toLowerCase());
            while (m.find()) {
                String p = m.group();
                out.add(Character.isDigit(p.charAt(0)) ? (Object) Long.parseLong(p) : p);
            }
            return out;
        }
    }
}
