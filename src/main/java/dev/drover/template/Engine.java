package dev.drover.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.TypeConvertingMapELResolver;
import com.hubspot.jinjava.el.ext.JinjavaBeanELResolver;
import com.hubspot.jinjava.el.ext.JinjavaListELResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.objects.SafeString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import jinjava.javax.el.ArrayELResolver;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ResourceBundleELResolver;

/** The shared jinjava set-up and the per-thread render state. */
final class Engine {
    final Jinjava jinjava;

    private static final ThreadLocal<Deque<Scope>> SCOPES = ThreadLocal.withInitial(ArrayDeque::new);

    /** One top-level call: the variables, the templates being rendered (cycle guard), the first failure. */
    static final class Scope {
        final Map<String, Object> vars;
        final Set<Key> inProgress = new java.util.HashSet<>();
        final Map<Object, Object> views = new java.util.HashMap<>();
        TemplateException failure;
        /** The jinjava config of a template file render with non-default trim/lstrip; null: the global one. */
        JinjavaConfig config;
        /** The run's controller side for lookups; null: none. */
        final Controller controller;

        Scope(Map<String, Object> vars, Controller controller) {
            this.vars = vars == null ? Map.of() : vars;
            this.controller = controller;
        }
    }

    /** A variable slot: container identity plus key. */
    record Key(Object container, Object key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.container == container && Objects.equals(k.key, key);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(container) * 31 + Objects.hashCode(key);
        }
    }

    /** Thrown through jinjava to abort a render; the real error is in the scope. */
    static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final TemplateException error;

        Abort(TemplateException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    Engine() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PyResolver());
        resolver.add(new ArrayELResolver(true));
        resolver.add(new JinjavaListELResolver(true));
        resolver.add(new TypeConvertingMapELResolver(true));
        resolver.add(new ResourceBundleELResolver());
        resolver.add(new JinjavaBeanELResolver(true));
        JinjavaConfig config = config(resolver, true, false);
        for (boolean trim : new boolean[] {true, false}) {
            for (boolean lstrip : new boolean[] {true, false}) {
                blockConfigs.put(List.of(trim, lstrip), trim && !lstrip ? config : config(resolver, trim, lstrip));
            }
        }
        jinjava = new PyJinjava(config);
        // {% include %} / {% import %} read files as the template lookup finds them, never the classpath
        jinjava.setResourceLocator((name, charset, interpreter) -> {
            java.nio.file.Path path = dev.drover.template.lookups.SearchPath.locate(name, "templates");
            if (path == null) {
                throw new com.hubspot.jinjava.loader.ResourceNotFoundException("Couldn't find resource: " + name);
            }
            return java.nio.file.Files.readString(path, charset);
        });
        Plugins.register(jinjava);
    }

    private final Map<List<Boolean>, JinjavaConfig> blockConfigs = new java.util.HashMap<>();

    private static JinjavaConfig config(CompositeELResolver resolver, boolean trimBlocks, boolean lstripBlocks) {
        return JinjavaConfig.newBuilder()
                .withTrimBlocks(trimBlocks)
                .withLstripBlocks(lstripBlocks)
                .withFailOnUnknownTokens(false)
                .withNestedInterpretationEnabled(false)
                .withRangeLimit(Integer.MAX_VALUE)
                .withElResolver(resolver)
                .withInterperterFactory(new InterpreterFactory() {
                    @Override
                    public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
                        return new PyInterpreter(orig);
                    }

                    @Override
                    public JinjavaInterpreter newInstance(Jinjava j, Context c, JinjavaConfig cfg) {
                        return new PyInterpreter(j, c, cfg);
                    }
                })
                .build();
    }

    /** Prints values as Python's str() does, and refuses undefined ones. */
    static final class PyInterpreter extends JinjavaInterpreter {
        PyInterpreter(Jinjava j, Context c, JinjavaConfig cfg) {
            super(j, c, cfg);
        }

        PyInterpreter(JinjavaInterpreter orig) {
            super(orig);
        }

        @Override
        public String getAsString(Object o) {
            if (o == null) {
                return "";
            }
            if (o instanceof SafeString s) {
                return s.toString();
            }
            return Py.str(o);
        }
    }

    /** A render's context: unknown filters and tests fail as in Jinja2 instead of yielding nothing. */
    static final class PyContext extends Context {
        PyContext(Context parent) {
            super(parent);
        }

        @Override
        public com.hubspot.jinjava.lib.filter.Filter getFilter(String name) {
            com.hubspot.jinjava.lib.filter.Filter f = super.getFilter(name);
            if (f == null) {
                throw fail(new TemplateException("template error while templating string: Could not load \""
                        + name + "\": '" + name + "'"));
            }
            return f;
        }

        @Override
        public com.hubspot.jinjava.lib.exptest.ExpTest getExpTest(String name) {
            com.hubspot.jinjava.lib.exptest.ExpTest t = super.getExpTest(name);
            if (t == null) {
                throw fail(new TemplateException("template error while templating string: Could not load \""
                        + name + "\": '" + name + "'"));
            }
            return t;
        }
    }

    static Scope scope() {
        return SCOPES.get().peek();
    }

    /** Records the first failure of the current render and returns an exception that aborts it. */
    /** A {@code !vault} value read by a template: its secret text, or the template fails with the vault's message. */
    static Object reveal(dev.drover.yaml.Vaulted v) {
        try {
            return v.reveal();
        } catch (dev.drover.vault.VaultException e) {
            if (scope() == null) {
                throw e;
            }
            throw fail(new TemplateException(e.getMessage()));
        }
    }

    static RuntimeException fail(TemplateException e) {
        Scope s = scope();
        if (s != null && s.failure == null) {
            s.failure = e;
        }
        return new Abort(e);
    }

    /** Runs {@code body} with {@code vars} as the variables of a new top-level scope. */
    <T> T withScope(Map<String, Object> vars, Body<T> body) throws TemplateException {
        return withScope(vars, null, body);
    }

    /** As {@link #withScope(Map, Body)}, with the run's controller side for lookups. */
    <T> T withScope(Map<String, Object> vars, Controller controller, Body<T> body) throws TemplateException {
        Deque<Scope> stack = SCOPES.get();
        stack.push(new Scope(vars, controller));
        try {
            return body.run();
        } finally {
            stack.pop();
        }
    }

    interface Body<T> {
        T run() throws TemplateException;
    }

    private JinjavaInterpreter newInterpreter() {
        Scope scope = scope();
        Context context = new PyContext(jinjava.getGlobalContext());
        context.setDynamicVariableResolver(name -> lookupVariable(scope, name));
        JinjavaConfig cfg = scope.config != null ? scope.config : jinjava.getGlobalConfig();
        return cfg.getInterpreterFactory().newInstance(jinjava, context, cfg);
    }

    private static final Set<String> INTERNAL = Set.of("loop", "caller", "varargs", "kwargs", "self", "super");

    private static Object lookupVariable(Scope scope, String name) {
        if (name == null) {
            return null;
        }
        if (name.startsWith("__") && !name.startsWith(Preprocess.RESERVED_PREFIX)) {
            // Jinjava's own names (__macros__, ...) stay hidden, but a variable the playbook
            // defines may start with "__" (roles use __pkg_name for OS-specific values).
            return scope.vars.containsKey(name) ? Lazy.view(scope.views, scope.vars, name, scope.vars.get(name)) : null;
        }
        if (name.startsWith(Preprocess.RESERVED_PREFIX)) {
            name = name.substring(Preprocess.RESERVED_PREFIX.length());
        }
        Map<String, Object> vars = scope.vars;
        if (vars.containsKey(name)) {
            return Lazy.view(scope.views, vars, name, vars.get(name));
        }
        if (INTERNAL.contains(name)) {
            return null;
        }
        if (name.equals("True") || name.equals("true")) {
            return Boolean.TRUE;
        }
        if (name.equals("False") || name.equals("false")) {
            return Boolean.FALSE;
        }
        if (name.equals("None") || name.equals("none")) {
            return null;
        }
        return Undefined.variable(name);
    }

    /** Renders a template string in the current scope to text. */
    String renderString(String template) throws TemplateException {
        return renderString(template, true);
    }

    /** Renders a template file's text: as renderString, but string literals take Python escapes. */
    String renderFile(String template) throws TemplateException {
        return renderString(template, false);
    }

    /** As {@link #renderFile(String)} with the template module's trim_blocks and lstrip_blocks. */
    String renderFile(String template, boolean trimBlocks, boolean lstripBlocks) throws TemplateException {
        Scope scope = scope();
        JinjavaConfig saved = scope.config;
        scope.config = blockConfigs.get(List.of(trimBlocks, lstripBlocks));
        try {
            return renderString(template, false);
        } finally {
            scope.config = saved;
        }
    }

    private String renderString(String template, boolean literalBackslashes) throws TemplateException {
        // Jinja2 drops one trailing newline of the source (keep_trailing_newline=False); Ansible
        // then pads the result back to the source's count of trailing newlines
        String source = template;
        if (source.endsWith("\r\n")) {
            source = source.substring(0, source.length() - 2);
        } else if (source.endsWith("\n")) {
            source = source.substring(0, source.length() - 1);
        }
        String result = (String) run(source, false, literalBackslashes);
        int want = trailingNewlines(template);
        int have = trailingNewlines(result);
        return want > have ? result + "\n".repeat(want - have) : result;
    }

    private static int trailingNewlines(String s) {
        int n = 0;
        for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\n'; i--) {
            n++;
        }
        return n;
    }

    /** Evaluates an expression in the current scope to its (jinjava) value. */
    Object evaluateExpression(String expression) throws TemplateException {
        return run(expression, true, true);
    }

    private Object run(String text, boolean expression, boolean literalBackslashes) throws TemplateException {
        return run(text, expression, literalBackslashes, false);
    }

    /** @param tupleText a tuple result becomes its text, as Ansible renders one expression's tuple */
    private Object run(String text, boolean expression, boolean literalBackslashes, boolean tupleText)
            throws TemplateException {
        Scope scope = scope();
        TemplateException saved = scope.failure;
        scope.failure = null;
        JinjavaInterpreter interpreter = newInterpreter();
        JinjavaInterpreter.pushCurrent(interpreter);
        Object result;
        try {
            String source = Preprocess.source(text, expression, literalBackslashes);
            result = expression ? interpreter.resolveELExpression(source, 1) : interpreter.render(source);
            if (expression && scope.failure == null) {
                result = tupleText && isTuple(result) ? Py.str(result) : materialize(result);
            }
        } catch (Abort e) {
            result = null;
        } catch (RuntimeException e) {
            if (scope.failure == null) {
                scope.failure = new TemplateException("template error while templating string: "
                        + e.getMessage() + ". String: " + text);
            }
            result = null;
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        TemplateException failure = scope.failure;
        scope.failure = saved;
        if (failure != null) {
            throw failure;
        }
        for (TemplateError error : interpreter.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TemplateException("template error while templating string: " + error.getMessage()
                        + ". String: " + text);
            }
        }
        return result;
    }

    /** Renders a variable's template string lazily, guarding against cycles. */
    static Object renderVariable(Object container, Object key, String template) {
        Scope scope = scope();
        if (scope == null) {
            return template;
        }
        Key k = new Key(container, key);
        if (!scope.inProgress.add(k)) {
            throw fail(new TemplateException("recursive loop detected in template string: " + template));
        }
        try {
            return Templar.engine().renderValue(template);
        } catch (TemplateException e) {
            if (e.undefinedVariable() != null) {
                return new Undefined(e.getMessage(), e.undefinedVariable());
            }
            throw fail(e);
        } finally {
            scope.inProgress.remove(k);
        }
    }

    /** A string as Ansible templates it: one {{ expr }} keeps its type, anything else is text. */
    Object renderValue(String s) throws TemplateException {
        if (!Templar.isTemplated(s)) {
            return s;
        }
        String expr = singleExpression(s);
        if (expr != null) {
            Object v = run(expr, true, true, true);
            if (v instanceof String str) {
                return TEXT_FILTER.matcher(expr).find() ? str : literal(str);
            }
            return v;
        }
        // Jinja2 drops one trailing newline, so "{{ x }}\n" is one node: Ansible keeps a bool,
        // list or dict value as it is (no newline), and pads anything else back to text
        if (s.endsWith("\n") && (expr = singleExpression(s.substring(0, s.length() - 1))) != null) {
            Object v = run(expr, true, true, true);
            if (v instanceof Boolean || v instanceof List<?> || v instanceof Map<?, ?>) {
                return v;
            }
        }
        return renderString(s);
    }

    /** Filters whose text Ansible keeps as text (NativeJinjaText) rather than converting it back. */
    private static final java.util.regex.Pattern TEXT_FILTER = java.util.regex.Pattern.compile(
            "\\|\\s*(?:ansible\\.builtin\\.)?(?:to_json|to_nice_json|to_yaml|to_nice_yaml|string|tojson|quote)"
            + "\\s*(?:\\([^|]*\\))?\\s*$");

    /**
     * Ansible's conversion of one expression's text result: text that looks like a list, a dict
     * or a bool ({@code [...]}, {@code {...}}, {@code True}, {@code False}) becomes that value
     * when it is a Python literal.
     */
    static Object literal(String s) {
        if (s.startsWith("[") || s.startsWith("{") || s.equals("True") || s.equals("False")) {
            return PyLiteral.parse(s, s);
        }
        return s;
    }

    /**
     * The expression of a string that is exactly one {@code {{ expr }}}; null otherwise. Whitespace
     * around the braces makes it text, as in Ansible ({@code "{{ x }}\n"} keeps its newline).
     */
    static String singleExpression(String s) {
        String t = s;
        if (!t.startsWith("{{") || !t.endsWith("}}") || t.length() < 4) {
            return null;
        }
        String inner = t.substring(2, t.length() - 2);
        if (inner.contains("{{") || inner.contains("{%") || inner.contains("{#")) {
            return null;
        }
        if (inner.startsWith("-")) {
            inner = inner.substring(1);
        }
        if (inner.endsWith("-") && !inner.endsWith("--")) {
            inner = inner.substring(0, inner.length() - 1);
        }
        return inner.isBlank() ? null : inner;
    }

    /** A Python tuple: drover's, or the plain PyList jinjava parses {@code (a, b)} into. */
    private static boolean isTuple(Object v) {
        return v != null && (Py.unwrapTuple(v) instanceof Py.Tuple
                || v.getClass() == com.hubspot.jinjava.objects.collections.PyList.class);
    }

    /** Deep-converts a jinjava value to plain Java data; fails on an undefined value. */
    static Object materialize(Object v) {
        if (v instanceof Undefined u) {
            throw u.fail();
        }
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer
                || v instanceof Double || v instanceof BigInteger) {
            return v;
        }
        if (v instanceof Long l) {
            return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) l.intValue() : l;
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v instanceof Float || v instanceof BigDecimal) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof CharSequence cs) {
            return cs.toString();
        }
        if (v instanceof Character c) {
            return c.toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(materialize(e.getKey()), materialize(e.getValue()));
            }
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(materialize(o));
            }
            return out;
        }
        if (v instanceof Object[] arr) {
            List<Object> out = new ArrayList<>(arr.length);
            for (Object o : arr) {
                out.add(materialize(o));
            }
            return out;
        }
        if (v instanceof Map.Entry<?, ?> e) {
            return new ArrayList<>(List.of(materialize(e.getKey()), materialize(e.getValue())));
        }
        return v;
    }
}
