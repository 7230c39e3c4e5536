package dev.drover.template;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Python's ast.literal_eval for the literals Ansible converts back: lists, dicts, tuples, str, numbers, bools, None. */
final class PyLiteral {
    private final String s;
    private int i;

    private PyLiteral(String s) {
        this.s = s;
    }

    /** The parsed value, or {@code fallback} when {@code text} is not exactly one Python literal. */
    static Object parse(String text, Object fallback) {
        PyLiteral p = new PyLiteral(text);
        try {
            Object v = p.value();
            p.ws();
            return p.i == text.length() ? v : fallback;
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private Object value() {
        ws();
        char c = s.charAt(i);
        switch (c) {
            case '[':
                return sequence(']');
            case '(':
                return new Py.Tuple(sequence(')'));
            case '{':
                return dict();
            case '\'', '"':
                return string();
            default:
                break;
        }
        if (s.startsWith("True", i)) {
            i += 4;
            return true;
        }
        if (s.startsWith("False", i)) {
            i += 5;
            return false;
        }
        if (s.startsWith("None", i)) {
            i += 4;
            return null;
        }
        return number();
    }

    private List<Object> sequence(char close) {
        i++;
        List<Object> out = new ArrayList<>();
        ws();
        while (s.charAt(i) != close) {
            out.add(value());
            ws();
            if (s.charAt(i) == ',') {
                i++;
                ws();
            } else if (s.charAt(i) != close) {
                throw new IllegalArgumentException();
            }
        }
        i++;
        return out;
    }

    private Map<Object, Object> dict() {
        i++;
        Map<Object, Object> out = new LinkedHashMap<>();
        ws();
        while (s.charAt(i) != '}') {
            Object k = value();
            ws();
            if (s.charAt(i) != ':') {
                throw new IllegalArgumentException();
            }
            i++;
            out.put(k, value());
            ws();
            if (s.charAt(i) == ',') {
                i++;
                ws();
            } else if (s.charAt(i) != '}') {
                throw new IllegalArgumentException();
            }
        }
        i++;
        return out;
    }

    private String string() {
        char q = s.charAt(i++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = s.charAt(i++);
            if (c == q) {
                return sb.toString();
            }
            if (c == '\\') {
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '\\', '\'', '"' -> sb.append(e);
                    case 'x' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 2), 16));
                        i += 2;
                    }
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append('\\').append(e);
                }
            } else {
                sb.append(c);
            }
        }
    }

    private Object number() {
        int start = i;
        if (s.charAt(i) == '-' || s.charAt(i) == '+') {
            i++;
        }
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || ".eE+-_".indexOf(s.charAt(i)) >= 0)) {
            if ((s.charAt(i) == '+' || s.charAt(i) == '-') && !(s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')) {
                break;
            }
            i++;
        }
        String t = s.substring(start, i).replace("_", "");
        if (t.isEmpty() || t.equals("-") || t.equals("+")) {
            throw new IllegalArgumentException();
        }
        if (t.contains(".") || t.contains("e") || t.contains("E")) {
            return Double.parseDouble(t);
        }
        BigInteger b = new BigInteger(t);
        return b.bitLength() < 32 ? (Object) b.intValue() : b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
}
