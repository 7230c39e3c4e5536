package dev.drover.template;

import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.util.Iterator;

/**
 * Jinja2's StrictUndefined: a name (or attribute) that has no value. Only {@code default},
 * {@code is defined}/{@code is undefined} and {@code mandatory} may touch it; any other use
 * fails the render with its message.
 */
public final class Undefined implements HasObjectTruthValue, Iterable<Object> {
    private final String message;
    private final String name;

    public Undefined(String message, String name) {
        this.message = message;
        this.name = name;
    }

    static Undefined variable(String name) {
        return new Undefined("'" + name + "' is undefined", name);
    }

    public String message() {
        return message;
    }

    public String name() {
        return name;
    }

    /** Records the failure on the current render and returns the exception to throw. */
    public RuntimeException fail() {
        return Engine.fail(new TemplateException(message, name));
    }

    @Override
    public boolean getObjectTruthValue() {
        throw fail();
    }

    @Override
    public Iterator<Object> iterator() {
        throw fail();
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        throw fail();
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "";
    }
}
