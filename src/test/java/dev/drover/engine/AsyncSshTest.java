package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * async over a real sshd, with become: the job runs as the become user (its status file in that
 * user's ~/.ansible_async), and starting, polling and reading jobs opens no SSH channel beyond
 * the host's persistent shells (sshd's DEBUG1 log counts the session channels).
 */
class AsyncSshTest {
    private static final String USER = "drover-test";
    static SshServerFixture sshd;

    @BeforeAll
    static void up() throws IOException {
        Requirements.requireRoot();
        Requirements.requireSudo();
        SshServerFixture.ensureUser(USER);
        sshd = SshServerFixture.startWith("LogLevel DEBUG1\n", "127.0.0.1");
    }

    @AfterAll
    static void down() {
        if (sshd != null) {
            sshd.close();
        }
    }

    private static String playbook(int jobs) {
        StringBuilder b = new StringBuilder("""
                - hosts: all
                  gather_facts: false
                  become: true
                  become_user: %s
                  tasks:
                    - command: whoami
                      register: me
                      changed_when: false
                """.formatted(USER));
        for (int i = 0; i < jobs; i++) {
            b.append("""
                        - shell: sleep 1; echo "job %d as $(whoami)"
                          async: 20
                          poll: 0
                          register: j%d
                        - async_status: jid={{ j%d.ansible_job_id }}
                          register: s%d
                          until: s%d.finished
                          retries: 10
                          delay: 1
                        - command: echo polled %d
                          async: 10
                          poll: 1
                        - debug: msg="{{ s%d.stdout }} in {{ j%d.results_file | dirname }}"
                    """.formatted(i, i, i, i, i, i, i, i));
        }
        return b.toString();
    }

    private static long sessionChannels() {
        return sshd.log().lines().filter(l -> l.contains("ctype session")).count();
    }

    @Test
    void jobsRunAsTheBecomeUserThroughTheHostsShells(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("hosts.ini"), "target ansible_host=127.0.0.1 ansible_port=" + sshd.port()
                + " ansible_user=root ansible_ssh_private_key_file=" + sshd.clientKey()
                + " drover_known_hosts=" + sshd.knownHosts() + "\n");
        String home = "/home/" + USER;

        Files.writeString(dir.resolve("one.yml"), playbook(1));
        long before = sessionChannels();
        DroverCli.Result one = DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), dir.resolve("one.yml").toString());
        long forOne = sessionChannels() - before;
        assertEquals(0, one.exit(), one::toString);
        assertTrue(one.out().contains("\"msg\": \"job 0 as " + USER + " in " + home + "/.ansible_async\""), one::toString);

        Files.writeString(dir.resolve("three.yml"), playbook(3));
        before = sessionChannels();
        DroverCli.Result three = DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(),
                dir.resolve("three.yml").toString());
        long forThree = sessionChannels() - before;
        assertEquals(0, three.exit(), three::toString);
        assertTrue(three.out().contains("\"msg\": \"job 2 as " + USER + " in " + home + "/.ansible_async\""), three::toString);
        assertTrue(forOne > 0, sshd::log);
        assertEquals(forOne, forThree, "more async jobs must not open more SSH channels\n" + sshd.log());
    }
}
