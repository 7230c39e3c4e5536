package dev.drover.playbook;

import dev.drover.yaml.Location;
import java.nio.file.Path;
import java.util.Map;

/**
 * One task: an action (a module name, or {@code meta}, {@code include_tasks}, …) with its
 * arguments, and its keywords in {@link #scope()} (whose parents are the enclosing blocks,
 * role and play).
 *
 * @param action    the action as written, without the {@code ansible.builtin.} prefix
 * @param args      the arguments as written (free-form text is parsed into {@code k=v} pairs and
 *                  {@code _raw_params})
 * @param argLocations where each argument is, for messages
 * @param file      the file the task is in (for relative paths: {@code include_tasks}, templates)
 * @param handler   true for a handler
 */
public record Task(String name, String action, Map<String, Object> args, Map<String, Location> argLocations,
                   Scope scope, Location location, Location actionLocation, Path file, boolean handler)
        implements TaskNode {

    public Task {
        args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
        argLocations = Map.copyOf(argLocations);
    }

    /** A keyword set on this task itself (not inherited). */
    public Object own(String keyword) {
        return scope.keywords().get(keyword);
    }

    /** The name shown in TASK [..]: the given name, or the action, prefixed with the role. */
    public String displayName() {
        String base = name != null ? name : action;
        Role r = scope.role();
        return r != null ? r.name() + " : " + base : base;
    }
}
