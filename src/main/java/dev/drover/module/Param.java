package dev.drover.module;

import java.util.List;

/**
 * One parameter a module accepts.
 *
 * @param templated false for parameters whose value is an expression the module evaluates itself
 *                  (debug's {@code var}, assert's {@code that}): the engine leaves them raw
 */
public record Param(String name, ParamType type, boolean required, Object defaultValue,
                    List<String> aliases, List<String> choices, boolean templated) {

    public static Param of(String name, ParamType type) {
        return new Param(name, type, false, null, List.of(), List.of(), true);
    }

    public static Param required(String name, ParamType type) {
        return new Param(name, type, true, null, List.of(), List.of(), true);
    }

    public Param withDefault(Object value) {
        return new Param(name, type, required, value, aliases, choices, templated);
    }

    public Param withAliases(String... names) {
        return new Param(name, type, required, defaultValue, List.of(names), choices, templated);
    }

    public Param withChoices(String... values) {
        return new Param(name, type, required, defaultValue, aliases, List.of(values), templated);
    }

    public Param raw() {
        return new Param(name, type, required, defaultValue, aliases, choices, false);
    }
}
