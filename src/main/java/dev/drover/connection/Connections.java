package dev.drover.connection;

/** Opens connections. */
public final class Connections {
    private Connections() {
    }

    /**
     * Opens a connection to a host: a local one (shells are {@code sh} processes) or an SSH one
     * (JSch session; shells are exec channels running {@code sh}). Opening does not start a shell;
     * opening an SSH connection connects and authenticates the session.
     *
     * @throws ConnectionException when the host cannot be reached or authentication fails
     */
    public static Connection open(ConnectionSpec spec) throws ConnectionException {
        if (spec.isLocal()) {
            return new LocalConnection(spec);
        }
        if (spec.type() == null || "ssh".equals(spec.type())) {
            ConnectionPool pool = ConnectionPool.active();
            return pool != null ? pool.lease(spec) : SshConnection.open(spec);
        }
        throw new ConnectionException("host " + spec.name() + ": connection type '" + spec.type()
                + "' is not supported (local or ssh)");
    }
}
