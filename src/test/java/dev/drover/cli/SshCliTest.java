package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;

/** The CLI over real SSH: ssh config aliases, -u/--private-key/-K, become_method su, task timeouts. */
class SshCliTest {
    static final String OTHER = "drover-test";
    static final String OTHER_PW = "drover-Cli-pw-2";
    static final String SU_USER = "drover-su";
    static final String SU_PW = "su-Pw-123";
    static final Path SUDOERS = Path.of("/etc/sudoers.d/drover-test-cli");
    static SshServerFixture sshd;

    @TempDir
    Path dir;

    @BeforeAll
    static void up() throws Exception {
        sshd = SshServerFixture.shared();
    }

    private DroverCli.Result runWith(Path config, String stdin, String... args) {
        InputStream old = System.in;
        System.setProperty("drover.ssh_config", config.toString());
        try {
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            }
            return DroverCli.run(args);
        } finally {
            System.clearProperty("drover.ssh_config");
            System.setIn(old);
        }
    }

    private Path webConfig() throws Exception {
        Path cfg = dir.resolve("ssh_config");
        Files.writeString(cfg, "Host web\n  HostName 127.0.0.2\n  Port " + sshd.port() + "\n  IdentityFile "
                + sshd.clientKey() + "\n  UserKnownHostsFile " + sshd.knownHosts() + "\n");
        return cfg;
    }

    @Test
    void inventoryNamesAnSshConfigAliasAndTaskTimeoutFailsTheTask() throws Exception {
        Path cfg = webConfig();
        Files.writeString(dir.resolve("inv"), "web\n");
        Files.writeString(dir.resolve("p.yml"), String.join("\n",
                "- hosts: web",
                "  gather_facts: false",
                "  tasks:",
                "    - command: sh -c 'echo $SSH_CONNECTION'",
                "      register: c",
                "    - debug: msg=\"{{ c.stdout.split()[2] }}\"",
                "    - command: sleep 30",
                "      timeout: 2",
                "      ignore_errors: true",
                "    - command: echo still-here",
                "    - command: sleep 30",
                "      timeout: 1",
                "    - debug: msg=never",
                ""));
        long t0 = System.nanoTime();
        DroverCli.Result r = runWith(cfg, null, "run", "-i", dir.resolve("inv").toString(), dir.resolve("p.yml").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.out().contains("\"msg\": \"127.0.0.2\""), r.toString());
        assertTrue(r.out().contains("The command action failed to execute in the expected time frame (2) and was terminated"),
                r.toString());
        assertTrue(r.out().contains("The command action failed to execute in the expected time frame (1) and was terminated"),
                r.toString());
        assertTrue(r.out().contains("...ignoring"), r.toString());
        assertFalse(r.out().contains("never"), r.toString());
        assertEquals("ok=4 changed=2 unreachable=0 failed=1 skipped=0 rescued=0 ignored=1", r.recap().get("web"), r.toString());
        assertTrue(System.nanoTime() - t0 < 25_000_000_000L, "timeouts took too long");
    }

    @Test
    void userPrivateKeyAndAskBecomePassSudoAndSu() throws Exception {
        Requirements.requireRoot();
        Requirements.requireSudo();
        SshServerFixture.ensureUser(OTHER);
        SshServerFixture.ensureUser(SU_USER);
        chpasswd(OTHER, OTHER_PW);
        chpasswd(SU_USER, SU_PW);
        sshd.authorize(OTHER);
        Files.writeString(SUDOERS, OTHER + " ALL=(ALL:ALL) ALL\n");
        try {
            Path cfg = dir.resolve("empty_config");
            Files.writeString(cfg, "");
            Files.writeString(dir.resolve("inv"), "h ansible_host=127.0.0.1 ansible_port=" + sshd.port()
                    + " drover_known_hosts=" + sshd.knownHosts() + "\n");
            Files.writeString(dir.resolve("p.yml"), String.join("\n",
                    "- hosts: h",
                    "  gather_facts: false",
                    "  tasks:",
                    "    - command: id -un",
                    "      register: login",
                    "    - command: id -un",
                    "      become: true",
                    "      register: sudo",
                    "    - command: id -un",
                    "      become: true",
                    "      become_method: su",
                    "      become_user: " + SU_USER,
                    "      vars:",
                    "        ansible_become_password: " + SU_PW,
                    "      register: su",
                    "    - debug: msg=\"{{ login.stdout }} {{ sudo.stdout }} {{ su.stdout }}\"",
                    ""));
            DroverCli.Result r = runWith(cfg, OTHER_PW + "\n", "run", "-v", "-u", OTHER, "--private-key",
                    sshd.clientKey().toString(), "-K", "-i", dir.resolve("inv").toString(), dir.resolve("p.yml").toString());
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("\"msg\": \"" + OTHER + " root " + SU_USER + "\""), r.toString());
            assertTrue(r.err().contains("BECOME password: "), r.toString());
            assertFalse(r.all().contains(OTHER_PW), "the -K password must not be printed");
        } finally {
            Files.deleteIfExists(SUDOERS);
        }
    }

    private static void chpasswd(String user, String pw) throws Exception {
        Process p = new ProcessBuilder("chpasswd").redirectErrorStream(true).start();
        p.getOutputStream().write((user + ":" + pw + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }
}
