package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * async/poll and async_status on localhost, for real: the job runs in the background on the host
 * (its status file in ~/.ansible_async, as Ansible's), poll waits for it, poll 0 returns the job
 * id at once. The values and messages are those ansible-playbook 2.14 printed for the same tasks.
 */
class AsyncTest {

    @Test
    void fireAndForgetThenWaitWithAsyncStatus(@TempDir Path dir) throws IOException {
        Path marker = dir.resolve("marker");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - shell: sleep 1; echo done > %s; echo out
                      async: 20
                      poll: 0
                      register: job
                    - stat: path=%s
                      register: early
                    - slurp: src={{ job.results_file }}
                      register: running
                    - async_status: jid={{ job.ansible_job_id }}
                      register: s
                      until: s.finished
                      retries: 10
                      delay: 1
                    - debug: msg="{{ job.started }} {{ job.finished }} {{ early.stat.exists }} {{ s.stdout }} {{ s.rc }} {{ s.finished }}"
                    - debug: msg="{{ running.content | b64decode }}"
                    - async_status: jid={{ job.ansible_job_id }} mode=cleanup
                      register: c
                    - stat: path={{ job.results_file }}
                      register: gone
                    - debug: msg="erased {{ c.erased == job.results_file }} {{ gone.stat.exists }}"
                """.formatted(marker, marker));
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"1 0 False out 0 1\""), r::toString);
        // while it runs, the status file holds what Ansible's async_wrapper writes first
        assertTrue(r.out().matches("(?s).*\"msg\": \\{\\s*\"ansible_job_id\": \"j\\d+\\.\\d+\",\\s*\"finished\": 0,"
                + "\\s*\"started\": 1\\s*}.*"), r::toString);
        assertTrue(r.out().contains("\"msg\": \"erased True False\""), r::toString);
        assertTrue(Files.exists(marker));
        // the shell task is reported changed when started, async_status once it finished
        assertEquals("ok=9 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void pollWaitsFailsAndTimesOutAsAnsible(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - command: echo polled
                      async: 5
                      poll: 1
                      register: ok
                    - shell: echo hi; exit 3
                      async: 5
                      poll: 1
                      register: bad
                      ignore_errors: true
                    - command: sleep 4
                      async: 2
                      poll: 1
                      register: slow
                      ignore_errors: true
                    - debug: msg="{{ ok.stdout }} {{ ok.finished }} {{ bad.rc }} {{ bad.stdout }} {{ slow.msg }}"
                    - debug: msg=x
                      async: 3
                      ignore_errors: true
                    - stat: path={{ ok.results_file }}
                      register: cleaned
                    - debug: msg="cleaned {{ not cleaned.stat.exists }}"
                """);
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"polled 1 3 hi async task did not complete within the requested time - 2s\""),
                r::toString);
        assertTrue(r.out().contains("\"msg\": \"async is not supported for this task.\""), r::toString);
        // Ansible's default callback lines for the polls
        assertTrue(r.out().matches("(?s).*TASK \\[command] \\*+\nASYNC POLL on localhost: jid=j\\d+\\.\\d+ started=1 finished=0\n"
                + "ASYNC POLL on localhost: jid=\\S+ started=1 finished=0\nASYNC FAILED on localhost: jid=\\S+\nfatal: .*"), r::toString);
        assertTrue(r.out().contains("\"msg\": \"cleaned True\""), r::toString);
        assertEquals("ok=7 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=3", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void checkModeRefusesAnAsyncTaskAsAnsible(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - command: touch %s
                      async: 5
                      poll: 1
                      ignore_errors: true
                    - command: echo ran anyway
                      async: 5
                      poll: 1
                      check_mode: false
                      register: forced
                    - debug: var=forced.stdout
                """.formatted(dir.resolve("touched")));
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString(), "--check");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"check mode and async cannot be used on same task.\""), r::toString);
        assertTrue(r.out().contains("\"forced.stdout\": \"ran anyway\""), r::toString);
        assertFalse(Files.exists(dir.resolve("touched")));
    }
}
