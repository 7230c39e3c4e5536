package dev.drover.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;

/**
 * Become through sudo to a real second user, locally and over SSH. Needs root (to create the user
 * and to sudo without a password) and sudo. The password test adds a sudoers rule for the test user
 * in /etc/sudoers.d and removes it afterwards.
 */
class BecomeTest {

    static final String OTHER = "drover-test";
    static final String ME = System.getProperty("user.name");
    static final String PASSWORD = "drover-Test-pw-1";
    static final Path SUDOERS = Path.of("/etc/sudoers.d/drover-test-become");
    static SshServerFixture sshd;

    @BeforeAll
    static void setUp() throws Exception {
        Requirements.requireRoot();
        Requirements.requireSudo();
        SshServerFixture.ensureUser(OTHER);
        sshd = SshServerFixture.shared();
        sshd.authorize(OTHER);
    }

    @AfterAll
    static void tearDown() throws Exception {
        Files.deleteIfExists(SUDOERS);
    }

    private static void checkBecome(Connection c) throws Exception {
        Shell s = c.shell(Become.sudo(OTHER));
        assertEquals(OTHER, s.user());
        assertEquals(OTHER + "\n", s.run("id -un").out());
        assertSame(s, c.shell(Become.sudo(OTHER)), "become shells are cached per user");
        assertNotSame(s, c.shell());
        String f = "/tmp/drover-become-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try {
            CommandResult r = s.run("umask 022; echo hi > " + f + " && stat -c %U " + f);
            assertEquals(OTHER + "\n", r.out(), r.err());
            assertEquals(OTHER, Files.getOwner(Path.of(f)).getName());
            byte[] data = {0, 1, 2, (byte) 255, '\n'};
            assertEquals(5, s.run("cat", data, null).stdout().length);
            assertEquals(ME + "\n", c.shell().run("id -un").out(), "the login shell is unchanged");
            assertEquals(OTHER + "\n", s.run("printf '%s\\n' \"$USER\"").out());
        } finally {
            Files.deleteIfExists(Path.of(f));
        }
    }

    @Test
    void localBecome() throws Exception {
        try (Connection c = Connections.open(ConnectionSpec.local("localhost"))) {
            checkBecome(c);
        }
    }

    @Test
    void localBecomeWithAPasswordSudoDoesNotAskFor() throws Exception {
        // root is never asked: the password must not end up anywhere (e.g. run as a command)
        try (Connection c = Connections.open(ConnectionSpec.local("localhost"))) {
            Shell s = c.shell(new Become(OTHER, "sudo", "not-asked-secret"));
            CommandResult r = s.run("id -un");
            assertEquals(OTHER + "\n", r.out());
            assertEquals("", r.err());
        }
    }

    @Test
    void becomeOverSsh() throws Exception {
        try (Connection c = Connections.open(sshd.spec("web1", "127.0.0.1", ME))) {
            checkBecome(c);
        }
    }

    @Test
    void loginAsTheOtherUserOverSsh() throws Exception {
        try (Connection c = Connections.open(sshd.spec("web1", "127.0.0.1", OTHER))) {
            assertEquals(OTHER + "\n", c.shell().run("id -un").out());
            // no sudo rights without a password: sudo -n fails clearly
            ConnectionException e = assertThrows(ConnectionException.class, () -> c.shell(Become.sudo("root")));
            assertTrue(e.getMessage().contains("sudo"), e.getMessage());
        }
    }

    @Test
    void becomeWithPasswordOverSsh() throws Exception {
        setPassword(OTHER, PASSWORD);
        Files.writeString(SUDOERS, OTHER + " ALL=(ALL:ALL) ALL\n");
        try (Connection c = Connections.open(sshd.spec("web1", "127.0.0.1", OTHER))) {
            Shell root = c.shell(new Become("root", "sudo", PASSWORD));
            CommandResult r = root.run("id -un");
            assertEquals("root\n", r.out(), r.err());
            assertEquals("", r.err());
            assertEquals("ok\n", root.run("echo ok").out());
        }
        try (Connection c = Connections.open(sshd.spec("web1", "127.0.0.1", OTHER))) {
            ConnectionException e = assertThrows(ConnectionException.class,
                    () -> c.shell(new Become("root", "sudo", "wrong-password")));
            assertTrue(e.getMessage().contains("the become password was rejected"), e.getMessage());
            assertTrue(!e.getMessage().contains("wrong-password"), e.getMessage());
        } finally {
            Files.deleteIfExists(SUDOERS);
        }
    }

    private static void setPassword(String user, String password) throws Exception {
        Process p = new ProcessBuilder("chpasswd").redirectErrorStream(true).start();
        p.getOutputStream().write((user + ":" + password + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }
}
