package dev.drover.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An INI file read as ansible-core reads ansible.cfg: Python's
 * {@code configparser.ConfigParser(inline_comment_prefixes=(';',))}, values taken raw (no
 * interpolation). Full-line comments start with {@code #} or {@code ;}; an inline comment is a
 * {@code ;} after white space; {@code key = value} and {@code key: value} (the first delimiter
 * splits); keys are lower-cased; a more indented line continues the value above (blank lines
 * inside kept, trailing ones dropped); a duplicate section or key, a key before any section and a
 * line without a delimiter are errors, as in configparser (strict mode).
 */
public final class Ini {

    /** A value and the line its key is on (1-based). */
    public record Entry(String value, int line) {
    }

    private static final Pattern SECTION = Pattern.compile("\\[(.+)\\]");
    private static final Pattern OPTION = Pattern.compile("(.*?)\\s*([=:])\\s*(.*)$");

    private final Map<String, Map<String, Entry>> sections;

    private Ini(Map<String, Map<String, Entry>> sections) {
        this.sections = sections;
    }

    /** The entry of a key in a section (keys lower-cased), or null. */
    public Entry get(String section, String key) {
        Map<String, Entry> s = sections.get(section);
        return s == null ? null : s.get(key.toLowerCase(Locale.ROOT));
    }

    /** Every section and its entries, in file order. */
    public Map<String, Map<String, Entry>> sections() {
        return sections;
    }

    /** Parses {@code text}; {@code file} names it in error messages. */
    public static Ini parse(String text, String file) {
        Map<String, Map<String, Entry>> out = new LinkedHashMap<>();
        Map<String, Entry> current = null;
        String section = null;
        String key = null;
        StringBuilder value = null;
        int keyIndent = 0;
        int pendingBlank = 0;
        String[] lines = text.split("\r\n|\n|\r", -1);
        for (int n = 0; n < lines.length; n++) {
            String raw = lines[n];
            int lineNo = n + 1;
            String stripped = raw.strip();
            if (stripped.startsWith("#") || stripped.startsWith(";")) {
                continue; // a full-line comment, even inside a value
            }
            String line = stripInline(raw).strip();
            if (line.isEmpty()) {
                if (value != null) {
                    pendingBlank++;
                }
                continue;
            }
            int indent = raw.length() - raw.stripLeading().length();
            if (value != null && indent > keyIndent) {
                for (; pendingBlank > 0; pendingBlank--) {
                    value.append('\n');
                }
                value.append('\n').append(line);
                continue;
            }
            finish(current, key, value);
            key = null;
            value = null;
            pendingBlank = 0;
            Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                section = s.group(1);
                if (out.containsKey(section)) {
                    throw new ConfigException(where(file, lineNo) + ": section '" + section + "' already exists");
                }
                current = new LinkedHashMap<>();
                out.put(section, current);
                continue;
            }
            if (current == null) {
                throw new ConfigException(where(file, lineNo) + ": the line " + quote(raw)
                        + " comes before any section header (such as [defaults])");
            }
            Matcher o = OPTION.matcher(line);
            if (!o.matches() || o.group(1).strip().isEmpty()) {
                throw new ConfigException(where(file, lineNo) + ": [" + section + "] the line " + quote(raw)
                        + " is not 'key = value'");
            }
            key = o.group(1).stripTrailing().toLowerCase(Locale.ROOT);
            if (current.containsKey(key)) {
                throw new ConfigException(where(file, lineNo) + ": [" + section + "] " + key
                        + " is set twice (also on line " + current.get(key).line() + ")");
            }
            keyIndent = indent;
            value = new StringBuilder(o.group(3).strip());
            current.put(key, new Entry("", lineNo));
        }
        finish(current, key, value);
        return new Ini(out);
    }

    private static void finish(Map<String, Entry> current, String key, StringBuilder value) {
        if (key != null) {
            current.put(key, new Entry(value.toString().strip(), current.get(key).line()));
        }
    }

    /** configparser's inline comments: a ';' at the line's start or after white space ends the value. */
    private static String stripInline(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ';' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String where(String file, int line) {
        return file + ", line " + line;
    }

    private static String quote(String s) {
        return "'" + s.strip() + "'";
    }
}
