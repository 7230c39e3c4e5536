package dev.drover.template;

import java.util.Map;

/**
 * Jinja2 templating with Ansible's semantics, on jinjava. Thread-safe; one instance per run.
 *
 * <p>STUB: the API the engine codes against. Implementation in progress.
 */
public final class Templar {

    /** Creates the templar; jinjava's start-up cost is paid here (call {@link #warmUpAsync()} early). */
    public static Templar create() {
        return new Templar();
    }

    /** Starts loading jinjava on a background thread so the first render does not wait. */
    public static void warmUpAsync() {
    }

    /** True when {@code s} contains {@code {{}, {@code {%} or {@code {#}. */
    public static boolean isTemplated(String s) {
        return s != null && (s.contains("{{") || s.contains("{%") || s.contains("{#"));
    }

    /**
     * Renders a value deeply: strings with template markup are rendered, lists and maps walked,
     * other values returned as they are. A string that is exactly one {@code {{ expr }}} keeps
     * the expression's type (list, int, dict, bool), as Ansible does. Variables whose values are
     * themselves templates are rendered when used (lazily, with a cycle guard).
     *
     * @throws TemplateException on an undefined variable (naming it) or a syntax error
     */
    public Object render(Object value, Map<String, Object> vars) throws TemplateException {
        throw new UnsupportedOperationException("stub");
    }

    /** Renders a whole text as the template module does (trim_blocks on), always to a string. */
    public String renderText(String template, Map<String, Object> vars) throws TemplateException {
        throw new UnsupportedOperationException("stub");
    }

    /** Evaluates a bare expression ({@code foo | length > 2}) to its value. */
    public Object evaluate(String expression, Map<String, Object> vars) throws TemplateException {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * Evaluates a condition as {@code when}, {@code changed_when}, {@code failed_when} and
     * {@code assert.that} do: a bare expression (or a boolean), truthiness as Python's.
     */
    public boolean isTrue(Object condition, Map<String, Object> vars) throws TemplateException {
        throw new UnsupportedOperationException("stub");
    }

    /** A value printed as Ansible/Python prints it: {@code ['a', 'b']}, {@code True}, {@code {'k': 1}}. */
    public static String toPython(Object value) {
        throw new UnsupportedOperationException("stub");
    }

    /** Python truthiness: None, False, 0, "", [] and {} are false. */
    public static boolean truthy(Object value) {
        throw new UnsupportedOperationException("stub");
    }
}
