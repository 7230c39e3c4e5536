package dev.drover.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a module found and what it would change. Immutable.
 *
 * @param changes   what to do, in order; empty means nothing to do
 * @param values    return values (what {@code register} captures), before any change runs
 * @param diffs     before/after of what changes, for --diff
 * @param reason    why nothing needs doing, or a one-line summary of the changes
 * @param check     how the engine treats this plan in check mode
 * @param mapper    turns the changes' output into the final return values after a real run
 */
public record Plan(List<Change> changes, Map<String, Object> values, List<Diff> diffs, String reason,
                   CheckBehaviour check, ResultMapper mapper) {

    /** How a plan behaves in check mode. */
    public enum CheckBehaviour {
        /** Simulate the changes and report them: the forecast is exact. */
        FORECAST,
        /**
         * The effect cannot be known without running (command, shell without creates/removes):
         * skipped in check mode, as Ansible does.
         */
        SKIP,
        /**
         * The module forecasts itself (a module run through Ansible, which reads
         * {@code _ansible_check_mode}): in check mode the engine runs each change's
         * {@link SelfForecasting#checkCommand()} instead of simulating it, and maps its output as
         * after a real run. Nothing is recorded in the simulated state: the module's own forecast
         * is the result, as in Ansible.
         */
        SELF_FORECAST
    }

    public Plan {
        changes = List.copyOf(changes);
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        diffs = List.copyOf(diffs);
        mapper = mapper == null ? ResultMapper.PLANNED : mapper;
        check = check == null ? CheckBehaviour.FORECAST : check;
    }

    /** Nothing to do: the host is already as asked. */
    public static Plan nothing(String reason, Map<String, Object> values) {
        return new Plan(List.of(), values, List.of(), reason, CheckBehaviour.FORECAST, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean changesSomething() {
        return !changes.isEmpty();
    }

    /** Builds a plan step by step. */
    public static final class Builder {
        private final List<Change> changes = new ArrayList<>();
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final List<Diff> diffs = new ArrayList<>();
        private String reason;
        private CheckBehaviour check = CheckBehaviour.FORECAST;
        private ResultMapper mapper;

        public Builder change(Change c) {
            changes.add(c);
            return this;
        }

        public Builder value(String key, Object value) {
            values.put(key, value);
            return this;
        }

        public Builder values(Map<String, Object> v) {
            values.putAll(v);
            return this;
        }

        public Builder diff(Diff d) {
            diffs.add(d);
            return this;
        }

        public Builder reason(String r) {
            reason = r;
            return this;
        }

        public Builder check(CheckBehaviour c) {
            check = c;
            return this;
        }

        public Builder mapper(ResultMapper m) {
            mapper = m;
            return this;
        }

        public boolean hasChanges() {
            return !changes.isEmpty();
        }

        public Plan build() {
            return new Plan(changes, values, diffs, reason, check, mapper);
        }
    }
}
