package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code environment: "{{ a_dict }}"} (a template, as Ansible allows on plays, blocks and tasks)
 * sets the dict's variables; it used to be ignored silently (only literal dicts were read).
 */
class EnvironmentTemplateTest {
    @Test
    void aTemplatedEnvironmentIsRenderedToItsDict(@TempDir Path dir) throws Exception {
        Path play = Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  environment: "{{ play_env }}"
                  vars:
                    play_env: {DROVER_A: from-play, DROVER_B: play}
                    task_env: {DROVER_B: "from-{{ 'task' }}"}
                  tasks:
                    - shell: echo "$DROVER_A $DROVER_B"
                      environment: "{{ task_env }}"
                      register: out
                    - debug: msg="{{ out.stdout }}"
                    - shell: echo "$DROVER_A"
                      environment: "{{ 42 }}"
                """);
        DroverCli.Result r = DroverCli.run("run", play.toString());
        assertTrue(r.out().contains("\"msg\": \"from-play from-task\""), r::toString);
        assertTrue(r.out().contains("environment must be a dictionary, received 42"), r::toString);
        assertEquals(2, r.exit(), r::toString);
    }
}
