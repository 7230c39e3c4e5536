package dev.drover.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A conservative syntax check of Jinja2 templates, before any host is touched: it reports only
 * what Jinja2 certainly refuses — a {@code {{ }}}, {@code {% %}} or {@code {# #}} not closed, an
 * unterminated string, unbalanced brackets, an empty expression, an expression that ends with an
 * operator, two operands with no operator between them, a block tag ({@code if}, {@code for},
 * {@code macro}, …) not closed or closed by the wrong tag. Anything it does not understand is
 * taken as valid: it must never refuse a template that Ansible renders.
 */
final class JinjaSyntax {
    private JinjaSyntax() {
    }

    private static final Set<String> KEYWORD_OPERATORS = Set.of("and", "or", "not", "in", "is", "if", "else");
    private static final Set<String> BINARY = Set.of("+", "-", "*", "/", "//", "%", "**", "~", "==", "!=", "<", ">",
            "<=", ">=", "and", "or", "in", "is", "|", ".", "=", "if", "else");
    private static final Set<String> UNARY = Set.of("+", "-", "not");
    private static final Map<String, String> BLOCKS = Map.of("if", "endif", "for", "endfor", "macro", "endmacro",
            "call", "endcall", "filter", "endfilter", "block", "endblock", "with", "endwith", "autoescape", "endautoescape");

    /** Jinja2's complaint about {@code template}, or null when it looks fine. */
    static String check(String template) {
        Deque<String> open = new ArrayDeque<>();
        int i = 0;
        int n = template.length();
        while (i < n) {
            int at = nextOpen(template, i);
            if (at < 0) {
                break;
            }
            char kind = template.charAt(at + 1);
            if (kind == '#') {
                int end = template.indexOf("#}", at + 2);
                if (end < 0) {
                    return "Missing end of comment tag";
                }
                i = end + 2;
                continue;
            }
            String close = kind == '{' ? "}}" : "%}";
            int end = codeEnd(template, at + 2, close);
            if (end == -2) {
                return "unexpected end of template: a string is not closed";
            }
            if (end < 0) {
                return "unexpected end of template, expected 'end of " + (kind == '{' ? "print statement" : "statement block")
                        + "'";
            }
            String code = template.substring(at + 2, end);
            if (kind == '%') {
                code = strip(code);
                String word = firstWord(code);
                if (word.equals("raw")) {
                    int endRaw = findEndRaw(template, end + 2);
                    if (endRaw < 0) {
                        return "Unexpected end of template. Jinja was looking for the following tags: 'endraw'";
                    }
                    i = endRaw;
                    continue;
                }
                String problem = statement(word, code, open);
                if (problem != null) {
                    return problem;
                }
            } else {
                String problem = expression(strip(code));
                if (problem != null) {
                    return problem;
                }
            }
            i = end + 2;
        }
        if (!open.isEmpty()) {
            return "Unexpected end of template. Jinja was looking for the following tags: '" + BLOCKS.get(open.peek()) + "'";
        }
        return null;
    }

    private static String strip(String code) {
        String c = code;
        if (c.startsWith("-") || c.startsWith("+")) {
            c = c.substring(1);
        }
        if (c.endsWith("-") || c.endsWith("+")) {
            c = c.substring(0, c.length() - 1);
        }
        return c.strip();
    }

    private static String firstWord(String code) {
        int k = 0;
        while (k < code.length() && (Character.isLetterOrDigit(code.charAt(k)) || code.charAt(k) == '_')) {
            k++;
        }
        return code.substring(0, k);
    }

    private static String statement(String word, String code, Deque<String> open) {
        if (BLOCKS.containsKey(word) || (word.equals("set") && !code.contains("="))) {
            open.push(word.equals("set") ? "set" : word);
            return null;
        }
        if (word.equals("endset")) {
            return closes("set", word, open);
        }
        if (word.startsWith("end")) {
            String opener = word.substring(3);
            if (BLOCKS.containsKey(opener)) {
                return closes(opener, word, open);
            }
            return null;
        }
        if ((word.equals("elif") || word.equals("else")) && (open.isEmpty()
                || !(open.peek().equals("if") || (word.equals("else") && open.peek().equals("for"))))) {
            return "Encountered unknown tag '" + word + "'." + looking(open);
        }
        return null;
    }

    private static String closes(String opener, String word, Deque<String> open) {
        if (open.isEmpty() || !open.peek().equals(opener)) {
            return "Encountered unknown tag '" + word + "'." + looking(open);
        }
        open.pop();
        return null;
    }

    private static String looking(Deque<String> open) {
        return open.isEmpty() ? "" : " Jinja was looking for the following tags: '"
                + (open.peek().equals("set") ? "endset" : BLOCKS.get(open.peek())) + "'.";
    }

    private static int nextOpen(String t, int from) {
        for (int k = from; k + 1 < t.length(); k++) {
            char c = t.charAt(k);
            char d = t.charAt(k + 1);
            if (c == '{' && (d == '{' || d == '%' || d == '#')) {
                return k;
            }
        }
        return -1;
    }

    /** Where {@code close} ends the code from {@code i} (outside strings); -1 when never, -2 in an open string. */
    private static int codeEnd(String t, int i, String close) {
        char quote = 0;
        int depth = 0; // as Jinja's lexer: the end tag only closes outside brackets ({{ {'a': 1}}} is fine)
        for (int k = i; k < t.length(); k++) {
            char c = t.charAt(k);
            if (quote != 0) {
                if (c == '\\') {
                    k++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (depth == 0 && t.startsWith(close, k)) {
                return k;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
        return quote != 0 ? -2 : -1;
    }

    private static int findEndRaw(String t, int from) {
        int k = from;
        while (true) {
            int at = t.indexOf("{%", k);
            if (at < 0) {
                return -1;
            }
            int end = t.indexOf("%}", at + 2);
            if (end < 0) {
                return -1;
            }
            if (strip(t.substring(at + 2, end)).equals("endraw")) {
                return end + 2;
            }
            k = end + 2;
        }
    }

    private enum Kind { NAME, NUMBER, STRING, OPEN, CLOSE, COMMA, COLON, OP }

    private record Tok(Kind kind, String text) {
    }

    private static String expression(String code) {
        if (code.isEmpty()) {
            return "Expected an expression, got 'end of print statement'";
        }
        List<Tok> toks = tokenize(code);
        if (toks == null) {
            return null; // not understood: taken as valid
        }
        Deque<Character> brackets = new ArrayDeque<>();
        Tok prev = null;
        Tok before = null; // the token before prev
        Tok twoBefore = null;
        for (Tok t : toks) {
            if (t.kind == Kind.OPEN) {
                brackets.push(t.text.charAt(0));
            } else if (t.kind == Kind.CLOSE) {
                char want = switch (t.text.charAt(0)) {
                    case ')' -> '(';
                    case ']' -> '[';
                    default -> '{';
                };
                if (brackets.isEmpty() || brackets.peek() != want) {
                    return "unexpected '" + t.text + "'";
                }
                if (prev != null && isBinary(prev)) {
                    return "unexpected '" + t.text + "'";
                }
                brackets.pop();
            }
            // a test takes one argument without parentheses: x is divisibleby 3, x is not sameas y
            boolean testArgument = prev != null && prev.kind == Kind.NAME && before != null && (before.text.equals("is")
                    || (before.text.equals("not") && twoBefore != null && twoBefore.text.equals("is")));
            if (prev != null && !testArgument && operand(prev, true) && operand(t, false)
                    && !(prev.kind == Kind.STRING && t.kind == Kind.STRING)) {
                return "expected token 'end of print statement', got '" + t.text + "'";
            }
            if (prev != null && isBinary(prev) && isBinary(t) && !UNARY.contains(t.text)
                    && !(prev.text.equals("is") && t.text.equals("not")) && !(prev.text.equals("not") && t.text.equals("in"))) {
                return "unexpected '" + t.text + "'";
            }
            twoBefore = before;
            before = prev;
            prev = t;
        }
        if (!brackets.isEmpty()) {
            return "unexpected end of template, expected '" + switch (brackets.peek()) {
                case '(' -> ")";
                case '[' -> "]";
                default -> "}";
            } + "'";
        }
        if (prev != null && (isBinary(prev) || UNARY.contains(prev.text))) {
            return "Expected an expression, got 'end of print statement'";
        }
        return null;
    }

    private static boolean isBinary(Tok t) {
        return (t.kind == Kind.OP || t.kind == Kind.NAME) && BINARY.contains(t.text);
    }

    /** An operand's end ({@code left}) or start: a name that is no operator word, a literal, a bracket. */
    private static boolean operand(Tok t, boolean left) {
        return switch (t.kind) {
            case NAME -> !KEYWORD_OPERATORS.contains(t.text);
            case NUMBER, STRING -> true;
            case CLOSE -> left;
            default -> false;
        };
    }

    /** Jinja-ish tokens, or null for anything unexpected (then the expression is not judged). */
    private static List<Tok> tokenize(String s) {
        List<Tok> out = new ArrayList<>();
        int k = 0;
        while (k < s.length()) {
            char c = s.charAt(k);
            if (Character.isWhitespace(c)) {
                k++;
            } else if (Character.isLetter(c) || c == '_') {
                int e = k;
                while (e < s.length() && (Character.isLetterOrDigit(s.charAt(e)) || s.charAt(e) == '_')) {
                    e++;
                }
                out.add(new Tok(Kind.NAME, s.substring(k, e)));
                k = e;
            } else if (Character.isDigit(c)) {
                int e = k;
                while (e < s.length() && (Character.isLetterOrDigit(s.charAt(e)) || s.charAt(e) == '.'
                        || s.charAt(e) == '_')) {
                    e++;
                }
                out.add(new Tok(Kind.NUMBER, s.substring(k, e)));
                k = e;
            } else if (c == '\'' || c == '"') {
                int e = k + 1;
                while (e < s.length() && s.charAt(e) != c) {
                    e += s.charAt(e) == '\\' ? 2 : 1;
                }
                if (e >= s.length()) {
                    return null;
                }
                out.add(new Tok(Kind.STRING, s.substring(k, e + 1)));
                k = e + 1;
            } else if ("([{".indexOf(c) >= 0) {
                out.add(new Tok(Kind.OPEN, String.valueOf(c)));
                k++;
            } else if (")]}".indexOf(c) >= 0) {
                out.add(new Tok(Kind.CLOSE, String.valueOf(c)));
                k++;
            } else if (c == ',') {
                out.add(new Tok(Kind.COMMA, ","));
                k++;
            } else if (c == ':') {
                out.add(new Tok(Kind.COLON, ":"));
                k++;
            } else {
                String op = null;
                for (String o : List.of("**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "|", ".",
                        "=")) {
                    if (s.startsWith(o, k)) {
                        op = o;
                        break;
                    }
                }
                if (op == null) {
                    return null;
                }
                out.add(new Tok(Kind.OP, op));
                k += op.length();
            }
        }
        return out;
    }
}
