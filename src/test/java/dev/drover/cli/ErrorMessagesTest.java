package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors a person can act on: one line, file:line:col, a did-you-mean, the right exit code, no stack trace. */
class ErrorMessagesTest {
    @TempDir
    Path dir;

    private DroverCli.Result run(String playbook) throws IOException {
        Path p = Files.writeString(dir.resolve("p.yml"), playbook);
        return DroverCli.run("run", p.toString());
    }

    private String file() {
        return dir.resolve("p.yml").toString();
    }

    private static void assertNoTrace(DroverCli.Result r) {
        assertFalse(r.all().contains("Exception"), r::toString);
        assertFalse(r.all().contains("\tat "), r::toString);
    }

    @Test
    void badYamlIsOneLineWithItsPosition() throws IOException {
        DroverCli.Result r = run("- hosts: localhost\n  tasks:\n    - name: x\n      debug: msg=a\n     bad: [\n");
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.err().matches("ERROR! " + java.util.regex.Pattern.quote(file()) + ":5:6: YAML syntax error: [^\n]+\n"), r::toString);
        assertEquals("", r.out());
        assertNoTrace(r);
    }

    @Test
    void unknownModuleSuggestsAndTouchesNoHost() throws IOException {
        Path created = dir.resolve("created-by-first-task");
        DroverCli.Result r = run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: First
                      file:
                        path: %s
                        state: touch
                    - name: Typo
                      cpoy:
                        content: a
                        dest: /tmp/never
                """.formatted(created));
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ERROR! " + file() + ":9:7: couldn't resolve module/action 'cpoy'. Did you mean 'copy'?"
                + Requirements.withoutAnsibleCoreNote() + "\n", r.err());
        assertFalse(Files.exists(created), "a host was touched before validation failed");
        assertEquals("", r.out());
    }

    @Test
    void unknownParameterSuggests() throws IOException {
        DroverCli.Result r = run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - copy:
                        content: a
                        dets: /tmp/x
                """);
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.err().startsWith("ERROR! " + file() + ":6:9: Unsupported parameter for copy module: dets. Did you mean 'dest'?"),
                r::toString);
        assertTrue(r.err().contains("ERROR! " + file() + ":4:7: missing required arguments: dest"), r::toString);
        assertNoTrace(r);
    }

    @Test
    void unknownPlayKeywordSuggests() throws IOException {
        DroverCli.Result r = run("- hosts: localhost\n  gather_facts: false\n  taks:\n    - debug: msg=a\n");
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ERROR! " + file() + ":3:3: 'taks' is not a valid attribute for a play. Did you mean 'tasks'?\n", r.err());
    }

    @Test
    void twoModulesInATask() throws IOException {
        DroverCli.Result r = run("""
                - hosts: localhost
                  tasks:
                    - name: two
                      copy:
                        content: a
                        dest: /tmp/x
                      file:
                        path: /tmp/x
                """);
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ERROR! " + file() + ":7:7: conflicting action statements: copy, file.\n", r.err());
    }

    @Test
    void misspeltKeywordLooksLikeASecondActionAndIsNamed() throws IOException {
        DroverCli.Result r = run("- hosts: localhost\n  tasks:\n    - whne: true\n      debug: msg=a\n");
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ERROR! " + file() + ":4:7: conflicting action statements: whne, debug. Did you mean 'when'?\n", r.err());
    }

    @Test
    void undefinedVariableNamesTheVariableAndTheTask() throws IOException {
        // defined only by a task that is skipped: the static check lets it pass, the run finds it undefined
        DroverCli.Result r = run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: Uses an undefined variable
                      debug:
                        msg: "value {{ not_defined_var }}"
                    - set_fact:
                        not_defined_var: 1
                      when: false
                """);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("fatal: [localhost]: FAILED! => {\"msg\": \"" + file() + ":4:7: "), r::toString);
        assertTrue(r.out().contains("'not_defined_var' is undefined"), r::toString);
        assertNoTrace(r);
    }

    @Test
    void variableDefinedNowhereIsRefusedBeforeTheRun() throws IOException {
        DroverCli.Result r = run("""
                - hosts: localhost
                  gather_facts: false
                  vars:
                    app_name: demo
                  tasks:
                    - name: Uses a misspelt variable
                      debug:
                        msg: "value {{ app_nmae }}"
                """);
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ERROR! " + file() + ":8:9: 'app_nmae' is undefined. Did you mean 'app_name'?\n", r.err());
        assertEquals("", r.out(), r::toString);
        assertNoTrace(r);
    }

    @Test
    void missingPlaybookExitsLikeAnsible() {
        DroverCli.Result r = DroverCli.run("run", dir.resolve("missing.yml").toString());
        // ansible-playbook 2.14: "ERROR! the playbook: missing.yml could not be found", exit 1
        assertEquals(1, r.exit(), r::toString);
        assertEquals("ERROR! the playbook: " + dir.resolve("missing.yml") + " could not be found\n", r.err());
    }

    @Test
    void misspeltOptionExits5WithASuggestion() {
        DroverCli.Result r = DroverCli.run("run", "--chek", "x.yml");
        assertEquals(5, r.exit(), r::toString);
        assertTrue(r.err().contains("ERROR! Unknown option: '--chek'"), r::toString);
        assertTrue(r.err().contains("--check"), r::toString);
        assertNoTrace(r);
    }

    @Test
    void versionAndHelpExit0() {
        DroverCli.Result v = DroverCli.run("--version");
        assertEquals(0, v.exit(), v::toString);
        assertTrue(v.out().startsWith("drover "), v::toString);
        DroverCli.Result h = DroverCli.run("--help");
        assertEquals(0, h.exit(), h::toString);
        assertTrue(h.out().contains("Usage: drover"), h::toString);
        DroverCli.Result rh = DroverCli.run("run", "--help");
        assertEquals(0, rh.exit(), rh::toString);
        assertTrue(rh.out().contains("--check"), rh::toString);
    }
}
