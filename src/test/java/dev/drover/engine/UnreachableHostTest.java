package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hosts that cannot be reached are reported UNREACHABLE; the others carry on; exit 4. */
class UnreachableHostTest {
    static SshServerFixture sshd;

    @BeforeAll
    static void up() throws IOException {
        Requirements.requireRoot();
        sshd = SshServerFixture.shared();
    }

    @Test
    void closedPortAndUnknownNameAreUnreachableOthersFinish(@TempDir Path dir) throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // free once closed: nothing listens there
        }
        String common = " ansible_user=root ansible_ssh_private_key_file=" + sshd.clientKey()
                + " drover_known_hosts=" + sshd.knownHosts() + " ansible_ssh_timeout=5";
        Files.writeString(dir.resolve("hosts.ini"), "[all_of_them]\n"
                + "good ansible_host=127.0.0.1 ansible_port=" + sshd.port() + common + "\n"
                + "closed ansible_host=127.0.0.1 ansible_port=" + closed + common + "\n"
                + "badname ansible_host=no-such-host.invalid ansible_port=" + sshd.port() + common + "\n"
                + "local ansible_connection=local\n");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: all_of_them
                  gather_facts: false
                  tasks:
                    - name: One
                      file:
                        path: "{{ out }}/{{ inventory_hostname }}-one"
                        state: touch
                    - name: Two
                      file:
                        path: "{{ out }}/{{ inventory_hostname }}-two"
                        state: touch
                """);
        Path out = Files.createDirectories(dir.resolve("out"));
        DroverCli.Result r = DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), "-e", "out=" + out,
                dir.resolve("p.yml").toString());
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ok=2 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("good"), r::toString);
        assertEquals("ok=2 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("local"), r::toString);
        assertEquals("ok=0 changed=0 unreachable=1 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("closed"), r::toString);
        assertEquals("ok=0 changed=0 unreachable=1 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("badname"), r::toString);
        for (String h : new String[] {"closed", "badname"}) {
            assertTrue(Pattern.compile("(?m)^fatal: \\[" + h + "\\]: UNREACHABLE! => \\{\"changed\": false, \"msg\": \".+\", \"unreachable\": true\\}$")
                    .matcher(r.out()).find(), r::toString);
            // an unreachable host is reported once, then left out of the following tasks
            assertEquals(1, r.out().split(Pattern.quote("[" + h + "]"), -1).length - 1, r::toString);
        }
        assertTrue(Files.exists(out.resolve("good-two")));
        assertTrue(Files.exists(out.resolve("local-two")));
        assertFalse(r.all().contains("Exception"), r::toString);
    }
}
