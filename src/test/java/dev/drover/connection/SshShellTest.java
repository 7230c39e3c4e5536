package dev.drover.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.drover.testing.SshServerFixture;

/** The shell contract over a real OpenSSH server: same results as local. */
class SshShellTest extends ShellContract {

    static SshServerFixture sshd;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = SshServerFixture.shared();
    }

    @Override
    protected Connection open() throws Exception {
        return Connections.open(sshd.spec("web1", "127.0.0.1", System.getProperty("user.name")));
    }

    @Test
    void runsOverSsh() throws Exception {
        assertTrue(connection instanceof SshConnection);
        assertEquals(System.getProperty("user.name") + "\n", shell().run("id -un").out());
        assertEquals("web1", connection.host());
        String sshConnection = shell().run("printf %s \"$SSH_CONNECTION\"").out();
        assertTrue(sshConnection.endsWith(" " + sshd.port()), sshConnection);
    }

    @Test
    void shellDeathAndTimeoutKeepTheSession() throws Exception {
        SshConnection c = (SshConnection) connection;
        Object session = c.session();
        assertThrows(ConnectionException.class, () -> shell().run("kill -9 $$"));
        assertThrows(CommandTimeoutException.class, () -> shell().run("sleep 30", null, Duration.ofMillis(300)));
        assertEquals("ok\n", shell().run("echo ok").out());
        assertTrue(c.sessionConnected());
        assertSame(session, c.session(), "the SSH session was lost and reconnected");
    }

    @Test
    void aDroppedSessionIsNamedAsSuch() throws Exception {
        // kill this connection's own sshd process (the shell's nearest sshd ancestor): the whole
        // SSH session goes, not only the shell, and the message says so
        String script = "p=$$; while [ \"$(ps -o comm= -p $p)\" != sshd ]; do p=$(ps -o ppid= -p $p | tr -d ' '); done; kill -9 $p";
        ConnectionException e = assertThrows(ConnectionException.class, () -> shell().run(script));
        assertTrue(e.getMessage().contains("the SSH session to ") && e.getMessage().contains(" dropped (no answer to 8 keepalives"),
                e.getMessage());
        ConnectionException shellOnly = assertThrows(ConnectionException.class, () -> {
            try (Connection c = open()) {
                c.shell().run("kill -9 $$");
            }
        });
        assertFalse(shellOnly.getMessage().contains("SSH session"), shellOnly.getMessage());
    }

    @Test
    void otherLoopbackAddressesAreOtherHosts() throws Exception {
        try (Connection c = Connections.open(sshd.spec("web2", "127.0.0.2", System.getProperty("user.name")))) {
            assertTrue(c.shell().run("printf %s \"$SSH_CONNECTION\"").out().contains("127.0.0.2 " + sshd.port()));
        }
    }
}
