package dev.drover.connection;

import java.util.Collection;
import java.util.stream.Collectors;

/** The one helper through which every argument reaches a shell. */
public final class ShellQuote {
    private ShellQuote() {
    }

    private static final java.util.regex.Pattern SAFE = java.util.regex.Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /** Quotes {@code s} for POSIX sh: returned as is when only safe characters, else in single quotes. */
    public static String quote(String s) {
        if (s == null || s.isEmpty()) {
            return "''";
        }
        if (SAFE.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    /** Quotes each argument and joins them with spaces: an argv as one sh command line. */
    public static String join(Collection<String> argv) {
        return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }

    public static String join(String... argv) {
        return join(java.util.Arrays.asList(argv));
    }
}
