package dev.drover.engine;

import dev.drover.playbook.Block;
import dev.drover.playbook.Keywords;
import dev.drover.playbook.Play;
import dev.drover.playbook.Playbook;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskNode;
import dev.drover.template.Templar;
import dev.drover.yaml.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bad input knowable before any host is touched, which ansible-playbook only finds at the task's
 * turn (after running the tasks before it): a literal {@code loop:} that is not a list, a
 * {@code copy}/{@code template} {@code src} (not templated) found nowhere on the controller's
 * search path. The validator refuses it with file:line:column, or warns when the task may fail by
 * design; a missing {@code src} only warns when some task runs on the controller
 * ({@code delegate_to}, {@code local_action}), which could create it.
 */
final class StaticInputs {
    private final Path playbookDir;
    private final boolean controllerTasks;

    private StaticInputs(Path playbookDir, boolean controllerTasks) {
        this.playbookDir = playbookDir;
        this.controllerTasks = controllerTasks;
    }

    static StaticInputs of(Playbook playbook) {
        boolean local = false;
        for (Play p : playbook.plays()) {
            for (List<TaskNode> section : List.of(p.preTasks(), p.tasks(), p.postTasks(), List.<TaskNode>copyOf(p.handlers()))) {
                local |= delegates(section);
            }
        }
        return new StaticInputs(playbook.file().toAbsolutePath().getParent(), local);
    }

    /** Templates that Jinja2 cannot parse: in the arguments, the loop, the conditions, the task's vars. */
    private static void templates(Task t, List<RunException.Problem> errors) {
        for (Map.Entry<String, Object> e : t.args().entrySet()) {
            String bad = firstBadTemplate(e.getValue(), 0);
            if (bad != null) {
                errors.add(new RunException.Problem(t.argLocations().getOrDefault(e.getKey(), t.actionLocation()), bad));
                return;
            }
        }
        for (Map.Entry<String, Object> e : t.scope().keywords().entrySet()) {
            String k = e.getKey();
            String bad = null;
            if (k.equals("loop") || Keywords.isWithLoop(k) || k.equals("vars") || k.equals("environment")) {
                bad = firstBadTemplate(e.getValue(), 0);
            } else if (Set.of("when", "changed_when", "failed_when", "until").contains(k)) {
                for (Object c : e.getValue() instanceof List<?> l ? l : List.of(e.getValue())) {
                    if (c instanceof String s && !s.isBlank() && bad == null) {
                        String problem = JinjaSyntax.check(Templar.isTemplated(s) ? s : "{{ " + s + " }}");
                        bad = problem == null ? null : "template error while templating string: " + problem + ". String: " + s;
                    }
                }
            }
            if (bad != null) {
                errors.add(new RunException.Problem(t.location(), k + ": " + bad));
                return;
            }
        }
    }

    private static String firstBadTemplate(Object value, int depth) {
        if (depth > 50) {
            return null;
        }
        if (value instanceof String s) {
            if (!Templar.isTemplated(s) && !s.contains("{#")) {
                return null;
            }
            String problem = JinjaSyntax.check(s);
            return problem == null ? null : "template error while templating string: " + problem + ". String: " + s;
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String bad = firstBadTemplate(e.getKey(), depth + 1);
                if (bad == null) {
                    bad = firstBadTemplate(e.getValue(), depth + 1);
                }
                if (bad != null) {
                    return bad;
                }
            }
        }
        if (value instanceof List<?> l) {
            for (Object o : l) {
                String bad = firstBadTemplate(o, depth + 1);
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }

    private static boolean delegates(List<? extends TaskNode> nodes) {
        for (TaskNode n : nodes) {
            if (n instanceof Task t && t.scope().get("delegate_to").isPresent()) {
                return true;
            }
            if (n instanceof Block b && (delegates(b.block()) || delegates(b.rescue()) || delegates(b.always()))) {
                return true;
            }
        }
        return false;
    }

    /** Adds the task's problems to {@code errors}; those that only warn to {@code warnings}. */
    void check(Task t, List<RunException.Problem> errors, List<RunException.Problem> warnings) {
        templates(t, errors);
        Object loop = t.own("loop");
        if (loop != null && !(loop instanceof List<?>) && !(loop instanceof String s && Templar.isTemplated(s))) {
            errors.add(new RunException.Problem(t.location(), "Invalid data passed to 'loop', it requires a list, got this"
                    + " instead: " + Templar.toPython(loop) + "."));
        }
        String kind = switch (t.action()) {
            case "copy" -> "files";
            case "template" -> "templates";
            default -> null;
        };
        if (kind == null || playbookDir == null || !(t.args().get("src") instanceof String src) || Templar.isTemplated(src)
                || src.isEmpty()) {
            return;
        }
        Object remote = t.args().get("remote_src");
        if (remote != null && (remote instanceof String r && Templar.isTemplated(r)
                || Boolean.TRUE.equals(Keywords.toBool(remote)))) {
            return;
        }
        if (!ControllerFiles.exists(t, playbookDir, src, kind)) {
            Location where = t.argLocations().getOrDefault("src", t.actionLocation());
            String message = "Could not find or access '" + src + "' on the Ansible Controller (searched "
                    + (Path.of(src).isAbsolute() ? "that path" : "the " + kind + "/ folders of the role, the task file and the"
                    + " playbook, and those folders themselves") + ")";
            if (controllerTasks) {
                warnings.add(new RunException.Problem(where, message + " (not refused: a task that runs on the controller"
                        + " may create it)"));
            } else {
                errors.add(new RunException.Problem(where, message));
            }
        }
    }
}
