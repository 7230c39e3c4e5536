package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Undefined;

/** defined, undefined, none. */
final class Definedness {
    private Definedness() {
    }

    static void register(Tests ts) {
        ts.add("defined", (v, a) -> !(v instanceof Undefined));
        ts.add("undefined", (v, a) -> v instanceof Undefined);
        ts.add("none", (v, a) -> v == null);
    }
}
