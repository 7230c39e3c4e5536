package dev.drover.connection;

/**
 * Opens connections. STUB: the API the engine codes against. Implementation in progress.
 */
public final class Connections {
    private Connections() {
    }

    /**
     * Opens a connection to a host: a local one (shells are {@code sh} processes) or an SSH one
     * (JSch session; shells are exec channels running {@code sh}). Opening does not start a shell.
     *
     * @throws ConnectionException when the host cannot be reached or authentication fails
     */
    public static Connection open(ConnectionSpec spec) throws ConnectionException {
        throw new UnsupportedOperationException("stub");
    }
}
