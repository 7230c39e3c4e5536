package dev.drover.template;

/**
 * A template that cannot be rendered. {@link #undefinedVariable()} names the variable when the
 * cause is an undefined one; the caller adds the file:line:column of the value.
 */
public class TemplateException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String undefinedVariable;

    public TemplateException(String message, String undefinedVariable) {
        super(message);
        this.undefinedVariable = undefinedVariable;
    }

    public TemplateException(String message) {
        this(message, null);
    }

    /** The name of the undefined variable that caused this, or null. */
    public String undefinedVariable() {
        return undefinedVariable;
    }
}
