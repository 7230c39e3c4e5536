package dev.drover.connection;

/** A command ran longer than its timeout; the shell it ran in has been closed. */
public class CommandTimeoutException extends ConnectionException {
    private static final long serialVersionUID = 1L;

    public CommandTimeoutException(String message) {
        super(message);
    }
}
