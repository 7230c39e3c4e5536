package dev.drover.engine;

import dev.drover.playbook.Role;
import dev.drover.playbook.Task;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which roles have run on which hosts in one play, for Ansible's "each role once per play":
 * a role is complete on a host when the host reaches the end of one use of it after at least one
 * of its tasks ran there (ok, changed or failed; not skipped). Later uses of the same role (same
 * parameters: the same {@link Role}) skip its tasks on that host, unless the role allows
 * duplicates. Handlers are never skipped so.
 */
final class RoleRuns {
    private final Map<Role, Set<String>> ran = new HashMap<>();
    private final Map<Role, Set<String>> completed = new HashMap<>();

    /** A task's result on a host: its role has run there unless it was skipped or unreachable. */
    synchronized void taskDone(Task task, String host, Status status) {
        Role r = task.scope().role();
        if (r != null && status != Status.SKIPPED && status != Status.UNREACHABLE) {
            ran.computeIfAbsent(r, k -> new HashSet<>()).add(host);
        }
    }

    /** An include (include_tasks, include_role) in a role ran on these hosts. */
    synchronized void included(Role r, Collection<HostState> hosts) {
        if (r != null) {
            for (HostState h : hosts) {
                ran.computeIfAbsent(r, k -> new HashSet<>()).add(h.name());
            }
        }
    }

    /** The end of one use of a role (Ansible's implicit {@code meta: role_complete}) on these hosts. */
    synchronized void useDone(Role r, Collection<HostState> hosts) {
        Set<String> didRun = ran.getOrDefault(r, Set.of());
        for (HostState h : hosts) {
            if (!h.failed && !h.unreachable && didRun.contains(h.name())) {
                completed.computeIfAbsent(r, k -> new HashSet<>()).add(h.name());
            }
        }
    }

    /** True when the task's role has completed on the host and does not allow duplicates. */
    synchronized boolean skip(Task task, String host) {
        Role r = task.scope().role();
        return r != null && !task.handler() && !r.allowDuplicates()
                && completed.getOrDefault(r, Set.of()).contains(host);
    }
}
