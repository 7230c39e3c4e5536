package dev.drover.engine;

import dev.drover.playbook.Keywords;
import dev.drover.playbook.Task;
import dev.drover.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A task's loop: its items, what each item adds to the variables, its labels and the loop's summed result. */
final class Loops {
    private Loops() {
    }

    /** The variables each item of an include's loop adds (loop_var, index_var; no ansible_loop). */
    static List<Map<String, Object>> includeItemVars(Task task, List<Object> items) {
        Map<String, Object> control = control(task);
        String loopVar = String.valueOf(control.get("loop_var") == null ? "item" : control.get("loop_var"));
        Object indexVar = control.get("index_var");
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Map<String, Object> v = itemVars(loopVar, indexVar, items, i);
            v.remove("ansible_loop");
            out.add(v);
        }
        return out;
    }

    /** The task's loop items (loop, or a with_* lookup), rendered; null when it has no loop. */
    static List<Object> items(RunContext rc, Task task, Map<String, Object> vars) throws TemplateException {
        Object loop = task.own("loop");
        String withKey = null;
        if (loop == null) {
            for (String k : task.scope().keywords().keySet()) {
                if (Keywords.isWithLoop(k)) {
                    withKey = k;
                    loop = task.own(k);
                }
            }
        }
        if (loop == null && withKey == null) {
            return null;
        }
        Object rendered = rc.templar.render(loop, vars);
        if (rendered instanceof String s && withKey != null && !withKey.equals("with_sequence")) {
            rendered = rc.templar.evaluate(s, vars);
        }
        if (withKey != null) {
            return WithLoops.items(withKey, rendered);
        }
        if (!(rendered instanceof List<?> l)) {
            throw new TemplateException("Invalid data passed to 'loop', it requires a list, got this instead: "
                    + dev.drover.template.Templar.toPython(rendered)
                    + ". Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.");
        }
        return new ArrayList<>(l);
    }

    /** The task's loop_control (empty without one). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> control(Task task) {
        Object c = task.own("loop_control");
        return c instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** An item's label in the output: loop_control's label, rendered, else the item. */
    static String label(RunContext rc, Map<String, Object> control, Map<String, Object> vars, Object item) throws TemplateException {
        Object l = control.get("label");
        Object v = l == null ? item : rc.templar.render(l, vars);
        return v instanceof String s ? s : dev.drover.template.Templar.toPython(v);
    }

    /** The variables loop item {@code i} adds: loop_var, index_var, ansible_loop. */
    static Map<String, Object> itemVars(String loopVar, Object indexVar, List<?> items, int i) {
        Map<String, Object> loopVars = new LinkedHashMap<>();
        loopVars.put(loopVar, items.get(i));
        loopVars.put("ansible_loop_var", loopVar);
        if (indexVar != null) {
            loopVars.put(String.valueOf(indexVar), i);
        }
        loopVars.put("ansible_loop", Map.of("index", i + 1, "index0", i, "first", i == 0,
                "last", i == items.size() - 1, "length", items.size()));
        return loopVars;
    }

    /** A loop's result: its items' results under "results", changed/failed/skipped as Ansible sums them. */
    static TaskResult aggregate(String host, List<TaskResult> results) {
        boolean changed = results.stream().anyMatch(r -> Boolean.TRUE.equals(r.values().get("changed")));
        boolean failed = results.stream().anyMatch(r -> r.status() == Status.FAILED);
        boolean allSkipped = results.stream().allMatch(r -> r.status() == Status.SKIPPED);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("changed", changed);
        List<Object> list = new ArrayList<>();
        List<dev.drover.module.Diff> diffs = new ArrayList<>();
        for (TaskResult r : results) {
            list.add(r.values());
            diffs.addAll(r.diffs());
        }
        v.put("results", list);
        // as ansible's TaskExecutor._run_loop words it
        if (results.isEmpty()) {
            v.put("skipped", true);
            v.put("skipped_reason", "No items in the list");
        } else {
            v.put("msg", failed ? "One or more items failed" : allSkipped ? "All items skipped" : "All items completed");
            if (allSkipped) {
                v.put("skipped", true);
            }
        }
        Status s;
        if (failed) {
            s = Status.FAILED;
            v.put("failed", true);
        } else if (allSkipped) {
            s = Status.SKIPPED;
        } else {
            s = changed ? Status.CHANGED : Status.OK;
        }
        boolean ignored = failed && results.stream().filter(r -> r.status() == Status.FAILED).allMatch(TaskResult::ignored);
        return new TaskResult(host, s, v, null, results, diffs, ignored, null);
    }
}
