package dev.drover.engine;

import dev.drover.playbook.Role;
import dev.drover.playbook.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a task's controller-side file ({@code copy}/{@code template} {@code src}) is searched, as
 * Ansible's DWIM search does it: the role's {@code files}/{@code templates} folder and the role,
 * the task file's folder (with the kind's subfolder), then the playbook's folder (likewise).
 */
final class ControllerFiles {
    private ControllerFiles() {
    }

    /** The places searched for a relative {@code src}, in order. */
    static List<Path> candidates(Task task, Path playbookDir, String src, String kind) {
        List<Path> candidates = new ArrayList<>();
        Role role = task.scope().role();
        if (role != null) {
            candidates.add(role.path().resolve(kind).resolve(src));
            candidates.add(role.path().resolve(src));
        }
        Path taskDir = task.file().getParent();
        candidates.add(taskDir.resolve(kind).resolve(src));
        candidates.add(taskDir.resolve(src));
        candidates.add(playbookDir.resolve(kind).resolve(src));
        candidates.add(playbookDir.resolve(src));
        return candidates;
    }

    /** True when {@code src} is found on the controller (an absolute path as it is). */
    static boolean exists(Task task, Path playbookDir, String src, String kind) {
        Path given = Path.of(src);
        if (given.isAbsolute()) {
            return Files.exists(given);
        }
        return candidates(task, playbookDir, src, kind).stream().anyMatch(Files::exists);
    }
}
