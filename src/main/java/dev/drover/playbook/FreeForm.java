package dev.drover.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code k=v} argument strings ({@code copy: src=a dest=b}, {@code command: chdir=/tmp ls}):
 * pairs become arguments (as text, like Ansible's parse_kv), the rest becomes {@code _raw_params}. Quotes group words; Jinja
 * {@code {{ }}} blocks are kept whole.
 */
public final class FreeForm {
    private FreeForm() {
    }

    public static final String RAW = "_raw_params";

    /** The keys Ansible takes out of a free-form command line (parse_kv with check_raw). */
    private static final java.util.Set<String> RAW_KEYS = java.util.Set.of("creates", "removes", "chdir",
            "executable", "warn", "stdin", "stdin_add_newline", "strip_empty_ends");

    /** Modules whose free-form text is a command line: only {@link #RAW_KEYS} are arguments in it. */
    public static boolean isCommandLine(String module) {
        return java.util.Set.of("command", "shell", "script", "raw").contains(Keywords.shortName(module));
    }

    public static Map<String, Object> parse(String text) {
        return parse(text, false);
    }

    /**
     * @param commandLine true for command/shell/script/raw: a {@code word=value} is an argument only
     *                    for Ansible's own keys ({@code chdir=}, {@code creates=}, …), else it stays
     *                    in the command line ({@code podman ps --filter name=x}, {@code env A=1 cmd})
     */
    public static Map<String, Object> parse(String text, boolean commandLine) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> raw = new ArrayList<>();
        for (String token : split(text)) {
            // as parse_kv: escapes are decoded first (content="a\nb" is two lines), then any text
            // before the first unescaped '=' is the key ("{{ k }}={{ v }}" for set_fact); what stays
            // in the command line keeps its escapes (the shell reads them)
            String decoded = decodeEscapes(token);
            int eq = firstEquals(decoded);
            String key = eq > 0 ? decoded.substring(0, eq).strip() : null;
            if (key != null && !key.isEmpty() && (!commandLine || RAW_KEYS.contains(key))) {
                out.put(key, unquote(decoded.substring(eq + 1).strip()));
            } else {
                raw.add(token);
            }
        }
        if (!raw.isEmpty()) {
            // a multi-line command (shell: |) with no argument taken out keeps its lines, as Ansible's
            // split_args/join_args keep them: joined by spaces it would be another script
            out.put(RAW, commandLine && out.isEmpty() && text.indexOf('\n') >= 0 ? text : String.join(" ", raw));
        }
        return out;
    }

    /** The first '=' after the token's first character that no backslash escapes (parse_kv), or -1. */
    private static int firstEquals(String token) {
        for (int i = 1; i < token.length(); i++) {
            if (token.charAt(i) == '=' && token.charAt(i - 1) != '\\') {
                return i;
            }
        }
        return -1;
    }

    /** Splits on unquoted whitespace, keeping quotes and {{ }} / {% %} blocks inside tokens. */
    static List<String> split(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        int jinja = 0;
        boolean started = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && jinja == 0 && Character.isWhitespace(c)) {
                if (started) {
                    tokens.add(cur.toString());
                    cur.setLength(0);
                    started = false;
                }
                continue;
            }
            started = true;
            cur.append(c);
            if (c == '\\' && quote != 0 && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
                continue;
            }
            if (jinja == 0 && (c == '"' || c == '\'')) {
                if (quote == 0) {
                    quote = c;
                } else if (quote == c) {
                    quote = 0;
                }
            } else if (quote == 0 && c == '{' && i + 1 < text.length()
                    && (text.charAt(i + 1) == '{' || text.charAt(i + 1) == '%')) {
                jinja++;
                cur.append(text.charAt(++i));
            } else if (quote == 0 && jinja > 0 && (c == '}' || c == '%') && i + 1 < text.length()
                    && text.charAt(i + 1) == '}') {
                jinja--;
                cur.append(text.charAt(++i));
            }
        }
        if (started) {
            tokens.add(cur.toString());
        }
        return tokens;
    }

    /** Ansible's unquote: the text inside matching outer quotes (the last not escaped), else as is. */
    static String unquote(String v) {
        int n = v.length();
        if (n >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(n - 1) == v.charAt(0)
                && v.charAt(n - 2) != '\\') {
            return v.substring(1, n - 1);
        }
        return v;
    }

    private static final Pattern ESCAPE = Pattern.compile(
            "\\\\U[0-9a-fA-F]{8}|\\\\u[0-9a-fA-F]{4}|\\\\x[0-9a-fA-F]{2}|\\\\N\\{[^}]+}|\\\\[\\\\'\"abfnrtv]");

    /**
     * Python's escapes decoded, as parse_kv's {@code _decode_escapes}: {@code \\n}, {@code \\t},
     * {@code \\\\}, {@code \\"}, {@code \\xHH}, {@code \\uHHHH}, {@code \\N{NAME}}…; one that
     * names no character stays as written.
     */
    static String decodeEscapes(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        Matcher m = ESCAPE.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(decode(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String decode(String e) {
        char c = e.charAt(1);
        try {
            return switch (c) {
                case 'U', 'u', 'x' -> Character.toString(Integer.parseInt(e.substring(2), 16));
                case 'N' -> Character.toString(Character.codePointOf(e.substring(3, e.length() - 1)));
                case 'a' -> "\u0007";
                case 'b' -> "\b";
                case 'f' -> "\f";
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case 'v' -> "\u000b";
                default -> String.valueOf(c); // \\ \' \"
            };
        } catch (IllegalArgumentException notACharacter) {
            return e;
        }
    }
}
