package dev.drover.modules.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.connection.Connection;
import dev.drover.connection.ConnectionSpec;
import dev.drover.connection.Connections;
import dev.drover.connection.Shell;
import dev.drover.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * drover's facts against Ansible's own on this machine: {@code ansible localhost -m setup} and
 * drover's probe through a local persistent shell, for the same gather_subset/filter. Values must
 * be equal (and of the same JSON type) for every key both have, except the few that change between
 * two calls (the clock, free memory, load, uptime, free space); the key sets must be equal but for
 * what drover does not port (devices, device_links).
 */
class FactsParityTest {
    /** Facts drover does not gather (README: Known differences). */
    private static final Set<String> NOT_PORTED = Set.of("ansible_devices", "ansible_device_links");
    /** Facts whose value moves between two calls. */
    private static final Set<String> VARYING = Set.of("ansible_date_time", "ansible_memfree_mb", "ansible_memory_mb",
            "ansible_loadavg", "ansible_uptime_seconds", "ansible_env", "ansible_mounts", "ansible_swapfree_mb");

    private static Connection local;
    private static Shell shell;

    @BeforeAll
    static void open() throws Exception {
        Requirements.require("ansible (ansible-core 2.14)", hasAnsible());
        local = Connections.open(ConnectionSpec.local("localhost"));
        shell = local.shell();
    }

    @AfterAll
    static void close() throws Exception {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void everyFactOfTheDefaultSubsetMatchesAnsibles() throws Exception {
        Map<String, Object> ansible = ansibleSetup("");
        Map<String, Object> drover = drover(List.of("all"), List.of());
        Set<String> missing = new TreeSet<>(ansible.keySet());
        missing.removeAll(drover.keySet());
        missing.removeAll(NOT_PORTED);
        Set<String> extra = new TreeSet<>(drover.keySet());
        extra.removeAll(ansible.keySet());
        assertEquals(Set.of(), missing, "facts Ansible has and drover lacks");
        assertEquals(Set.of(), extra, "facts drover has and Ansible lacks");
        List<String> differ = new ArrayList<>();
        for (String k : drover.keySet()) {
            Object a = normal(ansible.get(k));
            Object d = normal(drover.get(k));
            if (!sameShape(a, d)) {
                differ.add(k + " type: ansible " + a + " drover " + d);
            } else if (!VARYING.contains(k) && !a.equals(d)) {
                differ.add(k + ": ansible " + a + " drover " + d);
            }
        }
        assertEquals(List.of(), differ);
    }

    @Test
    void theVaryingFactsAgreeWhereTheyCan() throws Exception {
        Map<String, Object> ansible = ansibleSetup("gather_subset=!all,hardware");
        Map<String, Object> drover = drover(List.of("!all", "hardware"), List.of());
        Map<?, ?> root = rootMount(ansible);
        Map<?, ?> droverRoot = rootMount(drover);
        for (String k : List.of("mount", "device", "fstype", "options", "size_total", "block_size", "block_total",
                "inode_total", "uuid")) {
            assertEquals(normal(root.get(k)), normal(droverRoot.get(k)), "/ mount's " + k);
        }
        Map<?, ?> mem = (Map<?, ?>) ansible.get("ansible_memory_mb");
        Map<?, ?> droverMem = (Map<?, ?>) drover.get("ansible_memory_mb");
        assertEquals(((Map<?, ?>) mem.get("real")).get("total"), ((Map<?, ?>) droverMem.get("real")).get("total"));
        assertEquals(((Map<?, ?>) mem.get("swap")).get("total"), ((Map<?, ?>) droverMem.get("swap")).get("total"));
        long up = ((Number) ansible.get("ansible_uptime_seconds")).longValue();
        long droverUp = ((Number) drover.get("ansible_uptime_seconds")).longValue();
        assertTrue(droverUp >= up && droverUp - up < 60, "uptime " + up + " then " + droverUp);
        Map<?, ?> dt = (Map<?, ?>) ansibleSetup("gather_subset=!all,!min,date_time").get("ansible_date_time");
        Map<?, ?> droverDt = (Map<?, ?>) drover(List.of("!all", "!min", "date_time"), List.of()).get("ansible_date_time");
        assertEquals(new TreeSet<>(keys(dt)), new TreeSet<>(keys(droverDt)));
        for (String k : List.of("date", "year", "month", "day", "weekday", "weekday_number", "weeknumber", "tz",
                "tz_dst", "tz_offset")) {
            assertEquals(dt.get(k), droverDt.get(k), "date_time." + k);
        }
        long at = Long.parseLong(String.valueOf(dt.get("epoch")));
        long dat = Long.parseLong(String.valueOf(droverDt.get("epoch")));
        assertTrue(dat >= at && dat - at < 60);
        Map<?, ?> env = (Map<?, ?>) drover(List.of("!all", "!min", "env"), List.of()).get("ansible_env");
        assertEquals(System.getenv("PATH"), env.get("PATH"), "the task's environment, not the probe's");
        assertEquals(System.getenv("LC_ALL"), env.get("LC_ALL"), "the probe's own LC_ALL=C does not leak into ansible_env");
        assertTrue(String.valueOf(droverDt.get("iso8601_micro")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"));
    }

    @Test
    void gatherSubsetAndFilterSelectTheSameFactsAsAnsible() throws Exception {
        for (String[] c : new String[][] {
            {"gather_subset=!all", "!all", ""},
            {"gather_subset=!all,!min", "!all,!min", ""},
            {"gather_subset=!all,network", "!all,network", ""},
            {"gather_subset=!all,!min,virtual filter=ansible_virtualization_*", "!all,!min,virtual", "ansible_virtualization_*"},
            {"gather_subset=!all,!hardware,processor filter=processor*", "!all,!hardware,processor", "processor*"},
        }) {
            Map<String, Object> ansible = ansibleSetup(c[0]);
            Map<String, Object> drover = drover(List.of(c[1].split(",")), c[2].isEmpty() ? List.of() : List.of(c[2]));
            Set<String> a = new TreeSet<>(ansible.keySet());
            a.removeAll(NOT_PORTED);
            assertEquals(a, new TreeSet<>(drover.keySet()), c[0]);
            assertEquals(normal(ansible.get("gather_subset")), normal(drover.get("gather_subset")), c[0]);
        }
    }

    @Test
    void localFactsFromFactPathAreReadAsAnsibleReadsThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("app.fact"), "{\"version\": 3, \"tags\": [\"a\", \"b\"], \"on\": true}\n");
        java.nio.file.Files.writeString(dir.resolve("conf.fact"), "[DEFAULT]\nzone = eu\n[db]\nHost = db1\nport: 5432\n"
                + "# a comment\nlong = one\n  two\n[web]\nworkers=4\n");
        java.nio.file.Files.writeString(dir.resolve("junk.fact"), "neither json nor ini\n");
        java.nio.file.Path gen = dir.resolve("gen.fact");
        java.nio.file.Files.writeString(gen, "#!/bin/sh\necho '{\"generated\": \"yes\"}'\n");
        gen.toFile().setExecutable(true);
        java.nio.file.Path bad = dir.resolve("bad.fact");
        java.nio.file.Files.writeString(bad, "#!/bin/sh\necho oops >&2\nexit 3\n");
        bad.toFile().setExecutable(true);
        java.nio.file.Files.writeString(dir.resolve("ignored.txt"), "{}");
        Map<String, Object> ansible = ansibleSetup("gather_subset=!all,!min,local fact_path=" + dir);
        List<String> warnings = new ArrayList<>();
        Map<String, Object> drover = SetupModule.gather(shell::run, List.of("!all", "!min", "local"), List.of(),
                dir.toString(), warnings);
        assertEquals(normal(ansible.get("ansible_local")), normal(drover.get("ansible_local")));
        assertEquals(List.of("error loading facts as JSON or ini - please check content: " + dir + "/junk.fact"),
                warnings.stream().filter(w -> w.contains("junk")).toList());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("Failure executing fact script (" + bad + "), rc: 3")),
                warnings.toString());
    }

    @Test
    void aBadSubsetFailsWithAnsiblesMessage() {
        dev.drover.module.ModuleException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.drover.module.ModuleException.class, () -> drover(List.of("netwrok"), List.of()));
        assertTrue(e.getMessage().startsWith("Bad subset 'netwrok' given to Ansible. gather_subset options allowed: all, "
                + "all_ipv4_addresses, all_ipv6_addresses, apparmor, architecture, caps, chroot,"), e.getMessage());
    }

    private static Map<?, ?> rootMount(Map<String, Object> facts) {
        for (Object m : (List<?>) facts.get("ansible_mounts")) {
            if ("/".equals(((Map<?, ?>) m).get("mount"))) {
                return (Map<?, ?>) m;
            }
        }
        throw new AssertionError("no / mount in " + facts.get("ansible_mounts"));
    }

    private static Collection<String> keys(Map<?, ?> m) {
        List<String> out = new ArrayList<>();
        m.keySet().forEach(k -> out.add(String.valueOf(k)));
        return out;
    }

    private static Map<String, Object> drover(List<String> subset, List<String> filter) throws Exception {
        return setLike(new LinkedHashMap<>(SetupModule.gather(shell::run, subset, filter, "/etc/ansible/facts.d",
                new ArrayList<>())));
    }

    /** JSON's view of a value: numbers as longs or doubles, lists whose order is a Python set's as sets. */
    @SuppressWarnings("unchecked")
    private static Object normal(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), normal(x)));
            return new java.util.TreeMap<>(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(normal(x)));
            return out;
        }
        return v;
    }

    private static boolean sameShape(Object a, Object d) {
        if (a == null || d == null) {
            return a == d;
        }
        return a.getClass() == d.getClass() || a instanceof Map && d instanceof Map || a instanceof List && d instanceof List;
    }

    private static Map<String, Object> ansibleSetup(String args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ansible", "localhost", "-m", "setup"));
        if (!args.isEmpty()) {
            cmd.add("-a");
            cmd.add(args);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "False");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        int brace = out.indexOf('{');
        assertTrue(brace >= 0, "ansible printed no result: " + out);
        @SuppressWarnings("unchecked")
        Map<String, Object> r = new ObjectMapper().readValue(out.substring(brace), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> facts = (Map<String, Object>) r.get("ansible_facts");
        return setLike(facts);
    }

    /** Lists Ansible builds from Python sets or directory order: compared as sets. */
    private static Map<String, Object> setLike(Map<String, Object> facts) {
        for (String k : List.of("ansible_interfaces", "ansible_virtualization_tech_guest", "ansible_virtualization_tech_host")) {
            if (facts.get(k) instanceof List<?> l) {
                facts.put(k, new ArrayList<>(new TreeSet<>(stringList(l))));
            }
        }
        return facts;
    }

    private static List<String> stringList(List<?> l) {
        List<String> out = new ArrayList<>();
        l.forEach(x -> out.add(String.valueOf(x)));
        return out;
    }

    static boolean hasAnsible() {
        try {
            Process p = new ProcessBuilder("ansible", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Set<String> set(Collection<?> c) {
        Set<String> s = new HashSet<>();
        c.forEach(x -> s.add(String.valueOf(x)));
        return s;
    }
}
