package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -c/--connection} and ansible.cfg's {@code transport}: the connection type below the
 * {@code connection} keyword and {@code ansible_connection}, as in Ansible. The host "web" points at
 * a loopback port nothing listens on: reached over SSH it is unreachable at once, locally it runs.
 */
class ConnectionOptionTest {
    @TempDir
    Path dir;

    private Path inventory(String hostVars) throws Exception {
        return Files.writeString(dir.resolve("inv.ini"), "web ansible_host=127.0.0.1 ansible_port=1 " + hostVars + "\n");
    }

    private Path playbook(String playKeywords) throws Exception {
        return Files.writeString(dir.resolve("p.yml"), """
                - hosts: web
                  gather_facts: false
                  %s
                  tasks:
                    - file:
                        path: %s
                        state: touch
                """.formatted(playKeywords, dir.resolve("touched")));
    }

    @Test
    void dashCLocalRunsAnSshHostOnThisMachine() throws Exception {
        DroverCli.Result ssh = DroverCli.run("run", "--no-journal", "-i", inventory("").toString(), playbook("").toString());
        assertEquals(4, ssh.exit(), ssh::toString);
        assertFalse(Files.exists(dir.resolve("touched")));
        DroverCli.Result local = DroverCli.run("run", "--no-journal", "-c", "local", "-i", inventory("").toString(),
                playbook("").toString());
        assertEquals(0, local.exit(), local::toString);
        assertTrue(Files.exists(dir.resolve("touched")));
        assertTrue(local.out().contains("web                        : ok=1    changed=1"), local::toString);
    }

    @Test
    void theConnectionKeywordAndAnsibleConnectionRankAboveDashC() throws Exception {
        DroverCli.Result keyword = DroverCli.run("run", "--no-journal", "-c", "local", "-i", inventory("").toString(),
                playbook("connection: ssh").toString());
        assertEquals(4, keyword.exit(), keyword::toString);
        DroverCli.Result hostVar = DroverCli.run("run", "--no-journal", "-c", "local", "-i",
                inventory("ansible_connection=ssh").toString(), playbook("").toString());
        assertEquals(4, hostVar.exit(), hostVar::toString);
        assertFalse(Files.exists(dir.resolve("touched")));
    }

    @Test
    void ansibleCfgTransportIsTheDefault() throws Exception {
        Path cfg = Files.writeString(dir.resolve("ansible.cfg"), "[defaults]\ntransport = local\n");
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.toString());
        env.put("PATH", System.getenv("PATH"));
        env.put("ANSIBLE_CONFIG", cfg.toString());
        env.put("DROVER_JOURNAL_ENABLED", "false");
        assertEquals(0, Main.executeIn(env, dir, "run", "-i", inventory("").toString(), playbook("").toString()));
        assertTrue(Files.exists(dir.resolve("touched")));
    }

    @Test
    void anUnknownTypeIsRefusedBeforeAnyHostWithASuggestion() throws Exception {
        DroverCli.Result r = DroverCli.run("run", "--no-journal", "-c", "lcoal", "-i", inventory("").toString(),
                playbook("").toString());
        assertEquals(5, r.exit(), r::toString);
        assertEquals("ERROR! the connection plugin 'lcoal' was not found (-c): drover connects with local, ssh, smart,"
                + " paramiko. Did you mean 'local'?\n", r.err());
        assertFalse(Files.exists(dir.resolve("touched")));
    }

    @Test
    void fullyQualifiedNamesAreAnsibles() throws Exception {
        DroverCli.Result r = DroverCli.run("run", "--no-journal", "-c", "ansible.builtin.local", "-i",
                inventory("").toString(), playbook("").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(Files.exists(dir.resolve("touched")));
    }

    @Test
    void aHostWithAnUnknownConnectionFailsItsTasksAndIsNotUnreachable() throws Exception {
        // as ansible-playbook 2.14: "fatal: [web]: FAILED! => {"msg": "the connection plugin 'telnet' was not found"}",
        // the host counted failed=1 unreachable=0, the other hosts go on, exit 2
        Path inv = Files.writeString(dir.resolve("inv.ini"), "web ansible_connection=telnet\nloc ansible_connection=local\n");
        Path pb = Files.writeString(dir.resolve("p.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - ping:
                    - debug: msg=after
                """);
        DroverCli.Result r = DroverCli.run("run", "--no-journal", "-i", inv.toString(), pb.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("fatal: [web]: FAILED! => {\"changed\": false, \"msg\": \"the connection plugin"
                + " 'telnet' was not found: drover connects with local, ssh, smart, paramiko.\"}"), r::toString);
        assertTrue(r.out().contains("web                        : ok=0    changed=0    unreachable=0    failed=1"), r::toString);
        assertTrue(r.out().contains("loc                        : ok=2    changed=0    unreachable=0    failed=0"), r::toString);
    }
}
