package dev.drover.connection;

/** The host could not be reached, or its transport failed: the host is "unreachable". */
public class ConnectionException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConnectionException(String message) {
        super(message);
    }

    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
