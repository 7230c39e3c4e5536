package dev.drover.modules.files;

import dev.drover.module.ModuleException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Python's {@code re} as Ansible's modules use it, on java.util.regex: a pattern is translated
 * where the two dialects differ ({@code (?P<name>…)}, {@code (?P=name)}, {@code \Z}, a {@code {}
 * that is no quantifier, {@code [} inside a class, {@code &&}), compiled with UNIX_LINES (only
 * {@code \n} ends a line for {@code .}, {@code ^}, {@code $}, as in Python), and replacement
 * templates are expanded as {@code re.sub} does ({@code \1}, {@code \g<1>}, {@code \g<name>},
 * {@code \n}, {@code \t}, {@code \\}).
 */
public final class PyRegex {
    private PyRegex() {
    }

    /** Compiles a Python pattern; {@code flags} are java.util.regex flags (MULTILINE, DOTALL). */
    public static Pattern compile(String python, int flags) throws ModuleException {
        try {
            return Pattern.compile(translate(python), flags | Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw new ModuleException("invalid regular expression '" + python + "': " + e.getDescription());
        }
    }

    /** A Python pattern in java.util.regex syntax. */
    static String translate(String p) {
        StringBuilder out = new StringBuilder(p.length() + 8);
        boolean inClass = false;
        int classStart = -1;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                char n = p.charAt(i + 1);
                if (!inClass && n == 'Z') {
                    out.append("\\z");
                } else {
                    out.append(c).append(n);
                }
                i++;
                continue;
            }
            if (inClass) {
                if (c == ']' && i > classStart) {
                    inClass = false;
                    out.append(c);
                } else if (c == '[') {
                    out.append("\\[");
                } else if (c == '&' && i + 1 < p.length() && p.charAt(i + 1) == '&') {
                    out.append("&\\&");
                    i++;
                } else {
                    out.append(c);
                }
                continue;
            }
            if (c == '[') {
                inClass = true;
                out.append(c);
                int j = i + 1;
                if (j < p.length() && p.charAt(j) == '^') {
                    out.append('^');
                    j++;
                }
                if (j < p.length() && p.charAt(j) == ']') { // a leading ] is a literal in Python
                    out.append("\\]");
                    j++;
                }
                classStart = j;
                i = j - 1;
                continue;
            }
            if (c == '(' && p.startsWith("(?P<", i)) {
                out.append("(?<");
                i += 3;
                continue;
            }
            if (c == '(' && p.startsWith("(?P=", i)) {
                int close = p.indexOf(')', i);
                if (close > 0) {
                    out.append("\\k<").append(p, i + 4, close).append('>');
                    i = close;
                    continue;
                }
            }
            if (c == '{') {
                Matcher q = QUANTIFIER.matcher(p).region(i, p.length());
                if (q.lookingAt()) {
                    out.append(q.group(1) == null || q.group(1).isEmpty() ? "{0" : "{" + q.group(1))
                            .append(q.group(2) == null ? "" : q.group(2)).append('}');
                    i = q.end() - 1;
                    continue;
                }
                out.append("\\{");
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static final Pattern QUANTIFIER = Pattern.compile("\\{(\\d*)(,\\d*)?}");

    /**
     * Python's {@code re.sub(pattern, template, text)}: every match replaced; {@code count[0]} gets
     * how many. Java's find() steps over empty matches as Python 3.7+ does (an empty match right
     * after a non-empty one counts).
     */
    public static String sub(Pattern pattern, String template, String text, int[] count) throws ModuleException {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        int n = 0;
        while (m.find()) {
            out.append(text, last, m.start()).append(expand(m, template));
            last = m.end();
            n++;
        }
        out.append(text, last, text.length());
        if (count != null) {
            count[0] = n;
        }
        return out.toString();
    }

    /** Python's {@code match.expand(template)}. */
    public static String expand(Matcher m, String template) throws ModuleException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= template.length()) {
                throw new ModuleException("bad escape (end of pattern) at position " + i);
            }
            char n = template.charAt(++i);
            if (Character.isDigit(n)) {
                int j = i;
                while (j < template.length() && j < i + 2 && Character.isDigit(template.charAt(j))) {
                    j++;
                }
                int g = Integer.parseInt(template.substring(i, j));
                if (g > m.groupCount()) {
                    throw new ModuleException("invalid group reference " + g + " at position " + i);
                }
                String v = m.group(g);
                out.append(v == null ? "" : v);
                i = j - 1;
            } else if (n == 'g' && i + 1 < template.length() && template.charAt(i + 1) == '<') {
                int close = template.indexOf('>', i);
                if (close < 0) {
                    throw new ModuleException("missing >, unterminated name at position " + (i + 2));
                }
                String name = template.substring(i + 2, close);
                String v;
                try {
                    v = name.matches("\\d+") ? m.group(Integer.parseInt(name)) : m.group(name);
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    throw new ModuleException(name.matches("\\d+") ? "invalid group reference " + name
                            + " at position " + (i + 2) : "unknown group name '" + name + "'");
                }
                out.append(v == null ? "" : v);
                i = close;
            } else {
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'f' -> out.append('\f');
                    case 'v' -> out.append('\u000b');
                    case 'a' -> out.append('\u0007');
                    case 'b' -> out.append('\b');
                    case '\\' -> out.append('\\');
                    default -> {
                        if (Character.isLetter(n) && n < 128) {
                            throw new ModuleException("bad escape \\" + n + " at position " + (i - 1));
                        }
                        out.append('\\').append(n);
                    }
                }
            }
        }
        return out.toString();
    }
}
