package dev.drover.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares this package with the installed ansible-core (2.14 is the reference): group structure
 * and merged host variables against {@code ansible-inventory --list}, host selection against
 * {@code ansible PATTERN --list-hosts}. Skipped when ansible is absent (fails if CI=true).
 */
class AnsibleParityTest {
    static final Path RES = Path.of("src/test/resources/inventory").toAbsolutePath();

    @TempDir
    Path cwd;

    @Test
    void iniFixtureMatchesAnsibleInventory() throws Exception {
        compareList(RES.resolve("ini/hosts.ini").toString(), null);
    }

    @Test
    void yamlFixtureMatchesAnsibleInventory() throws Exception {
        compareList(RES.resolve("yaml/hosts.yml").toString(), null);
    }

    @Test
    void directoryFixtureMatchesAnsibleInventory() throws Exception {
        compareList(RES.resolve("dir").toString(), null);
    }

    @Test
    void varsTreeMatchesAnsibleInventoryWithPlaybookDir() throws Exception {
        Path inv = VarsForTest.writeTree(cwd);
        compareList(inv.resolve("hosts.ini").toString(), cwd.resolve("play"));
    }

    @Test
    void patternsMatchAnsibleListHosts() throws Exception {
        AnsibleCli.requireAnsible();
        String ini = RES.resolve("ini/hosts.ini").toString();
        for (String p : List.of("all", "*", "webservers", "dbs:webservers", "webservers,dbs", "prod:!dbs",
                "prod:&dbs", "!dbs", "&lb", "web*", "~db-[ab]", "~(web|db)0?[12]", "prod[0]", "prod[1:3]",
                "dbs[-1]", "dbs[5:]", "solo,web01,solo", "webservers:&prod:dbs", "nothing", "ungrouped",
                "localhost", "127.0.0.1", "edge", "*.example.com", "node?", "n*:!node[13]", "all:!ungrouped")) {
            // a fresh inventory per pattern, as each ansible run is (the implicit localhost is per process)
            assertSameHosts(ini, p, Inventory.load(List.of(ini)).select(p));
        }
        String yml = RES.resolve("yaml/hosts.yml").toString();
        Inventory yinv = Inventory.load(List.of(yml));
        for (String p : List.of("all", "prod", "db", "*.example.com", "db:&prod", "replicas", "2001:db8::1",
                "web[1]", "all:!db")) {
            assertSameHosts(yml, p, yinv.select(p));
        }
    }

    /**
     * Patterns that walk 'all' down to grandchild groups: Ansible visits those through a Python set,
     * so their order changes with PYTHONHASHSEED (verified: 'all' on ini/hosts.ini lists lb1 second
     * with seeds 1 and 3, last with 2, 4 and 5). For them only membership is compared.
     */
    private static final java.util.Set<String> UNORDERED = java.util.Set.of("all", "*", "!dbs", "&lb", "all:!ungrouped");

    private void assertSameHosts(String source, String pattern, List<Host> actual) {
        List<String> expected = AnsibleCli.listHosts(cwd, source, pattern, "0");
        if (UNORDERED.contains(pattern)) {
            assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(names(actual)), "pattern " + pattern);
            assertEquals(expected.size(), actual.size(), "pattern " + pattern);
        } else {
            assertEquals(expected, names(actual), "pattern " + pattern);
        }
    }

    static List<String> names(List<Host> hosts) {
        return hosts.stream().map(Host::name).toList();
    }

    @SuppressWarnings("unchecked")
    private void compareList(String source, Path playbookDir) throws Exception {
        AnsibleCli.requireAnsible();
        Map<String, Object> expected = playbookDir == null ? AnsibleCli.list(cwd, source)
                : AnsibleCli.list(cwd, source, "--playbook-dir", playbookDir.toString());
        Inventory inv = Inventory.load(List.of(source));

        Map<String, Object> hostvars = (Map<String, Object>) ((Map<String, Object>) expected.get("_meta")).get("hostvars");
        Map<String, Object> actualHostvars = new TreeMap<>();
        for (Host h : inv.hosts()) {
            Map<String, Object> v = inv.varsFor(h, playbookDir);
            if (!v.isEmpty()) {
                actualHostvars.put(h.name(), v);
            }
        }
        assertEquals(AnsibleCli.normalize(new TreeMap<>(hostvars)), AnsibleCli.normalize(actualHostvars),
                "hostvars of " + source);

        // groups: ansible-inventory lists a group's own hosts and children when non-empty
        Map<String, Object> expectedGroups = new TreeMap<>();
        expected.forEach((k, v) -> {
            if (!k.equals("_meta")) {
                expectedGroups.put(k, v);
            }
        });
        Map<String, Object> actualGroups = new TreeMap<>();
        for (Group g : inv.groups().values()) {
            Map<String, Object> e = new TreeMap<>();
            List<String> hosts = new ArrayList<>(g.hosts());
            if (g.name().equals("all")) {
                hosts.clear(); // ansible-inventory shows hosts under all in ungrouped
            }
            if (!g.children().isEmpty()) {
                e.put("children", g.children());
            }
            if (!hosts.isEmpty()) {
                e.put("hosts", hosts);
            }
            if (!e.isEmpty()) {
                actualGroups.put(g.name(), e);
            }
        }
        assertEquals(expectedGroups, actualGroups, "groups of " + source);
        assertEquals(true, Files.exists(Path.of(source)));
    }
}
