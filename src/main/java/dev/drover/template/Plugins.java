package dev.drover.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.objects.collections.PyList;
import dev.drover.template.filters.Filters;
import dev.drover.template.lookups.Lookups;
import dev.drover.template.tests.Tests;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts Ansible's plugins on jinjava: the filters ({@link Filters}), the tests ({@link Tests}),
 * the lookups ({@link Lookups}) behind {@code lookup}/{@code query}/{@code q}, and the global
 * functions {@code now} and {@code dict}.
 */
final class Plugins {
    private Plugins() {
    }

    private static final Set<String> UNDEFINED_OK_FILTERS = Set.of("default", "d", "mandatory");
    private static final Set<String> UNDEFINED_OK_TESTS = Set.of("defined", "undefined");
    private static final Map<String, Lookups.Lookup> LOOKUPS = Lookups.all();

    /** A filter that refuses undefined input unless it is one of default/d/mandatory. */
    static final class F implements Filter {
        private final String name;
        private final Filters.Fn fn;

        F(String name, Filters.Fn fn) {
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
                Jinja.check(var);
                // default(other.undefined) hands the undefined on, as Jinja2 does; it fails when used
                for (Object a : args) {
                    Jinja.check(a);
                }
                for (Object a : kwargs.values()) {
                    Jinja.check(a);
                }
            }
            return fn.apply(var, args, kwargs);
        }
    }

    static final class T implements ExpTest {
        private final String name;
        private final Tests.Fn fn;

        T(String name, Tests.Fn fn) {
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
            // a keyword argument (is uri(schemes=[...])) counts as the next positional one
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof NamedParameter np) {
                    args = args.clone();
                    args[i] = np.getValue();
                }
            }
            if (!UNDEFINED_OK_TESTS.contains(name)) {
                Jinja.check(var);
            }
            for (Object a : args) {
                Jinja.check(a);
            }
            return fn.test(var, args);
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
        Filters.all().forEach((name, fn) -> g.registerFilter(new F(name, fn)));
        Tests.all().forEach((name, fn) -> g.registerExpTest(new T(name, fn)));
        try {
            for (String fn : List.of("lookup", "query", "q")) {
                java.lang.reflect.Method m = Plugins.class.getDeclaredMethod(
                        fn.equals("lookup") ? "lookup" : "query", String.class, Object[].class);
                m.setAccessible(true);
                g.registerFunction(new ELFunctionDefinition("", fn, m));
            }
            java.lang.reflect.Method now = Plugins.class.getDeclaredMethod("now", Object[].class);
            now.setAccessible(true);
            g.registerFunction(new ELFunctionDefinition("", "now", now));
            g.registerFunction(new ELFunctionDefinition("", "dict", Jinja.class.getDeclaredMethod("dict", Object[].class)));
            java.lang.reflect.Method tuple = Plugins.class.getDeclaredMethod("tuple", Object[].class);
            tuple.setAccessible(true);
            g.registerFunction(new ELFunctionDefinition("", Preprocess.TUPLE, tuple));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- functions

    /** The tuple literals {@code ()} and {@code (x,)}, which {@link Preprocess} rewrites to this call. */
    public static Object tuple(Object... items) {
        return new Py.Tuple(java.util.Arrays.asList(items));
    }

    /** Ansible's now(utc=False, fmt=None): the controller's current time. */
    public static Object now(Object... args) {
        Object utc = false;
        Object fmt = null;
        int pos = 0;
        for (Object a : args) {
            if (a instanceof NamedParameter np) {
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
        java.time.ZonedDateTime t = Jinja.toBool(utc) ? java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                : java.time.ZonedDateTime.now();
        if (fmt != null) {
            return com.hubspot.jinjava.objects.date.StrftimeFormatter.format(t, Py.str(fmt));
        }
        return new com.hubspot.jinjava.objects.date.PyishDate(t);
    }

    /**
     * Ansible's lookup(): the lookup's list of strings joined with commas, a single other value
     * unwrapped, several values as the list (an empty list stays a list); {@code wantlist=True}
     * gives the list as query() does.
     */
    public static Object lookup(String name, Object... terms) {
        return runLookup(name, terms, false);
    }

    /** query() / q(): always the lookup's list. */
    public static Object query(String name, Object... terms) {
        return runLookup(name, terms, true);
    }

    private static Object runLookup(String fqcn, Object[] terms, boolean query) {
        String name = fqcn.startsWith("ansible.builtin.") ? fqcn.substring("ansible.builtin.".length()) : fqcn;
        List<Object> args = new ArrayList<>();
        Map<String, Object> options = new LinkedHashMap<>();
        for (Object t : terms) {
            Jinja.check(t);
            if (t instanceof NamedParameter np) {
                Jinja.check(np.getValue());
                options.put(np.getName(), np.getValue());
                continue;
            }
            args.add(t);
        }
        Lookups.Lookup lookup = LOOKUPS.get(name);
        if (lookup == null) {
            throw Jinja.fail(new TemplateException("lookup plugin (" + name + ") not found"));
        }
        boolean wantlist = query || Jinja.toBool(options.getOrDefault("wantlist", false));
        String errors = Py.str(options.getOrDefault("errors", "strict"));
        options.remove("wantlist");
        options.remove("errors");
        options.remove("allow_unsafe");
        List<Object> ran;
        Engine.Scope scope = Engine.scope();
        TemplateException before = scope == null ? null : scope.failure;
        try {
            ran = lookup.run(args, options);
        } catch (Engine.Abort e) {
            // an undefined variable is never ignored; the lookup's own errors follow errors=
            if (errors.equals("strict") || e.error.undefinedVariable() != null) {
                throw e;
            }
            if (scope != null && scope.failure == e.error) {
                scope.failure = before;
            }
            return wantlist ? new ArrayList<>() : null;
        } catch (RuntimeException e) {
            // a lookup's own defect or a bad argument (a string where a number was needed …)
            if (errors.equals("strict")) {
                throw Jinja.fail(new TemplateException("An unhandled exception occurred while running the lookup plugin '"
                        + name + "'. Error was a " + e.getClass().getSimpleName() + ", original message: " + e.getMessage()));
            }
            return wantlist ? new ArrayList<>() : null;
        }
        if (wantlist || ran.isEmpty()) {
            return ran;
        }
        if (ran.stream().allMatch(o -> o instanceof CharSequence)) {
            List<String> parts = new ArrayList<>();
            for (Object o : ran) {
                parts.add(o.toString());
            }
            return String.join(",", parts);
        }
        return ran.size() == 1 ? ran.get(0) : ran;
    }
}
