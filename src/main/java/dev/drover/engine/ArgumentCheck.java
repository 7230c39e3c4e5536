package dev.drover.engine;

import dev.drover.module.Args;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.playbook.FreeForm;
import dev.drover.playbook.Task;
import dev.drover.template.Templar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The module's own argument check at the task's turn, as Ansible's AnsibleModule does it before
 * the module runs: missing required arguments, unsupported parameters, a literal value outside a
 * parameter's choices. The validator reports the same problems before the run; this is what a
 * task that may fail by design (ignore_errors, failed_when, rescue) or a task file loaded at run
 * time meets — a failed task with the module's message, not a crash.
 */
final class ArgumentCheck {
    private ArgumentCheck() {
    }

    static void check(ModuleSpec spec, Task task, Args args) throws ModuleException {
        Map<String, Object> given = args.asMap();
        if (!spec.acceptsAnyParam()) {
            List<String> unsupported = new ArrayList<>();
            for (String k : given.keySet()) {
                if (!k.equals(FreeForm.RAW) && spec.param(k).isEmpty()) {
                    unsupported.add(k);
                }
            }
            if (!unsupported.isEmpty()) {
                throw new ModuleException("Unsupported parameters for (" + task.action() + ") module: "
                        + String.join(", ", new TreeSet<>(unsupported)) + ". Supported parameters include: "
                        + String.join(", ", new TreeSet<>(spec.allParamNames())) + ".");
            }
        }
        TreeSet<String> missing = new TreeSet<>();
        for (Param p : spec.params()) {
            if (p.required() && given.get(p.name()) == null) {
                missing.add(p.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new ModuleException("missing required arguments: " + String.join(", ", missing));
        }
        for (Map.Entry<String, Object> e : task.args().entrySet()) {
            Param p = spec.param(e.getKey()).orElse(null);
            Object v = e.getValue();
            if (p == null || p.choices().isEmpty() || v == null || (v instanceof String s && Templar.isTemplated(s))) {
                continue;
            }
            String text = Args.stringOf(v);
            if (!p.choices().contains(text)) {
                throw new ModuleException("value of " + p.name() + " must be one of: " + String.join(", ", p.choices())
                        + ", got: " + text);
            }
        }
    }
}
