package dev.drover.template;

import java.util.List;

/** Python's str.format and % formatting, for the common cases. */
public final class PyFormat {
    private PyFormat() {
    }

    static String format(String fmt, Object[] args) {
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c == '{') {
                if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '{') {
                    sb.append('{');
                    i++;
                    continue;
                }
                int end = fmt.indexOf('}', i);
                if (end < 0) {
                    throw Engine.fail(new TemplateException("Single '{' encountered in format string"));
                }
                String field = fmt.substring(i + 1, end);
                String spec = "";
                int colon = field.indexOf(':');
                if (colon >= 0) {
                    spec = field.substring(colon + 1);
                    field = field.substring(0, colon);
                }
                int idx = field.isEmpty() ? auto++ : Integer.parseInt(field);
                Object v = idx < args.length ? args[idx] : null;
                sb.append(spec.isEmpty() ? Py.str(v) : applySpec(v, spec));
                i = end;
            } else if (c == '}' && i + 1 < fmt.length() && fmt.charAt(i + 1) == '}') {
                sb.append('}');
                i++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String applySpec(Object v, String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("([<>^]?)(0?)(\\d*)(?:\\.(\\d+))?([dfsx]?)").matcher(spec);
        if (!m.matches()) {
            return Py.str(v);
        }
        String body;
        String type = m.group(5);
        if (m.group(4) != null && v instanceof Number n) {
            body = String.format("%." + m.group(4) + "f", n.doubleValue());
        } else if ("x".equals(type) && v instanceof Number n) {
            body = Long.toHexString(n.longValue());
        } else {
            body = Py.str(v);
        }
        int width = m.group(3).isEmpty() ? 0 : Integer.parseInt(m.group(3));
        if (body.length() >= width) {
            return body;
        }
        String align = m.group(1);
        if (align.isEmpty()) {
            align = v instanceof Number ? ">" : "<";
        }
        char fill = "0".equals(m.group(2)) ? '0' : ' ';
        int pad = width - body.length();
        String p = String.valueOf(fill);
        return switch (align) {
            case ">" -> p.repeat(pad) + body;
            case "^" -> p.repeat(pad / 2) + body + p.repeat(pad - pad / 2);
            default -> body + p.repeat(pad);
        };
    }

    /** Python's {@code fmt % args}. */
    public static String percent(String fmt, List<?> args) {
        StringBuilder sb = new StringBuilder();
        int ai = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("%([-+ 0#]*)(\\d*)(?:\\.(\\d+))?([sdifrxXeEgGc%])").matcher(fmt);
        int last = 0;
        while (m.find()) {
            sb.append(fmt, last, m.start());
            last = m.end();
            char conv = m.group(4).charAt(0);
            if (conv == '%') {
                sb.append('%');
                continue;
            }
            Object v = ai < args.size() ? args.get(ai++) : null;
            String flags = m.group(1);
            String width = m.group(2);
            String prec = m.group(3);
            String out;
            switch (conv) {
                case 's' -> out = Py.str(v);
                case 'r' -> out = Py.repr(v);
                case 'd', 'i' -> out = String.valueOf(((Number) toNumber(v)).longValue());
                case 'x', 'X' -> out = String.format("%" + conv, ((Number) toNumber(v)).longValue());
                case 'c' -> out = v instanceof Number n ? String.valueOf((char) n.intValue()) : Py.str(v);
                default -> out = String.format("%" + (prec == null ? ".6" : "." + prec) + conv,
                        ((Number) toNumber(v)).doubleValue());
            }
            if ((conv == 's' || conv == 'r') && prec != null && out.length() > Integer.parseInt(prec)) {
                out = out.substring(0, Integer.parseInt(prec));
            }
            int w = width.isEmpty() ? 0 : Integer.parseInt(width);
            if (out.length() < w) {
                if (flags.contains("-")) {
                    out = out + " ".repeat(w - out.length());
                } else if (flags.contains("0") && conv != 's' && conv != 'r') {
                    boolean neg = out.startsWith("-");
                    String digits = neg ? out.substring(1) : out;
                    out = (neg ? "-" : "") + "0".repeat(w - out.length()) + digits;
                } else {
                    out = " ".repeat(w - out.length()) + out;
                }
            }
            sb.append(out);
        }
        sb.append(fmt.substring(last));
        return sb.toString();
    }

    private static Object toNumber(Object v) {
        if (v instanceof Number) {
            return v;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        try {
            return Double.parseDouble(Py.str(v));
        } catch (NumberFormatException e) {
            throw Engine.fail(new TemplateException("%d format: a number is required, not " + Jinja.typeName(v)));
        }
    }
}
