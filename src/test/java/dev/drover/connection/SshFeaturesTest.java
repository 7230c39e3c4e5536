package dev.drover.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;

/**
 * "SSH like a person's own ssh" against real sshds: ssh config aliases, ProxyJump through a second
 * sshd, ssh-agent keys, encrypted keys, password login, su with a password, host key policies.
 * Never touches the real ~/.ssh: every spec names its own ssh config file.
 */
class SshFeaturesTest {

    static final String OTHER = "drover-test";
    static final String SU_USER = "drover-su";
    static final String SU_PASSWORD = "su-Pw-123";
    static SshServerFixture sshd;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        sshd = SshServerFixture.shared();
    }

    @AfterAll
    static void tearDown() {
        System.clearProperty("drover.ssh_auth_sock");
    }

    /** A spec that leaves everything to the ssh config file {@code config}. */
    static ConnectionSpec aliasSpec(String alias, Path config) {
        return new ConnectionSpec(alias, "ssh", null, 0, null, null, null, true, Duration.ofSeconds(10))
                .withSshConfig(config);
    }

    static String run(Connection c, String cmd) throws Exception {
        CommandResult r = c.shell().run(cmd);
        assertEquals(0, r.exitCode(), r.err());
        return r.out().strip();
    }

    @Test
    void sshConfigAliasGivesHostPortUserKeyAndKnownHosts() throws Exception {
        Path cfg = tmp.resolve("config");
        Files.writeString(cfg, "Host web\n  HostName 127.0.0.2\n  Port " + sshd.port() + "\n  User "
                + System.getProperty("user.name") + "\n  IdentityFile " + sshd.clientKey() + "\n"
                + "  UserKnownHostsFile " + sshd.knownHosts() + "\n"
                + "Host *\n  StrictHostKeyChecking yes\n");
        try (Connection c = Connections.open(aliasSpec("web", cfg))) {
            String conn = run(c, "echo $SSH_CONNECTION");
            assertTrue(conn.endsWith("127.0.0.2 " + sshd.port()), conn);
            assertEquals(System.getProperty("user.name"), run(c, "id -un"));
        }
    }

    @Test
    void includedFilesAreReadInNameOrderAsSshReadsThem() throws Exception {
        Path confd = Files.createDirectories(tmp.resolve("conf.d"));
        // the first value found wins in ssh_config: 10-web.conf's Port before 20-all.conf's
        Files.writeString(confd.resolve("10-web.conf"), "Host web2\n  HostName 127.0.0.3\n  Port " + sshd.port() + "\n");
        Files.writeString(confd.resolve("20-all.conf"), "Host *\n  Port 1\n  User " + System.getProperty("user.name")
                + "\n  IdentityFile " + sshd.clientKey() + "\n  UserKnownHostsFile " + sshd.knownHosts() + "\n");
        Files.writeString(confd.resolve("ignored.txt"), "Host web2\n  HostName 127.0.0.9\n");
        Path cfg = tmp.resolve("config");
        Files.writeString(cfg, "# includes\nInclude " + confd + "/*.conf\n");
        try (Connection c = Connections.open(aliasSpec("web2", cfg))) {
            assertTrue(run(c, "echo $SSH_CONNECTION").endsWith("127.0.0.3 " + sshd.port()));
        }
    }

    @Test
    void proxyCommandCarriesTheConnection() throws Exception {
        Path used = tmp.resolve("proxy-used");
        String ssh = "ssh -i " + sshd.clientKey() + " -o BatchMode=yes -o UserKnownHostsFile=" + sshd.knownHosts()
                + " -o StrictHostKeyChecking=yes -p " + sshd.port() + " " + System.getProperty("user.name") + "@127.0.0.2";
        Path cfg = tmp.resolve("config");
        Files.writeString(cfg, "Host behind\n  HostName 127.0.0.3\n  Port " + sshd.port() + "\n  User "
                + System.getProperty("user.name") + "\n  IdentityFile " + sshd.clientKey() + "\n  UserKnownHostsFile "
                + sshd.knownHosts() + "\n  ProxyCommand touch " + used + " && exec " + ssh + " -W %h:%p\n"
                + "Host broken\n  HostName 127.0.0.3\n  Port " + sshd.port() + "\n  IdentityFile " + sshd.clientKey()
                + "\n  ProxyCommand echo no route to %h:%p >&2; exit 1\n");
        try (Connection c = Connections.open(aliasSpec("behind", cfg))) {
            assertTrue(run(c, "echo $SSH_CONNECTION").endsWith("127.0.0.3 " + sshd.port()));
        }
        assertTrue(Files.exists(used), "the ProxyCommand ran");
        ConnectionException e = org.junit.jupiter.api.Assertions.assertThrows(ConnectionException.class,
                () -> Connections.open(aliasSpec("broken", cfg)).shell());
        assertTrue(e.getMessage().contains("ProxyCommand") && e.getMessage().contains("no route to 127.0.0.3:"
                + sshd.port()), e.getMessage());
    }

    @Test
    void inventoryValuesWinOverTheSshConfig() throws Exception {
        Requirements.requireRoot();
        SshServerFixture.ensureUser(OTHER);
        sshd.authorize(OTHER);
        Path cfg = tmp.resolve("config");
        Files.writeString(cfg, "Host 127.0.0.3\n  Port 1\n  User nobody-at-all\n  IdentityFile " + sshd.clientKey()
                + "\n  UserKnownHostsFile " + sshd.knownHosts() + "\n");
        ConnectionSpec spec = new ConnectionSpec("h3", "ssh", "127.0.0.3", sshd.port(), OTHER, null, null, true,
                Duration.ofSeconds(10)).withSshConfig(cfg);
        try (Connection c = Connections.open(spec)) {
            assertEquals(OTHER, run(c, "id -un"));
            assertTrue(run(c, "echo $SSH_CONNECTION").endsWith("127.0.0.3 " + sshd.port()));
        }
    }

    @Test
    void proxyJumpGoesThroughTheJumpHost() throws Exception {
        try (SshServerFixture jump = SshServerFixture.startWith("LogLevel DEBUG1\n", "127.0.0.1")) {
            Path kh = tmp.resolve("known_hosts");
            Files.writeString(kh, Files.readString(sshd.knownHosts()) + Files.readString(jump.knownHosts()));
            Path cfg = tmp.resolve("config");
            Files.writeString(cfg, "Host target\n  HostName 127.0.0.3\n  Port " + sshd.port() + "\n  ProxyJump bastion\n"
                    + "  IdentityFile " + sshd.clientKey() + "\n"
                    + "Host bastion\n  HostName 127.0.0.1\n  Port " + jump.port() + "\n  IdentityFile " + jump.clientKey() + "\n"
                    + "Host *\n  UserKnownHostsFile " + kh + "\n");
            try (Connection c = Connections.open(aliasSpec("target", cfg))) {
                assertTrue(run(c, "echo $SSH_CONNECTION").endsWith("127.0.0.3 " + sshd.port()));
            }
            // the jump sshd opened the forwarded connection to the target
            assertTrue(jump.log().contains("target 127.0.0.3 port " + sshd.port()), jump.log());
        }
        // with the jump host gone, the target is not reached directly
        Path cfg2 = tmp.resolve("config2");
        Files.writeString(cfg2, "Host target\n  HostName 127.0.0.3\n  Port " + sshd.port() + "\n  ProxyJump 127.0.0.1:1\n"
                + "  IdentityFile " + sshd.clientKey() + "\n  UserKnownHostsFile " + sshd.knownHosts() + "\n");
        ConnectionException e = assertThrows(ConnectionException.class, () -> Connections.open(aliasSpec("target", cfg2)));
        assertTrue(e.getMessage().contains("jump host failed"), e.getMessage());
    }

    @Test
    void agentKeysAreUsed() throws Exception {
        Path key = tmp.resolve("agent_key");
        exec(null, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "drover-agent", "-f", key.toString());
        sshd.authorizeKey(System.getProperty("user.name"), Files.readString(tmp.resolve("agent_key.pub")));
        Path sock = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(sock); i++) {
                Thread.sleep(50);
            }
            exec(sock, "ssh-add", key.toString());
            Files.delete(key); // only the agent has it now
            Path cfg = tmp.resolve("config");
            Files.writeString(cfg, "Host *\n  IdentityFile " + tmp.resolve("no-such-key") + "\n  UserKnownHostsFile "
                    + sshd.knownHosts() + "\n");
            ConnectionSpec spec = new ConnectionSpec("a", "ssh", "127.0.0.1", sshd.port(), null, null, null, true,
                    Duration.ofSeconds(10)).withSshConfig(cfg);
            System.setProperty("drover.ssh_auth_sock", "/nonexistent/agent.sock");
            ConnectionException e = assertThrows(ConnectionException.class, () -> Connections.open(spec));
            assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
            System.setProperty("drover.ssh_auth_sock", sock.toString());
            try (Connection c = Connections.open(spec)) {
                assertEquals(System.getProperty("user.name"), run(c, "id -un"));
            }
        } finally {
            System.clearProperty("drover.ssh_auth_sock");
            agent.destroy();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void encryptedKeyWithPassphrase() throws Exception {
        Path key = tmp.resolve("enc_key");
        exec(null, "ssh-keygen", "-q", "-t", "ed25519", "-N", "s3cret phrase", "-C", "drover-enc", "-f", key.toString());
        sshd.authorizeKey(System.getProperty("user.name"), Files.readString(tmp.resolve("enc_key.pub")));
        Path cfg = tmp.resolve("config"); // empty: nothing from the real ~/.ssh
        Files.writeString(cfg, "");
        ConnectionSpec spec = new ConnectionSpec("e", "ssh", "127.0.0.1", sshd.port(), null, key, sshd.knownHosts(),
                true, Duration.ofSeconds(10)).withSshConfig(cfg);
        try (Connection c = Connections.open(spec.withSecrets(null, "s3cret phrase"))) {
            assertEquals(System.getProperty("user.name"), run(c, "id -un"));
        }
        ConnectionException wrong = assertThrows(ConnectionException.class,
                () -> Connections.open(spec.withSecrets(null, "not it")));
        assertTrue(wrong.getMessage().contains("wrong passphrase"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("not it"), wrong.getMessage());
        ConnectionException none = assertThrows(ConnectionException.class, () -> Connections.open(spec));
        assertTrue(none.getMessage().contains("encrypted"), none.getMessage());
    }

    @Test
    void passwordLoginAndSuWithAPassword() throws Exception {
        Requirements.requireRoot();
        SshServerFixture.ensureUser(SU_USER);
        SshServerFixture.ensureUser(OTHER);
        setPassword(SU_USER, SU_PASSWORD);
        try (SshServerFixture pw = SshServerFixture.startWith("PasswordAuthentication yes\n", "127.0.0.1")) {
            Path cfg = tmp.resolve("config");
            Files.writeString(cfg, "Host *\n  IdentityFile " + tmp.resolve("no-such-key") + "\n");
            ConnectionSpec spec = new ConnectionSpec("p", "ssh", "127.0.0.1", pw.port(), SU_USER, null, pw.knownHosts(),
                    true, Duration.ofSeconds(10)).withSshConfig(cfg);
            System.setProperty("drover.ssh_auth_sock", "/nonexistent");
            try (Connection c = Connections.open(spec.withSecrets(SU_PASSWORD, null))) {
                assertEquals(SU_USER, run(c, "id -un"));
            }
            ConnectionException e = assertThrows(ConnectionException.class,
                    () -> Connections.open(spec.withSecrets("bad-pw", null)));
            assertTrue(e.getMessage().contains("password was rejected"), e.getMessage());
            assertFalse(e.getMessage().contains("bad-pw"));
        } finally {
            System.clearProperty("drover.ssh_auth_sock");
        }
        // su: log in as another user, become SU_USER with su and its password (read on stdin)
        sshd.authorize(OTHER);
        try (Connection c = Connections.open(sshd.spec("s", "127.0.0.1", OTHER))) {
            Shell s = c.shell(new Become(SU_USER, "su", SU_PASSWORD));
            assertEquals(SU_USER + "\n", s.run("id -un").out());
            assertEquals("ok\n", s.run("echo ok").out());
            ConnectionException wrong = assertThrows(ConnectionException.class,
                    () -> Connections.open(sshd.spec("s2", "127.0.0.1", OTHER)).shell(new Become(SU_USER, "su", "nope")));
            assertTrue(wrong.getMessage().contains("with su failed"), wrong.getMessage());
            assertFalse(wrong.getMessage().contains("nope"), wrong.getMessage());
        }
    }

    @Test
    void changedHostKeyIsRefusedNamingTheKnownHostsLine() throws Exception {
        Path other = tmp.resolve("other_host");
        exec(null, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
        String[] pub = Files.readString(tmp.resolve("other_host.pub")).split("\\s+");
        Path kh = tmp.resolve("known_hosts");
        Files.writeString(kh, "# comment\nsomewhere ssh-ed25519 " + pub[1] + "\n[127.0.0.1]:" + sshd.port()
                + " " + pub[0] + " " + pub[1] + "\n");
        ConnectionSpec spec = new ConnectionSpec("m", "ssh", "127.0.0.1", sshd.port(), null, sshd.clientKey(), kh, true,
                Duration.ofSeconds(10)).withSshConfig(tmp.resolve("none"));
        for (String policy : new String[] {null, "accept-new"}) {
            ConnectionException e = assertThrows(ConnectionException.class,
                    () -> Connections.open(spec.withHostKeyPolicy(policy)));
            assertTrue(e.getMessage().contains("HOST KEY MISMATCH"), e.getMessage());
            assertTrue(e.getMessage().contains(kh + ":3"), e.getMessage());
            assertTrue(e.getMessage().contains("SHA256:"), e.getMessage());
            assertTrue(e.getMessage().contains("ssh to m (127.0.0.1:" + sshd.port()), e.getMessage());
        }
    }

    @Test
    void acceptNewAddsTheKeyThenChecksIt() throws Exception {
        Path kh = tmp.resolve("sub").resolve("known_hosts");
        ConnectionSpec spec = new ConnectionSpec("n", "ssh", "127.0.0.2", sshd.port(), null, sshd.clientKey(), kh, true,
                Duration.ofSeconds(10)).withSshConfig(tmp.resolve("none"));
        ConnectionException e = assertThrows(ConnectionException.class, () -> Connections.open(spec));
        assertTrue(e.getMessage().contains("unknown host key"), e.getMessage());
        assertFalse(Files.exists(kh));
        try (Connection c = Connections.open(spec.withHostKeyPolicy("accept-new"))) {
            assertEquals(System.getProperty("user.name"), run(c, "id -un"));
        }
        String added = Files.readString(kh);
        String hostKey = Files.readString(sshd.hostPublicKey()).split("\\s+")[1];
        assertEquals("[127.0.0.2]:" + sshd.port() + " ssh-ed25519 " + hostKey + "\n", added);
        try (Connection c = Connections.open(spec)) { // strict now knows it
            assertEquals(System.getProperty("user.name"), run(c, "id -un"));
        }
    }

    private static void setPassword(String user, String password) throws Exception {
        Process p = new ProcessBuilder("chpasswd").redirectErrorStream(true).start();
        p.getOutputStream().write((user + ":" + password + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    private static void exec(Path agentSock, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (agentSock != null) {
            pb.environment().put("SSH_AUTH_SOCK", agentSock.toString());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }
}
