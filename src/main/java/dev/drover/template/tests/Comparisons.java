package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;

/** equalto, eq, ==, !=, ne. */
final class Comparisons {
    private Comparisons() {
    }

    static void register(Tests ts) {
        ts.add("equalto", (v, a) -> pyEquals(v, a[0]));
        ts.add("eq", (v, a) -> pyEquals(v, a[0]));
        ts.add("==", (v, a) -> pyEquals(v, a[0]));
        ts.add("!=", (v, a) -> !pyEquals(v, a[0]));
        ts.add("ne", (v, a) -> !pyEquals(v, a[0]));
    }
}
