package dev.drover.module;

import java.util.Map;

/** The task fails on this host; {@code values} are registered with the failure (rc, stdout…). */
public class ModuleException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Map<String, Object> values;

    public ModuleException(String message) {
        this(message, Map.of());
    }

    public ModuleException(String message, Map<String, Object> values) {
        super(message);
        // None values (rc: null, as Ansible's modules return them) are kept, in order
        this.values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    public Map<String, Object> values() {
        return values;
    }
}
