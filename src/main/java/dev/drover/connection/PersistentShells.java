package dev.drover.connection;

import java.util.HashMap;
import java.util.Map;

/**
 * What local and SSH connections share: one persistent shell per user, started on first use,
 * started again when it died, all closed with the connection. Subclasses only start a shell on
 * their transport.
 */
abstract class PersistentShells implements Connection {
    private final Map<String, ShellProtocol> shells = new HashMap<>();
    private boolean closed;

    /** The user a shell without become runs as. */
    protected abstract String loginUser();

    /** "ssh to web1 (…) as deploy", "local host localhost": how messages name this connection. */
    protected abstract String where();

    /**
     * Starts a shell as {@code user}: the login shell when {@code become} is null, else through
     * become with {@code prompt} as the password prompt.
     */
    protected abstract ShellProtocol startShell(String user, Become become, String prompt) throws ConnectionException;

    /** Closes the transport under the shells (after the shells). */
    protected void closeTransport() {
    }

    @Override
    public synchronized Shell shell() throws ConnectionException {
        return shellFor(loginUser(), null);
    }

    @Override
    public synchronized Shell shell(Become become) throws ConnectionException {
        if (become == null || become.user().equals(loginUser())) {
            return shell();
        }
        return shellFor(become.user(), become);
    }

    private ShellProtocol shellFor(String user, Become become) throws ConnectionException {
        if (closed) {
            throw new ConnectionException(where() + ": connection is closed");
        }
        ShellProtocol s = shells.get(user);
        if (s != null && s.isAlive()) {
            return s;
        }
        if (s != null) {
            s.close();
        }
        String prompt = become == null ? null : ShellProtocol.promptFor(become);
        try {
            s = startShell(user, become, prompt);
        } catch (ConnectionException e) {
            if (become == null) {
                throw e;
            }
            throw new ConnectionException("become " + become.user() + " with " + become.method() + " failed: "
                    + e.getMessage(), e);
        }
        shells.put(user, s);
        return s;
    }

    /**
     * Closes the shells (which ends what they run) and keeps the transport open, for a connection
     * kept between runs ({@link ConnectionPool}); the next {@link #shell} starts a new one. With
     * {@code keepLogin}, the login shell stays when it is alive and runs nothing: every command
     * runs in a subshell of it, so it carries nothing from one run to the next but its temp dir,
     * and the next run on this transport saves its start (a channel, sh, mktemp, id, rm).
     */
    synchronized void closeShells(boolean keepLogin) {
        ShellProtocol login = shells.get(loginUser());
        boolean keep = keepLogin && login != null && login.idle();
        for (ShellProtocol s : shells.values()) {
            if (!(keep && s == login)) {
                s.close();
            }
        }
        shells.clear();
        if (keep) {
            shells.put(loginUser(), login);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ShellProtocol s : shells.values()) {
            s.close();
        }
        shells.clear();
        closeTransport();
    }
}
