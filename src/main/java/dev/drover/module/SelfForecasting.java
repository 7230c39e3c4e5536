package dev.drover.module;

/**
 * A change that can forecast itself on the host: for a plan marked
 * {@link Plan.CheckBehaviour#SELF_FORECAST}, the engine runs {@link #checkCommand()} in check mode
 * (Ansible's module with {@code _ansible_check_mode: true}) where other changes are simulated.
 * The module still never knows which of the two runs.
 */
public interface SelfForecasting extends Change {

    /** What to run on the host in check mode: the same invocation, asked to change nothing. */
    ShellCommand checkCommand();
}
