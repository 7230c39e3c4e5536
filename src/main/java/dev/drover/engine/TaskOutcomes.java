package dev.drover.engine;

import dev.drover.playbook.Keywords;
import dev.drover.playbook.Task;
import dev.drover.template.Templar;
import dev.drover.template.TemplateException;
import java.util.Map;

/** Small helpers that turn an error met while running a task into the result Ansible reports. */
final class TaskOutcomes {
    private TaskOutcomes() {
    }

    /**
     * The failure, marked ignored when the task's {@code ignore_errors} holds. {@code vars} may
     * be null (the task's variables themselves did not template): then only a literal value
     * counts; an {@code ignore_errors} that does not template does not hold.
     */
    static TaskResult ignoredIf(TaskResult failure, Task task, Map<String, Object> vars, Templar templar) {
        Object ignore = task.scope().get("ignore_errors").orElse(null);
        if (ignore == null) {
            return failure;
        }
        Object value = ignore;
        if (ignore instanceof String s && Templar.isTemplated(s)) {
            if (vars == null) {
                return failure;
            }
            try {
                value = templar.render(s, vars);
            } catch (TemplateException | RuntimeException e) {
                return failure;
            }
        }
        if (!Boolean.TRUE.equals(Keywords.toBool(value))) {
            return failure;
        }
        return new TaskResult(failure.host(), failure.status(), failure.values(), failure.item(), failure.items(),
                failure.diffs(), true, failure.delegatedTo());
    }

    /**
     * A defect of drover met while running a task: the task fails on this host with a message a
     * person can report (the stack trace goes to the debug log, -vvv), and the run goes on.
     */
    static TaskResult internalError(String host, Task task, RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(TaskOutcomes.class).debug("internal error in task at {}", task.location(), e);
        return TaskRun.failure(host, task.location() + ": drover could not run this task (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); this is a defect of drover, please report it"
                + " with the output of -vvv");
    }
}
