package dev.drover.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run is asked to do (the CLI builds it).
 *
 * @param inventory   -i sources; empty = the implicit localhost only
 * @param extraVars   -e values, merged in order
 * @param limit       -l pattern, or null
 * @param tags        --tags (empty = all)
 * @param skipTags    --skip-tags
 * @param forks       hosts worked on at once
 * @param verbosity   0 to 4 (-v … -vvvv)
 * @param connection  -u, --private-key, -k, -K (secrets never printed)
 * @param forceHandlers --force-handlers (a play's force_handlers keyword wins)
 * @param prompter    asks the questions of vars_prompt and pause (null: no terminal to ask on)
 */
public record RunOptions(Path playbook, List<String> inventory, boolean check, boolean diff,
                         Map<String, Object> extraVars, String limit, List<String> tags, List<String> skipTags,
                         int forks, int verbosity, ConnectionDefaults connection, boolean forceHandlers,
                         VarsPrompter prompter, PlanMode plan) {

    /**
     * Plans: {@code record} (a --check run for --plan-out records what each host's modules read);
     * {@code expected} (applying a plan: per host, the reads and their digests the plan was made
     * against; a host whose answers moved is refused before its first task; null: not applying).
     */
    public record PlanMode(boolean record, Map<String, Map<String, String>> expected) {
        public static final PlanMode NONE = new PlanMode(false, null);
    }

    public RunOptions(Path playbook, List<String> inventory, boolean check, boolean diff,
                      Map<String, Object> extraVars, String limit, List<String> tags, List<String> skipTags,
                      int forks, int verbosity, ConnectionDefaults connection, boolean forceHandlers,
                      VarsPrompter prompter) {
        this(playbook, inventory, check, diff, extraVars, limit, tags, skipTags, forks, verbosity, connection,
                forceHandlers, prompter, PlanMode.NONE);
    }

    /** The same options with this plan mode. */
    public RunOptions withPlan(PlanMode p) {
        return new RunOptions(playbook, inventory, check, diff, extraVars, limit, tags, skipTags, forks, verbosity,
                connection, forceHandlers, prompter, p);
    }

    public RunOptions(Path playbook, List<String> inventory, boolean check, boolean diff,
                      Map<String, Object> extraVars, String limit, List<String> tags, List<String> skipTags,
                      int forks, int verbosity, ConnectionDefaults connection) {
        this(playbook, inventory, check, diff, extraVars, limit, tags, skipTags, forks, verbosity, connection, false,
                null);
    }

    public RunOptions(Path playbook, List<String> inventory, boolean check, boolean diff,
                      Map<String, Object> extraVars, String limit, List<String> tags, List<String> skipTags,
                      int forks, int verbosity) {
        this(playbook, inventory, check, diff, extraVars, limit, tags, skipTags, forks, verbosity,
                ConnectionDefaults.NONE);
    }

    public RunOptions {
        connection = connection == null ? ConnectionDefaults.NONE : connection;
        plan = plan == null ? PlanMode.NONE : plan;
        inventory = List.copyOf(inventory);
        extraVars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extraVars));
        tags = List.copyOf(tags);
        skipTags = List.copyOf(skipTags);
    }

    public static RunOptions of(Path playbook) {
        return new RunOptions(playbook, List.of(), false, false, Map.of(), null, List.of(), List.of(), 50, 0);
    }
}
