package dev.drover.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the filters, tests and lookups ({@code template/filters}, {@code template/tests},
 * {@code template/lookups}) share: Python's semantics for arguments and values, and the current
 * render (its variables, its failure, the controller it runs for).
 */
public final class Jinja {
    private Jinja() {
    }

    /** Records {@code e} as the current render's failure; throw what it returns. */
    public static RuntimeException fail(TemplateException e) {
        return Engine.fail(e);
    }

    /** As {@link #fail(TemplateException)} with a message. */
    public static RuntimeException fail(String message) {
        return Engine.fail(new TemplateException(message));
    }

    public static void check(Object v) {
        if (v instanceof Undefined u) {
            throw u.fail();
        }
    }

    public static Object arg(Object[] a, Map<String, Object> kw, int i, String name, Object dflt) {
        if (kw.containsKey(name)) {
            return kw.get(name);
        }
        return i < a.length ? a[i] : dflt;
    }

    public static String typeName(Object v) {
        v = Py.unwrapTuple(v);
        if (v == null) {
            return "NoneType";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            return "float";
        }
        if (v instanceof Number) {
            return "int";
        }
        if (v instanceof CharSequence) {
            return "str";
        }
        if (v instanceof Map) {
            return "dict";
        }
        if (v instanceof Py.Tuple) {
            return "tuple";
        }
        if (v instanceof List) {
            return "list";
        }
        return v.getClass().getSimpleName();
    }

    public static List<Object> toList(Object v) {
        if (v == null) {
            throw fail(new TemplateException("'NoneType' object is not iterable"));
        }
        if (v instanceof Map<?, ?> m) {
            return new ArrayList<>(m.keySet());
        }
        if (v instanceof String s) {
            List<Object> out = new ArrayList<>();
            s.codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
            return out;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            for (Object o : it) {
                out.add(o);
            }
            return out;
        }
        if (v instanceof Object[] arr) {
            return new ArrayList<>(Arrays.asList(arr));
        }
        throw fail(new TemplateException("'" + typeName(v) + "' object is not iterable"));
    }

    public static boolean toBool(Object a) {
        if (a instanceof Boolean b) {
            return b;
        }
        if (a == null) {
            return false;
        }
        if (a instanceof Number n) {
            return n.doubleValue() == 1;
        }
        String s = Py.str(a).toLowerCase();
        return s.equals("yes") || s.equals("on") || s.equals("1") || s.equals("true");
    }

    public static Object toInt(Object v, Object dflt) {
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
            return v;
        }
        if (v instanceof Number n) {
            return (long) n.doubleValue();
        }
        String s = Py.str(v).strip();
        try {
            return new BigInteger(s.replace("_", "")).longValue();
        } catch (NumberFormatException e) {
            try {
                return (long) Double.parseDouble(s);
            } catch (NumberFormatException e2) {
                return dflt;
            }
        }
    }

    public static Object toFloat(Object v, Object dflt) {
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        String t = Py.str(v).strip();
        switch (t.toLowerCase()) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    public static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return x.compareTo(y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                int c = compare(x.get(i), y.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        throw fail(new TemplateException("'<' not supported between instances of '" + typeName(a)
                + "' and '" + typeName(b) + "'"));
    }

    public static boolean pyEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!pyEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof CharSequence && b instanceof CharSequence) {
            return a.toString().equals(b.toString());
        }
        return java.util.Objects.equals(a, b);
    }

    public static List<Object> unique(Collection<?> items) {
        List<Object> out = new ArrayList<>();
        for (Object o : items) {
            boolean seen = false;
            for (Object p : out) {
                if (pyEquals(o, p)) {
                    seen = true;
                    break;
                }
            }
            if (!seen) {
                out.add(o);
            }
        }
        return out;
    }

    public static boolean contains(Collection<?> items, Object o) {
        for (Object p : items) {
            if (pyEquals(o, p)) {
                return true;
            }
        }
        return false;
    }

    public static Object attr(Object item, String path) {
        Object cur = item;
        for (String part : path.split("\\.")) {
            if (cur instanceof Map<?, ?> m && m.containsKey(part)) {
                cur = m.get(part);
            } else if (cur instanceof List<?> l && part.matches("\\d+") && Integer.parseInt(part) < l.size()) {
                cur = l.get(Integer.parseInt(part));
            } else {
                return new Undefined("'" + typeName(cur) + " object' has no attribute '" + part + "'", null);
            }
        }
        return cur;
    }

    /** Converts a Python regex to a Java one. */
    public static Pattern regex(Object pattern, boolean ignoreCase, boolean multiline) {
        String p = Py.str(pattern).replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
        int flags = (ignoreCase ? Pattern.CASE_INSENSITIVE : 0) | (multiline ? Pattern.MULTILINE : 0);
        try {
            return Pattern.compile(p, flags);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw fail(new TemplateException("invalid regular expression: " + e.getDescription()));
        }
    }

    /** Converts a Python re.sub replacement (\1, \g<name>) to Java's. */
    public static String replacement(String r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c == '\\' && i + 1 < r.length()) {
                char n = r.charAt(i + 1);
                if (Character.isDigit(n)) {
                    sb.append('$').append(n);
                    i++;
                } else if (n == 'g' && i + 2 < r.length() && r.charAt(i + 2) == '<') {
                    int end = r.indexOf('>', i);
                    sb.append("${").append(r, i + 3, end).append('}');
                    i = end;
                } else if (n == 'n') {
                    sb.append('\n');
                    i++;
                } else if (n == 't') {
                    sb.append('\t');
                    i++;
                } else if (n == '\\') {
                    sb.append("\\\\");
                    i++;
                } else {
                    sb.append("\\\\");
                }
            } else if (c == '$') {
                sb.append("\\$");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    public static Object plain(Object v) {
        return Engine.materialize(v);
    }

    public static Object add(Object a, Object b) {
        if (a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> out = new ArrayList<>(x);
            out.addAll(y);
            return out;
        }
        if (a instanceof Number x && b instanceof Number y) {
            if (x instanceof Double || y instanceof Double || x instanceof BigDecimal || y instanceof BigDecimal) {
                return x.doubleValue() + y.doubleValue();
            }
            return x.longValue() + y.longValue();
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            return add(a instanceof Boolean x ? (x ? 1L : 0L) : a, b instanceof Boolean y ? (y ? 1L : 0L) : b);
        }
        throw fail(new TemplateException("unsupported operand type(s) for +: '" + typeName(a) + "' and '" + typeName(b) + "'"));
    }

    public static Map<?, ?> mapOf(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw fail(new TemplateException("expected a dict, got " + typeName(v)));
    }

    public static boolean inTest(Object needle, Object haystack) {
        if (haystack instanceof CharSequence s) {
            return s.toString().contains(Py.str(needle));
        }
        if (haystack instanceof Map<?, ?> m) {
            return m.containsKey(needle);
        }
        return contains(toList(haystack), needle);
    }

    /** Python's dict(): from mappings and sequences of pairs. */
    public static Object dict(Object... args) {
        Map<Object, Object> out = new java.util.LinkedHashMap<>();
        for (Object a : args) {
            if (a instanceof Map<?, ?> m) {
                out.putAll(m);
            } else if (a instanceof com.hubspot.jinjava.el.ext.NamedParameter p) {
                // dict(a=1, b=2): jinjava hands keyword arguments over as named parameters
                out.put(p.getName(), p.getValue());
            } else {
                for (Object pair : toList(a)) {
                    List<Object> kv = toList(pair);
                    out.put(kv.get(0), kv.get(1));
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- the current render

    /** The current render's variables as they were given (template strings not rendered). */
    public static Map<String, Object> variables() {
        Engine.Scope s = Engine.scope();
        return s == null ? Map.of() : s.vars;
    }

    /** The variable {@code name}, its templates rendered when read; null when it is not defined. */
    public static Object variable(String name) {
        Map<String, Object> vars = variables();
        return vars.containsKey(name) ? Lazy.value(vars, name, vars.get(name)) : null;
    }

    /** Renders a template file's text in the current render's variables, as the template lookup does. */
    public static String renderTemplate(String text) {
        try {
            return Templar.engine().renderFile(text);
        } catch (TemplateException e) {
            throw fail(e);
        }
    }

    /** The controller side the run gave its templar (inventory patterns …); never null. */
    public static Controller controller() {
        Engine.Scope s = Engine.scope();
        return s == null || s.controller == null ? Controller.NONE : s.controller;
    }
}
