package dev.drover.connection;

/**
 * A transport to one host (local process or SSH session) that hands out persistent shells, one
 * per become user, created on first use and kept until {@link #close()}.
 */
public interface Connection extends AutoCloseable {

    /** The inventory name of the host. */
    String host();

    /** The shell of the login user. */
    Shell shell() throws ConnectionException;

    /**
     * The shell of {@code become.user()} obtained through {@code become.method()} (sudo). Returns
     * the login shell when the become user is the login user.
     */
    Shell shell(Become become) throws ConnectionException;

    @Override
    void close();

    /**
     * Closes as {@link #close()} does, keeping nothing for a later run: for a run abandoned by
     * Ctrl-C, whose task threads may still hold a shell.
     */
    default void abandon() {
        close();
    }

    /**
     * Closes the connection and its transport, kept sessions included ({@code meta:
     * reset_connection}): the next use logs in anew, with what changed for the login user (groups).
     */
    default void reset() {
        close();
    }
}
