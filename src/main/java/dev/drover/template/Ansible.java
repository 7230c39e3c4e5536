package dev.drover.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.objects.collections.PyList;
import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Ansible's filters, tests and lookups on jinjava. */
final class Ansible {
    private Ansible() {
    }

    interface Fn {
        Object apply(Object value, Object[] args, Map<String, Object> kwargs);
    }

    interface TestFn {
        boolean test(Object value, Object[] args);
    }

    private static final Set<String> UNDEFINED_OK_FILTERS = Set.of("default", "d", "mandatory");
    private static final Set<String> UNDEFINED_OK_TESTS = Set.of("defined", "undefined");

    /** A filter that refuses undefined input unless it is one of default/d/mandatory. */
    static final class F implements Filter {
        private final String name;
        private final Fn fn;

        F(String name, Fn fn) {
            this.name = name;
            this.fn = fn;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            if (!UNDEFINED_OK_FILTERS.contains(name)) {
                check(var);
            }
            for (Object a : args) {
                check(a);
            }
            for (Object a : kwargs.values()) {
                check(a);
            }
            return fn.apply(var, args, kwargs);
        }
    }

    static final class T implements ExpTest {
        private final String name;
        private final TestFn fn;

        T(String name, TestFn fn) {
            this.name = name;
            this.fn = fn;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            if (args.length == 1 && args[0] instanceof Object[] nested) {
                args = nested;
            }
            // jinjava parses "is test(a, b)" as one tuple argument (a plain PyList)
            if (args.length == 1 && args[0] != null && args[0].getClass() == PyList.class) {
                args = ((PyList) args[0]).toArray();
            }
            if (!UNDEFINED_OK_TESTS.contains(name)) {
                check(var);
            }
            for (Object a : args) {
                check(a);
            }
            return fn.test(var, args);
        }
    }

    static void check(Object v) {
        if (v instanceof Undefined u) {
            throw u.fail();
        }
    }

    static void register(Jinjava jinjava) {
        Context g = jinjava.getGlobalContext();
        // wrap jinjava's own filters and tests so that undefined input fails as in Ansible
        for (Filter f : new ArrayList<>(g.getAllFilters())) {
            g.registerFilter(new F(f.getName(), (v, a, kw) -> f.filter(v, JinjavaInterpreter.getCurrent(), a, kw)));
        }
        for (ExpTest t : new ArrayList<>(g.getAllExpTests())) {
            g.registerExpTest(new T(t.getName(), (v, a) -> t.evaluate(v, JinjavaInterpreter.getCurrent(), a)));
        }
        for (F f : filters()) {
            g.registerFilter(f);
        }
        for (T t : tests()) {
            g.registerExpTest(t);
        }
        try {
            for (String fn : List.of("lookup", "query", "q")) {
                java.lang.reflect.Method m = Ansible.class.getDeclaredMethod(
                        fn.equals("lookup") ? "lookup" : "query", String.class, Object[].class);
                m.setAccessible(true);
                g.registerFunction(new ELFunctionDefinition("", fn, m));
            }
            java.lang.reflect.Method now = Ansible.class.getDeclaredMethod("now", Object[].class);
            now.setAccessible(true);
            g.registerFunction(new ELFunctionDefinition("", "now", now));
            java.lang.reflect.Method dict = Ansible.class.getDeclaredMethod("dictFn", Object[].class);
            dict.setAccessible(true);
            g.registerFunction(new ELFunctionDefinition("", "dict", dict));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- helpers

    static Object arg(Object[] a, Map<String, Object> kw, int i, String name, Object dflt) {
        if (kw.containsKey(name)) {
            return kw.get(name);
        }
        return i < a.length ? a[i] : dflt;
    }

    static String typeName(Object v) {
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

    static List<Object> toList(Object v) {
        if (v == null) {
            throw Engine.fail(new TemplateException("'NoneType' object is not iterable"));
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
        throw Engine.fail(new TemplateException("'" + typeName(v) + "' object is not iterable"));
    }

    static boolean toBool(Object a) {
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

    static Object toInt(Object v, Object dflt) {
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

    static Object toFloat(Object v, Object dflt) {
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(Py.str(v).strip());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    static int compare(Object a, Object b) {
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
        throw Engine.fail(new TemplateException("'<' not supported between instances of '" + typeName(a)
                + "' and '" + typeName(b) + "'"));
    }

    static boolean pyEquals(Object a, Object b) {
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

    static List<Object> unique(Collection<?> items) {
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

    static boolean contains(Collection<?> items, Object o) {
        for (Object p : items) {
            if (pyEquals(o, p)) {
                return true;
            }
        }
        return false;
    }

    static Object attr(Object item, String path) {
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
    static Pattern regex(Object pattern, boolean ignoreCase, boolean multiline) {
        String p = Py.str(pattern).replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
        int flags = (ignoreCase ? Pattern.CASE_INSENSITIVE : 0) | (multiline ? Pattern.MULTILINE : 0);
        try {
            return Pattern.compile(p, flags);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw Engine.fail(new TemplateException("invalid regular expression: " + e.getDescription()));
        }
    }

    /** Converts a Python re.sub replacement (\1, \g<name>) to Java's. */
    static String replacement(String r) {
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

    static Object plain(Object v) {
        return Engine.materialize(v);
    }

    // ---------------------------------------------------------------- filters

    static List<F> filters() {
        List<F> fs = new ArrayList<>();
        Fn dflt = (v, a, kw) -> {
            Object d = arg(a, kw, 0, "default_value", "");
            boolean bool = toBool(arg(a, kw, 1, "boolean", false));
            if (v instanceof Undefined || (bool && !Py.truthy(v))) {
                return d;
            }
            return v;
        };
        fs.add(new F("default", dflt));
        fs.add(new F("d", dflt));
        fs.add(new F("mandatory", (v, a, kw) -> {
            if (v instanceof Undefined u) {
                String msg = a.length > 0 && a[0] != null ? Py.str(a[0])
                        : u.name() != null ? "Mandatory variable '" + u.name() + "'  not defined." : "Mandatory variable not defined.";
                throw Engine.fail(new TemplateException(msg, u.name()));
            }
            return v;
        }));
        fs.add(new F("bool", (v, a, kw) -> toBool(v)));
        fs.add(new F("int", (v, a, kw) -> {
            Object base = arg(a, kw, 1, "base", 10);
            if (v instanceof String s && ((Number) base).intValue() != 10) {
                try {
                    String t = s.strip().toLowerCase().replaceFirst("^0[xob]", "");
                    return Long.parseLong(t, ((Number) base).intValue());
                } catch (NumberFormatException e) {
                    return arg(a, kw, 0, "default", 0);
                }
            }
            return toInt(v, arg(a, kw, 0, "default", 0));
        }));
        fs.add(new F("float", (v, a, kw) -> toFloat(v, arg(a, kw, 0, "default", 0.0))));
        fs.add(new F("string", (v, a, kw) -> Py.str(v)));
        fs.add(new F("lower", (v, a, kw) -> Py.str(v).toLowerCase()));
        fs.add(new F("upper", (v, a, kw) -> Py.str(v).toUpperCase()));
        fs.add(new F("capitalize", (v, a, kw) -> PyStr.call(Py.str(v), "capitalize", a)));
        fs.add(new F("title", (v, a, kw) -> PyStr.title(Py.str(v))));
        fs.add(new F("trim", (v, a, kw) -> a.length > 0 && a[0] != null
                ? PyStr.strip(Py.str(v), Py.str(a[0]), true, true) : Py.str(v).strip()));
        fs.add(new F("center", (v, a, kw) -> PyStr.center(Py.str(v), ((Number) arg(a, kw, 0, "width", 80)).intValue())));
        fs.add(new F("replace", (v, a, kw) -> {
            Object count = arg(a, kw, 2, "count", null);
            return PyStr.call(Py.str(v), "replace", count == null ? new Object[] {a[0], a[1]} : new Object[] {a[0], a[1], count});
        }));
        fs.add(new F("type_debug", (v, a, kw) -> typeName(v)));
        fs.add(new F("to_json", (v, a, kw) -> Py.json(v, 0, toBool(kw.getOrDefault("sort_keys", false)))));
        fs.add(new F("to_nice_json", (v, a, kw) -> Py.json(v, ((Number) arg(a, kw, 0, "indent", 4)).intValue(), true)));
        fs.add(new F("tojson", (v, a, kw) -> Py.json(v, 0, true)));
        Fn fromJson = (v, a, kw) -> {
            try {
                return new ObjectMapper().readValue(Py.str(v), Object.class);
            } catch (IOException e) {
                throw Engine.fail(new TemplateException("from_json: " + e.getMessage()));
            }
        };
        fs.add(new F("from_json", fromJson));
        fs.add(new F("fromjson", fromJson));
        fs.add(new F("to_yaml", (v, a, kw) -> yaml(v, false, kw)));
        fs.add(new F("to_nice_yaml", (v, a, kw) -> yaml(v, true, kw)));
        Fn fromYaml = (v, a, kw) -> {
            try {
                return YamlLoader.loadData(Py.str(v), "<from_yaml>");
            } catch (YamlException e) {
                throw Engine.fail(new TemplateException("from_yaml: " + e.getMessage()));
            }
        };
        fs.add(new F("from_yaml", fromYaml));
        fs.add(new F("fromyaml", fromYaml));
        fs.add(new F("b64encode", (v, a, kw) -> Base64.getEncoder().encodeToString(Py.str(v).getBytes(StandardCharsets.UTF_8))));
        fs.add(new F("b64decode", (v, a, kw) -> new String(Base64.getMimeDecoder().decode(Py.str(v)), StandardCharsets.UTF_8)));
        fs.add(new F("basename", (v, a, kw) -> {
            String s = Py.str(v);
            return s.substring(s.lastIndexOf('/') + 1);
        }));
        fs.add(new F("dirname", (v, a, kw) -> {
            String s = Py.str(v);
            String head = s.substring(0, s.lastIndexOf('/') + 1);
            if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
                head = head.replaceAll("/+$", "");
            }
            return head;
        }));
        fs.add(new F("expanduser", (v, a, kw) -> {
            String s = Py.str(v);
            return s.equals("~") || s.startsWith("~/") ? System.getProperty("user.home") + s.substring(1) : s;
        }));
        fs.add(new F("quote", (v, a, kw) -> shellQuote(Py.str(v))));
        fs.add(new F("hash", (v, a, kw) -> digest(Py.str(v), Py.str(arg(a, kw, 0, "hashtype", "sha1")))));
        fs.add(new F("checksum", (v, a, kw) -> digest(Py.str(v), "sha1")));
        fs.add(new F("sha1", (v, a, kw) -> digest(Py.str(v), "sha1")));
        fs.add(new F("md5", (v, a, kw) -> digest(Py.str(v), "md5")));
        fs.add(new F("regex_replace", (v, a, kw) -> {
            Pattern p = regex(arg(a, kw, 0, "pattern", ""), toBool(arg(a, kw, 2, "ignorecase", false)),
                    toBool(arg(a, kw, 3, "multiline", false)));
            String r = replacement(Py.str(arg(a, kw, 1, "replacement", "")));
            int count = ((Number) kw.getOrDefault("count", 0)).intValue();
            Matcher m = p.matcher(Py.str(v));
            if (count <= 0) {
                return m.replaceAll(r);
            }
            StringBuilder sb = new StringBuilder();
            int n = 0;
            while (n < count && m.find()) {
                m.appendReplacement(sb, r);
                n++;
            }
            m.appendTail(sb);
            return sb.toString();
        }));
        fs.add(new F("regex_search", (v, a, kw) -> {
            Pattern p = regex(a[0], toBool(kw.getOrDefault("ignorecase", false)), toBool(kw.getOrDefault("multiline", false)));
            Matcher m = p.matcher(Py.str(v));
            if (!m.find()) {
                return null;
            }
            if (a.length <= 1) {
                return m.group();
            }
            List<Object> groups = new ArrayList<>();
            for (int i = 1; i < a.length; i++) {
                String g = Py.str(a[i]);
                if (g.matches("\\\\\\d+")) {
                    groups.add(m.group(Integer.parseInt(g.substring(1))));
                } else if (g.startsWith("\\g<")) {
                    groups.add(m.group(g.substring(3, g.length() - 1)));
                }
            }
            return groups;
        }));
        fs.add(new F("regex_findall", (v, a, kw) -> {
            Pattern p = regex(a[0], toBool(arg(a, kw, 2, "ignorecase", false)), toBool(arg(a, kw, 1, "multiline", false)));
            Matcher m = p.matcher(Py.str(v));
            List<Object> out = new ArrayList<>();
            while (m.find()) {
                if (m.groupCount() == 0) {
                    out.add(m.group());
                } else if (m.groupCount() == 1) {
                    out.add(m.group(1) == null ? "" : m.group(1));
                } else {
                    List<Object> t = new ArrayList<>();
                    for (int i = 1; i <= m.groupCount(); i++) {
                        t.add(m.group(i) == null ? "" : m.group(i));
                    }
                    out.add(new Py.Tuple(t));
                }
            }
            return out;
        }));
        fs.add(new F("regex_escape", (v, a, kw) -> Py.str(v).replaceAll("([^A-Za-z0-9_])", "\\\\$1")));
        fs.add(new F("split", (v, a, kw) -> PyStr.split(Py.str(v), arg(a, kw, 0, "sep", null),
                ((Number) arg(a, kw, 1, "maxsplit", -1)).intValue())));
        fs.add(new F("join", (v, a, kw) -> {
            Object attribute = kw.get("attribute");
            List<Object> items = toList(v);
            if (attribute != null) {
                items.replaceAll(o -> attr(o, Py.str(attribute)));
            }
            return PyStr.join(Py.str(arg(a, kw, 0, "d", "")), items);
        }));
        Fn length = (v, a, kw) -> {
            if (v instanceof CharSequence s) {
                return s.toString().codePointCount(0, s.length());
            }
            if (v instanceof Map<?, ?> m) {
                return m.size();
            }
            if (v instanceof Collection<?> c) {
                return c.size();
            }
            return toList(v).size();
        };
        fs.add(new F("length", length));
        fs.add(new F("count", length));
        fs.add(new F("first", (v, a, kw) -> {
            List<Object> l = toList(v);
            return l.isEmpty() ? new Undefined("No first item, sequence was empty.", null) : l.get(0);
        }));
        fs.add(new F("last", (v, a, kw) -> {
            List<Object> l = toList(v);
            return l.isEmpty() ? new Undefined("No last item, sequence was empty.", null) : l.get(l.size() - 1);
        }));
        fs.add(new F("list", (v, a, kw) -> toList(v)));
        fs.add(new F("unique", (v, a, kw) -> unique(toList(v))));
        fs.add(new F("reverse", (v, a, kw) -> {
            if (v instanceof String s) {
                return new StringBuilder(s).reverse().toString();
            }
            List<Object> l = toList(v);
            java.util.Collections.reverse(l);
            return l;
        }));
        fs.add(new F("sort", (v, a, kw) -> {
            boolean reverse = toBool(arg(a, kw, 0, "reverse", false));
            boolean caseSensitive = toBool(arg(a, kw, 1, "case_sensitive", false));
            Object attribute = arg(a, kw, 2, "attribute", null);
            List<Object> l = toList(v);
            Comparator<Object> cmp = (x, y) -> {
                Object kx = attribute == null ? x : attr(x, Py.str(attribute));
                Object ky = attribute == null ? y : attr(y, Py.str(attribute));
                check(kx);
                check(ky);
                if (!caseSensitive && kx instanceof String sx && ky instanceof String sy) {
                    return sx.toLowerCase().compareTo(sy.toLowerCase());
                }
                return compare(kx, ky);
            };
            l.sort(reverse ? cmp.reversed() : cmp);
            return l;
        }));
        fs.add(new F("min", (v, a, kw) -> minMax(v, kw, -1)));
        fs.add(new F("max", (v, a, kw) -> minMax(v, kw, 1)));
        fs.add(new F("sum", (v, a, kw) -> {
            Object attribute = arg(a, kw, 0, "attribute", null);
            Object total = arg(a, kw, 1, "start", 0L);
            for (Object o : toList(v)) {
                Object x = attribute == null ? o : attr(o, Py.str(attribute));
                check(x);
                total = add(total, x);
            }
            return total;
        }));
        fs.add(new F("abs", (v, a, kw) -> {
            if (v instanceof Double d) {
                return Math.abs(d);
            }
            if (v instanceof BigInteger b) {
                return b.abs();
            }
            Object n = v instanceof Number ? v : toFloat(v, 0.0);
            if (n instanceof Double d) {
                return Math.abs(d);
            }
            return Math.abs(((Number) n).longValue());
        }));
        fs.add(new F("round", (v, a, kw) -> {
            int precision = ((Number) arg(a, kw, 0, "precision", 0)).intValue();
            String method = Py.str(arg(a, kw, 1, "method", "common"));
            double d = ((Number) toFloat(v, 0.0)).doubleValue();
            java.math.RoundingMode mode = switch (method) {
                case "ceil" -> java.math.RoundingMode.CEILING;
                case "floor" -> java.math.RoundingMode.FLOOR;
                default -> java.math.RoundingMode.HALF_EVEN;
            };
            return new BigDecimal(d).setScale(precision, mode).doubleValue();
        }));
        fs.add(new F("combine", (v, a, kw) -> {
            boolean recursive = toBool(kw.getOrDefault("recursive", false));
            Map<Object, Object> out = new LinkedHashMap<>(mapOf(v));
            List<Object> others = new ArrayList<>();
            for (Object o : a) {
                if (o instanceof List<?> l) {
                    others.addAll(l);
                } else {
                    others.add(o);
                }
            }
            for (Object o : others) {
                merge(out, mapOf(o), recursive);
            }
            return out;
        }));
        fs.add(new F("dict2items", (v, a, kw) -> {
            String k = Py.str(kw.getOrDefault("key_name", "key"));
            String val = Py.str(kw.getOrDefault("value_name", "value"));
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : mapOf(v).entrySet()) {
                Map<Object, Object> item = new LinkedHashMap<>();
                item.put(k, e.getKey());
                item.put(val, e.getValue());
                out.add(item);
            }
            return out;
        }));
        fs.add(new F("items2dict", (v, a, kw) -> {
            String k = Py.str(arg(a, kw, 0, "key_name", "key"));
            String val = Py.str(arg(a, kw, 1, "value_name", "value"));
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object o : toList(v)) {
                Map<?, ?> m = mapOf(o);
                out.put(m.get(k), m.get(val));
            }
            return out;
        }));
        fs.add(new F("dict", (v, a, kw) -> dictFn(v)));
        fs.add(new F("flatten", (v, a, kw) -> {
            Object levels = arg(a, kw, 0, "levels", null);
            boolean skipNulls = toBool(arg(a, kw, 1, "skip_nulls", true));
            List<Object> out = new ArrayList<>();
            flatten(toList(v), levels == null ? -1 : ((Number) levels).intValue(), skipNulls, out);
            return out;
        }));
        fs.add(new F("zip", (v, a, kw) -> {
            List<List<Object>> lists = new ArrayList<>();
            lists.add(toList(v));
            for (Object o : a) {
                lists.add(toList(o));
            }
            int n = lists.stream().mapToInt(List::size).min().orElse(0);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<Object> t = new ArrayList<>();
                for (List<Object> l : lists) {
                    t.add(l.get(i));
                }
                out.add(new Py.Tuple(t));
            }
            return out;
        }));
        fs.add(new F("difference", (v, a, kw) -> {
            List<Object> other = toList(a[0]);
            List<Object> out = new ArrayList<>();
            for (Object o : unique(toList(v))) {
                if (!contains(other, o)) {
                    out.add(o);
                }
            }
            return out;
        }));
        fs.add(new F("intersect", (v, a, kw) -> {
            List<Object> other = toList(a[0]);
            List<Object> out = new ArrayList<>();
            for (Object o : unique(toList(v))) {
                if (contains(other, o)) {
                    out.add(o);
                }
            }
            return out;
        }));
        fs.add(new F("union", (v, a, kw) -> {
            List<Object> all = toList(v);
            all.addAll(toList(a[0]));
            return unique(all);
        }));
        fs.add(new F("symmetric_difference", (v, a, kw) -> {
            List<Object> x = unique(toList(v));
            List<Object> y = unique(toList(a[0]));
            List<Object> out = new ArrayList<>();
            for (Object o : x) {
                if (!contains(y, o)) {
                    out.add(o);
                }
            }
            for (Object o : y) {
                if (!contains(x, o)) {
                    out.add(o);
                }
            }
            return out;
        }));
        fs.add(new F("ternary", (v, a, kw) -> {
            if (v == null && a.length > 2) {
                return a[2];
            }
            return Py.truthy(v) ? a[0] : a[1];
        }));
        fs.add(new F("format", (v, a, kw) -> PyFormat.percent(Py.str(v), Arrays.asList(a))));
        fs.add(new F("indent", (v, a, kw) -> {
            Object w = arg(a, kw, 0, "width", 4);
            String pad = w instanceof Number n ? " ".repeat(n.intValue()) : Py.str(w);
            boolean first = toBool(arg(a, kw, 1, "first", false));
            boolean blank = toBool(arg(a, kw, 2, "blank", false));
            String s = Py.str(v);
            String[] lines = s.split("\n", -1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    sb.append('\n');
                }
                boolean indent = (i > 0 || first) && (blank || !lines[i].isBlank());
                sb.append(indent ? pad : "").append(lines[i]);
            }
            return sb.toString();
        }));
        fs.add(new F("urlencode", (v, a, kw) -> {
            if (v instanceof Map<?, ?> m) {
                List<String> parts = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    parts.add(urlQuote(Py.str(e.getKey()), true) + "=" + urlQuote(Py.str(e.getValue()), true));
                }
                return String.join("&", parts);
            }
            return urlQuote(Py.str(v), false);
        }));
        fs.add(new F("map", Ansible::mapItems));
        fs.add(new F("extract", (v, a, kw) -> extract(v, a)));
        fs.add(new F("select", (v, a, kw) -> selectItems(v, null, a, 0, true)));
        fs.add(new F("reject", (v, a, kw) -> selectItems(v, null, a, 0, false)));
        fs.add(new F("selectattr", (v, a, kw) -> selectItems(v, Py.str(a[0]), a, 1, true)));
        fs.add(new F("rejectattr", (v, a, kw) -> selectItems(v, Py.str(a[0]), a, 1, false)));
        fs.add(new F("batch", (v, a, kw) -> {
            int size = ((Number) a[0]).intValue();
            boolean fill = a.length > 1;
            List<Object> out = new ArrayList<>();
            List<Object> cur = new ArrayList<>();
            for (Object o : toList(v)) {
                cur.add(o);
                if (cur.size() == size) {
                    out.add(cur);
                    cur = new ArrayList<>();
                }
            }
            if (!cur.isEmpty()) {
                while (fill && cur.size() < size) {
                    cur.add(a[1]);
                }
                out.add(cur);
            }
            return out;
        }));
        fs.add(new F("dictsort", (v, a, kw) -> {
            boolean caseSensitive = toBool(arg(a, kw, 0, "case_sensitive", false));
            boolean byValue = "value".equals(arg(a, kw, 1, "by", "key"));
            boolean reverse = toBool(arg(a, kw, 2, "reverse", false));
            List<Object> items = new ArrayList<>();
            for (Map.Entry<?, ?> e : mapOf(v).entrySet()) {
                items.add(new Py.Tuple(Arrays.asList(e.getKey(), e.getValue())));
            }
            Comparator<Object> cmp = (x, y) -> {
                Object kx = ((List<?>) x).get(byValue ? 1 : 0);
                Object ky = ((List<?>) y).get(byValue ? 1 : 0);
                if (!caseSensitive && kx instanceof String sx && ky instanceof String sy) {
                    return sx.toLowerCase().compareTo(sy.toLowerCase());
                }
                return compare(kx, ky);
            };
            items.sort(reverse ? cmp.reversed() : cmp);
            return items;
        }));
        fs.add(new F("product", (v, a, kw) -> {
            List<List<Object>> acc = new ArrayList<>();
            acc.add(new ArrayList<>());
            List<List<Object>> pools = new ArrayList<>();
            pools.add(toList(v));
            for (Object o : a) {
                pools.add(toList(o));
            }
            for (List<Object> pool : pools) {
                List<List<Object>> next = new ArrayList<>();
                for (List<Object> prefix : acc) {
                    for (Object o : pool) {
                        List<Object> t = new ArrayList<>(prefix);
                        t.add(o);
                        next.add(t);
                    }
                }
                acc = next;
            }
            List<Object> out = new ArrayList<>();
            for (List<Object> t : acc) {
                out.add(new Py.Tuple(t));
            }
            return out;
        }));
        fs.add(new F("zip_longest", (v, a, kw) -> {
            List<List<Object>> lists = new ArrayList<>();
            lists.add(toList(v));
            for (Object o : a) {
                lists.add(toList(o));
            }
            Object fill = kw.get("fillvalue");
            int n = lists.stream().mapToInt(List::size).max().orElse(0);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<Object> t = new ArrayList<>();
                for (List<Object> l : lists) {
                    t.add(i < l.size() ? l.get(i) : fill);
                }
                out.add(new Py.Tuple(t));
            }
            return out;
        }));
        fs.add(new F("subelements", (v, a, kw) -> {
            String key = Py.str(a[0]);
            boolean skipMissing = toBool(arg(a, kw, 1, "skip_missing", false));
            List<Object> out = new ArrayList<>();
            for (Object item : toList(v)) {
                Object sub = attr(item, key);
                if (sub instanceof Undefined u) {
                    if (skipMissing) {
                        continue;
                    }
                    throw Engine.fail(new TemplateException("could not find '" + key + "' key in iterated item '"
                            + Py.repr(item) + "'"));
                }
                if (!(sub instanceof List<?> l)) {
                    throw Engine.fail(new TemplateException("the key " + key + " should point to a list, got '"
                            + Py.repr(sub) + "'"));
                }
                for (Object o : l) {
                    out.add(new Py.Tuple(Arrays.asList(item, o)));
                }
            }
            return out;
        }));
        fs.add(new F("extract", (v, a, kw) -> {
            Object value = item(a[0], v);
            Object more = arg(a, kw, 1, "morekeys", null);
            if (more != null) {
                for (Object k : more instanceof List<?> l ? l : List.of(more)) {
                    value = item(value, k);
                }
            }
            return value;
        }));
        fs.add(new F("path_join", (v, a, kw) -> {
            List<Object> parts = v instanceof String ? List.of(v) : toList(v);
            String path = "";
            for (Object p : parts) {
                String s = Py.str(p);
                if (s.startsWith("/") || path.isEmpty()) {
                    path = s;
                } else {
                    path = path.endsWith("/") ? path + s : path + "/" + s;
                }
            }
            return path;
        }));
        fs.add(new F("splitext", (v, a, kw) -> {
            String s = Py.str(v);
            int slash = s.lastIndexOf('/');
            int dot = s.lastIndexOf('.');
            int nameStart = slash + 1;
            while (nameStart < s.length() && s.charAt(nameStart) == '.') {
                nameStart++;
            }
            if (dot <= slash || dot < nameStart) {
                return new Py.Tuple(Arrays.asList(s, ""));
            }
            return new Py.Tuple(Arrays.asList(s.substring(0, dot), s.substring(dot)));
        }));
        fs.add(new F("realpath", (v, a, kw) -> {
            try {
                return Path.of(Py.str(v)).toAbsolutePath().normalize().toRealPath().toString();
            } catch (IOException e) {
                return Path.of(Py.str(v)).toAbsolutePath().normalize().toString();
            }
        }));
        fs.add(new F("pow", (v, a, kw) -> Math.pow(((Number) toFloat(v, 0.0)).doubleValue(),
                ((Number) toFloat(a[0], 0.0)).doubleValue())));
        fs.add(new F("from_yaml_all", (v, a, kw) -> {
            List<Object> out = new ArrayList<>();
            try {
                for (org.snakeyaml.engine.v2.nodes.Node node : YamlLoader.compose(Py.str(v), "<from_yaml_all>")) {
                    out.add(YamlLoader.toData(node));
                }
            } catch (YamlException e) {
                throw Engine.fail(new TemplateException("from_yaml_all: " + e.getMessage()));
            }
            return out;
        }));
        fs.add(new F("strftime", (v, a, kw) -> {
            Object second = arg(a, kw, 0, "second", null);
            boolean utc = toBool(arg(a, kw, 1, "utc", false));
            java.time.ZoneId zone = utc ? java.time.ZoneOffset.UTC : java.time.ZoneId.systemDefault();
            java.time.ZonedDateTime t = second == null ? java.time.ZonedDateTime.now(zone)
                    : java.time.Instant.ofEpochMilli((long) (((Number) toFloat(second, 0.0)).doubleValue() * 1000)).atZone(zone);
            return com.hubspot.jinjava.objects.date.StrftimeFormatter.format(t, Py.str(v));
        }));
        fs.add(new F("random", (v, a, kw) -> {
            java.util.Random r = new java.util.Random();
            if (v instanceof Number n) {
                return (long) r.nextInt(n.intValue());
            }
            List<Object> l = toList(v);
            return l.get(r.nextInt(l.size()));
        }));
        return fs;
    }

    /** Jinja2's map: {@code map(attribute='x', default=d)} or {@code map('filter', args...)}. */
    private static Object mapItems(Object v, Object[] a, Map<String, Object> kw) {
        List<Object> out = new ArrayList<>();
        if (kw.containsKey("attribute")) {
            String attribute = Py.str(kw.get("attribute"));
            for (Object o : toList(v)) {
                Object x = attr(o, attribute);
                out.add(x instanceof Undefined && kw.containsKey("default") ? kw.get("default") : x);
            }
            return out;
        }
        if (a.length == 0) {
            return toList(v);
        }
        String name = Py.str(a[0]);
        JinjavaInterpreter interp = JinjavaInterpreter.getCurrent();
        Filter f = interp.getContext().getFilter(name);
        if (f == null) {
            throw Engine.fail(new TemplateException("No filter named '" + name + "'."));
        }
        Object[] rest = Arrays.copyOfRange(a, 1, a.length);
        for (Object o : toList(v)) {
            out.add(f.filter(o, interp, rest, kw));
        }
        return out;
    }

    /** Ansible's extract: {@code container[item]}, then each of the further keys in turn. */
    private static Object extract(Object item, Object[] a) {
        if (a.length == 0) {
            throw Engine.fail(new TemplateException("extract needs a container"));
        }
        Object cur = a[0];
        List<Object> keys = new ArrayList<>();
        keys.add(item);
        for (int i = 1; i < a.length; i++) {
            if (a[i] instanceof List<?> l) {
                keys.addAll(l);
            } else {
                keys.add(a[i]);
            }
        }
        for (Object k : keys) {
            if (cur instanceof Map<?, ?> m && m.containsKey(Py.str(k))) {
                cur = m.get(Py.str(k));
            } else if (cur instanceof Map<?, ?> m && m.containsKey(k)) {
                cur = m.get(k);
            } else if (cur instanceof List<?> l && k instanceof Number n && n.intValue() < l.size()) {
                cur = l.get(n.intValue());
            } else {
                return new Undefined("'" + typeName(cur) + " object' has no attribute '" + Py.str(k) + "'", null);
            }
        }
        return cur;
    }

    private static List<Object> selectItems(Object v, String attribute, Object[] a, int from, boolean keep) {
        ExpTest test = null;
        Object[] testArgs = new Object[0];
        if (a.length > from) {
            String name = Py.str(a[from]);
            test = JinjavaInterpreter.getCurrent().getContext().getExpTest(name);
            if (test == null) {
                throw Engine.fail(new TemplateException("No test named '" + name + "'."));
            }
            testArgs = Arrays.copyOfRange(a, from + 1, a.length);
        }
        List<Object> out = new ArrayList<>();
        for (Object o : toList(v)) {
            Object x = attribute == null ? o : attr(o, attribute);
            boolean r;
            if (test == null) {
                r = !(x instanceof Undefined) && Py.truthy(x);
            } else {
                r = test.evaluate(x, JinjavaInterpreter.getCurrent(), testArgs);
            }
            if (r == keep) {
                out.add(o);
            }
        }
        return out;
    }

    static Object add(Object a, Object b) {
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
        throw Engine.fail(new TemplateException("unsupported operand type(s) for +: '" + typeName(a) + "' and '" + typeName(b) + "'"));
    }

    private static Object minMax(Object v, Map<String, Object> kw, int sign) {
        Object attribute = kw.get("attribute");
        List<Object> l = toList(v);
        if (l.isEmpty()) {
            return new Undefined("No aggregated item, sequence was empty.", null);
        }
        Object best = l.get(0);
        for (Object o : l.subList(1, l.size())) {
            Object ko = attribute == null ? o : attr(o, Py.str(attribute));
            Object kb = attribute == null ? best : attr(best, Py.str(attribute));
            if (compare(ko, kb) * sign > 0) {
                best = o;
            }
        }
        return best;
    }

    private static Object item(Object container, Object key) {
        if (container instanceof Map<?, ?> m) {
            if (m.containsKey(key)) {
                return m.get(key);
            }
            return new Undefined("'dict object' has no attribute '" + key + "'", null);
        }
        if (container instanceof List<?> l && key instanceof Number n) {
            int i = n.intValue() < 0 ? n.intValue() + l.size() : n.intValue();
            return i >= 0 && i < l.size() ? l.get(i) : new Undefined("list object has no element " + n, null);
        }
        throw Engine.fail(new TemplateException("'" + typeName(container) + "' object is not subscriptable"));
    }

    static Map<?, ?> mapOf(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw Engine.fail(new TemplateException("expected a dict, got " + typeName(v)));
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<Object, Object> into, Map<?, ?> from, boolean recursive) {
        for (Map.Entry<?, ?> e : from.entrySet()) {
            Object old = into.get(e.getKey());
            if (recursive && old instanceof Map<?, ?> om && e.getValue() instanceof Map<?, ?> nm) {
                Map<Object, Object> merged = new LinkedHashMap<>((Map<Object, Object>) om);
                merge(merged, nm, true);
                into.put(e.getKey(), merged);
            } else {
                into.put(e.getKey(), e.getValue());
            }
        }
    }

    private static void flatten(List<Object> in, int levels, boolean skipNulls, List<Object> out) {
        for (Object o : in) {
            if (o == null && skipNulls) {
                continue;
            }
            if (o instanceof List<?> l && levels != 0) {
                flatten(new ArrayList<>(l), levels - 1, skipNulls, out);
            } else {
                out.add(o);
            }
        }
    }

    static String shellQuote(String s) {
        if (s.isEmpty()) {
            return "''";
        }
        if (s.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    static String digest(String s, String type) {
        String alg = switch (type.toLowerCase()) {
            case "sha1" -> "SHA-1";
            case "sha224" -> "SHA-224";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            case "md5" -> "MD5";
            default -> throw Engine.fail(new TemplateException("unsupported hash type " + type));
        };
        try {
            byte[] d = MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw Engine.fail(new TemplateException("unsupported hash type " + type));
        }
    }

    static String urlQuote(String s, boolean plus) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_.-~".indexOf(c) >= 0
                    || (!plus && c == '/')) {
                sb.append((char) c);
            } else if (plus && c == ' ') {
                sb.append('+');
            } else {
                sb.append(String.format("%%%02X", c));
            }
        }
        return sb.toString();
    }

    static String yaml(Object v, boolean nice, Map<String, Object> kw) {
        int indent = ((Number) kw.getOrDefault("indent", nice ? 4 : 2)).intValue();
        DumpSettings settings = DumpSettings.builder()
                .setDefaultFlowStyle(nice ? FlowStyle.BLOCK : FlowStyle.AUTO)
                .setIndent(indent)
                .setWidth(((Number) kw.getOrDefault("width", 80)).intValue())
                .setSchema(YAML11_SCHEMA)
                .build();
        return new Dump(settings).dumpToString(sortedPlain(plain(v)));
    }

    private static final Pattern YAML11_BOOL = Pattern.compile(
            "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");

    /** Core schema plus YAML 1.1's yes/no/on/off booleans, so that PyYAML's quoting is matched. */
    private static final org.snakeyaml.engine.v2.schema.Schema YAML11_SCHEMA = new org.snakeyaml.engine.v2.schema.CoreSchema() {
        private final org.snakeyaml.engine.v2.resolver.ScalarResolver core = super.getScalarResolver();

        @Override
        public org.snakeyaml.engine.v2.resolver.ScalarResolver getScalarResolver() {
            return (value, implicit) -> implicit && YAML11_BOOL.matcher(value).matches()
                    ? org.snakeyaml.engine.v2.nodes.Tag.BOOL : core.resolve(value, implicit);
        }
    };

    private static Object sortedPlain(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new TreeMap<>(Comparator.comparing(Py::str));
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(e.getKey(), sortedPlain(e.getValue()));
            }
            return new LinkedHashMap<>(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(sortedPlain(o));
            }
            return out;
        }
        if (v != null && !(v instanceof String || v instanceof Number || v instanceof Boolean)) {
            return v.toString();
        }
        return v;
    }

    // ---------------------------------------------------------------- tests

    static List<T> tests() {
        List<T> ts = new ArrayList<>();
        ts.add(new T("defined", (v, a) -> !(v instanceof Undefined)));
        ts.add(new T("undefined", (v, a) -> v instanceof Undefined));
        ts.add(new T("none", (v, a) -> v == null));
        ts.add(new T("changed", (v, a) -> toBool(result(v, "changed"))));
        ts.add(new T("failed", (v, a) -> toBool(result(v, "failed"))));
        TestFn succeeded = (v, a) -> !toBool(result(v, "failed"));
        ts.add(new T("succeeded", succeeded));
        ts.add(new T("success", succeeded));
        ts.add(new T("successful", succeeded));
        ts.add(new T("skipped", (v, a) -> toBool(result(v, "skipped"))));
        ts.add(new T("match", (v, a) -> regexTest(v, a, true)));
        ts.add(new T("search", (v, a) -> regexTest(v, a, false)));
        ts.add(new T("regex", (v, a) -> a.length > 2 && "match".equals(a[2]) ? regexTest(v, a, true) : regexTest(v, a, false)));
        ts.add(new T("in", (v, a) -> inTest(v, a[0])));
        ts.add(new T("contains", (v, a) -> inTest(a[0], v)));
        ts.add(new T("string", (v, a) -> v instanceof CharSequence));
        ts.add(new T("number", (v, a) -> v instanceof Number));
        ts.add(new T("integer", (v, a) -> v instanceof Integer || v instanceof Long || v instanceof BigInteger));
        ts.add(new T("float", (v, a) -> v instanceof Double || v instanceof Float || v instanceof BigDecimal));
        ts.add(new T("boolean", (v, a) -> v instanceof Boolean));
        ts.add(new T("mapping", (v, a) -> v instanceof Map));
        ts.add(new T("iterable", (v, a) -> v instanceof Iterable || v instanceof Map || v instanceof CharSequence));
        ts.add(new T("sequence", (v, a) -> v instanceof List || v instanceof Map || v instanceof CharSequence));
        ts.add(new T("truthy", (v, a) -> Py.truthy(v)));
        ts.add(new T("falsy", (v, a) -> !Py.truthy(v)));
        TestFn version = (v, a) -> {

            String op = a.length > 1 ? Py.str(a[1]) : "eq";
            int c = Version.compare(Py.str(v), Py.str(a[0]));
            return switch (op) {
                case "<", "lt" -> c < 0;
                case "<=", "le" -> c <= 0;
                case ">", "gt" -> c > 0;
                case ">=", "ge" -> c >= 0;
                case "==", "=", "eq" -> c == 0;
                case "!=", "<>", "ne" -> c != 0;
                default -> throw Engine.fail(new TemplateException("Invalid operator type (" + op + ")"));
            };
        };
        ts.add(new T("version", version));
        ts.add(new T("version_compare", version));
        ts.add(new T("file", (v, a) -> Files.isRegularFile(Path.of(Py.str(v)))));
        ts.add(new T("directory", (v, a) -> Files.isDirectory(Path.of(Py.str(v)))));
        ts.add(new T("exists", (v, a) -> Files.exists(Path.of(Py.str(v)))));
        ts.add(new T("link", (v, a) -> Files.isSymbolicLink(Path.of(Py.str(v)))));
        ts.add(new T("abs", (v, a) -> Py.str(v).startsWith("/")));
        ts.add(new T("subset", (v, a) -> toList(a[0]).containsAll(toList(v))));
        ts.add(new T("superset", (v, a) -> toList(v).containsAll(toList(a[0]))));
        ts.add(new T("equalto", (v, a) -> pyEquals(v, a[0])));
        ts.add(new T("eq", (v, a) -> pyEquals(v, a[0])));
        ts.add(new T("==", (v, a) -> pyEquals(v, a[0])));
        ts.add(new T("!=", (v, a) -> !pyEquals(v, a[0])));
        ts.add(new T("ne", (v, a) -> !pyEquals(v, a[0])));
        return ts;
    }

    private static Object result(Object v, String key) {
        if (!(v instanceof Map<?, ?> m)) {
            throw Engine.fail(new TemplateException("The '" + key + "' test expects a dictionary"));
        }
        Object r = m.get(key);
        return r instanceof Undefined ? false : r;
    }

    private static boolean regexTest(Object v, Object[] a, boolean match) {
        boolean ignoreCase = a.length > 1 && toBool(a[1]);
        Matcher m = regex(a[0], ignoreCase, false).matcher(Py.str(v));
        return match ? m.lookingAt() : m.find();
    }

    static boolean inTest(Object needle, Object haystack) {
        if (haystack instanceof CharSequence s) {
            return s.toString().contains(Py.str(needle));
        }
        if (haystack instanceof Map<?, ?> m) {
            return m.containsKey(needle);
        }
        return contains(toList(haystack), needle);
    }

    // ---------------------------------------------------------------- functions

    /** Ansible's now(utc=False, fmt=None): the controller's current time. */
    public static Object now(Object... args) {
        Object utc = false;
        Object fmt = null;
        int pos = 0;
        for (Object a : args) {
            if (a instanceof com.hubspot.jinjava.el.ext.NamedParameter np) {
                if (np.getName().equals("utc")) {
                    utc = np.getValue();
                } else if (np.getName().equals("fmt")) {
                    fmt = np.getValue();
                }
            } else if (pos++ == 0) {
                utc = a;
            } else {
                fmt = a;
            }
        }
        java.time.ZonedDateTime t = toBool(utc) ? java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                : java.time.ZonedDateTime.now();
        if (fmt != null) {
            return com.hubspot.jinjava.objects.date.StrftimeFormatter.format(t, Py.str(fmt));
        }
        return new com.hubspot.jinjava.objects.date.PyishDate(t);
    }

    public static Object dictFn(Object... args) {
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Object a : args) {
            if (a instanceof Map<?, ?> m) {
                out.putAll(m);
            } else {
                for (Object pair : toList(a)) {
                    List<Object> kv = toList(pair);
                    out.put(kv.get(0), kv.get(1));
                }
            }
        }
        return out;
    }

    /** Ansible's lookup(): strings are joined with commas, a single other value is unwrapped. */
    public static Object lookup(String name, Object... terms) {
        List<Object> r = runLookup(name, terms);
        if (r.stream().allMatch(o -> o instanceof CharSequence)) {
            List<String> parts = new ArrayList<>();
            for (Object o : r) {
                parts.add(o.toString());
            }
            return String.join(",", parts);
        }
        return r.size() == 1 ? r.get(0) : r;
    }

    public static Object query(String name, Object... terms) {
        return runLookup(name, terms);
    }

    private static List<Object> runLookup(String fqcn, Object[] terms) {
        String name = fqcn.startsWith("ansible.builtin.") ? fqcn.substring("ansible.builtin.".length()) : fqcn;
        List<Object> args = new ArrayList<>();
        for (Object t : terms) {
            check(t);
            if (t instanceof com.hubspot.jinjava.el.ext.NamedParameter) {
                continue;
            }
            args.add(t);
        }
        List<Object> out = new ArrayList<>();
        switch (name) {
            case "env" -> {
                for (Object t : args) {
                    String v = System.getenv(Py.str(t));
                    out.add(v == null ? "" : v);
                }
            }
            case "file" -> {
                for (Object t : args) {
                    Path p = find(Py.str(t), "files");
                    try {
                        out.add(Files.readString(p).stripTrailing());
                    } catch (IOException e) {
                        throw Engine.fail(new TemplateException("could not read file " + p + ": " + e.getMessage()));
                    }
                }
            }
            case "template" -> {
                for (Object t : args) {
                    Path p = find(Py.str(t), "templates");
                    try {
                        out.add(Templar.engine().renderFile(Files.readString(p)));
                    } catch (IOException e) {
                        throw Engine.fail(new TemplateException("could not read template " + p + ": " + e.getMessage()));
                    } catch (TemplateException e) {
                        throw Engine.fail(e);
                    }
                }
            }
            case "vars" -> {
                Engine.Scope s = Engine.scope();
                for (Object t : args) {
                    String n = Py.str(t);
                    if (!s.vars.containsKey(n)) {
                        throw Engine.fail(new TemplateException("No variable found with this name: " + n, n));
                    }
                    out.add(Lazy.value(s.vars, n, s.vars.get(n)));
                }
            }
            case "pipe" -> {
                for (Object t : args) {
                    out.add(pipe(Py.str(t)));
                }
            }
            case "items", "list" -> {
                for (Object t : args) {
                    if (t instanceof List<?> l && name.equals("items")) {
                        out.addAll(l);
                    } else {
                        out.add(t);
                    }
                }
            }
            case "dict" -> {
                for (Object t : args) {
                    for (Map.Entry<?, ?> e : mapOf(t).entrySet()) {
                        Map<Object, Object> item = new LinkedHashMap<>();
                        item.put("key", e.getKey());
                        item.put("value", e.getValue());
                        out.add(item);
                    }
                }
            }
            default -> throw Engine.fail(new TemplateException("lookup plugin (" + name + ") not found"));
        }
        return out;
    }

    private static String pipe(String command) {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            p.getErrorStream().readAllBytes();
            int rc = p.waitFor();
            if (rc != 0) {
                throw Engine.fail(new TemplateException("lookup_plugin.pipe(" + command + ") returned " + rc));
            }
            return new String(out, StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            throw Engine.fail(new TemplateException("lookup_plugin.pipe(" + command + ") failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Engine.fail(new TemplateException("lookup_plugin.pipe(" + command + ") interrupted"));
        }
    }

    /** A template file searched as the template lookup does, or null. */
    static Path templatePath(String file) {
        try {
            return find(file, "templates");
        } catch (Engine.Abort e) {
            Engine.Scope s = Engine.scope();
            if (s != null && s.failure == e.error) {
                s.failure = null;
            }
            return null;
        }
    }

    private static Path find(String file, String sub) {
        Path p = Path.of(file);
        if (p.isAbsolute()) {
            return p;
        }
        Engine.Scope s = Engine.scope();
        List<Path> candidates = new ArrayList<>();
        for (String var : List.of("role_path", "playbook_dir")) {
            if (s != null && s.vars.get(var) != null) {
                Path base = Path.of(Py.str(Lazy.value(s.vars, var, s.vars.get(var))));
                candidates.add(base.resolve(sub).resolve(file));
                if (var.equals("role_path")) {
                    candidates.add(base.resolve(file));
                }
            }
        }
        if (s != null && s.vars.get("playbook_dir") != null) {
            candidates.add(Path.of(Py.str(Lazy.value(s.vars, "playbook_dir", s.vars.get("playbook_dir")))).resolve(file));
        }
        for (Path c : candidates) {
            if (Files.exists(c)) {
                return c;
            }
        }
        if (Files.exists(p)) {
            return p;
        }
        throw Engine.fail(new TemplateException("Unable to find '" + file + "' in expected paths"));
    }

    /** Loose version comparison (numbers numerically, words alphabetically). */
    static final class Version {
        static int compare(String a, String b) {
            List<Object> x = parts(a);
            List<Object> y = parts(b);
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                Object p = x.get(i);
                Object q = y.get(i);
                int c;
                if (p instanceof Long lp && q instanceof Long lq) {
                    c = Long.compare(lp, lq);
                } else if (p instanceof Long) {
                    c = -1;
                } else if (q instanceof Long) {
                    c = 1;
                } else {
                    c = p.toString().compareTo(q.toString());
                }
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.size(), y.size());
        }

        private static List<Object> parts(String v) {
            List<Object> out = new ArrayList<>();
            Matcher m = Pattern.compile("\\d+|[a-z]+").matcher(v.toLowerCase());
            while (m.find()) {
                String p = m.group();
                out.add(Character.isDigit(p.charAt(0)) ? (Object) Long.parseLong(p) : p);
            }
            return out;
        }
    }

}
