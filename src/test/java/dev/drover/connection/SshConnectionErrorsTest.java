package dev.drover.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.drover.testing.SshServerFixture;

/** Unreachable hosts, wrong keys, failed logins: each a ConnectionException a person can act on. */
class SshConnectionErrorsTest {

    static SshServerFixture sshd;
    static final String ME = System.getProperty("user.name");

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = SshServerFixture.shared();
    }

    private ConnectionSpec spec(String address, int port, String user, Path knownHosts, boolean strict) {
        return new ConnectionSpec("web1", "ssh", address, port, user, sshd.clientKey(), knownHosts, strict,
                Duration.ofSeconds(5));
    }

    private static String sh(String cmd) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** The SHA256 fingerprint of the fixture's host key, as ssh-keygen -l prints it. */
    private static String hostFingerprint() throws Exception {
        return sh("ssh-keygen -lf " + sshd.hostPublicKey()).split("\\s+")[1];
    }

    @Test
    void changedHostKeyIsRefusedWithFingerprint() throws Exception {
        sh("ssh-keygen -q -t ed25519 -N '' -f " + tmp.resolve("other"));
        String otherPub = Files.readString(tmp.resolve("other.pub")).strip().split(" ", 3)[1];
        Path kh = tmp.resolve("known_hosts");
        Files.writeString(kh, "[127.0.0.1]:" + sshd.port() + " ssh-ed25519 " + otherPub + "\n");
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> Connections.open(spec("127.0.0.1", sshd.port(), ME, kh, true)));
        String m = e.getMessage();
        assertTrue(m.contains("web1") && m.contains("127.0.0.1:" + sshd.port()), m);
        assertTrue(m.contains("MISMATCH"), m);
        assertTrue(m.contains(hostFingerprint()), m + " should name " + hostFingerprint());
    }

    @Test
    void unknownHostKeyIsRefusedWithFingerprint() throws Exception {
        Path kh = tmp.resolve("empty_known_hosts");
        Files.writeString(kh, "");
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> Connections.open(spec("127.0.0.1", sshd.port(), ME, kh, true)));
        assertTrue(e.getMessage().contains("unknown host key"), e.getMessage());
        assertTrue(e.getMessage().contains(hostFingerprint()), e.getMessage());
        // a missing known_hosts file: same
        ConnectionException e2 = assertThrows(ConnectionException.class,
                () -> Connections.open(spec("127.0.0.1", sshd.port(), ME, tmp.resolve("none"), true)));
        assertTrue(e2.getMessage().contains(hostFingerprint()), e2.getMessage());
    }

    @Test
    void nonStrictHostKeysAcceptsAnyKeyAndWritesNothing() throws Exception {
        Path kh = tmp.resolve("kh");
        Files.writeString(kh, "");
        try (Connection c = Connections.open(spec("127.0.0.1", sshd.port(), ME, kh, false))) {
            assertEquals("ok\n", c.shell().run("echo ok").out());
        }
        assertEquals("", Files.readString(kh));
    }

    @Test
    void connectionRefusedIsQuick() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        long start = System.nanoTime();
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> Connections.open(spec("127.0.0.1", closedPort, "deploy", sshd.knownHosts(), true)));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals("ssh to web1 (127.0.0.1:" + closedPort + ") as deploy: connection refused", e.getMessage());
        assertTrue(ms < 2000, "took " + ms + " ms");
    }

    @Test
    void unresolvableHostName() {
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> Connections.open(spec("no-such-host.invalid", 22, ME, sshd.knownHosts(), true)));
        assertTrue(e.getMessage().contains("no-such-host.invalid") && e.getMessage().contains("unknown host name"),
                e.getMessage());
    }

    @Test
    void authenticationFailure() {
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> Connections.open(spec("127.0.0.1", sshd.port(), "drover-no-such-user", sshd.knownHosts(), true)));
        assertTrue(e.getMessage().startsWith("ssh to web1 (127.0.0.1:" + sshd.port() + ") as drover-no-such-user: "
                + "authentication failed"), e.getMessage());
        assertTrue(e.getMessage().contains(sshd.clientKey().toString()), e.getMessage());
    }

    @Test
    void closedConnectionRefusesShellsAndCloseIsIdempotent() throws Exception {
        Connection c = Connections.open(sshd.spec("web1", "127.0.0.1", ME));
        Shell s = c.shell();
        assertEquals("x\n", s.run("echo x").out());
        c.close();
        c.close();
        assertThrows(ConnectionException.class, c::shell);
        assertThrows(ConnectionException.class, () -> s.run("echo x"));
    }

    @Test
    void manyConnectionsInParallel() throws Exception {
        int n = 8;
        Thread[] threads = new Thread[n];
        Throwable[] errors = new Throwable[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            threads[i] = new Thread(() -> {
                try (Connection c = Connections.open(sshd.spec("h" + k, "127.0.0.1", ME));
                     Connection l = Connections.open(ConnectionSpec.local("l" + k))) {
                    for (int j = 0; j < 30; j++) {
                        assertEquals(k + ":" + j + "\n", c.shell().run("echo " + k + ":" + j).out());
                        assertEquals(k + ":" + j + "\n", l.shell().run("echo " + k + ":" + j).out());
                    }
                } catch (Throwable t) {
                    errors[k] = t;
                }
            });
            threads[i].start();
        }
        for (int i = 0; i < n; i++) {
            threads[i].join(60_000);
            if (errors[i] != null) {
                throw new AssertionError("thread " + i, errors[i]);
            }
        }
    }
}
