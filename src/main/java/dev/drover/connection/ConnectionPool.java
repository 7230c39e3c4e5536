package dev.drover.connection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SSH sessions kept open between runs, as OpenSSH's ControlPersist keeps Ansible's: the resident
 * drover ({@code dev.drover.daemon}) activates one, and {@link Connections#open} then leases an
 * authenticated session for the same {@link ConnectionSpec} instead of logging in again. A lease
 * gives the session back when the run closes it: its shells are closed (what they ran ends, as
 * today) but the login shell when it is idle, and the transport is kept, for {@code keepMillis}
 * after its last use. A run abandoned by Ctrl-C ({@link Connection#abandon}) keeps no shell.
 * Local connections are not pooled (a local shell is a process start).
 */
public final class ConnectionPool {
    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);
    private static volatile ConnectionPool active;

    private final long keepMillis;
    private final Map<ConnectionSpec, Deque<Idle>> idle = new HashMap<>();
    private int reused;

    private record Idle(SshConnection connection, long since) {
    }

    public ConnectionPool(long keepMillis) {
        this.keepMillis = keepMillis;
    }

    /** Makes {@code pool} the one {@link Connections#open} leases from (null: none, every open logs in). */
    public static void activate(ConnectionPool pool) {
        active = pool;
    }

    static ConnectionPool active() {
        return active;
    }

    /** Sessions reused so far (for the daemon's status). */
    public synchronized int reused() {
        return reused;
    }

    /** Sessions kept open now. */
    public synchronized int idleCount() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    Connection lease(ConnectionSpec spec) throws ConnectionException {
        SshConnection c = take(spec);
        if (c == null) {
            c = SshConnection.open(spec);
        }
        return new Lease(c, spec);
    }

    private synchronized SshConnection take(ConnectionSpec spec) {
        Deque<Idle> q = idle.get(spec);
        long now = System.currentTimeMillis();
        while (q != null && !q.isEmpty()) {
            Idle i = q.pollLast();
            if (now - i.since() <= keepMillis && i.connection().sessionConnected()) {
                reused++;
                log.debug("{}: reusing the session kept since the last run", spec.name());
                return i.connection();
            }
            i.connection().close();
        }
        return null;
    }

    private synchronized void giveBack(ConnectionSpec spec, SshConnection c) {
        idle.computeIfAbsent(spec, k -> new ArrayDeque<>()).addLast(new Idle(c, System.currentTimeMillis()));
    }

    /** Closes the sessions unused for longer than the keep time. */
    public void expire() {
        List<SshConnection> old = new ArrayList<>();
        long now = System.currentTimeMillis();
        synchronized (this) {
            for (Deque<Idle> q : idle.values()) {
                q.removeIf(i -> {
                    boolean gone = now - i.since() > keepMillis || !i.connection().sessionConnected();
                    if (gone) {
                        old.add(i.connection());
                    }
                    return gone;
                });
            }
            idle.values().removeIf(Deque::isEmpty);
        }
        old.forEach(SshConnection::close);
    }

    /** Closes every kept session. */
    public void closeAll() {
        List<SshConnection> all = new ArrayList<>();
        synchronized (this) {
            idle.values().forEach(q -> q.forEach(i -> all.add(i.connection())));
            idle.clear();
        }
        all.forEach(SshConnection::close);
    }

    /** A run's use of a pooled session: closing it closes the shells (not an idle login one) and gives the session back. */
    private final class Lease implements Connection {
        private final SshConnection c;
        private final ConnectionSpec spec;
        private boolean closed;

        Lease(SshConnection c, ConnectionSpec spec) {
            this.c = c;
            this.spec = spec;
        }

        @Override
        public String host() {
            return c.host();
        }

        @Override
        public synchronized Shell shell() throws ConnectionException {
            if (closed) {
                throw new ConnectionException("host " + spec.name() + ": connection is closed");
            }
            return c.shell();
        }

        @Override
        public synchronized Shell shell(Become become) throws ConnectionException {
            if (closed) {
                throw new ConnectionException("host " + spec.name() + ": connection is closed");
            }
            return c.shell(become);
        }

        @Override
        public void close() {
            release(true);
        }

        @Override
        public void abandon() {
            release(false);
        }

        @Override
        public void reset() {
            if (markClosed()) {
                c.close();
            }
        }

        /** True for the first close of this lease. */
        private synchronized boolean markClosed() {
            boolean first = !closed;
            closed = true;
            return first;
        }

        private void release(boolean keepLogin) {
            if (!markClosed()) {
                return;
            }
            c.closeShells(keepLogin);
            if (c.sessionConnected()) {
                giveBack(spec, c);
            } else {
                c.close();
            }
        }
    }
}
