package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults over SSH in a multi-host run: an sshd killed mid-run, a command that hangs past its timeout. */
class SshFaultTest {
    static SshServerFixture sshd;

    @BeforeAll
    static void up() throws IOException {
        Requirements.requireRoot();
        sshd = SshServerFixture.shared();
    }

    private static String host(String name, String address, SshServerFixture server, Path root) {
        return name + " ansible_host=" + address + " ansible_port=" + server.port() + " ansible_user=root"
                + " ansible_ssh_private_key_file=" + server.clientKey() + " drover_known_hosts=" + server.knownHosts()
                + " ansible_ssh_timeout=5 root=" + root + "\n";
    }

    static final String PLAYBOOK = """
            - hosts: all
              gather_facts: false
              tasks:
                - name: First
                  copy:
                    content: "first {{ inventory_hostname }}\\n"
                    dest: "{{ root }}/first"
                - name: Kill h2's sshd (from h1, on the controller)
                  shell: pkill -KILL -P "$(cat {{ victim_pidfile }})"; kill -KILL "$(cat {{ victim_pidfile }})"
                  delegate_to: localhost
                  when: inventory_hostname == 'h1' and kill | bool
                - name: Second
                  copy:
                    content: "second {{ inventory_hostname }}\\n"
                    dest: "{{ root }}/second"
                - name: Third
                  copy:
                    content: "third\\n"
                    dest: "{{ root }}/third"
            """;

    @Test
    void aHostWhoseSshdDiesMidRunIsUnreachableTheOthersFinishAndARerunConverges(@TempDir Path dir) throws Exception {
        Path roots = dir.resolve("roots");
        for (String h : new String[] {"h1", "h2", "h3"}) {
            Files.createDirectories(roots.resolve(h));
        }
        Files.writeString(dir.resolve("p.yml"), PLAYBOOK);
        SshServerFixture victim = SshServerFixture.start("127.0.0.2");
        try {
            Files.writeString(dir.resolve("hosts.ini"), host("h1", "127.0.0.1", sshd, roots.resolve("h1"))
                    + host("h2", "127.0.0.2", victim, roots.resolve("h2")) + host("h3", "127.0.0.3", sshd, roots.resolve("h3")));
            DroverCli.Result r = DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), "-e", "kill=true",
                    "-e", "victim_pidfile=" + victim.dir().resolve("sshd.pid"), dir.resolve("p.yml").toString());
            assertEquals(4, r.exit(), r::toString);
            assertTrue(r.out().contains("fatal: [h2]: UNREACHABLE!"), r::toString);
            assertEquals("ok=4 changed=4 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("h1"), r::toString);
            assertEquals("ok=1 changed=1 unreachable=1 failed=0 skipped=1 rescued=0 ignored=0", r.recap().get("h2"), r::toString);
            assertEquals("ok=3 changed=3 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", r.recap().get("h3"), r::toString);
            assertTrue(Files.exists(roots.resolve("h3/third")) && Files.exists(roots.resolve("h1/third")));
            assertFalse(Files.exists(roots.resolve("h2/second")));
        } finally {
            victim.close();
        }
        // h2 is back (a new sshd): the rerun converges, only h2's missing steps change
        SshServerFixture back = SshServerFixture.start("127.0.0.2");
        try {
            Files.writeString(dir.resolve("hosts.ini"), host("h1", "127.0.0.1", sshd, roots.resolve("h1"))
                    + host("h2", "127.0.0.2", back, roots.resolve("h2")) + host("h3", "127.0.0.3", sshd, roots.resolve("h3")));
            DroverCli.Result again = DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), "-e", "kill=false",
                    "-e", "victim_pidfile=/nonexistent", dir.resolve("p.yml").toString());
            assertEquals(0, again.exit(), again::toString);
            assertEquals("ok=3 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", again.recap().get("h1"), again::toString);
            assertEquals("ok=3 changed=2 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", again.recap().get("h2"), again::toString);
            assertEquals("second h2\n", Files.readString(roots.resolve("h2/second")));
        } finally {
            back.close();
        }
    }

    @Test
    void aCommandThatHangsPastItsTimeoutFailsThatHostOnly(@TempDir Path dir) throws Exception {
        Path roots = dir.resolve("roots");
        StringBuilder inv = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            Files.createDirectories(roots.resolve("h" + i));
            inv.append(host("h" + i, "127.0.0." + i, sshd, roots.resolve("h" + i)));
        }
        Files.writeString(dir.resolve("hosts.ini"), inv.toString());
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: sleep {{ 30 if inventory_hostname == 'h2' else 0 }}
                      timeout: 2
                    - command: touch {{ root }}/after
                """);
        long start = System.nanoTime();
        DroverCli.Result r = DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), dir.resolve("p.yml").toString());
        assertTrue(System.nanoTime() - start < 25_000_000_000L, "the hung command was cut at its timeout");
        assertEquals(2, r.exit(), r::toString);
        // Ansible 2.14's message, word for word
        assertTrue(r.out().contains("fatal: [h2]: FAILED! => {\"changed\": false, \"msg\": \"The command action failed to execute"
                + " in the expected time frame (2) and was terminated\"}"), r::toString);
        assertEquals("ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", r.recap().get("h2"), r::toString);
        assertEquals("ok=2 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("h1"), r::toString);
        assertTrue(Files.exists(roots.resolve("h3/after")));
        assertFalse(Files.exists(roots.resolve("h2/after")));
    }

    @Test
    void delegateToRunsOnAnotherInventoryHostsConnectionWithTheTaskHostsVars(@TempDir Path dir) throws Exception {
        Path roots = dir.resolve("roots");
        StringBuilder inv = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            Files.createDirectories(roots.resolve("h" + i));
            inv.append(host("h" + i, "127.0.0." + i, sshd, roots.resolve("h" + i)));
        }
        Files.writeString(dir.resolve("hosts.ini"), inv.toString());
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: h1
                  gather_facts: false
                  tasks:
                    - name: Where am I
                      shell: echo "{{ inventory_hostname }} $SSH_CONNECTION" > {{ root }}-delegated
                      delegate_to: h2
                """);
        DroverCli.Result r = DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), dir.resolve("p.yml").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("changed: [h1 -> h2]"), r::toString);
        // h1's variables (inventory_hostname, root), h2's connection (sshd's address 127.0.0.2)
        String line = Files.readString(Path.of(roots.resolve("h1") + "-delegated")).trim();
        assertTrue(line.startsWith("h1 ") && line.matches(".* 127\\.0\\.0\\.2 \\d+$"), line);
        assertEquals(1, r.recap().size(), r::toString);
    }
}
