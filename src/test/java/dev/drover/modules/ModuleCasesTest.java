package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.drover.connection.CommandResult;
import dev.drover.module.FileState;
import dev.drover.module.GroupState;
import dev.drover.module.Module;
import dev.drover.module.ModuleException;
import dev.drover.module.Plan;
import dev.drover.module.SimulatedHostView;
import dev.drover.module.SimulatedState;
import dev.drover.module.UserState;
import dev.drover.yaml.YamlLoader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Modules as data: every {@code src/test/resources/modules/<module>/*.yaml} holds cases of
 * args + host facts in, plan out. Each case with changes is also simulated and planned again
 * against the simulation: the forecast must converge (nothing left to do).
 *
 * <p>Case keys: name, args, files (path: directory | {kind, mode, owner, group, content, target}),
 * users, groups, user, home, vars, conditions, probes [{match, rc, stdout}], local (name: content),
 * diff, recorded [{kind, key, value}] (what earlier steps of a check run recorded: the case plans
 * through a simulated view); expectations: changes (describe() strings, in order), values (subset), failed (message),
 * after (path: content, or {kind, mode, owner, group}, after simulation), diffs (number),
 * check (FORECAST|SKIP), converges (default true), reason, recorded_after [{kind, key, value}]
 * (the simulated state's records after the plan's simulation).
 */
class ModuleCasesTest {

    @TestFactory
    Stream<DynamicNode> cases() throws Exception {
        Path root = Path.of(Objects.requireNonNull(getClass().getResource("/modules")).toURI());
        List<DynamicNode> nodes = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String module = dir.getFileName().toString();
                try (Stream<Path> ymls = Files.list(dir)) {
                    for (Path yml : ymls.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                        List<DynamicNode> tests = new ArrayList<>();
                        @SuppressWarnings("unchecked")
                        List<Map<String, Object>> cases = (List<Map<String, Object>>) YamlLoader.loadData(yml);
                        for (Map<String, Object> c : cases) {
                            tests.add(DynamicTest.dynamicTest(String.valueOf(c.get("name")),
                                    () -> run(module, c)));
                        }
                        nodes.add(DynamicContainer.dynamicContainer(module + "/" + yml.getFileName(), tests));
                    }
                }
            }
        }
        assertFalse(nodes.isEmpty());
        return nodes.stream();
    }

    @SuppressWarnings("unchecked")
    private void run(String moduleName, Map<String, Object> c) throws Exception {
        Module module = BuiltinModules.find(moduleName).orElseThrow();
        MemoryHostView host = host(c);
        Map<String, Object> args = (Map<String, Object>) c.getOrDefault("args", Map.of());
        // what earlier steps of a check run recorded (kind, key, value: e.g. apt podman ii|5.4.2)
        SimulatedState earlier = new SimulatedState();
        for (Object o : (List<Object>) c.getOrDefault("recorded", List.of())) {
            Map<String, Object> r = (Map<String, Object>) o;
            earlier.putRecord(String.valueOf(r.get("kind")), String.valueOf(r.get("key")), r.get("value"));
        }
        dev.drover.module.HostView first = c.containsKey("recorded") ? new SimulatedHostView(host, earlier) : host;
        TestContext ctx = context(module, args, first, c);

        Plan plan;
        try {
            plan = module.plan(ctx);
        } catch (ModuleException e) {
            if (c.containsKey("failed")) {
                assertEquals(c.get("failed"), e.getMessage());
                if (c.containsKey("values")) {
                    assertSubset((Map<String, Object>) c.get("values"), e.values(), "failure values");
                }
                return;
            }
            throw e;
        }
        if (c.containsKey("failed")) {
            fail("expected failure '" + c.get("failed") + "' but planned " + Plans.describe(plan));
        }
        List<String> expected = ((List<Object>) c.getOrDefault("changes", List.of())).stream()
                .map(String::valueOf).toList();
        assertEquals(expected, Plans.describe(plan), "changes");
        if (c.containsKey("values")) {
            assertSubset((Map<String, Object>) c.get("values"), plan.values(), "values");
        }
        if (c.containsKey("check")) {
            assertEquals(Plan.CheckBehaviour.valueOf(String.valueOf(c.get("check"))), plan.check());
        }
        if (c.containsKey("reason")) {
            assertEquals(c.get("reason"), plan.reason());
        }
        if (c.containsKey("diffs")) {
            assertEquals(((Number) c.get("diffs")).intValue(), plan.diffs().size(), "diffs");
        }
        for (String secret : (List<String>) c.getOrDefault("never_shown", List.of())) {
            plan.changes().forEach(ch -> assertFalse(ch.describe().contains(secret), ch.describe()));
            plan.diffs().forEach(d -> assertFalse(String.valueOf(d.after()).contains(secret)));
        }

        SimulatedState state = c.containsKey("recorded") ? earlier : new SimulatedState();
        Plans.simulate(plan, state, host.user);
        SimulatedHostView sim = new SimulatedHostView(host, state);
        for (Object o : (List<Object>) c.getOrDefault("recorded_after", List.of())) {
            Map<String, Object> r = (Map<String, Object>) o;
            assertEquals(Optional.of(Optional.ofNullable(r.get("value"))),
                    sim.recorded(String.valueOf(r.get("kind")), String.valueOf(r.get("key"))), "recorded after " + r);
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) c.getOrDefault("after", Map.of())).entrySet()) {
            if (e.getValue() instanceof String text) {
                Optional<byte[]> content = sim.read(e.getKey());
                assertTrue(content.isPresent(), e.getKey() + " has no content after simulation");
                assertEquals(text, new String(content.get(), StandardCharsets.UTF_8), e.getKey());
            } else {
                Map<String, Object> want = (Map<String, Object>) e.getValue();
                FileState f = sim.file(e.getKey());
                Map<String, Object> got = new java.util.HashMap<>();
                got.put("kind", f.kind().ansibleName());
                got.put("mode", f.mode());
                got.put("owner", f.owner());
                got.put("group", f.group());
                got.put("target", f.linkTarget());
                assertSubset(want, got, "after " + e.getKey());
            }
        }
        if (plan.changesSomething() && plan.check() == Plan.CheckBehaviour.FORECAST
                && !Boolean.FALSE.equals(c.get("converges"))) {
            Plan again = module.plan(context(module, args, sim, c));
            assertEquals(List.of(), Plans.describe(again), "the forecast converges");
        }
    }

    @SuppressWarnings("unchecked")
    private static TestContext context(Module module, Map<String, Object> args, dev.drover.module.HostView host,
                                       Map<String, Object> c) throws IOException {
        TestContext ctx = new TestContext(module, args, host);
        ctx.vars.putAll((Map<String, Object>) c.getOrDefault("vars", Map.of()));
        ((Map<String, Object>) c.getOrDefault("conditions", Map.of()))
                .forEach((k, v) -> ctx.conditions.put(k, (Boolean) v));
        ctx.diff = Boolean.TRUE.equals(c.get("diff"));
        Map<String, Object> local = (Map<String, Object>) c.getOrDefault("local", Map.of());
        if (!local.isEmpty()) {
            Path dir = Files.createTempDirectory("drover-case");
            for (Map.Entry<String, Object> e : local.entrySet()) {
                Path p = dir.resolve(e.getKey());
                if (e.getValue() == null) {
                    Files.createDirectories(p);
                } else {
                    Files.createDirectories(p.getParent());
                    Files.writeString(p, String.valueOf(e.getValue()));
                }
            }
            ctx.localDir = dir;
        }
        return ctx;
    }

    @SuppressWarnings("unchecked")
    private static MemoryHostView host(Map<String, Object> c) {
        MemoryHostView h = new MemoryHostView();
        if (c.containsKey("user")) {
            h.user = String.valueOf(c.get("user"));
        }
        if (c.containsKey("home")) {
            h.home = String.valueOf(c.get("home"));
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) c.getOrDefault("files", Map.of())).entrySet()) {
            String path = e.getKey();
            Map<String, Object> f = e.getValue() instanceof Map<?, ?> m ? (Map<String, Object>) m
                    : Map.of("kind", String.valueOf(e.getValue()));
            String kind = String.valueOf(f.getOrDefault("kind", f.containsKey("target") ? "link" : "file"));
            String owner = String.valueOf(f.getOrDefault("owner", "root"));
            String group = String.valueOf(f.getOrDefault("group", owner));
            switch (kind) {
                case "directory" -> h.dir(path, String.valueOf(f.getOrDefault("mode", "0755")), owner, group);
                case "link" -> h.link(path, String.valueOf(f.get("target")));
                default -> h.file(path, String.valueOf(f.getOrDefault("content", "")),
                        String.valueOf(f.getOrDefault("mode", "0644")), owner, group);
            }
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) c.getOrDefault("users", Map.of())).entrySet()) {
            Map<String, Object> u = (Map<String, Object>) e.getValue();
            String name = e.getKey();
            String group = String.valueOf(u.getOrDefault("group", name));
            List<String> groups = ((List<Object>) u.getOrDefault("groups", List.of(group))).stream()
                    .map(String::valueOf).toList();
            h.users.put(name, new UserState(name, ((Number) u.getOrDefault("uid", 1000)).intValue(),
                    ((Number) u.getOrDefault("gid", 1000)).intValue(), group,
                    String.valueOf(u.getOrDefault("comment", "")),
                    String.valueOf(u.getOrDefault("home", "/home/" + name)),
                    String.valueOf(u.getOrDefault("shell", "/bin/sh")), groups));
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) c.getOrDefault("groups", Map.of())).entrySet()) {
            int gid = ((Number) e.getValue()).intValue();
            h.groups.put(e.getKey(), new GroupState(e.getKey(), gid, gid < 1000));
        }
        for (Object o : (List<Object>) c.getOrDefault("probes", List.of())) {
            Map<String, Object> p = (Map<String, Object>) o;
            h.probes.add(Map.entry(Pattern.compile(String.valueOf(p.get("match"))),
                    new CommandResult(((Number) p.getOrDefault("rc", 0)).intValue(),
                            String.valueOf(p.getOrDefault("stdout", "")).getBytes(StandardCharsets.UTF_8),
                            new byte[0])));
        }
        return h;
    }

    @SuppressWarnings("unchecked")
    static void assertSubset(Map<String, Object> expected, Map<String, Object> actual, String what) {
        assertNotNull(actual, what);
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            assertTrue(actual.containsKey(e.getKey()), what + ": missing key " + e.getKey() + " in " + actual);
            Object want = e.getValue();
            Object got = actual.get(e.getKey());
            if (want instanceof Map<?, ?> wm && got instanceof Map<?, ?> gm) {
                assertSubset((Map<String, Object>) wm, (Map<String, Object>) gm, what + "." + e.getKey());
            } else if (want instanceof Number wn && got instanceof Number gn) {
                assertEquals(wn.longValue(), gn.longValue(), what + "." + e.getKey());
            } else {
                assertEquals(want, got, what + "." + e.getKey());
            }
        }
    }
}
