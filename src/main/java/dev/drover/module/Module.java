package dev.drover.module;

/**
 * A module reads a host's state through {@link ModuleContext#host()} and returns a {@link Plan}:
 * the changes that would bring the host to the state its arguments ask for, or nothing to do with
 * a reason. A module never changes a host itself and never asks whether it runs in check mode:
 * the engine applies plans, or, in check mode, records them in a simulated state that later
 * steps read through the same {@link HostView}.
 */
public interface Module {

    /** Name, aliases and parameters: what the loader validates every task against. */
    ModuleSpec spec();

    /**
     * @throws ModuleException when the arguments cannot be satisfied on this host (the task fails)
     * @throws dev.drover.connection.ConnectionException when the host cannot be reached
     */
    Plan plan(ModuleContext context) throws ModuleException, dev.drover.connection.ConnectionException;
}
