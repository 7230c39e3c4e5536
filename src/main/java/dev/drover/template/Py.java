package dev.drover.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Python semantics for plain Java data: repr/str, truthiness, json.dumps. */
public final class Py {
    private Py() {
    }

    /** Python's {@code str()}: strings as they are, everything else as {@code repr()}. */
    public static String str(Object v) {
        if (v instanceof CharSequence) {
            return v.toString();
        }
        return repr(v);
    }

    /** Python's {@code repr()}. */
    public static String repr(Object v) {
        StringBuilder sb = new StringBuilder();
        repr(v, sb);
        return sb.toString();
    }

    /** The tuple under one of jinjava's list wrappers (it wraps lists it resolves), else {@code v}. */
    static Object unwrapTuple(Object v) {
        if (v instanceof com.hubspot.jinjava.objects.collections.PyList p && v.getClass() != com.hubspot.jinjava.objects.collections.PyList.class) {
            Object inner = p.toList();
            while (inner instanceof com.hubspot.jinjava.objects.collections.PyList q
                    && inner.getClass() != com.hubspot.jinjava.objects.collections.PyList.class) {
                inner = q.toList();
            }
            if (inner instanceof Tuple) {
                return inner;
            }
        }
        return v;
    }

    private static void repr(Object v, StringBuilder sb) {
        v = unwrapTuple(v);
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (v == null) {
            sb.append("None");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "True" : "False");
        } else if (v instanceof CharSequence s) {
            quote(s.toString(), sb);
        } else if (v instanceof Double || v instanceof Float) {
            sb.append(floatRepr(((Number) v).doubleValue()));
        } else if (v instanceof BigDecimal d) {
            sb.append(floatRepr(d.doubleValue()));
        } else if (v instanceof Number) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                repr(e.getKey(), sb);
                sb.append(": ");
                repr(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v instanceof Tuple || v.getClass() == com.hubspot.jinjava.objects.collections.PyList.class) {
            // jinjava parses (a, b) into a plain PyList
            List<?> t = (List<?>) v;
            sb.append('(');
            for (int i = 0; i < t.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                repr(t.get(i), sb);
            }
            if (t.size() == 1) {
                sb.append(',');
            }
            sb.append(')');
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                repr(o, sb);
            }
            sb.append(']');
        } else if (v instanceof Object[] arr) {
            repr(List.of(arr), sb);
        } else {
            sb.append(v);
        }
    }

    /** Python's repr of a str: single quotes unless the text has ' and no ". */
    static void quote(String s, StringBuilder sb) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == q || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append(q);
    }

    /** Python's float repr: shortest round-trip digits, 1e+16 style outside [1e-4, 1e16). */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        double abs = Math.abs(d);
        if (abs >= 1e16 || abs < 1e-4) {
            String digits = bd.unscaledValue().abs().toString();
            int exp = digits.length() - 1 - bd.scale();
            StringBuilder sb = new StringBuilder();
            if (d < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exp));
            if (e.length() < 2) {
                sb.append('0');
            }
            sb.append(e);
            return sb.toString();
        }
        String plain = bd.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /** Python truthiness. */
    public static boolean truthy(Object v) {
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof BigInteger bi) {
            return bi.signum() != 0;
        }
        if (v instanceof BigDecimal bd) {
            return bd.signum() != 0;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof CharSequence s) {
            return s.length() > 0;
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (v instanceof Object[] a) {
            return a.length > 0;
        }
        return true;
    }

    /** json.dumps with Python's defaults (", " and ": ", ensure_ascii), or indent=4 sorted for nice. */
    public static String json(Object v, int indent, boolean sortKeys) {
        StringBuilder sb = new StringBuilder();
        json(v, sb, indent, sortKeys, 0);
        return sb.toString();
    }

    private static void newline(StringBuilder sb, int indent, int level) {
        sb.append('\n');
        sb.append(" ".repeat(indent * level));
    }

    private static void json(Object v, StringBuilder sb, int indent, boolean sortKeys, int level) {
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof CharSequence s) {
            jsonString(s.toString(), sb);
        } else if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            double d = ((Number) v).doubleValue();
            sb.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : floatRepr(d));
        } else if (v instanceof Number) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            Iterable<? extends Map.Entry<?, ?>> entries = m.entrySet();
            if (sortKeys) {
                java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sorted.put(jsonKey(e.getKey()), e.getValue());
                }
                entries = sorted.entrySet();
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : entries) {
                if (!first) {
                    sb.append(indent > 0 ? "," : ", ");
                }
                first = false;
                if (indent > 0) {
                    newline(sb, indent, level + 1);
                }
                jsonString(jsonKey(e.getKey()), sb);
                sb.append(": ");
                json(e.getValue(), sb, indent, sortKeys, level + 1);
            }
            if (indent > 0) {
                newline(sb, indent, level);
            }
            sb.append('}');
        } else if (v instanceof Iterable<?> c) {
            Iterator<?> it = c.iterator();
            if (!it.hasNext()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            while (it.hasNext()) {
                Object o = it.next();
                if (!first) {
                    sb.append(indent > 0 ? "," : ", ");
                }
                first = false;
                if (indent > 0) {
                    newline(sb, indent, level + 1);
                }
                json(o, sb, indent, sortKeys, level + 1);
            }
            if (indent > 0) {
                newline(sb, indent, level);
            }
            sb.append(']');
        } else {
            jsonString(v.toString(), sb);
        }
    }

    private static String jsonKey(Object k) {
        if (k == null) {
            return "null";
        }
        if (k instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (k instanceof Double d) {
            return floatRepr(d);
        }
        return k.toString();
    }

    static void jsonString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** A Python tuple: a list that prints with parentheses; a named tuple's fields are attributes too. */
    public static final class Tuple extends java.util.ArrayList<Object> {
        private static final long serialVersionUID = 1L;
        final List<String> fields;

        public Tuple(Collection<?> c) {
            this(c, null);
        }

        /** A named tuple ({@code collections.namedtuple}): {@code t.field} reads the item of that name. */
        public Tuple(Collection<?> c, List<String> fields) {
            super(c);
            this.fields = fields;
        }
    }
}
