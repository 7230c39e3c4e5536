package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meta: reset_connection} over the test sshd: the tasks after it run in a new SSH session
 * (another sshd process), as Ansible's reset closes its ControlMaster, so a login user's new
 * groups are seen; the tasks before it share one session.
 */
class ResetConnectionTest {
    static SshServerFixture sshd;

    @BeforeAll
    static void up() throws IOException {
        Requirements.requireRoot();
        sshd = SshServerFixture.shared();
    }

    @Test
    void theTasksAfterAResetRunInANewSession(@TempDir Path dir) throws IOException {
        String session = "p=$$; while [ \"$(ps -o comm= -p $p)\" != sshd ]; do p=$(ps -o ppid= -p $p | tr -d ' '); done;"
                + " echo $p >> " + dir.resolve("sessions");
        Files.writeString(dir.resolve("site.yml"), """
                - hosts: web
                  gather_facts: false
                  tasks:
                    - shell: %1$s
                    - shell: %1$s
                    - meta: reset_connection
                    - shell: %1$s
                """.formatted("'" + session.replace("'", "''") + "'"));
        Files.writeString(dir.resolve("hosts.ini"), "web ansible_host=127.0.0.1 ansible_port=" + sshd.port()
                + " ansible_user=root ansible_ssh_private_key_file=" + sshd.clientKey()
                + " drover_known_hosts=" + sshd.knownHosts() + "\n");
        DroverCli.Result r = DroverCli.run("run", "--no-journal", "-i", dir.resolve("hosts.ini").toString(),
                dir.resolve("site.yml").toString());
        assertEquals(0, r.exit(), r::toString);
        String[] pids = Files.readString(dir.resolve("sessions")).trim().split("\n");
        assertEquals(3, pids.length, String.join(",", pids));
        assertEquals(pids[0], pids[1], "two tasks before the reset did not share the session");
        assertNotEquals(pids[1], pids[2], "the task after reset_connection ran in the old session");
    }
}
