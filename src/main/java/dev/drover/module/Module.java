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

    /**
     * The parameter naming the path this module reads first ({@code path}, {@code dest}) and
     * whether it reads that file's content: the engine then reads the paths of all of a loop's
     * items at once ({@link PathPrefetch}). Null (the default) for modules that read no such path.
     */
    default PathProbe pathProbe() {
        return null;
    }

    /** See {@link #pathProbe}. */
    record PathProbe(String param, boolean content) {
    }
}
