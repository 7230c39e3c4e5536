package dev.drover.engine;

import dev.drover.module.Diff;
import java.util.List;
import java.util.Map;

/**
 * The result of one task (or one loop item) on one host. Immutable.
 *
 * @param values    what {@code register} captures (changed, failed, msg, rc, …); with no_log the
 *                  values are censored before they reach a listener
 * @param item      the loop item's label, or null
 * @param items     for a loop: each item's result, in order; empty otherwise
 * @param ignored   failed, but ignore_errors was set
 * @param delegatedTo the host the task ran on when delegated, or null
 */
public record TaskResult(String host, Status status, Map<String, Object> values, String item,
                         List<TaskResult> items, List<Diff> diffs, boolean ignored, String delegatedTo) {

    public TaskResult {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        items = List.copyOf(items);
        diffs = List.copyOf(diffs);
    }

    public boolean changed() {
        return status == Status.CHANGED;
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    public String message() {
        Object m = values.get("msg");
        return m == null ? null : String.valueOf(m);
    }
}
