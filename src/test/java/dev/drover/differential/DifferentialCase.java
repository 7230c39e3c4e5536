package dev.drover.differential;

import java.util.List;

/**
 * A case: the directory {@code src/test/resources/differential/NAME} holding {@code playbook.yml}
 * (and its files/, templates/, roles/ …), an optional inventory file in it, and arguments given
 * to both tools after {@code -e root=...}.
 */
public record DifferentialCase(String name, String inventory, List<String> extraArgs, boolean throwawayUser) {
    @Override
    public String toString() {
        return name;
    }
}
