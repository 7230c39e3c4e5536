package dev.drover.engine;

import dev.drover.playbook.Task;
import dev.drover.template.Templar;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Check mode's unknowns: the variables whose value a check run cannot know (a command check mode
 * did not run registered only "skipped"), and the tasks that read them. Such a task is not run
 * (templating it would fail, as in Ansible); it is forecast as changed (ok when its action never
 * changes anything), marked unknown, and what it registers or sets becomes unknown in turn. Everything that does not read an unknown stays
 * exact.
 */
final class UnknownValues {
    private UnknownValues() {
    }

    /** Why a value is unknown, as the forecast says it. */
    static final String NOT_RUN = "not run in check mode";

    /**
     * The first unknown variable the task reads (its arguments, conditions, loop, delegate_to and
     * the scope's vars those read in turn), or empty.
     */
    static Optional<String> dependency(Task task, Map<String, String> unknown) {
        if (unknown.isEmpty()) {
            return Optional.empty();
        }
        Set<String> names = new LinkedHashSet<>();
        collect(task.args(), names, false);
        for (Object c : task.scope().conditions()) {
            collect(c, names, true);
        }
        for (String k : List.of("loop", "with_items", "with_list", "with_dict", "delegate_to")) {
            Object v = task.own(k);
            if (v != null) {
                collect(v, names, false);
            }
        }
        // the vars of the task's scopes that it reads, and those they read
        Map<String, Object> vars = task.scope().vars();
        Deque<String> todo = new ArrayDeque<>(names);
        Set<String> seen = new LinkedHashSet<>(names);
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (unknown.containsKey(n)) {
                return Optional.of(n);
            }
            if (vars.containsKey(n)) {
                Set<String> more = new LinkedHashSet<>();
                collect(vars.get(n), more, false);
                for (String m : more) {
                    if (seen.add(m)) {
                        todo.add(m);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static void collect(Object value, Set<String> out, boolean expression) {
        if (value instanceof String s) {
            out.addAll(expression && !s.contains("{{") && !s.contains("{%") ? Templar.referencedNamesInExpression(s)
                    : Templar.referencedNames(s));
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                collect(e.getKey(), out, false);
                collect(e.getValue(), out, false);
            }
        } else if (value instanceof List<?> l) {
            for (Object o : l) {
                collect(o, out, expression);
            }
        }
    }

    /** The result key that marks an unknown forecast; its value is the reason. */
    static final String KEY = "unknown";

    static boolean isUnknown(TaskResult r) {
        return r.values().get(KEY) instanceof String;
    }

    /** Actions that never report a change: their unknown forecast is ok. */
    private static final Set<String> NEVER_CHANGE = Set.of("debug", "set_fact", "assert", "fail", "include_vars",
            "set_stats", "pause", "meta", "ping");

    /**
     * A forecast for a task that reads an unknown value, with why it is not exact: changed (ok for
     * an action that never changes anything: debug, set_fact, assert, …).
     */
    static TaskResult forecast(String host, String action, String reason) {
        String module = action.substring(action.lastIndexOf('.') + 1);
        boolean changes = !NEVER_CHANGE.contains(module);
        Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("changed", changes);
        v.put(KEY, reason);
        v.put("msg", "unknown: " + reason);
        return new TaskResult(host, changes ? Status.CHANGED : Status.OK, v, null, List.of(), List.of(), false, null);
    }

    /** What an unknown forecast says: {@code depends on 'who', not run in check mode}. */
    static String reason(String name, Map<String, String> unknown) {
        String why = unknown.getOrDefault(name, NOT_RUN);
        return "depends on '" + name + "'" + (why.equals(NOT_RUN) ? ", " + NOT_RUN : " (" + why + ")");
    }
}
