package dev.drover.engine;

import java.util.List;

/**
 * What a check before the run found: errors refuse the run (exit 4); warnings are printed as
 * {@code [WARNING]: file:line:column: …} and the run goes on (the task fails at its turn, if at
 * all, as in Ansible).
 */
public record Findings(List<RunException.Problem> errors, List<RunException.Problem> warnings) {
    public Findings {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }
}
