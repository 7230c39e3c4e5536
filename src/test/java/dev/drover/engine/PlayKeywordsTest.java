package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * order, vars_prompt (no terminal, and -e), group_by, add_host, delegate_facts, pause,
 * ignore_unreachable and force_handlers in one playbook (src/test/resources/engine/keywords):
 * ansible-playbook 2.14 printed the messages and the recap asserted here for it (its unreachable
 * host is port 1 of 127.0.0.1, refused at once).
 */
class PlayKeywordsTest {
    private static final Path CASE = Path.of("src/test/resources/engine/keywords");

    @Test
    void asAnsiblePlaybookRunsIt() {
        DroverCli.Result r = DroverCli.run("run", "-i", CASE.resolve("hosts.ini").toString(), CASE.resolve("p.yml").toString());
        assertEquals(2, r.exit(), r::toString); // the fail task of the last play
        String out = r.out();
        for (String s : new String[] {
            "[WARNING]: Not prompting as we are not in interactive mode",
            "ok: [h1] => {\n    \"msg\": \"first h1 fortytwo\"", // order: sorted makes h1 the first host
            "ok: [h1 -> h3]",
            "Pausing for 1 seconds\n(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)",
            "[pause]\nContinue:",
            "[WARNING]: Not waiting for response to prompt as stdin is not interactive",
            "\"msg\": \"True Paused for 0.0 minutes\"",
            "ok: [newbie] => {\n    \"msg\": \"blue ['h1', 'h2', 'h3'] ['h1', 'h2', 'h3'] True none\"",
            "ok: [h2] => {\n    \"msg\": \"h2\"", // reverse_sorted
            "\"unreachable\": true}\n...ignoring",
            "ok: [nowhere] => {\n    \"msg\": \"still here\"",
            "RUNNING HANDLER [h]",
            "\"msg\": \"handler ran\"",
        }) {
            assertTrue(out.contains(s), () -> s + "\n" + r);
        }
        Map<String, String> recap = r.recap();
        assertEquals("ok=12 changed=4 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", recap.get("h1"), r::toString);
        assertEquals("ok=3 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", recap.get("h2"), r::toString);
        assertEquals("ok=2 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", recap.get("h3"), r::toString);
        assertEquals("ok=1 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", recap.get("newbie"), r::toString);
        assertEquals("ok=2 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=1", recap.get("nowhere"), r::toString);
    }

    @Test
    void anExtraVarIsNotAskedAndTheCliFlagForcesHandlers(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  vars_prompt:
                    - name: answer
                      prompt: What
                    - name: nothing
                      prompt: Nothing
                  tasks:
                    - debug: msg="{{ answer }} {{ nothing }}"
                      changed_when: true
                      notify: h
                    - fail: msg=boom
                  handlers:
                    - name: h
                      debug: msg="handler ran"
                """);
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString(), "-e", "answer=given", "--force-handlers");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"given None\""), r::toString); // Ansible's to_text(None)
        assertTrue(r.out().contains("\"msg\": \"handler ran\""), r::toString);

        r = DroverCli.run("run", dir.resolve("p.yml").toString(), "-e", "answer=given");
        assertTrue(!r.out().contains("handler ran"), r::toString);
    }

    @Test
    void badOrderAndPromptEntriesAreRefusedBeforeAnyHost(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  order: sortd
                  vars_prompt:
                    - prompt: What
                  tasks:
                    - ping:
                """);
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.err().contains("Invalid 'order' specified for inventory hosts: sortd. Did you mean 'sorted'?"), r::toString);
        assertTrue(r.err().contains("Invalid vars_prompt data structure, missing 'name' key"), r::toString);
    }
}
