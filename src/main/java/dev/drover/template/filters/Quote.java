package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;

/** quote: a string quoted for a POSIX shell, as Python's shlex.quote. */
final class Quote {
    private Quote() {
    }

    static void register(Filters fs) {
        fs.add("quote", (v, a, kw) -> shellQuote(Py.str(v)));
    }

    static String shellQuote(String s) {
        if (s.isEmpty()) {
            return "''";
        }
        if (s.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }
}
