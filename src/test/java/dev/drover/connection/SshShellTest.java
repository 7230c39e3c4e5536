package dev.drover.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void otherLoopbackAddressesAreOtherHosts() throws Exception {
        try (Connection c = Connections.open(sshd.spec("web2", "127.0.0.2", System.getProperty("user.name")))) {
            assertTrue(c.shell().run("printf %s \"$SSH_CONNECTION\"").out().contains("127.0.0.2 " + sshd.port()));
        }
    }
}
