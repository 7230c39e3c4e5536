package dev.drover.engine;

import dev.drover.playbook.FreeForm;
import dev.drover.playbook.Keywords;
import dev.drover.playbook.PlaybookException;
import dev.drover.playbook.RoleLoader;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The validator's checks of include_role (import_role and roles: are checked as they load). */
final class RoleValidation {
    private RoleValidation() {
    }

    /**
     * An include_role's arguments are checked as Ansible checks them when it parses the playbook;
     * with literal arguments the role it includes is read now and its tasks and handlers validated
     * like the play's. A role that cannot be found is an error unless the include is conditional
     * ({@code when}, {@code ignore_errors}): ansible-playbook fails such an include only when it runs.
     */
    static void includeRole(Task t, RolePreviews previews, List<RunException.Problem> problems,
                            Consumer<List<TaskNode>> validateNodes) {
        Map<String, Object> args = new java.util.LinkedHashMap<>(t.args());
        if (args.containsKey(FreeForm.RAW) && !args.containsKey("name")) {
            args.put("name", args.remove(FreeForm.RAW));
        }
        try {
            RoleLoader.includeUse("include_role", args, t.scope().keywords(), t.actionLocation());
        } catch (PlaybookException e) {
            problems.add(new RunException.Problem(e.location(), e.getMessage()));
            return;
        }
        RolePreviews.Preview p = previews.get(t);
        if (p == null) {
            return; // templated: known at run time
        }
        if (p.problem() != null) {
            boolean guarded = !t.scope().conditions().isEmpty()
                    || Boolean.TRUE.equals(Keywords.toBool(t.scope().get("ignore_errors").orElse(false)));
            if (!guarded) {
                problems.add(new RunException.Problem(p.problem().location(), p.problem().getMessage()));
            }
            return;
        }
        validateNodes.accept(List.of(p.block()));
        validateNodes.accept(List.copyOf(p.handlers()));
    }

    /** Names and listen topics of handlers, as a notify may name them. */
    static Set<String> handlerNames(List<Task> handlers) {
        Set<String> names = new HashSet<>();
        for (Task h : handlers) {
            if (h.name() != null) {
                names.add(h.name());
                names.add(h.displayName());
            }
            names.addAll(Keywords.stringList(h.own("listen")));
        }
        return names;
    }
}
