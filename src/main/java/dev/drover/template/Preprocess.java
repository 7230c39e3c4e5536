package dev.drover.template;

/**
 * Rewrites Jinja2 source into what jinjava's lexer accepts: "}}" that closes nested dict literals
 * gets a space (jinjava would end the expression there) and backslashes in string literals follow
 * Python's rules (unknown escapes such as \d or \1 stay as written, \n and \t become the character).
 */
final class Preprocess {
    private Preprocess() {
    }

    /**
     * @param literalBackslashes true as Ansible templates strings (escape_backslashes=True: a
     *     backslash in a string literal stays a backslash); false as the template module does
     *     (Python escapes: \n, \t, \\ ...)
     */
    static String source(String text, boolean expression, boolean literalBackslashes) {
        if (text.indexOf('\\') < 0 && !text.contains("}}}") && !hasNestedClose(text) && !DOT_INDEX.matcher(text).find()
                && !text.contains("-") && !hasWord(text) && !EMPTY_OR_TRAILING_COMMA.matcher(text).find()
                && !FILTER_THEN_TEST.matcher(text).find()) {
            return text;
        }
        boolean saved = LITERAL.get();
        LITERAL.set(literalBackslashes);
        try {
            return rewrite(text, expression);
        } finally {
            LITERAL.set(saved);
        }
    }

    /** A filter somewhere before an {@code is} (see {@link #groupFilteredOperand}). */
    private static final java.util.regex.Pattern FILTER_THEN_TEST = java.util.regex.Pattern.compile("\\|[^|]*?\\bis\\b");
    /** {@code ()} or {@code (x,)}: tuples jinjava's grammar lacks (see {@link #TUPLE}). */
    private static final java.util.regex.Pattern EMPTY_OR_TRAILING_COMMA = java.util.regex.Pattern.compile("\\(\\s*\\)|,\\s*[)\\]]");
    /** The global function that builds the tuples {@code ()} and {@code (x,)} are rewritten to. */
    static final String TUPLE = "__drover_tuple";
    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("if", "in", "not", "and", "or", "else", "is", "elif");
    private static final java.util.regex.Pattern DOT_INDEX = java.util.regex.Pattern.compile("[\\w\\])]\\.\\d");
    private static final ThreadLocal<Boolean> LITERAL = ThreadLocal.withInitial(() -> true);

    private static String rewrite(String text, boolean expression) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        int i = 0;
        int n = text.length();
        if (expression) {
            java.util.regex.Matcher m = LEADING_MINUS_EXPR.matcher(text);
            int start = 0;
            if (m.lookingAt()) {
                out.append(m.group(1)).append("(-").append(m.group(2)).append(')');
                start = m.end();
            }
            code(text, start, out, null);
            return out.toString();
        }
        while (i < n) {
            if (text.startsWith("{#", i)) {
                int end = text.indexOf("#}", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(text, i, end);
                i = end;
            } else if (text.startsWith("{{", i) || text.startsWith("{%", i)) {
                String close = text.startsWith("{{", i) ? "}}" : "%}";
                if (close.equals("%}") && isRaw(text, i)) {
                    int end = text.indexOf("endraw", i);
                    end = end < 0 ? n : text.indexOf("%}", end);
                    end = end < 0 ? n : end + 2;
                    out.append(text, i, end);
                    i = end;
                    continue;
                }
                out.append(text, i, i + 2);
                i += 2;
                if (close.equals("}}")) {
                    i = leadingMinus(text, i, out);
                }
                i = code(text, i, out, close);
            } else {
                out.append(text.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    private static boolean hasNestedClose(String text) {
        // "}}" that is not the end of an expression, e.g. {{ {'a': {'b': 1}} }}
        int i = text.indexOf("}}");
        while (i >= 0) {
            String rest = text.substring(i + 2);
            int nextOpen = rest.indexOf("{{");
            int nextClose = rest.indexOf("}}");
            if (nextClose >= 0 && (nextOpen < 0 || nextClose < nextOpen)) {
                return true;
            }
            i = text.indexOf("}}", i + 2);
        }
        return false;
    }

    private static boolean isRaw(String text, int i) {
        int j = i + 2;
        while (j < text.length() && (text.charAt(j) == ' ' || text.charAt(j) == '-' || text.charAt(j) == '+')) {
            j++;
        }
        return text.startsWith("raw", j) && !text.startsWith("raw_", j);
    }

    /** Copies code from {@code i} up to and including {@code close} (or the end); returns the next index. */
    private static int code(String text, int i, StringBuilder out, String close) {
        int n = text.length();
        int depth = 0;
        int from = out.length();
        java.util.Set<Integer> dropped = new java.util.HashSet<>();
        while (i < n) {
            char c = text.charAt(i);
            if (dropped.contains(i)) {
                i++;
                continue;
            }
            if (c == '(' && isCall(out)) {
                int[] shape = tupleShape(text, i);
                if (shape != null && shape[1] >= 0) {
                    // f(1,) -> f(1): Jinja2 allows a trailing comma in a call's arguments
                    dropped.add(shape[1]);
                }
            } else if (c == '(') {
                int[] shape = tupleShape(text, i);
                if (shape != null && shape[1] < 0) {
                    // () -> __drover_tuple()
                    out.append(TUPLE).append("()");
                    i = shape[0] + 1;
                    continue;
                }
                if (shape != null) {
                    // (x,) / (x, y,) -> __drover_tuple(x) / __drover_tuple(x, y)
                    dropped.add(shape[1]);
                    out.append(TUPLE);
                }
            }
            if (c == '[') {
                // [1, 2,] -> [1, 2]: Jinja2 allows a trailing comma in a list literal
                int comma = trailingComma(text, i, ']');
                if (comma >= 0) {
                    dropped.add(comma);
                }
            }
            if (c == '\'' || c == '"') {
                i = string(text, i, out);
                continue;
            }
            if (depth == 0 && close != null && text.startsWith(close, i)) {
                out.append(close);
                return i + 2;
            }
            if ((Character.isLetter(c) || c == '_') && (i == 0 || !isIdent(text.charAt(i - 1)))) {
                int j = i;
                while (j < n && isIdent(text.charAt(j))) {
                    j++;
                }
                if (text.startsWith("is", i) && j == i + 2) {
                    groupFilteredOperand(out, from);
                }
                i = identifier(text.substring(i, j), text, j, out);
                continue;
            }
            if (c == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1)) && attributeBase(text, i)) {
                // x.0 -> x[0] (jinjava has no numeric attribute syntax)
                int j = i + 1;
                while (j < n && Character.isDigit(text.charAt(j))) {
                    j++;
                }
                out.append('[').append(text, i + 1, j).append(']');
                i = j;
                continue;
            }
            if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ']' || c == ')') && depth > 0) {
                depth--;
                out.append(c);
                if (c == '}' && i + 1 < n && text.charAt(i + 1) == '}') {
                    out.append(' ');
                }
                i++;
                continue;
            }
            out.append(c);
            i++;
        }
        return i;
    }

    /** Words that end the operand before them (a filtered value is never longer than this). */
    private static final java.util.Set<String> OPERAND_BOUNDARY = java.util.Set.of(
            "and", "or", "not", "if", "else", "in", "is");

    /**
     * Jinja2 parses {@code a | f is t} as {@code (a | f) is t}; jinjava does not parse it. Before an
     * {@code is} written now: when the operand before it (from the last operator, keyword, comma or
     * opening bracket at the same depth, in the code written since {@code from}) has a filter, puts
     * it in parentheses.
     */
    private static void groupFilteredOperand(StringBuilder out, int from) {
        int max = 64;
        int[] starts = new int[max];
        boolean[] piped = new boolean[max];
        int d = 0;
        starts[0] = from;
        int n = out.length();
        for (int k = from; k < n; k++) {
            char c = out.charAt(k);
            if (c == '\'' || c == '"') {
                k++;
                while (k < n && out.charAt(k) != c) {
                    k += out.charAt(k) == '\\' ? 2 : 1;
                }
            } else if (c == '(' || c == '[' || c == '{') {
                if (d + 1 < max) {
                    d++;
                    starts[d] = k + 1;
                    piped[d] = false;
                }
            } else if (c == ')' || c == ']' || c == '}') {
                d = Math.max(0, d - 1);
            } else if (c == '|') {
                piped[d] = true;
            } else if (isIdent(c) && (k == from || !isIdent(out.charAt(k - 1)))) {
                int j = k;
                while (j < n && isIdent(out.charAt(j))) {
                    j++;
                }
                if (OPERAND_BOUNDARY.contains(out.substring(k, j))) {
                    starts[d] = j;
                    piped[d] = false;
                }
                k = j - 1;
            } else if ("=!<>+-*/%~,:".indexOf(c) >= 0) {
                starts[d] = k + 1;
                piped[d] = false;
            }
        }
        if (!piped[d]) {
            return;
        }
        int start = starts[d];
        while (start < n && Character.isWhitespace(out.charAt(start))) {
            start++;
        }
        int end = n;
        while (end > start && Character.isWhitespace(out.charAt(end - 1))) {
            end--;
        }
        out.insert(end, ')');
        out.insert(start, '(');
    }

    /** True when a '(' written now calls something: it follows a name (not a keyword), ')' or ']'. */
    private static boolean isCall(StringBuilder out) {
        int k = out.length() - 1;
        while (k >= 0 && Character.isWhitespace(out.charAt(k))) {
            k--;
        }
        if (k < 0) {
            return false;
        }
        char p = out.charAt(k);
        if (p == ')' || p == ']') {
            return true;
        }
        if (!isIdent(p)) {
            return false;
        }
        int j = k;
        while (j >= 0 && isIdent(out.charAt(j))) {
            j--;
        }
        return !KEYWORDS.contains(out.substring(j + 1, k + 1));
    }

    /**
     * For a grouping '(' at {@code open}: null when it is no tuple that needs rewriting; else
     * {index of its ')', index of the trailing comma or -1 for an empty tuple}.
     */
    private static int[] tupleShape(String text, int open) {
        int[] end = closing(text, open);
        if (end == null || text.charAt(end[0]) != ')') {
            return null;
        }
        if (end[1] < 0) {
            return new int[] {end[0], -1};
        }
        return text.charAt(end[1]) == ',' ? new int[] {end[0], end[1]} : null;
    }

    /** The index of a trailing comma before the {@code close} matching {@code open}; -1 if none. */
    private static int trailingComma(String text, int open, char close) {
        int[] end = closing(text, open);
        return end != null && text.charAt(end[0]) == close && end[1] >= 0 && text.charAt(end[1]) == ',' ? end[1] : -1;
    }

    /**
     * The bracket that closes the one at {@code open} (skipping strings and nested brackets):
     * {its index, the index of the last non-blank character before it or -1}; null when unclosed.
     */
    private static int[] closing(String text, int open) {
        int depth = 0;
        int lastSignificant = -1;
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != c) {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                i = j;
                lastSignificant = j;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    return new int[] {i, lastSignificant};
                }
                depth--;
            }
            if (!Character.isWhitespace(c)) {
                lastSignificant = i;
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern LEADING_MINUS_EXPR =
            java.util.regex.Pattern.compile("(\\s*)-([\\w.]+)");
    private static final java.util.regex.Pattern LEADING_MINUS =
            java.util.regex.Pattern.compile("\\G(\\s+)-([\\w.]+)");

    /**
     * jinjava reads "{{ -x" as whitespace control; Jinja2 only does so for "{{-". Wraps a leading
     * unary minus and its operand in parentheses so it stays a minus.
     */
    private static int leadingMinus(String text, int i, StringBuilder out) {
        java.util.regex.Matcher m = LEADING_MINUS.matcher(text);
        if (m.find(i)) {
            out.append(m.group(1)).append("(-").append(m.group(2)).append(')');
            return m.end();
        }
        return i;
    }

    /** EL keywords that are ordinary names in Jinja2. */
    static final java.util.Set<String> RESERVED = java.util.Set.of(
            "empty", "div", "mod", "eq", "ne", "lt", "gt", "le", "ge", "instanceof");
    static final String RESERVED_PREFIX = "__drover_kw_";
    private static final java.util.regex.Pattern FQCN = java.util.regex.Pattern.compile(
            "(ansible\\.builtin|ansible\\.utils|ansible\\.netcommon|ansible\\.posix|community\\.general)\\.");

    private static final java.util.regex.Pattern WORDS = java.util.regex.Pattern.compile(
            "\\b(empty|div|mod|eq|ne|lt|gt|le|ge|instanceof|ansible|community)\\b");

    private static boolean hasWord(String text) {
        return WORDS.matcher(text).find();
    }

    private static boolean isIdent(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Writes a name, renaming EL keywords and dropping collection prefixes of filters and tests. */
    private static int identifier(String word, String text, int next, StringBuilder out) {
        if ((word.equals("ansible") || word.equals("community")) && filterOrTestPosition(out)) {
            java.util.regex.Matcher m = FQCN.matcher(text);
            int start = next - word.length();
            if (m.find(start) && m.start() == start) {
                // "| ansible.builtin.to_json" -> "| to_json"; the filter name follows as usual
                return m.end();
            }
        }
        if (!RESERVED.contains(word)) {
            out.append(word);
            return next;
        }
        int last = out.length() - 1;
        if (last >= 0 && out.charAt(last) == '.') {
            out.setLength(last);
            out.append("['").append(word).append("']");
        } else if (filterOrTestPosition(out) || (next < text.length() && text.charAt(next) == '(')) {
            out.append(word);
        } else {
            out.append(RESERVED_PREFIX).append(word);
        }
        return next;
    }

    private static boolean filterOrTestPosition(StringBuilder out) {
        int k = out.length() - 1;
        while (k >= 0 && Character.isWhitespace(out.charAt(k))) {
            k--;
        }
        if (k >= 0 && out.charAt(k) == '|') {
            return true;
        }
        String before = out.substring(Math.max(0, k - 3), k + 1);
        return before.endsWith(" is") || before.endsWith(" not") || before.endsWith("(is") || before.equals("is");
    }

    /** True when the '.' at {@code dot} follows a name, ']' or ')' (not a number like 1.5). */
    private static boolean attributeBase(String text, int dot) {
        if (dot == 0) {
            return false;
        }
        char p = text.charAt(dot - 1);
        if (p == ']' || p == ')') {
            return true;
        }
        int j = dot - 1;
        while (j >= 0 && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
            j--;
        }
        return j < dot - 1 && !Character.isDigit(text.charAt(j + 1));
    }

    private static int string(String text, int i, StringBuilder out) {
        char q = text.charAt(i);
        out.append(q);
        i++;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\\' && LITERAL.get()) {
                out.append("\\\\");
                i++;
                continue;
            }
            if (c == '\\' && i + 1 < n) {
                char e = text.charAt(i + 1);
                if (e == q || e == '\\') {
                    out.append('\\').append(e);
                } else if (e == '\'' || e == '"') {
                    out.append(e);
                } else if (e == 'n') {
                    out.append('\n');
                } else if (e == 't') {
                    out.append('\t');
                } else if (e == 'r') {
                    out.append('\r');
                } else {
                    out.append("\\\\").append(e);
                }
                i += 2;
                continue;
            }
            out.append(c);
            i++;
            if (c == q) {
                return i;
            }
        }
        return i;
    }
}
