package dev.drover.modules;

import dev.drover.module.Module;
import java.util.Map;
import java.util.Optional;

/** STUB (replaced by the modules branch): the registry of built-in modules. */
public final class BuiltinModules {
    private BuiltinModules() {
    }

    public static Map<String, Module> all() {
        return Map.of();
    }

    public static Optional<Module> find(String name) {
        return Optional.empty();
    }
}
