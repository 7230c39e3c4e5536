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
 * module_defaults on play, block and task, by short name, FQCN and group, with templated values
 * (ansible-playbook 2.14 prints the same messages and recap for the first playbook).
 */
class ModuleDefaultsTest {

    @Test
    void innerScopesShortNamesFqcnAndGroups(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  vars:
                    base: %s/out
                    fmode: "0640"
                  module_defaults:
                    file:
                      mode: "{{ fmode }}"
                    ansible.builtin.copy:
                      mode: "0600"
                    group/testgroup:
                      data: from_group
                  tasks:
                    - file: path={{ base }} state=directory mode=0755
                    - copy:
                        content: "x\\n"
                        dest: "{{ base }}/a"
                    - file: path={{ base }}/b state=touch
                    - ping:
                      register: p1
                    - debug: msg="{{ p1.ping }}"
                    - block:
                        - ansible.builtin.file: path={{ base }}/c state=touch
                        - ping:
                          register: p2
                          module_defaults:
                            ping: {data: task_level}
                        - debug: msg="{{ p2.ping }}"
                        - stat: path={{ base }}/c
                          register: c
                        - debug: msg="{{ c.stat.mode }}"
                      module_defaults:
                        file: {mode: "0604"}
                    - stat: path={{ base }}/b
                      register: b
                    - stat: path={{ base }}/a
                      register: a
                    - debug: msg="{{ b.stat.mode }} {{ a.stat.mode }}"
                """.formatted(dir));
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(0, r.exit(), r::toString);
        for (String msg : new String[] {"from_group", "task_level", "0604", "0640 0600"}) {
            assertTrue(r.out().contains("\"msg\": \"" + msg + "\""), () -> msg + "\n" + r);
        }
        assertEquals("ok=13 changed=4 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void aRequiredArgumentMayComeFromTheDefaultsAndAnUnknownGroupIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  module_defaults:
                    stat: {path: /}
                  tasks:
                    - stat:
                      register: s
                    - debug: msg="{{ s.stat.isdir }}"
                """);
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": true"), r::toString);

        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  module_defaults:
                    group/testgrup: {data: x}
                  tasks:
                    - ping:
                """);
        r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.err().contains("p.yml:1:3: Error loading module_defaults: could not resolve the module_defaults group"
                + " ansible.builtin.testgrup"), r::toString);
    }
}
