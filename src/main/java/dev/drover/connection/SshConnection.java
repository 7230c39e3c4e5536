package dev.drover.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;

/**
 * A host over SSH: one JSch {@link Session}; each shell is an exec channel running {@code /bin/sh}
 * (or {@code sudo ... -u USER -H /bin/sh}) that speaks {@link ShellProtocol}.
 */
public final class SshConnection implements Connection {

    private static final Logger log = LoggerFactory.getLogger(SshConnection.class);
    private static final int KEEPALIVE_MS = 15_000;

    private final ConnectionSpec spec;
    private final String user;
    private final String address;
    private final int port;
    private final Duration connectTimeout;
    private final Map<String, ShellProtocol> shells = new HashMap<>();
    private Session session;
    private boolean closed;

    private SshConnection(ConnectionSpec spec) {
        this.spec = spec;
        this.user = spec.user() != null ? spec.user() : System.getProperty("user.name");
        this.address = spec.address() != null ? spec.address() : spec.name();
        this.port = spec.port() > 0 ? spec.port() : 22;
        this.connectTimeout = spec.connectTimeout() != null ? spec.connectTimeout() : Duration.ofSeconds(10);
    }

    /** Opens the session (so unreachable hosts, bad keys and failed logins show at once). */
    public static SshConnection open(ConnectionSpec spec) throws ConnectionException {
        SshConnection c = new SshConnection(spec);
        c.session = c.connect();
        return c;
    }

    private String where() {
        return "ssh to " + spec.name() + " (" + address + ":" + port + ") as " + user;
    }

    private Session connect() throws ConnectionException {
        JSch jsch = new JSch();
        List<Path> keys = new ArrayList<>();
        if (spec.privateKey() != null) {
            keys.add(spec.privateKey());
        } else {
            Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
            for (String k : new String[] {"id_ed25519", "id_ecdsa", "id_rsa"}) {
                if (Files.isRegularFile(ssh.resolve(k))) {
                    keys.add(ssh.resolve(k));
                }
            }
        }
        for (Path k : keys) {
            try {
                jsch.addIdentity(k.toString());
            } catch (JSchException e) {
                throw new ConnectionException(where() + ": cannot use private key " + k + ": " + e.getMessage(), e);
            }
        }
        Path knownHosts = spec.knownHosts() != null ? spec.knownHosts()
                : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        CheckingRepository repo;
        try {
            if (spec.strictHostKeys() && Files.isReadable(knownHosts)) {
                jsch.setKnownHosts(knownHosts.toString());
            }
            repo = new CheckingRepository(jsch.getHostKeyRepository(), spec.strictHostKeys());
            jsch.setHostKeyRepository(repo);
        } catch (JSchException e) {
            throw new ConnectionException(where() + ": cannot read known hosts " + knownHosts + ": " + e.getMessage(), e);
        }
        Session s;
        try {
            s = jsch.getSession(user, address, port);
            s.setConfig("StrictHostKeyChecking", spec.strictHostKeys() ? "yes" : "no");
            s.setConfig("PreferredAuthentications", "publickey");
            s.setServerAliveInterval(KEEPALIVE_MS);
            s.setServerAliveCountMax(4);
            s.setUserInfo(new NoPrompts());
            long start = System.nanoTime();
            s.connect((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            log.debug("{}: connected in {} ms", where(), (System.nanoTime() - start) / 1_000_000);
            return s;
        } catch (JSchException e) {
            throw new ConnectionException(where() + ": " + explain(e, repo, knownHosts, keys), e);
        }
    }

    private String explain(JSchException e, CheckingRepository repo, Path knownHosts, List<Path> keys) {
        if (repo.result == HostKeyRepository.CHANGED || repo.result == HostKeyRepository.NOT_INCLUDED) {
            String fp = repo.fingerprint();
            if (repo.result == HostKeyRepository.CHANGED) {
                return "HOST KEY MISMATCH: the host presented " + fp + " which differs from the key for "
                        + repo.host + " in " + knownHosts + " (possible man-in-the-middle; fix known_hosts if the key really changed)";
            }
            return "unknown host key " + fp + " for " + repo.host + ": not in " + knownHosts
                    + " (add it, e.g. with ssh-keyscan -p " + port + " " + address + ", after checking the fingerprint)";
        }
        Throwable c = e.getCause();
        if (c instanceof ConnectException) {
            return "connection refused";
        }
        if (c instanceof UnknownHostException) {
            return "unknown host name '" + address + "' (DNS lookup failed)";
        }
        if (c instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (c instanceof SocketTimeoutException || String.valueOf(e.getMessage()).contains("timeout")) {
            return "timed out after " + connectTimeout.toMillis() + " ms";
        }
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Auth fail") || m.startsWith("Auth cancel")) {
            return "authentication failed (public key"
                    + (keys.isEmpty() ? "; no private key found: set ansible_ssh_private_key_file or create ~/.ssh/id_ed25519"
                            : "; tried " + keys)
                    + ")";
        }
        if (c instanceof IOException && c.getMessage() != null) {
            return c.getMessage();
        }
        return m;
    }

    /** The session object in use (for tests: shell deaths must not cost the session). */
    synchronized Object session() {
        return session;
    }

    synchronized boolean sessionConnected() {
        return session != null && session.isConnected();
    }

    @Override
    public String host() {
        return spec.name();
    }

    @Override
    public synchronized Shell shell() throws ConnectionException {
        return shellFor(user, null);
    }

    @Override
    public synchronized Shell shell(Become become) throws ConnectionException {
        if (become == null || become.user().equals(user)) {
            return shell();
        }
        return shellFor(become.user(), become);
    }

    private ShellProtocol shellFor(String shellUser, Become become) throws ConnectionException {
        if (closed) {
            throw new ConnectionException(where() + ": connection is closed");
        }
        ShellProtocol s = shells.get(shellUser);
        if (s != null && s.isAlive()) {
            return s;
        }
        if (s != null) {
            s.close();
        }
        if (!session.isConnected()) {
            log.debug("{}: session lost, reconnecting", where());
            session = connect();
        }
        String prompt = become == null ? null : ShellProtocol.newPrompt();
        String command = become == null ? "exec /bin/sh" : "exec " + ShellProtocol.becomeCommand(become, prompt);
        ChannelTransport t = openChannel(command);
        t.become = become != null;
        try {
            s = ShellProtocol.start(t, spec.name(), shellUser, prompt, become == null ? null : become.password(),
                    connectTimeout);
        } catch (ConnectionException e) {
            if (become == null) {
                throw e;
            }
            throw new ConnectionException("become " + become.user() + " with sudo failed: " + e.getMessage(), e);
        }
        shells.put(shellUser, s);
        return s;
    }

    private ChannelTransport openChannel(String command) throws ConnectionException {
        try {
            ChannelExec ch = (ChannelExec) session.openChannel("exec");
            ch.setCommand(command);
            ch.setPty(false);
            InputStream out = ch.getInputStream();
            InputStream err = ch.getErrStream();
            OutputStream in = ch.getOutputStream();
            ch.connect((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            return new ChannelTransport(ch, in, out, err);
        } catch (JSchException | IOException e) {
            throw new ConnectionException(where() + ": cannot open a shell channel: " + e.getMessage(), e);
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
        if (session != null) {
            session.disconnect();
        }
        log.debug("{}: closed", where());
    }

    /** An exec channel as the transport of a shell. */
    private final class ChannelTransport implements ShellProtocol.Transport {
        private final ChannelExec channel;
        private final OutputStream in;
        private final InputStream out;
        private final InputStream err;
        volatile boolean become;

        ChannelTransport(ChannelExec channel, OutputStream in, InputStream out, InputStream err) {
            this.channel = channel;
            this.in = in;
            this.out = out;
            this.err = err;
        }

        @Override
        public OutputStream stdin() {
            return in;
        }

        @Override
        public InputStream stdout() {
            return out;
        }

        @Override
        public InputStream stderr() {
            return err;
        }

        @Override
        public void kill(Long pid, Long pgid, String tmpDir) {
            // No "signal" channel request: sent on a channel the server has just closed, it makes
            // OpenSSH drop the whole connection (measured). The process group kill below does it.
            channel.disconnect();
            // Closing the channel does not stop what the shell runs: kill its process group (sshd
            // made the shell a session leader) and remove its temp dir, on a fresh channel.
            if (pgid == null && tmpDir == null) {
                return;
            }
            StringBuilder c = new StringBuilder();
            if (pgid != null && pgid > 1) {
                c.append("kill -KILL -- -").append(pgid).append(" 2>/dev/null; ");
            }
            if (tmpDir != null) {
                c.append("rm -rf ").append(ShellQuote.quote(tmpDir)).append(" 2>/dev/null; ");
            }
            String script = c.toString();
            if (become) {
                script = script + "sudo -n /bin/sh -c " + ShellQuote.quote(script) + " 2>/dev/null; ";
            }
            runQuietly(script + "true");
        }

        private void runQuietly(String script) {
            try {
                ChannelExec ch = (ChannelExec) session.openChannel("exec");
                ch.setCommand(script);
                ch.setInputStream(null);
                ch.connect((int) Math.min(5000, connectTimeout.toMillis()));
                long end = System.currentTimeMillis() + 5000;
                while (!ch.isClosed() && System.currentTimeMillis() < end) {
                    Thread.sleep(20);
                }
                ch.disconnect();
            } catch (Exception e) {
                log.debug("{}: cleanup after kill failed: {}", where(), e.toString());
            }
        }

        @Override
        public void close(Long pid, Long pgid, String tmpDir) {
            long end = System.currentTimeMillis() + 2000;
            try {
                while (!channel.isClosed() && System.currentTimeMillis() < end) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!channel.isClosed() && session.isConnected()) {
                kill(pid, pgid, tmpDir);
            }
            channel.disconnect();
        }

        @Override
        public Integer exitStatus() {
            long end = System.currentTimeMillis() + 300;
            try {
                while (!channel.isClosed() && System.currentTimeMillis() < end) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int st = channel.getExitStatus();
            return st < 0 ? null : st;
        }
    }

    /**
     * Wraps the known_hosts repository: remembers the key the server presented (for a fingerprint
     * in messages), accepts everything when host keys are not checked, and never writes the file.
     */
    private static final class CheckingRepository implements HostKeyRepository {
        private final HostKeyRepository delegate;
        private final boolean strict;
        volatile int result = OK;
        volatile String host;
        volatile byte[] key;

        CheckingRepository(HostKeyRepository delegate, boolean strict) {
            this.delegate = delegate;
            this.strict = strict;
        }

        @Override
        public int check(String host, byte[] key) {
            this.host = host;
            this.key = key;
            result = strict ? delegate.check(host, key) : OK;
            return result;
        }

        String fingerprint() {
            try {
                HostKey k = new HostKey(host, key);
                return k.getType() + " key fingerprint " + k.getFingerPrint(new JSch());
            } catch (JSchException | RuntimeException e) {
                return "key (fingerprint unavailable: " + e.getMessage() + ")";
            }
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
            // never learn keys silently
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return delegate.getKnownHostsRepositoryID();
        }

        @Override
        public HostKey[] getHostKey() {
            return delegate.getHostKey();
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return delegate.getHostKey(host, type);
        }
    }

    /** No interactive prompts: fail instead of asking. */
    private static final class NoPrompts implements UserInfo {
        @Override
        public String getPassphrase() {
            return null;
        }

        @Override
        public String getPassword() {
            return null;
        }

        @Override
        public boolean promptPassword(String message) {
            return false;
        }

        @Override
        public boolean promptPassphrase(String message) {
            return false;
        }

        @Override
        public boolean promptYesNo(String message) {
            return false;
        }

        @Override
        public void showMessage(String message) {
        }
    }
}
