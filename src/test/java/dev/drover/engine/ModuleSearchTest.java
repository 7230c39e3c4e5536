package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.drover.playbook.PlaybookLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which roles' library/ and module_utils/ the Ansible-module path searches. */
class ModuleSearchTest {
    @TempDir
    Path dir;

    private void role(String name, String tasks, String meta) throws IOException {
        Files.createDirectories(dir.resolve("roles/" + name + "/tasks"));
        Files.writeString(dir.resolve("roles/" + name + "/tasks/main.yml"), tasks);
        if (meta != null) {
            Files.createDirectories(dir.resolve("roles/" + name + "/meta"));
            Files.writeString(dir.resolve("roles/" + name + "/meta/main.yml"), meta);
        }
    }

    @Test
    void playRolesTheirDependenciesAndLiteralIncludeRolesCount() throws Exception {
        role("app", "- debug: msg=app\n", "dependencies: [base]\n");
        role("base", "- debug: msg=base\n", null);
        role("extra", "- debug: msg=extra\n", null);
        role("unused", "- debug: msg=unused\n", null);
        Path pb = dir.resolve("site.yml");
        Files.writeString(pb, """
                - hosts: localhost
                  gather_facts: false
                  roles: [app]
                  tasks:
                    - include_role:
                        name: extra
                """);
        List<Path> dirs = ModuleSearch.roleDirs(new PlaybookLoader().load(pb));
        List<String> names = dirs.stream().map(p -> p.getFileName().toString()).distinct().sorted().toList();
        assertEquals(List.of("app", "base", "extra"), names);
    }
}
