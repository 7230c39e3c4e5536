package dev.drover.engine;

import dev.drover.playbook.Block;
import dev.drover.playbook.Keywords;
import dev.drover.playbook.Play;
import dev.drover.playbook.Playbook;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskNode;
import dev.drover.template.Templar;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Which tasks may fail by design: a task with {@code ignore_errors} (true or templated), with a
 * {@code failed_when}, or in the {@code block:} of a block that has a {@code rescue:}. What the
 * checks before the run find in such a task (an undefined variable, a missing or unknown
 * argument) is a warning, not an error: ansible-playbook runs the play and the task fails at
 * its turn, which the playbook expects.
 */
final class FailureGuards {
    private final Set<Task> rescued = Collections.newSetFromMap(new IdentityHashMap<>());

    private FailureGuards() {
    }

    static FailureGuards of(Playbook playbook) {
        FailureGuards g = new FailureGuards();
        for (Play p : playbook.plays()) {
            for (List<TaskNode> section : List.of(p.preTasks(), p.tasks(), p.postTasks())) {
                g.add(section, false);
            }
            g.add(List.copyOf(p.handlers()), false);
        }
        return g;
    }

    /** For tasks outside a playbook's tree (an included file): only their own keywords count. */
    static FailureGuards none() {
        return new FailureGuards();
    }

    private void add(List<? extends TaskNode> nodes, boolean inRescuedBlock) {
        for (TaskNode n : nodes) {
            if (n instanceof Task t) {
                if (inRescuedBlock) {
                    rescued.add(t);
                }
            } else if (n instanceof Block b) {
                add(b.block(), inRescuedBlock || !b.rescue().isEmpty());
                add(b.rescue(), inRescuedBlock);
                add(b.always(), inRescuedBlock);
            }
        }
    }

    /** Why the task may fail by design ({@code "ignore_errors"}, …), or null when it may not. */
    String why(Task t) {
        Object ignore = t.scope().get("ignore_errors").orElse(null);
        if (ignore != null && (Boolean.TRUE.equals(Keywords.toBool(ignore))
                || (ignore instanceof String s && Templar.isTemplated(s)))) {
            return "ignore_errors";
        }
        if (t.own("failed_when") != null) {
            return "failed_when";
        }
        if (rescued.contains(t)) {
            return "a block with rescue";
        }
        return null;
    }
}
