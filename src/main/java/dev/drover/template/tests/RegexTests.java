package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.util.regex.Matcher;

/** match, search, regex. */
final class RegexTests {
    private RegexTests() {
    }

    static void register(Tests ts) {
        ts.add("match", (v, a) -> regexTest(v, a, true));
        ts.add("search", (v, a) -> regexTest(v, a, false));
        ts.add("regex", (v, a) -> a.length > 2 && "match".equals(a[2]) ? regexTest(v, a, true) : regexTest(v, a, false));
    }

    static boolean regexTest(Object v, Object[] a, boolean match) {
        boolean ignoreCase = a.length > 1 && toBool(a[1]);
        Matcher m = regex(a[0], ignoreCase, false).matcher(Py.str(v));
        return match ? m.lookingAt() : m.find();
    }
}
