package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;

/** in, contains. */
final class Membership {
    private Membership() {
    }

    static void register(Tests ts) {
        ts.add("in", (v, a) -> inTest(v, a[0]));
        ts.add("contains", (v, a) -> inTest(a[0], v));
    }
}
