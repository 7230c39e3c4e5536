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
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;

/**
 * A host over SSH: one JSch {@link Session}; each shell is an exec channel running {@code /bin/sh}
 * (or {@code sudo ... -u USER -H /bin/sh}) that speaks {@link ShellProtocol}.
 */
public final class SshConnection extends PersistentShells {

    private static final Logger log = LoggerFactory.getLogger(SshConnection.class);
    private static final int KEEPALIVE_MS = 15_000;
    /** Keepalives unanswered before the session counts as dropped: 2 min (a loaded host's sshd can be slow to answer). */
    private static final int KEEPALIVE_COUNT = 8;

    private final ConnectionSpec spec;
    private final String user;
    private final String address;
    private final int port;
    private final Duration connectTimeout;
    private Session session;

    private SshConnection(ConnectionSpec spec) throws ConnectionException {
        this.spec = spec;
        this.sshConfig = SshConfig.load(spec);
        ConfigRepository.Config cfg = sshConfig.forHost(spec.address() != null ? spec.address() : spec.name());
        String alias = spec.address() != null ? spec.address() : spec.name();
        this.user = spec.user() != null ? spec.user()
                : cfg.getUser() != null ? cfg.getUser() : System.getProperty("user.name");
        this.address = cfg.getHostname() != null ? cfg.getHostname() : alias;
        this.port = spec.port() > 0 ? spec.port() : cfg.getPort() > 0 ? cfg.getPort() : 22;
        this.connectTimeout = spec.connectTimeout() != null ? spec.connectTimeout() : Duration.ofSeconds(10);
        this.cfg = cfg;
    }

    private final SshConfig sshConfig;
    private final ConfigRepository.Config cfg;
    /** Sessions of the jump hosts this session goes through (closed with it). */
    private final List<SshConnection> jumps = new ArrayList<>();

    /** Opens the session (so unreachable hosts, bad keys and failed logins show at once). */
    public static SshConnection open(ConnectionSpec spec) throws ConnectionException {
        SshConnection c = new SshConnection(spec);
        c.session = c.connect();
        return c;
    }

    @Override
    protected String where() {
        return "ssh to " + spec.name() + " (" + address + ":" + port + ") as " + user;
    }

    private List<Path> keyFiles() {
        List<Path> keys = new ArrayList<>();
        if (spec.privateKey() != null) {
            keys.add(spec.privateKey());
            return keys;
        }
        String[] fromConfig = cfg.getValues("IdentityFile");
        if (fromConfig != null && fromConfig.length > 0) {
            for (String k : fromConfig) {
                keys.add(Path.of(SshConfig.expand(k, alias(), address, port, user)));
            }
            return keys;
        }
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        for (String k : new String[] {"id_ed25519", "id_ecdsa", "id_rsa"}) {
            if (Files.isRegularFile(ssh.resolve(k))) {
                keys.add(ssh.resolve(k));
            }
        }
        return keys;
    }

    private String alias() {
        return spec.address() != null ? spec.address() : spec.name();
    }

    /** yes, no or accept-new: the inventory's, else the ssh config's, else strict. */
    private String hostKeyPolicy() {
        String p = spec.hostKeyPolicy();
        if (p == null) {
            String c = cfg.getValue("StrictHostKeyChecking");
            if (c != null && spec.strictHostKeys()) {
                p = c;
            } else {
                p = spec.strictHostKeys() ? "yes" : "no";
            }
        }
        p = p.toLowerCase(java.util.Locale.ROOT);
        return switch (p) {
            case "no", "off", "false" -> "no";
            case "accept-new" -> "accept-new";
            default -> "yes";
        };
    }

    private Path knownHostsFile() {
        if (spec.knownHosts() != null) {
            return spec.knownHosts();
        }
        String c = cfg.getValue("UserKnownHostsFile");
        if (c != null && !c.isBlank()) {
            return Path.of(SshConfig.expand(c.trim().split("\\s+")[0], alias(), address, port, user));
        }
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /**
     * The ssh config's ProxyCommand with ssh's tokens expanded ({@code %h} the address, {@code %p}
     * the port, {@code %r} the user, {@code %n} the alias, {@code %%}), or null.
     */
    private String proxyCommand() {
        String c = cfg.getValue("ProxyCommand");
        if (c == null || c.isBlank() || c.trim().equalsIgnoreCase("none")) {
            return null;
        }
        return SshConfig.expand(c.trim(), spec.name(), address, port, user);
    }

    private String proxyJump() {
        String j = spec.proxyJump() != null ? spec.proxyJump() : cfg.getValue("ProxyJump");
        return j == null || j.isBlank() || j.equalsIgnoreCase("none") ? null : j.trim();
    }

    private Session connect() throws ConnectionException {
        JSch jsch = new JSch();
        List<Path> keys = keyFiles();
        JSch local = new JSch();
        for (Path k : keys) {
            if (!Files.isRegularFile(k) && spec.privateKey() == null) {
                continue; // IdentityFile from the ssh config that does not exist: ssh skips it too
            }
            try {
                addKey(local, k);
            } catch (JSchException e) {
                throw new ConnectionException(where() + ": cannot use private key " + k + ": " + e.getMessage(), e);
            }
        }
        IdentityRepository agent = Agent.repository();
        jsch.setIdentityRepository(new SshIdentities(agent, local.getIdentityRepository()));
        Path knownHosts = knownHostsFile();
        String policy = hostKeyPolicy();
        SshHostKeys repo;
        try {
            if (!policy.equals("no") && Files.isReadable(knownHosts)) {
                jsch.setKnownHosts(knownHosts.toString());
            }
            repo = new SshHostKeys(jsch.getHostKeyRepository(), policy, knownHosts);
            jsch.setHostKeyRepository(repo);
        } catch (JSchException e) {
            throw new ConnectionException(where() + ": cannot read known hosts " + knownHosts + ": " + e.getMessage(), e);
        }
        String jump = proxyJump();
        String proxyCommand = jump == null ? proxyCommand() : null; // ssh: ProxyJump wins over ProxyCommand
        SshProxies.Command viaCommand = null;
        Session s;
        try {
            s = jsch.getSession(user, address, port);
            if (jump != null) {
                s.setProxy(jumpProxy(jump));
            } else if (proxyCommand != null) {
                viaCommand = new SshProxies.Command(proxyCommand, where());
                s.setProxy(viaCommand);
            }
            s.setConfig("StrictHostKeyChecking", policy.equals("no") ? "no" : "yes");
            s.setConfig("PreferredAuthentications",
                    spec.password() != null ? "publickey,keyboard-interactive,password" : "publickey");
            s.setServerAliveInterval(KEEPALIVE_MS);
            s.setServerAliveCountMax(KEEPALIVE_COUNT);
            s.setUserInfo(new SshPrompts(spec.password()));
            long start = System.nanoTime();
            s.connect((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            log.debug("{}: connected in {} ms{}", where(), (System.nanoTime() - start) / 1_000_000,
                    jump == null ? "" : " through " + jump);
            repo.learnNewKey();
            return s;
        } catch (JSchException e) {
            String said = viaCommand == null ? "" : viaCommand.said();
            throw new ConnectionException(where() + (jump == null ? "" : " through " + jump)
                    + (viaCommand == null ? "" : " through ProxyCommand '" + proxyCommand + "'") + ": "
                    + explain(e, repo, knownHosts, keys) + (said.isEmpty() ? "" : " (ProxyCommand said: " + said + ")"), e);
        }
    }

    private void addKey(JSch local, Path k) throws JSchException {
        String passphrase = spec.keyPassphrase();
        if (passphrase == null && KeyFiles.isEncrypted(k)) {
            passphrase = Secrets.passphrase(k);
            if (passphrase == null) {
                throw new JSchException("the key is encrypted: give its passphrase (drover asks on the console when interactive)");
            }
        }
        try {
            local.addIdentity(k.toString(), passphrase == null ? null : passphrase.getBytes(StandardCharsets.UTF_8));
        } catch (JSchException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (passphrase != null && (m.contains("decrypt") || m.contains("passphrase"))) {
                throw new JSchException("wrong passphrase");
            }
            throw e;
        }
    }

    /** ProxyJump {@code [user@]host[:port][,more]}: the last one is the hop next to the target. */
    private Proxy jumpProxy(String jump) throws ConnectionException {
        String[] hops = jump.split(",");
        String hop = hops[hops.length - 1].trim();
        String rest = hops.length > 1 ? String.join(",", java.util.Arrays.copyOf(hops, hops.length - 1)) : "none";
        String hopUser = null;
        int at = hop.lastIndexOf('@');
        if (at > 0) {
            hopUser = hop.substring(0, at);
            hop = hop.substring(at + 1);
        }
        int hopPort = 0;
        if (hop.startsWith("[") && hop.contains("]")) {
            String after = hop.substring(hop.indexOf(']') + 1);
            hopPort = after.startsWith(":") ? Integer.parseInt(after.substring(1)) : 0;
            hop = hop.substring(1, hop.indexOf(']'));
        } else if (hop.indexOf(':') > 0 && hop.indexOf(':') == hop.lastIndexOf(':')) {
            hopPort = Integer.parseInt(hop.substring(hop.indexOf(':') + 1));
            hop = hop.substring(0, hop.indexOf(':'));
        }
        ConnectionSpec js = new ConnectionSpec(hop, "ssh", hop, hopPort, hopUser, null, spec.knownHosts(),
                spec.strictHostKeys(), connectTimeout, spec.hostKeyPolicy(), rest, spec.sshConfig(), null,
                spec.keyPassphrase());
        SshConnection j;
        try {
            j = SshConnection.open(js);
        } catch (ConnectionException e) {
            throw new ConnectionException(where() + ": jump host failed: " + e.getMessage(), e);
        }
        synchronized (this) {
            jumps.add(j);
        }
        return new SshProxies.Jump(j.session);
    }

    private String explain(JSchException e, SshHostKeys repo, Path knownHosts, List<Path> keys) {
        if (repo.result == HostKeyRepository.CHANGED || repo.result == HostKeyRepository.NOT_INCLUDED) {
            String fp = repo.fingerprint();
            if (repo.result == HostKeyRepository.CHANGED) {
                int line = KnownHostsLines.lineOf(knownHosts, repo.host, repo.keyType());
                return "HOST KEY MISMATCH: the host presented " + fp + " which differs from the key for "
                        + repo.host + " in " + knownHosts + (line > 0 ? ":" + line : "")
                        + " (possible man-in-the-middle; fix known_hosts if the key really changed)";
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
        if ((m.startsWith("Auth fail") || m.startsWith("Auth cancel") || m.contains("Too many authentication failures"))
                && spec.password() != null) {
            return "authentication failed (public key, then password: the password was rejected)";
        }
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
    protected String loginUser() {
        return user;
    }

    @Override
    protected synchronized ShellProtocol startShell(String shellUser, Become become, String prompt)
            throws ConnectionException {
        if (!session.isConnected()) {
            log.debug("{}: session lost, reconnecting", where());
            session = connect();
        }
        String command = become == null ? "exec /bin/sh" : "exec " + ShellProtocol.becomeCommand(become, prompt);
        ChannelTransport t = openChannel(command);
        t.become = become != null;
        return ShellProtocol.start(t, spec.name(), shellUser, prompt, become == null ? null : become.password(),
                connectTimeout);
    }

    private ChannelTransport openChannel(String command) throws ConnectionException {
        try {
            ChannelExec ch = (ChannelExec) session.openChannel("exec");
            ch.setCommand(command);
            ch.setPty(false);
            ChannelBuffer received = new ChannelBuffer(); // not getInputStream(): see ChannelBuffer
            ch.setOutputStream(received);
            InputStream out = received.input();
            InputStream err = ch.getErrStream();
            OutputStream in = ch.getOutputStream();
            // no timeout here: with one, JSch asks for the exec request's reply and polls for it in 10 ms
            // sleeps (≈ 10 ms a channel). ShellProtocol.start waits for the shell's ready line within
            // the connect timeout instead, and names a shell that could not start.
            ch.connect();
            return new ChannelTransport(ch, in, out, err);
        } catch (JSchException | IOException e) {
            throw new ConnectionException(where() + ": cannot open a shell channel: " + e.getMessage(), e);
        }
    }

    @Override
    protected synchronized void closeTransport() {
        if (session != null) {
            session.disconnect();
        }
        for (SshConnection j : jumps) {
            j.close();
        }
        jumps.clear();
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
        public boolean ended() {
            return channel.isClosed();
        }

        @Override
        public String endedWhy() {
            Session s = session; // a diagnostic: no lock (the session may be closing on another thread)
            // JSch closes a dropped session's channels before it marks the session down: give it
            // a moment (a failure path only)
            try {
                for (int i = 0; i < 50 && s != null && s.isConnected(); i++) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return s != null && !s.isConnected()
                    ? "the SSH session to " + where() + " dropped (no answer to " + KEEPALIVE_COUNT
                    + " keepalives " + KEEPALIVE_MS / 1000 + " s apart, or the host closed the connection)"
                    : null;
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
}
