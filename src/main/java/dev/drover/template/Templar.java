package dev.drover.template;

import dev.drover.vault.VaultException;
import dev.drover.yaml.Vaulted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Jinja2 templating with Ansible's (ansible-core 2.14) semantics, on jinjava. Thread-safe; one
 * instance per run, shared by all host threads.
 *
 * <ul>
 *   <li>Values are plain Java data (maps, lists, strings, numbers, booleans, null); results are
 *       plain Java data too (LinkedHashMap, ArrayList, String, Integer/Long/BigInteger, Double,
 *       Boolean, null). A {@code !vault} value ({@link Vaulted}) is decrypted with the run's
 *       {@link dev.drover.vault.Keyring} when a template reads it or {@link #render} meets it
 *       (and remembered for masking); without a password that opens it the template fails with
 *       the vault's message.
 *   <li>Variables whose values are template strings are rendered when read (also inside nested
 *       maps and lists), with a guard against cycles ("recursive loop detected in template
 *       string: ...").
 *   <li>Undefined names fail with Ansible's message ({@code 'foo' is undefined},
 *       {@code 'dict object' has no attribute 'bar'}) on any use except {@code default},
 *       {@code is defined}/{@code is undefined} and {@code mandatory}.
 *   <li>Text output prints values as Python's str() does ({@code [1, 'a']}, {@code True},
 *       {@code {'k': 1}}; None prints as an empty string, as Ansible's finalize does).
 *   <li>trim_blocks is on and lstrip_blocks off everywhere, and trailing newlines of the source
 *       are kept, as in Ansible. In strings rendered by {@link #render}, {@link #evaluate} and
 *       {@link #isTrue} a backslash inside a string literal is literal (Ansible's
 *       escape_backslashes); in {@link #renderText} (template files) Python escapes apply.
 *   <li>Python str/dict methods, Python operators ({@code in}, {@code %}, {@code *}, {@code ~}),
 *       Ansible's filters, tests and lookups (also as {@code ansible.builtin.*}) are available:
 *       see {@code filters/Filters}, {@code tests/Tests} and {@code lookups/Lookups}. Lookups that
 *       need the run (inventory_hostnames) ask the {@link Controller} given to {@link #create(Controller)}.
 * </ul>
 */
public final class Templar {
    private static final Object LOCK = new Object();
    private static CompletableFuture<Engine> warming;

    private final Controller controller;

    private Templar(Controller controller) {
        this.controller = controller;
    }

    /**
     * Creates the templar. jinjava's start-up cost is paid at the first render that needs it (call
     * {@link #warmUpAsync()} early to pay it on another thread): a run whose values hold no template
     * markup never waits for it.
     */
    public static Templar create() {
        return new Templar(null);
    }

    /** As {@link #create()}, with the run's controller side that lookups such as inventory_hostnames read. */
    public static Templar create(Controller controller) {
        return new Templar(controller);
    }

    /** Starts loading jinjava on a background thread so the first render does not wait. */
    public static void warmUpAsync() {
        synchronized (LOCK) {
            if (warming != null) {
                return;
            }
            warming = new CompletableFuture<>();
            CompletableFuture<Engine> f = warming;
            Thread t = new Thread(() -> {
                try {
                    Engine e = new Engine();
                    // the engine is ready: a caller need not wait for the warm-up render, which only
                    // loads classes (scopes are per thread, so it can render beside the run)
                    f.complete(e);
                    warmUp(e);
                } catch (Throwable ex) {
                    f.completeExceptionally(ex);
                }
            }, "drover-template-warmup");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void warmUp(Engine e) {
        try {
            e.withScope(Map.of("x", List.of(1)), () -> {
                e.renderString("{% for i in x %}{{ i | string | upper }}{% endfor %}{{ x is defined }}");
                return e.evaluateExpression("x | length > 0");
            });
        } catch (TemplateException ignored) {
            // only loading classes
        }
    }

    /** The shared engine, built once (by {@link #warmUpAsync()} when it ran). */
    static Engine engine() {
        CompletableFuture<Engine> f;
        synchronized (LOCK) {
            if (warming == null) {
                warming = CompletableFuture.completedFuture(new Engine());
            }
            f = warming;
        }
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            // the background start failed: build here, so the caller sees the real error if any
            synchronized (LOCK) {
                if (warming == f) {
                    warming = CompletableFuture.completedFuture(new Engine());
                }
                return warming.join();
            }
        }
    }

    /** True when {@code s} contains {@code {{}, {@code {%} or {@code {#}. */
    public static boolean isTemplated(String s) {
        return s != null && (s.contains("{{") || s.contains("{%") || s.contains("{#"));
    }

    /**
     * Renders a value deeply: strings with template markup are rendered, lists and maps walked
     * (keys too), other values returned as they are. A string that is exactly one
     * {@code {{ expr }}} keeps the expression's type (list, int, dict, bool, null).
     *
     * @throws TemplateException on an undefined variable (naming it) or a syntax error
     */
    public Object render(Object value, Map<String, Object> vars) throws TemplateException {
        if (!hasMarkup(value)) {
            return renderDeep(value); // copies, reveals vault values: no template engine needed
        }
        return engine().withScope(vars, controller, () -> renderDeep(value));
    }

    /** True when a string somewhere in this value (keys too) holds template markup. */
    private static boolean hasMarkup(Object value) {
        if (value instanceof String s) {
            return isTemplated(s);
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (hasMarkup(e.getKey()) || hasMarkup(e.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof List<?> l) {
            for (Object o : l) {
                if (hasMarkup(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Object renderDeep(Object value) throws TemplateException {
        if (value instanceof Vaulted v) {
            try {
                return v.reveal();
            } catch (VaultException e) {
                throw new TemplateException(e.getMessage());
            }
        }
        if (value instanceof String s) {
            if (!isTemplated(s)) {
                return s;
            }
            Object r = engine().renderValue(s);
            return r instanceof String ? r : Engine.materialize(r);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(renderDeep(e.getKey()), renderDeep(e.getValue()));
            }
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(renderDeep(o));
            }
            return out;
        }
        return value;
    }

    /**
     * Renders a whole text as the template module does: trim_blocks on, lstrip_blocks off, the
     * trailing newline kept; always a string.
     */
    public String renderText(String template, Map<String, Object> vars) throws TemplateException {
        return engine().withScope(vars, controller, () -> engine().renderFile(template));
    }

    /** As {@link #renderText(String, Map)} with Jinja2's trim_blocks and lstrip_blocks set as given. */
    public String renderText(String template, Map<String, Object> vars, boolean trimBlocks, boolean lstripBlocks)
            throws TemplateException {
        return engine().withScope(vars, controller, () -> engine().renderFile(template, trimBlocks, lstripBlocks));
    }

    /** Evaluates a bare expression ({@code foo | length > 2}) to its value, as plain Java data. */
    public Object evaluate(String expression, Map<String, Object> vars) throws TemplateException {
        return engine().withScope(vars, controller, () -> {
            String e = expression.strip();
            String single = Engine.singleExpression(e);
            if (single != null) {
                return Engine.materialize(engine().renderValue(e));
            }
            if (isTemplated(e)) {
                return engine().renderString(e);
            }
            return engine().evaluateExpression(e);
        });
    }

    /**
     * Evaluates a condition as {@code when}, {@code changed_when}, {@code failed_when} and
     * {@code assert.that} do: a boolean, a bare expression, a templated string or a list of
     * conditions (all must hold); truthiness as Python's.
     */
    public boolean isTrue(Object condition, Map<String, Object> vars) throws TemplateException {
        if (condition instanceof List<?> l) {
            for (Object c : l) {
                if (!isTrue(c, vars)) {
                    return false;
                }
            }
            return true;
        }
        if (!(condition instanceof String s)) {
            return truthy(condition);
        }
        return engine().withScope(vars, controller, () -> conditionTrue(s));
    }

    private boolean conditionTrue(String s) throws TemplateException {
        String c = s.strip();
        if (c.isEmpty()) {
            return false;
        }
        Object value;
        if (isTemplated(c)) {
            value = engine().renderValue(c);
            if (value instanceof String r) {
                String t = r.strip();
                if (t.isEmpty()) {
                    return false;
                }
                Boolean b = boolWord(t);
                if (b != null) {
                    return b;
                }
                value = engine().evaluateExpression(t);
            }
        } else {
            Boolean b = boolWord(c);
            value = b != null ? b : engine().evaluateExpression(c);
        }
        return truthy(value);
    }

    private static Boolean boolWord(String s) {
        switch (s.toLowerCase()) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0", "none", "null":
                return false;
            default:
                return null;
        }
    }

    /**
     * The variables a template string reads: each root name used in {@code {{ }}} or
     * {@code {% %}} that is not bound by the template itself, a keyword, a global function, nor
     * guarded ({@code is defined}, {@code | default}, …). Empty when the template is not
     * understood (never a name by mistake); see {@link #references(String)} for guarded names too.
     */
    public static java.util.Set<String> referencedNames(String template) {
        return references(template).names();
    }

    /** As {@link #referencedNames}, for a bare expression ({@code when}, {@code assert.that}). */
    public static java.util.Set<String> referencedNamesInExpression(String expression) {
        return referencesInExpression(expression).names();
    }

    /**
     * What a template reads.
     *
     * @param names   root names read without a guard
     * @param guarded root names some use of which is guarded by {@code is defined},
     *                {@code is undefined}, {@code | default}, {@code | d} or {@code | mandatory}
     */
    public record Refs(java.util.Set<String> names, java.util.Set<String> guarded) {
    }

    /** Unguarded and guarded names of a template string (see {@link #referencedNames}). */
    public static Refs references(String template) {
        References.Refs r = References.ofTemplate(template);
        return new Refs(r.names(), r.guarded());
    }

    /** Unguarded and guarded names of a bare expression; a templated string is read as a template. */
    public static Refs referencesInExpression(String expression) {
        References.Refs r = References.ofExpression(expression);
        return new Refs(r.names(), r.guarded());
    }

    /** A value printed as Ansible/Python prints it: {@code ['a', 'b']}, {@code True}, {@code {'k': 1}}. */
    public static String toPython(Object value) {
        return Py.repr(value);
    }

    /** Python truthiness: None, False, 0, "", [] and {} are false. */
    public static boolean truthy(Object value) {
        return Py.truthy(value);
    }
}
