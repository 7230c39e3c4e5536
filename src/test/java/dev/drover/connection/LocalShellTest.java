package dev.drover.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LocalShellTest extends ShellContract {

    @Override
    protected Connection open() throws Exception {
        return Connections.open(ConnectionSpec.local("localhost"));
    }

    @Test
    void localShellRunsAsTheCurrentUser() throws Exception {
        assertTrue(connection instanceof LocalConnection);
        assertEquals(System.getProperty("user.name") + "\n", shell().run("id -un").out());
        assertEquals(System.getProperty("user.name"), shell().user());
        assertEquals("localhost", connection.host());
    }

    @Test
    void shellIsCachedAndBecomeToSelfIsTheLoginShell() throws Exception {
        Shell s = shell();
        assertSame(s, shell());
        assertSame(s, connection.shell(Become.sudo(System.getProperty("user.name"))));
    }

    @Test
    void closedConnectionRefusesShells() throws Exception {
        connection.close();
        assertThrows(ConnectionException.class, () -> connection.shell());
    }

    @Test
    void unsupportedBecomeMethod() {
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> connection.shell(new Become("nobody", "doas", null)));
        assertTrue(e.getMessage().contains("doas"), e.getMessage());
    }

    @Test
    void nulInScriptIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> shell().run("echo a\0b"));
    }
}
