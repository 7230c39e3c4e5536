package dev.drover.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two bits of Python the INI inventory plugin leans on: {@code shlex.split(line, comments=True)}
 * for host lines and {@code ast.literal_eval} for values (a value that is not a literal stays text).
 */
final class PyLiteral {
    private PyLiteral() {
    }

    /** Thrown when a text is not a Python literal; the caller keeps the text. */
    private static final class NotLiteral extends Exception {
        private static final long serialVersionUID = 1L;

        NotLiteral() {
            super(null, null, false, false);
        }
    }

    /**
     * Ansible's INI {@code _parse_value}: {@code ast.literal_eval(v)} or, when that fails, v itself.
     * Numbers become Integer/Long/BigInteger/Double, True/False Boolean, None null, lists and tuples
     * List, dicts Map; strings lose their quotes.
     */
    static Object parseValue(String v) {
        try {
            PyLiteral.Parser p = new Parser(v);
            p.skipLeadingBlanks();
            Object o = p.expr();
            p.skipSpace();
            if (!p.atEnd()) {
                throw new NotLiteral();
            }
            return o;
        } catch (NotLiteral e) {
            return v;
        }
    }

    private static final Pattern NUMBER = Pattern.compile(
            "0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+"
                    + "|(?:[0-9](?:_?[0-9])*)?\\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?"
                    + "|[0-9](?:_?[0-9])*\\.(?:[eE][-+]?[0-9](?:_?[0-9])*)?"
                    + "|[0-9](?:_?[0-9])*[eE][-+]?[0-9](?:_?[0-9])*"
                    + "|[0-9](?:_?[0-9])*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        void skipLeadingBlanks() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        void skipSpace() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r') {
                    i++;
                } else if (c == '#') {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i += 2;
                } else {
                    break;
                }
            }
        }

        char peek() throws NotLiteral {
            if (atEnd()) {
                throw new NotLiteral();
            }
            return s.charAt(i);
        }

        Object expr() throws NotLiteral {
            skipSpace();
            char c = peek();
            if (c == '+' || c == '-') {
                i++;
                skipSpace();
                if (atEnd() || !(Character.isDigit(peek()) || peek() == '.')) {
                    throw new NotLiteral();
                }
                Object n = number();
                return c == '-' ? negate(n) : n;
            }
            if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                return number();
            }
            if (c == '[') {
                i++;
                return new ArrayList<>(items(']'));
            }
            if (c == '(') {
                i++;
                int start = i;
                skipSpace();
                if (peek() == ')') {
                    i++;
                    return new ArrayList<>();
                }
                i = start;
                Object first = expr();
                skipSpace();
                if (peek() == ')') { // parenthesised expression, not a tuple
                    i++;
                    return first;
                }
                if (peek() != ',') {
                    throw new NotLiteral();
                }
                i++;
                List<Object> rest = items(')');
                List<Object> all = new ArrayList<>();
                all.add(first);
                all.addAll(rest);
                return all;
            }
            if (c == '{') {
                i++;
                return dictOrSet();
            }
            Matcher m = NAME.matcher(s).region(i, s.length());
            if (m.lookingAt()) {
                String name = m.group();
                int after = m.end();
                if (after < s.length() && (s.charAt(after) == '\'' || s.charAt(after) == '"')
                        && name.matches("(?i)r|u|b|br|rb")) {
                    return strings();
                }
                i = after;
                switch (name) {
                    case "True":
                        return Boolean.TRUE;
                    case "False":
                        return Boolean.FALSE;
                    case "None":
                        return null;
                    default:
                        throw new NotLiteral();
                }
            }
            if (c == '\'' || c == '"') {
                return strings();
            }
            throw new NotLiteral();
        }

        /** Items up to the closing bracket, after the opening one; trailing comma allowed. */
        List<Object> items(char close) throws NotLiteral {
            List<Object> out = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == close) {
                    i++;
                    return out;
                }
                out.add(expr());
                skipSpace();
                char c = peek();
                if (c == ',') {
                    i++;
                } else if (c == close) {
                    i++;
                    return out;
                } else {
                    throw new NotLiteral();
                }
            }
        }

        Object dictOrSet() throws NotLiteral {
            Map<String, Object> map = new LinkedHashMap<>();
            List<Object> set = new ArrayList<>();
            Boolean isDict = null;
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    i++;
                    break;
                }
                Object k = expr();
                skipSpace();
                if (peek() == ':') {
                    if (isDict == Boolean.FALSE) {
                        throw new NotLiteral();
                    }
                    isDict = true;
                    i++;
                    Object v = expr();
                    map.put(keyString(k), v);
                } else {
                    if (isDict == Boolean.TRUE) {
                        throw new NotLiteral();
                    }
                    isDict = false;
                    if (!set.contains(k)) {
                        set.add(k);
                    }
                }
                skipSpace();
                char c = peek();
                if (c == ',') {
                    i++;
                } else if (c == '}') {
                    i++;
                    break;
                } else {
                    throw new NotLiteral();
                }
            }
            if (isDict == Boolean.FALSE) {
                return set;
            }
            return map;
        }

        private static String keyString(Object k) {
            if (k instanceof Boolean b) {
                return b ? "True" : "False";
            }
            if (k instanceof List<?> || k instanceof Map<?, ?>) {
                return String.valueOf(k);
            }
            return String.valueOf(k);
        }

        Object number() throws NotLiteral {
            Matcher m = NUMBER.matcher(s).region(i, s.length());
            if (!m.lookingAt()) {
                throw new NotLiteral();
            }
            String t = m.group();
            i = m.end();
            if (i < s.length()) {
                char n = s.charAt(i);
                if (Character.isLetterOrDigit(n) || n == '_' || n == '.') { // 1j, 1abc, 0644, 1.2.3
                    throw new NotLiteral();
                }
            }
            String d = t.replace("_", "");
            String lower = d.toLowerCase(java.util.Locale.ROOT);
            try {
                if (lower.startsWith("0x")) {
                    return YamlNumbers.narrow(new BigInteger(d.substring(2), 16));
                }
                if (lower.startsWith("0o")) {
                    return YamlNumbers.narrow(new BigInteger(d.substring(2), 8));
                }
                if (lower.startsWith("0b")) {
                    return YamlNumbers.narrow(new BigInteger(d.substring(2), 2));
                }
                if (lower.contains(".") || lower.contains("e")) {
                    return Double.parseDouble(d);
                }
                if (d.length() > 1 && d.charAt(0) == '0' && !d.matches("0+")) {
                    throw new NotLiteral(); // Python 3: leading zeros are a syntax error
                }
                return YamlNumbers.narrow(new BigInteger(d));
            } catch (NumberFormatException e) {
                throw new NotLiteral();
            }
        }

        static Object negate(Object n) {
            if (n instanceof Integer x) {
                return YamlNumbers.narrow(BigInteger.valueOf(x).negate());
            }
            if (n instanceof Long x) {
                return YamlNumbers.narrow(BigInteger.valueOf(x).negate());
            }
            if (n instanceof BigInteger x) {
                return YamlNumbers.narrow(x.negate());
            }
            return -((Double) n);
        }

        /** One or more adjacent string literals, concatenated as Python does. */
        Object strings() throws NotLiteral {
            StringBuilder out = new StringBuilder();
            boolean any = false;
            while (true) {
                int save = i;
                skipSpace();
                if (atEnd()) {
                    i = save;
                    break;
                }
                int p = i;
                boolean raw = false;
                while (p < s.length() && Character.isLetter(s.charAt(p)) && p - i < 2) {
                    char c = Character.toLowerCase(s.charAt(p));
                    if (c == 'r') {
                        raw = true;
                    } else if (c != 'b' && c != 'u') {
                        break;
                    }
                    p++;
                }
                if (p >= s.length() || (s.charAt(p) != '\'' && s.charAt(p) != '"')) {
                    i = save;
                    break;
                }
                i = p;
                out.append(string(raw));
                any = true;
            }
            if (!any) {
                throw new NotLiteral();
            }
            return out.toString();
        }

        String string(boolean raw) throws NotLiteral {
            char q = s.charAt(i);
            boolean triple = s.startsWith(String.valueOf(q).repeat(3), i);
            i += triple ? 3 : 1;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw new NotLiteral();
                }
                char c = s.charAt(i);
                if (c == q && (!triple || s.startsWith(String.valueOf(q).repeat(3), i))) {
                    i += triple ? 3 : 1;
                    return b.toString();
                }
                if (c == '\n' && !triple) {
                    throw new NotLiteral();
                }
                if (c == '\\' && i + 1 < s.length()) {
                    char e = s.charAt(i + 1);
                    if (raw) {
                        b.append(c).append(e);
                        i += 2;
                        continue;
                    }
                    i += 2;
                    switch (e) {
                        case '\n' -> { }
                        case '\\' -> b.append('\\');
                        case '\'' -> b.append('\'');
                        case '"' -> b.append('"');
                        case 'a' -> b.append('\u0007');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'n' -> b.append('\n');
                        case 'r' -> b.append('\r');
                        case 't' -> b.append('\t');
                        case 'v' -> b.append('\u000b');
                        case 'x' -> b.appendCodePoint(hex(2));
                        case 'u' -> b.appendCodePoint(hex(4));
                        case 'U' -> b.appendCodePoint(hex(8));
                        default -> {
                            if (e >= '0' && e <= '7') {
                                int v = e - '0';
                                for (int k = 0; k < 2 && i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++) {
                                    v = v * 8 + (s.charAt(i++) - '0');
                                }
                                b.appendCodePoint(v);
                            } else {
                                b.append('\\').append(e);
                            }
                        }
                    }
                    continue;
                }
                b.append(c);
                i++;
            }
        }

        int hex(int n) throws NotLiteral {
            if (i + n > s.length()) {
                throw new NotLiteral();
            }
            try {
                int v = Integer.parseUnsignedInt(s.substring(i, i + n), 16);
                i += n;
                if (!Character.isValidCodePoint(v)) {
                    throw new NotLiteral();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new NotLiteral();
            }
        }
    }

    /**
     * Python's {@code shlex.split(line, comments=True)} (POSIX mode): whitespace separates words,
     * single and double quotes group, backslash escapes, {@code #} outside quotes ends the line.
     *
     * @throws IllegalArgumentException with Python's message ("No closing quotation", "No escaped
     *                                  character") when the line is unbalanced
     */
    static List<String> shlexSplit(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder tok = new StringBuilder();
        boolean inTok = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inTok) {
                    out.add(tok.toString());
                    tok.setLength(0);
                    inTok = false;
                }
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("No escaped character");
                }
                tok.append(line.charAt(i + 1));
                inTok = true;
                i += 2;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("No closing quotation");
                }
                tok.append(line, i + 1, end);
                inTok = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = line.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                        tok.append(line.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    tok.append(d);
                    i++;
                }
                if (!closed) {
                    throw new IllegalArgumentException("No closing quotation");
                }
                inTok = true;
            } else {
                tok.append(c);
                inTok = true;
                i++;
            }
        }
        if (inTok) {
            out.add(tok.toString());
        }
        return out;
    }
}
