package dev.drover.template;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which variables a template or a bare expression reads, found without rendering it: a small
 * Jinja2 tokenizer that skips string literals, attribute names after {@code .}, filter names
 * after {@code |}, test names after {@code is}, keyword-argument names, keywords, Jinja/Ansible
 * globals ({@code lookup}, {@code range}, …) and names the template binds itself
 * ({@code {% set %}}, {@code {% for %}}, macro arguments, imports).
 *
 * <p>A name is <em>guarded</em> when some use of it is the subject of {@code is defined},
 * {@code is undefined} (also with {@code not}), {@code | default}, {@code | d} or
 * {@code | mandatory}, or appears in the arguments of {@code default}: every use of a guarded name
 * is left out of {@link Refs#names()}. Anything the tokenizer does not understand (an unknown
 * statement, an unterminated tag) yields no names at all: callers use this to report undefined
 * variables and must never report one by mistake.
 */
final class References {
    private References() {
    }

    /** @param names    root names read unguarded; @param guarded names some use of which is guarded */
    record Refs(Set<String> names, Set<String> guarded) {
        static final Refs NONE = new Refs(Set.of(), Set.of());
    }

    private static final Set<String> KEYWORDS = Set.of(
            "and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "True", "False", "None",
            // inside templates these are Jinja's own
            "loop", "caller", "varargs", "kwargs", "self", "super");

    /** Functions every template can call (Jinja2's and Ansible's globals, drover's too). */
    private static final Set<String> GLOBALS = Set.of(
            "lookup", "query", "q", "range", "dict", "lipsum", "now", "undef", "cycler", "joiner", "namespace");

    private static final Set<String> GUARD_FILTERS = Set.of("default", "d", "mandatory");
    private static final Set<String> GUARD_TESTS = Set.of("defined", "undefined");

    /** The words a condition may be that are booleans, not names (see Templar.isTrue). */
    private static final Set<String> BOOL_WORDS = Set.of("true", "yes", "on", "false", "no", "off", "none", "null");

    // ------------------------------------------------------------------ entry points

    static Refs ofTemplate(String template) {
        if (template == null || !Templar.isTemplated(template)) {
            return Refs.NONE;
        }
        Collector c = new Collector();
        int i = 0;
        int n = template.length();
        while (i < n) {
            int open = nextOpen(template, i);
            if (open < 0) {
                break;
            }
            if (template.startsWith("{#", open)) {
                int end = template.indexOf("#}", open + 2);
                if (end < 0) {
                    return Refs.NONE;
                }
                i = end + 2;
                continue;
            }
            boolean expr = template.startsWith("{{", open);
            int end = codeEnd(template, open + 2, expr ? "}}" : "%}");
            if (end < 0) {
                return Refs.NONE;
            }
            String code = stripControl(template.substring(open + 2, end));
            i = end + 2;
            if (expr) {
                if (!c.expression(code)) {
                    return Refs.NONE;
                }
                continue;
            }
            String word = firstWord(code);
            if (word.equals("raw")) {
                int endraw = findEndRaw(template, i);
                if (endraw < 0) {
                    return Refs.NONE;
                }
                i = endraw;
                continue;
            }
            if (!c.statement(word, code.substring(word.length()))) {
                return Refs.NONE;
            }
        }
        return c.result();
    }

    static Refs ofExpression(String expression) {
        if (expression == null) {
            return Refs.NONE;
        }
        String e = expression.strip();
        if (e.isEmpty() || BOOL_WORDS.contains(e.toLowerCase(java.util.Locale.ROOT))) {
            return Refs.NONE;
        }
        if (Templar.isTemplated(e)) {
            return ofTemplate(e);
        }
        Collector c = new Collector();
        return c.expression(e) ? c.result() : Refs.NONE;
    }

    // ------------------------------------------------------------------ template scanning

    private static int nextOpen(String t, int from) {
        int best = -1;
        for (String o : List.of("{{", "{%", "{#")) {
            int k = t.indexOf(o, from);
            if (k >= 0 && (best < 0 || k < best)) {
                best = k;
            }
        }
        return best;
    }

    /** Index of {@code close} ending the code that starts at {@code i} (outside strings and brackets), or -1. */
    private static int codeEnd(String t, int i, String close) {
        int depth = 0;
        int n = t.length();
        while (i < n) {
            char c = t.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(t, i);
                if (i < 0) {
                    return -1;
                }
                continue;
            }
            if (depth == 0 && t.startsWith(close, i)) {
                return i;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
            i++;
        }
        return -1;
    }

    /** The index after the string literal opening at {@code i}, or -1 when it is not closed. */
    private static int stringEnd(String t, int i) {
        char q = t.charAt(i);
        for (int j = i + 1; j < t.length(); j++) {
            char c = t.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == q) {
                return j + 1;
            }
        }
        return -1;
    }

    private static String stripControl(String code) {
        String s = code;
        if (s.startsWith("-") || s.startsWith("+")) {
            s = s.substring(1);
        }
        if ((s.endsWith("-") && !s.endsWith("--")) || s.endsWith("+")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.strip();
    }

    private static String firstWord(String code) {
        int j = 0;
        while (j < code.length() && (Character.isLetterOrDigit(code.charAt(j)) || code.charAt(j) == '_')) {
            j++;
        }
        return code.substring(0, j);
    }

    private static int findEndRaw(String t, int from) {
        int i = from;
        while (true) {
            int open = t.indexOf("{%", i);
            if (open < 0) {
                return -1;
            }
            int end = t.indexOf("%}", open);
            if (end < 0) {
                return -1;
            }
            if (stripControl(t.substring(open + 2, end)).equals("endraw")) {
                return end + 2;
            }
            i = end + 2;
        }
    }

    // ------------------------------------------------------------------ tokens

    enum Kind { NAME, NUMBER, STRING, OP }

    record Tok(Kind kind, String text) {
        boolean is(String s) {
            return (kind == Kind.OP || kind == Kind.NAME) && text.equals(s);
        }
    }

    /** Splits an expression into tokens; null when it cannot (an unclosed string). */
    static List<Tok> tokenize(String s) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                int end = stringEnd(s, i);
                if (end < 0) {
                    return null;
                }
                out.add(new Tok(Kind.STRING, s.substring(i, end)));
                i = end;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_'
                        || (s.charAt(j) == '.' && j + 1 < n && Character.isDigit(s.charAt(j + 1))))) {
                    j++;
                }
                out.add(new Tok(Kind.NUMBER, s.substring(i, j)));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Tok(Kind.NAME, s.substring(i, j)));
                i = j;
            } else {
                String two = i + 1 < n ? s.substring(i, i + 2) : "";
                if (List.of("==", "!=", "<=", ">=", "//", "**").contains(two)) {
                    out.add(new Tok(Kind.OP, two));
                    i += 2;
                } else {
                    out.add(new Tok(Kind.OP, String.valueOf(c)));
                    i++;
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ analysis

    /** Gathers references and bindings over a whole template. */
    private static final class Collector {
        final Set<String> refs = new LinkedHashSet<>();
        final Set<String> guarded = new LinkedHashSet<>();
        final Set<String> bound = new LinkedHashSet<>();

        Refs result() {
            Set<String> names = new LinkedHashSet<>(refs);
            names.removeAll(guarded);
            names.removeAll(bound);
            Set<String> g = new LinkedHashSet<>(guarded);
            g.removeAll(bound);
            return new Refs(names, g);
        }

        boolean expression(String code) {
            List<Tok> toks = tokenize(code);
            if (toks == null) {
                return false;
            }
            return tokens(toks);
        }

        boolean tokens(List<Tok> toks) {
            if (!balanced(toks)) {
                return false;
            }
            for (int i = 0; i < toks.size(); i++) {
                Tok t = toks.get(i);
                if (t.kind() == Kind.OP && t.text().equals("|")) {
                    int nameEnd = dottedNameEnd(toks, i + 1);
                    if (nameEnd > i + 1 && GUARD_FILTERS.contains(toks.get(nameEnd - 1).text())) {
                        guard(toks, subjectStart(toks, i - 1), i);
                        // names in default(...)'s arguments are only read when the subject is undefined
                        if (nameEnd < toks.size() && toks.get(nameEnd).is("(")) {
                            int close = matching(toks, nameEnd);
                            guard(toks, nameEnd, close);
                        }
                    }
                } else if (t.is("is") && t.kind() == Kind.NAME) {
                    int k = i + 1;
                    if (k < toks.size() && toks.get(k).is("not")) {
                        k++;
                    }
                    int nameEnd = dottedNameEnd(toks, k);
                    if (nameEnd > k && GUARD_TESTS.contains(toks.get(nameEnd - 1).text())) {
                        guard(toks, subjectStart(toks, i - 1), i);
                    }
                }
            }
            for (int i = 0; i < toks.size(); i++) {
                if (isReference(toks, i)) {
                    refs.add(toks.get(i).text());
                }
            }
            return true;
        }

        private void guard(List<Tok> toks, int from, int to) {
            for (int j = Math.max(0, from); j < to && j < toks.size(); j++) {
                if (isReference(toks, j)) {
                    guarded.add(toks.get(j).text());
                }
            }
        }

        /** A {@code {% word rest %}} statement; false when it is not understood. */
        boolean statement(String word, String rest) {
            List<Tok> toks = tokenize(rest);
            if (toks == null) {
                return false;
            }
            switch (word) {
                case "if", "elif", "do", "print" -> {
                    return tokens(toks);
                }
                case "include", "extends" -> {
                    return tokens(withoutWords(toks, "ignore", "missing", "with", "without", "context"));
                }
                case "else", "endif", "endfor", "endset", "endmacro", "endcall", "endfilter", "endwith",
                     "endblock", "endautoescape", "continue", "break" -> {
                    return true;
                }
                case "for" -> {
                    int in = indexOf(toks, "in");
                    if (in < 0) {
                        return false;
                    }
                    bindNames(toks.subList(0, in));
                    List<Tok> iter = new ArrayList<>(toks.subList(in + 1, toks.size()));
                    if (!iter.isEmpty() && iter.get(iter.size() - 1).is("recursive")) {
                        iter.remove(iter.size() - 1);
                    }
                    return tokens(iter);
                }
                case "set" -> {
                    int eq = indexOf(toks, "=");
                    if (eq < 0) {
                        bindNames(toks);
                        return true;
                    }
                    List<Tok> target = toks.subList(0, eq);
                    if (target.stream().anyMatch(t -> t.is("."))) {
                        // {% set ns.attr = ... %}: ns is read
                        if (!tokens(new ArrayList<>(target.subList(0, 1)))) {
                            return false;
                        }
                    } else {
                        bindNames(target);
                    }
                    return tokens(new ArrayList<>(toks.subList(eq + 1, toks.size())));
                }
                case "macro", "call" -> {
                    List<Tok> body = toks;
                    if (word.equals("call") && !toks.isEmpty() && toks.get(0).is("(")) {
                        int close = matching(toks, 0);
                        if (close < 0) {
                            return false;
                        }
                        bindParams(toks.subList(0, close + 1));
                        body = toks.subList(close + 1, toks.size());
                    }
                    if (word.equals("macro")) {
                        if (body.isEmpty() || body.get(0).kind() != Kind.NAME) {
                            return false;
                        }
                        bound.add(body.get(0).text());
                        bindParams(body.subList(1, body.size()));
                    }
                    return tokens(new ArrayList<>(body));
                }
                case "with" -> {
                    for (int i = 0; i < toks.size(); i++) {
                        if (toks.get(i).kind() == Kind.NAME && i + 1 < toks.size() && toks.get(i + 1).is("=")
                                && (i == 0 || toks.get(i - 1).is(","))) {
                            bound.add(toks.get(i).text());
                        }
                    }
                    return tokens(toks);
                }
                case "filter" -> {
                    // {% filter upper %}: the first name is a filter
                    return tokens(prefixed(toks, "x", "|"));
                }
                case "import" -> {
                    int as = indexOf(toks, "as");
                    if (as < 0 || as + 1 >= toks.size()) {
                        return false;
                    }
                    bound.add(toks.get(as + 1).text());
                    return tokens(new ArrayList<>(toks.subList(0, as)));
                }
                case "from" -> {
                    int imp = indexOf(toks, "import");
                    if (imp < 0) {
                        return false;
                    }
                    bindNames(toks.subList(imp + 1, toks.size()));
                    return tokens(new ArrayList<>(toks.subList(0, imp)));
                }
                case "autoescape", "block" -> {
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }

        private void bindNames(List<Tok> toks) {
            for (Tok t : toks) {
                if (t.kind() == Kind.NAME) {
                    bound.add(t.text());
                }
            }
        }

        /** {@code (a, b=expr, c)}: binds a, b and c. */
        private void bindParams(List<Tok> toks) {
            for (int i = 0; i < toks.size(); i++) {
                if (toks.get(i).kind() == Kind.NAME && i > 0 && (toks.get(i - 1).is("(") || toks.get(i - 1).is(","))) {
                    bound.add(toks.get(i).text());
                }
            }
        }
    }

    private static List<Tok> prefixed(List<Tok> toks, String name, String op) {
        List<Tok> out = new ArrayList<>();
        out.add(new Tok(Kind.NAME, name));
        out.add(new Tok(Kind.OP, op));
        out.addAll(toks);
        return out;
    }

    private static List<Tok> withoutWords(List<Tok> toks, String... words) {
        List<Tok> out = new ArrayList<>();
        for (Tok t : toks) {
            if (t.kind() == Kind.NAME && List.of(words).contains(t.text())) {
                continue;
            }
            out.add(t);
        }
        return out;
    }

    private static int indexOf(List<Tok> toks, String s) {
        int depth = 0;
        for (int i = 0; i < toks.size(); i++) {
            Tok t = toks.get(i);
            if (t.kind() == Kind.OP && "([{".contains(t.text())) {
                depth++;
            } else if (t.kind() == Kind.OP && ")]}".contains(t.text())) {
                depth--;
            } else if (depth == 0 && t.is(s)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean balanced(List<Tok> toks) {
        int depth = 0;
        for (Tok t : toks) {
            if (t.kind() == Kind.OP && "([{".contains(t.text())) {
                depth++;
            } else if (t.kind() == Kind.OP && ")]}".contains(t.text())) {
                depth--;
                if (depth < 0) {
                    return false;
                }
            }
        }
        return depth == 0;
    }

    /** The index of the bracket closing the one at {@code open}, or -1. */
    private static int matching(List<Tok> toks, int open) {
        int depth = 0;
        for (int i = open; i < toks.size(); i++) {
            Tok t = toks.get(i);
            if (t.kind() == Kind.OP && "([{".contains(t.text())) {
                depth++;
            } else if (t.kind() == Kind.OP && ")]}".contains(t.text())) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int matchingBackwards(List<Tok> toks, int close) {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            Tok t = toks.get(i);
            if (t.kind() == Kind.OP && ")]}".contains(t.text())) {
                depth++;
            } else if (t.kind() == Kind.OP && "([{".contains(t.text())) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The end (exclusive) of a dotted name starting at {@code i} ({@code ansible.builtin.default}). */
    private static int dottedNameEnd(List<Tok> toks, int i) {
        if (i >= toks.size() || toks.get(i).kind() != Kind.NAME) {
            return i;
        }
        int j = i + 1;
        while (j + 1 < toks.size() && toks.get(j).is(".") && toks.get(j + 1).kind() == Kind.NAME) {
            j += 2;
        }
        return j;
    }

    /**
     * Where the operand ending at {@code end} starts: back over attribute access, subscripts,
     * calls and earlier filters ({@code a.b[c] | lower} in {@code a.b[c] | lower | default(x)}).
     */
    private static int subjectStart(List<Tok> toks, int end) {
        int j = end;
        while (j >= 0) {
            Tok t = toks.get(j);
            if (t.kind() == Kind.OP && (t.text().equals(")") || t.text().equals("]") || t.text().equals("}"))) {
                int open = matchingBackwards(toks, j);
                if (open < 0) {
                    return 0;
                }
                if (open > 0 && (toks.get(open - 1).kind() == Kind.NAME || toks.get(open - 1).is(")")
                        || toks.get(open - 1).is("]")) && !t.text().equals("}")
                        && !(toks.get(open - 1).kind() == Kind.NAME && KEYWORDS.contains(toks.get(open - 1).text()))) {
                    j = open - 1;
                    continue;
                }
                return open;
            }
            if (t.kind() == Kind.NAME) {
                if (j >= 2 && toks.get(j - 1).is(".")) {
                    j -= 2;
                    continue;
                }
                if (j >= 2 && toks.get(j - 1).is("|")) {
                    j -= 2;
                    continue;
                }
                return j;
            }
            return j;
        }
        return 0;
    }

    /** True when the token at {@code i} is a variable read by the expression. */
    private static boolean isReference(List<Tok> toks, int i) {
        Tok t = toks.get(i);
        if (t.kind() != Kind.NAME || KEYWORDS.contains(t.text())) {
            return false;
        }
        Tok prev = i > 0 ? toks.get(i - 1) : null;
        Tok next = i + 1 < toks.size() ? toks.get(i + 1) : null;
        if (prev != null && (prev.is(".") || prev.is("|"))) {
            return false;
        }
        if (prev != null && prev.kind() == Kind.NAME && (prev.text().equals("is")
                || (prev.text().equals("not") && i >= 2 && toks.get(i - 2).is("is")))) {
            return false;
        }
        if (next != null && next.is("=")) {
            return false;
        }
        return !(GLOBALS.contains(t.text()) && next != null && next.is("("));
    }
}
