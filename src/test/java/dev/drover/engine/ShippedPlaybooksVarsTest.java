package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.drover.inventory.Inventory;
import dev.drover.playbook.Playbook;
import dev.drover.testing.Requirements;
import dev.drover.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every playbook shipped under {@code examples/} and {@code src/test/resources/} (differential
 * cases included, when there are any) passes the static check of undefined variables: the check
 * must not refuse a valid playbook. An inventory beside a playbook (hosts, inventory, inv, with
 * .ini/.yml/.yaml or none) is used when there is one; else the implicit localhost.
 */
class ShippedPlaybooksVarsTest {

    @TestFactory
    Stream<DynamicTest> noFalsePositives() throws IOException {
        List<Path> playbooks = new ArrayList<>();
        for (String root : List.of("examples", "src/test/resources")) {
            Path r = Path.of(root);
            if (!Files.isDirectory(r)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(r)) {
                s.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                        .filter(ShippedPlaybooksVarsTest::isPlaybook)
                        .sorted()
                        .forEach(playbooks::add);
            }
        }
        assertFalse(playbooks.isEmpty(), "examples/hello.yml at least");
        return playbooks.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            Playbook pb;
            try {
                pb = Runner.loadAndValidate(p);
            } catch (RunException e) {
                if (!Requirements.hasAnsibleCore() && e.getMessage().contains("ansible-core is not installed")) {
                    Requirements.requireAnsibleCore(); // a role of others' modules: they resolve through Ansible
                }
                throw e;
            }
            Inventory inv = inventoryBeside(p);
            List<String> problems = UndefinedVars.check(pb, inv, extraVarsFor(p)).stream()
                    .map(RunException.Problem::toString).toList();
            assertEquals(List.of(), problems);
        }));
    }

    /** A differential case's playbooks run with the extra vars its harness passes (root, -e k=v). */
    private static Map<String, Object> extraVarsFor(Path playbook) {
        Path abs = playbook.toAbsolutePath().normalize();
        Path cases = Path.of("src/test/resources/differential").toAbsolutePath().normalize();
        if (abs.startsWith(cases) && abs.getNameCount() > cases.getNameCount()) {
            return dev.drover.differential.DifferentialTest.extraVarsOf(abs.getName(cases.getNameCount()).toString());
        }
        return Map.of();
    }

    /** A YAML list of mappings each with {@code hosts} or {@code import_playbook}. */
    private static boolean isPlaybook(Path p) {
        try {
            Object data = YamlLoader.loadData(p);
            if (!(data instanceof List<?> l) || l.isEmpty()) {
                return false;
            }
            for (Object o : l) {
                if (!(o instanceof Map<?, ?> m) || !(m.containsKey("hosts") || m.containsKey("import_playbook"))) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static Inventory inventoryBeside(Path playbook) throws Exception {
        for (String n : List.of("hosts", "inventory", "inv")) {
            for (String ext : List.of("", ".ini", ".yml", ".yaml")) {
                Path i = playbook.resolveSibling(n + ext);
                if (Files.isRegularFile(i)) {
                    return Inventory.load(List.of(i.toString()));
                }
            }
        }
        return Inventory.localhostOnly();
    }
}
