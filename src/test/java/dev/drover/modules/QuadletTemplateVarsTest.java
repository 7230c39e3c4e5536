package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quadlet {@code files} item's {@code vars} render its {@code template} with those variables
 * over the task's: one template, several instances (as vocalyx.yml's API and worker quadlets).
 * Into a plain directory ({@code dest}, no validation): no manager is needed to write the files.
 */
class QuadletTemplateVarsTest {
    @Test
    void oneTemplateSeveralInstances(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/api.container.j2"),
                "[Container]\nImage=localhost/api:{{ tag }}\nEnvironment=INSTANCE={{ instance }}\n");
        Path dest = dir.resolve("quadlets");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  vars:
                    tag: v1
                    set: |
                      {%% for i in ['01', '02'] %%}
                      - {template: api.container.j2, name: "api-{{ i }}.container", vars: {instance: "{{ i }}"}}
                      {%% endfor %%}
                  tasks:
                    - quadlet:
                        dest: %s
                        validate: false
                        files: "{{ set | from_yaml }}"
                    - quadlet:
                        dest: %s
                        validate: false
                        files:
                          - {content: "[Container]\\nImage=x\\n", name: x.container, vars: {a: 1}}
                """.formatted(dest, dest));
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals("[Container]\nImage=localhost/api:v1\nEnvironment=INSTANCE=01\n",
                Files.readString(dest.resolve("api-01.container")), r::toString);
        assertEquals("[Container]\nImage=localhost/api:v1\nEnvironment=INSTANCE=02\n",
                Files.readString(dest.resolve("api-02.container")), r::toString);
        assertTrue(r.out().contains("vars in a files item only go with template"), r::toString);
        assertEquals(2, r.exit(), r::toString);
    }
}
