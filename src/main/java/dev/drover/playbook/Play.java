package dev.drover.playbook;

import dev.drover.yaml.Location;
import java.nio.file.Path;
import java.util.List;

/**
 * A play: hosts, keywords (in {@link #scope()}), and its sections in the order they run. Roles
 * are expanded into blocks at the head of {@code tasks}, as Ansible runs them (each role's
 * dependencies first); {@link #roles()} holds the play's roles.
 */
public record Play(String name, String hosts, Scope scope, List<String> varsFiles, List<TaskNode> preTasks,
                   List<TaskNode> tasks, List<TaskNode> postTasks, List<Task> handlers, Path baseDir,
                   Location location, PlayRoles roles) {
    public Play {
        varsFiles = List.copyOf(varsFiles);
        preTasks = List.copyOf(preTasks);
        tasks = List.copyOf(tasks);
        postTasks = List.copyOf(postTasks);
        handlers = List.copyOf(handlers);
    }

    /**
     * Every role directory the play uses, in load order: its {@code roles:} and their meta
     * dependencies and its {@code import_role}s (known after loading), then each
     * {@code include_role}'d role from the moment a host includes it. Each may hold
     * {@code library/}, {@code module_utils/}, {@code files/}, {@code templates/}.
     */
    public List<Path> roleDirectories() {
        return roles.directories();
    }

    /** {@code gather_facts} (default true). */
    public boolean gatherFacts() {
        Object g = scope.keywords().get("gather_facts");
        Boolean b = g == null ? Boolean.TRUE : Keywords.toBool(g);
        return b == null || b;
    }
}
