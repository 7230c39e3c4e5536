package dev.drover.modules.ansible;

import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plugin routing as Ansible reads it from {@code ansible_builtin_runtime.yml} and a collection's
 * {@code meta/runtime.yml}: {@code plugin_routing.<modules|action>.<name>} with {@code redirect},
 * {@code tombstone} and {@code deprecation}. Each file is read once, when a name needs it.
 */
final class Routing {
    /** One routing entry: where the name goes, or that it was removed, and the warning Ansible prints. */
    record Route(String redirect, String tombstone, String deprecation) {
    }

    private final Map<Path, Map<?, ?>> files = new ConcurrentHashMap<>();

    Optional<Route> module(Path runtimeYml, String name) {
        return entry(runtimeYml, "modules", name);
    }

    Optional<Route> action(Path runtimeYml, String name) {
        return entry(runtimeYml, "action", name);
    }

    private Optional<Route> entry(Path runtimeYml, String type, String name) {
        Map<?, ?> doc = files.computeIfAbsent(runtimeYml, Routing::read);
        if (!(doc.get("plugin_routing") instanceof Map<?, ?> routing) || !(routing.get(type) instanceof Map<?, ?> byName)
                || !(byName.get(name) instanceof Map<?, ?> e)) {
            return Optional.empty();
        }
        String redirect = e.get("redirect") == null ? null : String.valueOf(e.get("redirect"));
        String tombstone = null;
        if (e.containsKey("tombstone")) {
            tombstone = text(e.get("tombstone"), "has been removed");
        }
        String deprecation = e.containsKey("deprecation") ? text(e.get("deprecation"), "is deprecated") : null;
        return Optional.of(new Route(redirect, tombstone, deprecation));
    }

    private static String text(Object v, String fallback) {
        if (v instanceof Map<?, ?> m) {
            Object w = m.get("warning_text");
            String when = m.get("removal_version") != null ? " (removed in version " + m.get("removal_version") + ")"
                    : m.get("removal_date") != null ? " (removed after " + m.get("removal_date") + ")" : "";
            return (w == null ? fallback : String.valueOf(w)) + when;
        }
        return fallback;
    }

    private static Map<?, ?> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return YamlLoader.loadData(file) instanceof Map<?, ?> m ? m : Map.of();
        } catch (YamlException | RuntimeException e) {
            return Map.of(); // a collection with unreadable routing routes nothing, as a missing file
        }
    }
}
