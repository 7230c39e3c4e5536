package dev.drover.engine;

import dev.drover.playbook.Task;
import dev.drover.template.Templar;
import dev.drover.template.TemplateException;
import java.util.Map;

/**
 * A loop that does not template because a variable is undefined, as Ansible's TaskExecutor
 * handles it: the error is kept, {@code when} is evaluated without the loop item, and a false
 * condition skips the task ("Conditional result was False"); the loop's error is raised only when
 * the condition holds (or cannot be evaluated without the item).
 */
final class LoopErrors {
    private LoopErrors() {
    }

    /** True when the task is to be skipped instead of failing with {@code loopError}. */
    static boolean skipsWithoutItem(TemplateException loopError, Task task, Map<String, Object> vars, Templar templar) {
        if (loopError.undefinedVariable() == null || task.scope().conditions().isEmpty()) {
            return false;
        }
        try {
            return !templar.isTrue(task.scope().conditions(), vars);
        } catch (TemplateException | RuntimeException e) {
            return false; // Ansible raises the loop's error then
        }
    }
}
