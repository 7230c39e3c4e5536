package dev.drover.modules.packages;

import java.util.regex.Pattern;

/** Debian version ordering (as {@code dpkg --compare-versions}) and Python's fnmatch for version patterns. */
final class DebVersion {
    private DebVersion() {
    }

    /** Negative, zero or positive as {@code a} sorts before, with or after {@code b}. */
    static int compare(String a, String b) {
        String[] x = split(a);
        String[] y = split(b);
        int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        if (c != 0) {
            return c;
        }
        c = part(x[1], y[1]);
        return c != 0 ? c : part(x[2], y[2]);
    }

    /** epoch, upstream version, revision. */
    private static String[] split(String v) {
        String epoch = "0";
        String rest = v.trim();
        int colon = rest.indexOf(':');
        if (colon > 0 && rest.substring(0, colon).matches("\\d+")) {
            epoch = rest.substring(0, colon);
            rest = rest.substring(colon + 1);
        }
        int dash = rest.lastIndexOf('-');
        String revision = "";
        if (dash >= 0) {
            revision = rest.substring(dash + 1);
            rest = rest.substring(0, dash);
        }
        return new String[] {epoch, rest, revision};
    }

    private static int order(char c) {
        if (Character.isDigit(c)) {
            return 0;
        }
        if (Character.isLetter(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    private static int part(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !Character.isDigit(a.charAt(i))) || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
                int ac = i < a.length() ? order(a.charAt(i)) : 0;
                int bc = j < b.length() ? order(b.charAt(j)) : 0;
                if (ac != bc) {
                    return ac - bc;
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length() && Character.isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && Character.isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && Character.isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff;
            }
        }
        return 0;
    }

    /** Python's fnmatch.fnmatch (case-sensitive on Linux): *, ?, [seq], [!seq]. */
    static boolean fnmatch(String text, String pattern) {
        return Pattern.compile(globRegex(pattern), Pattern.DOTALL).matcher(text).matches();
    }

    static String globRegex(String pattern) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                r.append(".*");
            } else if (c == '?') {
                r.append('.');
            } else if (c == '[') {
                int end = pattern.indexOf(']', i + 2);
                if (end < 0) {
                    r.append("\\[");
                } else {
                    String set = pattern.substring(i + 1, end);
                    if (set.startsWith("!")) {
                        set = "^" + set.substring(1);
                    }
                    r.append('[').append(set.replace("\\", "\\\\")).append(']');
                    i = end;
                }
            } else {
                r.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return r.toString();
    }
}
