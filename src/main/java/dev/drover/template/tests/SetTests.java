package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;

import java.util.List;

/** subset/issubset and superset/issuperset: Python's set(a) <= set(b) and set(a) >= set(b). */
final class SetTests {
    private SetTests() {
    }

    static void register(Tests ts) {
        Tests.Fn subset = (v, a) -> within(toList(v), toList(a[0]));
        Tests.Fn superset = (v, a) -> within(toList(a[0]), toList(v));
        ts.add("subset", subset);
        ts.add("issubset", subset);
        ts.add("superset", superset);
        ts.add("issuperset", superset);
    }

    private static boolean within(List<Object> small, List<Object> big) {
        for (Object o : small) {
            if (!contains(big, o)) {
                return false;
            }
        }
        return true;
    }
}
