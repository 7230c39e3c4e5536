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
 * Bad input knowable before any host is touched is refused then, with file:line:column (where
 * ansible-playbook 2.14 runs the tasks before it and fails at the task's turn): a literal loop
 * that is not a list, a copy/template src found nowhere on the controller, a template Jinja2
 * cannot parse, a YAML mapping key that is a mapping. Under ignore_errors each only warns.
 */
class PreRunRefusalsTest {
    @TempDir
    Path dir;

    private Path marker;

    private Path playbook(String tasks) throws IOException {
        marker = dir.resolve("first-task-ran");
        String text = "- hosts: localhost\n  gather_facts: false\n  tasks:\n"
                + ("- file:\n    path: " + marker + "\n    state: touch\n" + tasks.stripTrailing()).indent(4);
        return Files.writeString(dir.resolve("p.yml"), text);
    }

    private DroverCli.Result refused(Path p) {
        DroverCli.Result r = DroverCli.run("run", p.toString());
        assertEquals(4, r.exit(), r::toString);
        assertFalse(Files.exists(marker), "no host may be touched: " + r);
        assertFalse(r.all().contains("unexpected error"), r::toString);
        return r;
    }

    @Test
    void aLiteralLoopThatIsNotAList() throws IOException {
        Path p = playbook("""
                - debug: msg={{ item }}
                  loop:
                    a: 1
                """);
        assertEquals("ERROR! " + p + ":7:7: Invalid data passed to 'loop', it requires a list, got this instead:"
                + " {'a': 1}.\n", refused(p).err());
    }

    @Test
    void aSourceFileFoundNowhere() throws IOException {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/there.j2"), "x\n");
        Path p = playbook("""
                - template:
                    src: there.j2
                    dest: /tmp/drover-prerun-never
                  check_mode: true
                - copy:
                    src: nowhere.txt
                    dest: /tmp/drover-prerun-never
                """);
        String err = refused(p).err();
        assertTrue(err.startsWith("ERROR! " + p + ":12:9: Could not find or access 'nowhere.txt' on the Ansible Controller"),
                err);
        assertEquals(1, err.lines().count(), err);
    }

    @Test
    void aTemplateJinjaCannotParse() throws IOException {
        Path p = playbook("""
                - debug:
                    msg: "{{ (1 }}"
                - debug: msg=fine
                  when: a b
                """);
        String err = refused(p).err();
        assertTrue(err.contains("ERROR! " + p + ":8:9: template error while templating string: "), err);
        assertTrue(err.contains("String: {{ (1 }}"), err);
        assertTrue(err.contains("ERROR! " + p + ":9:7: when: template error while templating string: expected token"
                + " 'end of print statement', got 'b'. String: a b"), err);
    }

    @Test
    void underIgnoreErrorsTheyWarnAndFailAtTheirTurn() throws IOException {
        Path p = playbook("""
                - debug:
                    msg: "{{ (1 }}"
                  ignore_errors: true
                - copy:
                    src: nowhere.txt
                    dest: /tmp/drover-prerun-never
                  ignore_errors: true
                """);
        DroverCli.Result r = DroverCli.run("run", p.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("[WARNING]: " + p + ":8:9: template error while templating string"), r::toString);
        assertTrue(r.out().contains("[WARNING]: " + p + ":11:9: Could not find or access 'nowhere.txt'"), r::toString);
        assertEquals("ok=3 changed=1 unreachable=0 failed=0 skipped=0 rescued=0 ignored=2", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void aMappingKeyThatIsAMappingSaysWhere() throws IOException {
        Path p = Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - debug:
                        {msg: x}: y
                """);
        DroverCli.Result r = DroverCli.run("run", "--syntax-check", p.toString());
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ERROR! " + p + ":5:9: YAML syntax error: a mapping key must be a plain value (a string, a number…),"
                + " not a mapping or a list\n", r.err());
    }

    @Test
    void anUnquotedTemplateSaysWhereAndHowToFixIt() throws IOException {
        Path p = Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - debug:
                        msg: x
                  handlers:
                    - name: h
                      debug: {{ not_quoted }}
                      when: false
                    - name: later
                        broken: indentation
                """);
        DroverCli.Result r = DroverCli.run("run", "--syntax-check", p.toString());
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ERROR! " + p + ":8:14: YAML syntax error: a mapping key must be a plain value (a string, a number…),"
                + " not a mapping or a list; a value that starts with {{ must be quoted: \"{{ … }}\"\n", r.err());
    }
}
