package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --check through unknowns, on localhost: a command check mode does not run leaves its registered
 * result unknown; the tasks that read it (directly, through set_fact, through a task's vars, in a
 * condition) are forecast as unknown instead of failing the forecast, counted as unknown=N in the
 * recap; the rest stays exact, and a real run knows nothing of it.
 */
class CheckUnknownsTest {

    private static Path playbook(Path dir) throws Exception {
        return Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: Who
                      command: whoami
                      register: who
                    - name: Known
                      copy: {content: "fixed\\n", dest: %1$s/known}
                    - name: Uses who
                      copy:
                        content: "{{ who.stdout }}\\n"
                        dest: %1$s/who
                    - name: Derived
                      set_fact:
                        greeting: "hi {{ who.stdout }}"
                    - name: Uses greeting
                      debug: {msg: "{{ greeting }}"}
                    - name: Through the task's vars
                      copy: {content: "{{ line }}\\n", dest: "%1$s/line"}
                      vars:
                        line: "user={{ who.stdout }}"
                    - name: A condition on it
                      file: {path: "%1$s/root-only", state: touch}
                      when: who.stdout == 'root'
                    - name: Guarded, so known
                      copy: {content: "{{ who.stdout | default('?') }}\\n", dest: "%1$s/guarded"}
                    - name: Run in check mode too
                      command: echo known
                      check_mode: false
                      changed_when: false
                      register: echoed
                    - name: Reads a value check mode did get
                      copy: {content: "{{ echoed.stdout }}\\n", dest: "%1$s/echoed"}
                """.formatted(dir));
    }

    @Test
    void theForecastGoesThroughUnknowns(@TempDir Path dir) throws Exception {
        Path p = playbook(dir);
        DroverCli.Result check = DroverCli.run("run", "--check", "--no-journal", p.toString());
        assertEquals(0, check.exit(), check::toString);
        String out = check.out();
        assertTrue(out.contains("TASK [Uses who] *") && out.contains(
                "changed: [localhost] (unknown: depends on 'who', not run in check mode)"), out);
        assertTrue(out.contains("ok: [localhost] (unknown: depends on 'greeting' (depends on 'who', not run in check mode))"),
                "set_fact passes the unknown on; debug never changes:\n" + out);
        assertEquals(3, out.split("changed: \\[localhost\\] \\(unknown: ", -1).length - 1,
                "Uses who, the task's vars, the condition (and Derived is ok):\n" + out);
        // exact where nothing unknown is read
        assertTrue(out.matches("(?s).*TASK \\[Known\\] \\*+\nchanged: \\[localhost\\]\n.*"), out);
        assertTrue(out.matches("(?s).*TASK \\[Guarded, so known\\] \\*+\nchanged: \\[localhost\\]\n.*"), out);
        assertTrue(out.matches("(?s).*TASK \\[Reads a value check mode did get\\] \\*+\nchanged: \\[localhost\\]\n.*"), out);
        assertEquals("ok=9 changed=6 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0 unknown=5",
                check.recap().get("localhost"), out);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "check mode wrote nothing");
        }

        DroverCli.Result real = DroverCli.run("run", "--no-journal", p.toString());
        assertEquals(0, real.exit(), real::toString);
        assertFalse(real.out().contains("unknown"), real.out());
        assertEquals(System.getProperty("user.name") + "\n", Files.readString(dir.resolve("who")));
        assertEquals("user=" + System.getProperty("user.name") + "\n", Files.readString(dir.resolve("line")));

        // once the host has it all, a second check knows more: only what reads 'who' stays unknown
        DroverCli.Result again = DroverCli.run("run", "--check", "--no-journal", p.toString());
        assertTrue(again.recap().get("localhost").endsWith("unknown=5"), again::toString);
        assertTrue(again.out().matches("(?s).*TASK \\[Known\\] \\*+\nok: \\[localhost\\]\n.*"), again.out());
    }

    @Test
    void aRealRunWithCheckModeTasksKeepsAnsiblesFailure(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - command: whoami
                      register: who
                      check_mode: true
                    - debug: {msg: "{{ who.stdout }}"}
                """);
        DroverCli.Result r = DroverCli.run("run", "--no-journal", p.toString());
        assertEquals(2, r.exit(), "not a check run: an undefined attribute fails as in Ansible\n" + r);
        assertTrue(r.out().contains("has no attribute 'stdout'"), r::toString);
    }
}
