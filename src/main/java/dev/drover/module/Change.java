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
}
