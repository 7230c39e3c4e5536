package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module's ansible_facts are variables and ansible_facts entries (getent), and a module that
 * skips itself (script's creates) is counted as skipped; the expectations are ansible-playbook
 * 2.14's output for this playbook (run by hand: the same msg lines and ok=3 skipped=1).
 */
class ModuleFactsAndSkipsTest {

    @Test
    void getentFactsAndAScriptSkippedByCreates(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("files"));
        Files.writeString(dir.resolve("files/s.sh"), "#!/bin/sh\necho ran\n");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - getent: {database: passwd, key: root}
                    - debug: msg="{{ getent_passwd.root[4] }} {{ ansible_facts.getent_passwd.root[5] }}"
                    - script: s.sh
                      args: {creates: /}
                      register: s
                    - debug: msg="{{ s.skipped }} {{ s.msg }}"
                """);
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"/root /bin/bash\""), r::toString);
        assertTrue(r.out().contains("\"msg\": \"True / exists, matching creates option\""), r::toString);
        assertEquals("ok=3 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
    }
}
