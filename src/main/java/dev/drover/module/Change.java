package dev.drover.module;

/**
 * One step of a {@link Plan}. The engine either runs its {@link #command()} on the host, or, in
 * check mode, calls {@link #simulate} so that later steps see its effect.
 */
public interface Change {

    /** A short human description ("write /etc/motd"). */
    String describe();

    /** What to run on the host. A non-zero exit fails the task unless {@link #exitCodeIsResult()}. */
    ShellCommand command();

    /** Records this change's effect in the simulated state of a host, as {@code user} would. */
    void simulate(SimulatedState state, String user);

    /** True when the exit code is data for the module (command, shell), not an error. */
    default boolean exitCodeIsResult() {
        return false;
    }

    /**
     * This change and the {@code next} one of the same plan as one change, when one command does
     * both with fewer processes on the host (the missing levels of a directory: one
     * {@code mkdir}); empty when it cannot. Merged only when a plan is applied and its results
     * are not read (see {@link #merge}): plans, forecasts and diffs still list every change.
     */
    default java.util.Optional<Change> mergedWith(Change next) {
        return java.util.Optional.empty();
    }

    /** {@code changes} with each run of mergeable neighbours made one (see {@link #mergedWith}). */
    static java.util.List<Change> merge(java.util.List<Change> changes) {
        java.util.List<Change> out = new java.util.ArrayList<>(changes.size());
        for (Change c : changes) {
            java.util.Optional<Change> joined = out.isEmpty() ? java.util.Optional.empty()
                    : out.get(out.size() - 1).mergedWith(c);
            if (joined.isPresent()) {
                out.set(out.size() - 1, joined.get());
            } else {
                out.add(c);
            }
        }
        return out;
    }
}
