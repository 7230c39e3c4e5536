package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;



/** subset and superset. */
final class SetTests {
    private SetTests() {
    }

    static void register(Tests ts) {
        ts.add("subset", (v, a) -> toList(a[0]).containsAll(toList(v)));
        ts.add("superset", (v, a) -> toList(v).containsAll(toList(a[0])));
    }
}
