package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** include_tasks is dynamic: its own when/tags apply to the include, its vars reach the included tasks. */
class IncludeTasksTest {

    @Test
    void theIncludesConditionIsNotReEvaluatedOnTheIncludedTasks(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  vars: {go: true}
                  tasks:
                    - include_tasks: inc.yml
                      when: go
                      vars: {v: 7}
                """);
        Files.writeString(dir.resolve("inc.yml"), """
                - set_fact: go=false
                - debug: msg="still here {{ v }}"
                """);
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        // ansible-playbook 2.14 prints "still here 7" and ok=3 (the include counts as ok) for this playbook
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"still here 7\""), r::toString);
        assertEquals("ok=3 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
    }
}
