package dev.drover.playbook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roles of one play, as Ansible's per-play role cache holds them: the play's {@code roles:},
 * their meta dependencies, {@code import_role}s (at load time) and {@code include_role}s (when a
 * host includes them, at run time). Thread-safe: included roles are added while hosts run.
 */
public final class PlayRoles {
    private final Map<String, Role> cache = new HashMap<>();
    private final List<Role> exported = new ArrayList<>();
    private final Set<Path> directories = new LinkedHashSet<>();
    private final Set<Role> handlersAdded = new java.util.HashSet<>();

    /**
     * Every role directory this play uses so far, in the order they were loaded: static roles and
     * their dependencies, import_role, and include_role once included (a role's {@code library/},
     * {@code module_utils/}, {@code files/}, … are under these).
     */
    public synchronized List<Path> directories() {
        return List.copyOf(directories);
    }

    /**
     * The roles whose defaults and vars every task of the play sees (Ansible's play.roles with
     * private_role_vars off): {@code roles:}, import_role, include_role with {@code public: true},
     * each with its dependencies.
     */
    public synchronized List<Role> exported() {
        return List.copyOf(exported);
    }

    synchronized Role cached(String key) {
        return cache.get(key);
    }

    synchronized void cache(String key, Role role) {
        cache.put(key, role);
        directories.add(role.path());
    }

    /** Makes a role's defaults and vars play-wide (roles:, import_role, include_role public). */
    public synchronized void export(Role role) {
        if (!exported.contains(role)) {
            exported.add(role);
        }
    }

    /** True the first time a role's handlers are asked for: Ansible adds a role's handlers once. */
    synchronized boolean firstHandlers(Role role) {
        return handlersAdded.add(role);
    }
}
