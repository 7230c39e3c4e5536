package dev.drover.engine;

import dev.drover.playbook.Block;
import dev.drover.playbook.Play;
import dev.drover.playbook.Playbook;
import dev.drover.playbook.Role;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The directories of the roles a playbook uses, for their {@code library/} and
 * {@code module_utils/} (Ansible adds those of every role of a play to the module search path).
 * The one place that says which roles count: the play's roles with their meta dependencies and
 * import_roles ({@link Play#roleDirectories()}), the roles of its literal include_roles, and any
 * other role whose tasks the plays hold.
 */
final class ModuleSearch {
    private ModuleSearch() {
    }

    /** The modules run through Ansible for a playbook: found on its search path, packed once per module. */
    static dev.drover.modules.ansible.AnsibleModules ansibleModules(Playbook playbook) {
        return dev.drover.modules.ansible.AnsibleModules.forRun(playbook.file().toAbsolutePath().getParent(),
                roleDirs(playbook), dev.drover.config.Settings.current().withSearchPaths(System.getenv()));
    }

    /** Every action a playbook's tasks and handlers name (what a run may pack ahead). */
    static Set<String> actions(Playbook playbook) {
        Set<String> out = new LinkedHashSet<>();
        for (Play p : playbook.plays()) {
            for (List<TaskNode> section : List.of(p.preTasks(), p.tasks(), p.postTasks())) {
                actions(section, out);
            }
            p.handlers().forEach(h -> out.add(h.action()));
        }
        return out;
    }

    private static void actions(List<TaskNode> nodes, Set<String> out) {
        for (TaskNode n : nodes) {
            if (n instanceof Task t) {
                out.add(t.action());
            } else if (n instanceof Block b) {
                actions(b.block(), out);
                actions(b.rescue(), out);
                actions(b.always(), out);
            }
        }
    }

    /** The directories of the roles the playbook uses. */
    static List<Path> roleDirs(Playbook playbook) {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Play p : playbook.plays()) {
            dirs.addAll(p.roleDirectories());
            for (Block included : RolePreviews.of(p).blocks()) { // the roles literal include_roles bring
                collect(List.of(included), dirs);
            }
            for (List<TaskNode> section : List.of(p.preTasks(), p.tasks(), p.postTasks())) {
                collect(section, dirs);
            }
            for (Task h : p.handlers()) {
                add(h.scope().role(), dirs);
            }
        }
        return new ArrayList<>(dirs);
    }

    private static void collect(List<TaskNode> nodes, Set<Path> dirs) {
        for (TaskNode n : nodes) {
            if (n instanceof Task t) {
                add(t.scope().role(), dirs);
            } else if (n instanceof Block b) {
                add(b.scope().role(), dirs);
                collect(b.block(), dirs);
                collect(b.rescue(), dirs);
                collect(b.always(), dirs);
            }
        }
    }

    private static void add(Role role, Set<Path> dirs) {
        if (role != null && role.path() != null) {
            dirs.add(role.path());
        }
    }
}
