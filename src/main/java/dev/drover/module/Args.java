package dev.drover.module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A task's arguments after templating, read through the module's {@link ModuleSpec}: aliases
 * resolve to the parameter's name, defaults apply, and values are coerced as Ansible coerces them.
 */
public final class Args {
    private final ModuleSpec spec;
    private final Map<String, Object> values;

    public Args(ModuleSpec spec, Map<String, ?> given) {
        this.spec = spec;
        Map<String, Object> v = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : given.entrySet()) {
            String name = spec.param(e.getKey()).map(Param::name).orElse(e.getKey());
            v.put(name, e.getValue());
        }
        for (Param p : spec.params()) {
            if (!v.containsKey(p.name()) && p.defaultValue() != null) {
                v.put(p.name(), p.defaultValue());
            }
        }
        this.values = v;
    }

    /** All values by canonical name (defaults included). */
    public Map<String, Object> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    public Object raw(String name) {
        return values.get(name);
    }

    public String str(String name) {
        Object v = values.get(name);
        return v == null ? null : stringOf(v);
    }

    public String requireStr(String name) throws ModuleException {
        String v = str(name);
        if (v == null) {
            throw new ModuleException("missing required arguments: " + name);
        }
        return v;
    }

    public Optional<String> optStr(String name) {
        return Optional.ofNullable(str(name));
    }

    public boolean bool(String name) throws ModuleException {
        Object v = values.get(name);
        if (v == null) {
            return false;
        }
        Boolean b = toBool(v);
        if (b == null) {
            throw new ModuleException("argument '" + name + "' is of type " + typeName(v)
                    + " and we were unable to convert to bool: The value '" + stringOf(v)
                    + "' is not a valid boolean.");
        }
        return b;
    }

    public Integer integer(String name) throws ModuleException {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(stringOf(v).trim());
        } catch (NumberFormatException e) {
            throw new ModuleException("argument '" + name + "' is of type " + typeName(v)
                    + " and we were unable to convert to int: " + stringOf(v));
        }
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        String s = stringOf(v);
        if (s.isEmpty()) {
            return List.of();
        }
        return new ArrayList<>(Arrays.asList((Object[]) s.split("\\s*,\\s*")));
    }

    public List<String> strings(String name) {
        List<String> out = new ArrayList<>();
        for (Object o : list(name)) {
            out.add(stringOf(o));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String name) {
        Object v = values.get(name);
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        return Map.of();
    }

    /**
     * A mode as chmod takes it: an integer's value is the mode (YAML {@code 0644} is 420 = 0644),
     * an octal string is normalised to four digits, a symbolic mode ({@code u=rw,g=r}) is kept.
     */
    public String mode(String name) throws ModuleException {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        return Modes.normalise(v);
    }

    public ModuleSpec spec() {
        return spec;
    }

    /** Ansible's boolean conversion (see {@link dev.drover.yaml.Booleans}); null when not a boolean. */
    public static Boolean toBool(Object v) {
        return dev.drover.yaml.Booleans.parse(v);
    }

    /** Text as Ansible turns a scalar into a string ({@code True} for true). */
    public static String stringOf(Object v) {
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(v);
    }

    private static String typeName(Object v) {
        if (v instanceof String) {
            return "str";
        }
        if (v instanceof Integer || v instanceof Long) {
            return "int";
        }
        if (v instanceof List) {
            return "list";
        }
        if (v instanceof Map) {
            return "dict";
        }
        return v.getClass().getSimpleName();
    }
}
