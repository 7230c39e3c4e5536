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

/** A failing host drops out of the play while the others go on; ignore_errors; a keyword drover does not implement is refused. */
class FailingHostTest {
    static final String INVENTORY = "[three]\nh1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n";

    @Test
    void aHostThatFailsInPreTasksRunsNoRoleTaskOrPostTask(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("hosts.ini"), INVENTORY);
        Files.createDirectories(dir.resolve("roles/r/tasks"));
        Files.writeString(dir.resolve("roles/r/tasks/main.yml"), "- debug: msg=role\n");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: three
                  gather_facts: false
                  pre_tasks:
                    - command: /bin/sh -c "exit {{ 1 if inventory_hostname == 'h2' else 0 }}"
                      changed_when: false
                  roles: [r]
                  tasks:
                    - debug: msg=task
                  post_tasks:
                    - debug: msg=post
                """);
        DroverCli.Result r = DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), dir.resolve("p.yml").toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals("ok=4 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("h1"), r::toString);
        assertEquals("ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", r.recap().get("h2"), r::toString);
        assertFalse(r.out().contains("ok: [h2]"), r::toString);
    }

    @Test
    void failedHostDropsOutOthersContinue(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("hosts.ini"), INVENTORY);
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: three
                  gather_facts: false
                  tasks:
                    - name: Fails on h2 only
                      command: /bin/sh -c "exit {{ 3 if inventory_hostname == 'h2' else 0 }}"
                      changed_when: false
                    - name: Fails everywhere, ignored
                      command: /bin/false
                      ignore_errors: true
                    - name: After
                      file:
                        path: "{{ out }}/{{ inventory_hostname }}"
                        state: touch
                - hosts: three
                  gather_facts: false
                  tasks:
                    - name: Second play
                      file:
                        path: "{{ out }}/{{ inventory_hostname }}-play2"
                        state: touch
                """);
        Path out = Files.createDirectories(dir.resolve("out"));
        DroverCli.Result r = DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), "-e", "out=" + out,
                dir.resolve("p.yml").toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals("ok=4 changed=3 unreachable=0 failed=0 skipped=0 rescued=0 ignored=1", r.recap().get("h1"), r::toString);
        assertEquals("ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", r.recap().get("h2"), r::toString);
        assertEquals("ok=4 changed=3 unreachable=0 failed=0 skipped=0 rescued=0 ignored=1", r.recap().get("h3"), r::toString);
        assertTrue(r.out().contains("fatal: [h2]: FAILED! => {\"changed\": false, \"cmd\": [\"/bin/sh\", \"-c\", \"exit 3\"]"),
                r::toString);
        assertTrue(r.out().contains("...ignoring"), r::toString);
        assertTrue(Files.exists(out.resolve("h1")) && Files.exists(out.resolve("h3")));
        assertFalse(Files.exists(out.resolve("h2")));
        // recap as ansible-playbook 2.14 prints it for this playbook (an ignored failure counts as ok too);
        // a failed host stays out of the following plays, as in Ansible
        assertTrue(Files.exists(out.resolve("h1-play2")));
        assertFalse(Files.exists(out.resolve("h2-play2")));
    }

    @Test
    void unimplementedKeywordIsRefusedClearlyBeforeAnyHostIsTouched(@TempDir Path dir) throws IOException {
        Path marker = dir.resolve("touched");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  become_exe: /usr/local/bin/sudo
                  tasks:
                    - file:
                        path: %s
                        state: touch
                """.formatted(marker));
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ERROR! " + dir.resolve("p.yml") + ":1:3: 'become_exe' is not supported by drover yet"
                + "; remove it, or run this playbook with ansible-playbook.\n",
                r.err(), r::toString);
        assertFalse(Files.exists(marker));
        assertEquals("", r.out());
    }

    @Test
    void anyErrorsFatalFalseIsAccepted(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  any_errors_fatal: false
                  tasks:
                    - debug: msg=hi
                      any_errors_fatal: no
                """);
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(0, r.exit(), r::toString);
    }
}
