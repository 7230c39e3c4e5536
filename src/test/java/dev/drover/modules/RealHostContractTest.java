package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.module.LocalShell;
import dev.drover.module.Module;
import dev.drover.module.ModuleException;
import dev.drover.module.Plan;
import dev.drover.module.ShellHostView;
import dev.drover.module.SimulatedHostView;
import dev.drover.module.SimulatedState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idempotency contract of each module on the real local host (as root), in a temp dir:
 * (1) check: planned against the simulation over the live host, it forecasts a change, touches
 * nothing, and planned again against the simulation it has nothing left to do; (2) real: the
 * plan applied through a real sh makes the change; (3) planned again: nothing to do.
 */
class RealHostContractTest {
    static final String OWNER = "drovertest-own";
    static final LocalShell SHELL = new LocalShell();

    @TempDir
    Path dir;

    @BeforeAll
    static void owner() throws Exception {
        SHELL.run("id " + OWNER + " >/dev/null 2>&1 || useradd -M -N " + OWNER, null, null);
    }

    @AfterAll
    static void removeOwner() throws Exception {
        SHELL.run("userdel " + OWNER, null, null);
    }

    /** Runs the contract and returns the values of the real run. */
    Map<String, Object> contract(Module module, Map<String, Object> args) throws Exception {
        Map<String, String> before = snapshot();
        SimulatedState state = new SimulatedState();
        SimulatedHostView sim = new SimulatedHostView(new ShellHostView(SHELL), state);
        Plan check = module.plan(new TestContext(module, args, sim));
        assertTrue(check.changesSomething(), "check mode forecasts a change");
        Plans.simulate(check, state, "root");
        assertEquals(before, snapshot(), "check mode touched nothing");
        assertEquals(List.of(), Plans.describe(module.plan(new TestContext(module, args, sim))),
                "the forecast converges");

        ShellHostView live = new ShellHostView(SHELL);
        Plan real = module.plan(new TestContext(module, args, live));
        assertEquals(Plans.describe(check), Plans.describe(real), "check forecasts what a real run does");
        Map<String, Object> values = Plans.apply(real, SHELL);

        Plan again = module.plan(new TestContext(module, args, new ShellHostView(SHELL)));
        assertEquals(List.of(), Plans.describe(again), "idempotent");
        return values;
    }

    private Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String kind = Files.isSymbolicLink(p) ? "link:" + Files.readSymbolicLink(p)
                        : Files.isDirectory(p) ? "dir" : "file:" + Files.readString(p);
                m.put(p.toString(), kind + ":" + PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                        + ":" + Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName());
            }
        }
        return m;
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static String owner(Path p) throws IOException {
        return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
    }

    @Test
    void copyContentModeAndOwner() throws Exception {
        Path dest = dir.resolve("motd");
        Map<String, Object> v = contract(BuiltinModules.find("copy").orElseThrow(),
                Map.of("content", "hello\n", "dest", dest.toString(), "mode", "0640", "owner", OWNER));
        assertEquals("hello\n", Files.readString(dest));
        assertEquals("rw-r-----", perms(dest));
        assertEquals(OWNER, owner(dest));
        assertEquals("f572d396fae9206628714fb2ce00f72e94f2258f", v.get("checksum"));
    }

    @Test
    void copyReplacesContentWithBackup() throws Exception {
        Path dest = dir.resolve("conf");
        Files.writeString(dest, "old\n");
        Map<String, Object> v = contract(BuiltinModules.find("ansible.builtin.copy").orElseThrow(),
                Map.of("content", "new\n", "dest", dest.toString(), "backup", true));
        assertEquals("new\n", Files.readString(dest));
        String backup = (String) v.get("backup_file");
        assertTrue(backup.matches(java.util.regex.Pattern.quote(dest.toString())
                + "\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~"), backup);
        assertEquals("old\n", Files.readString(Path.of(backup)));
    }

    @Test
    void copyValidationFailureInstallsNothing() throws Exception {
        Path dest = dir.resolve("conf");
        Files.writeString(dest, "good\n");
        Module copy = BuiltinModules.find("copy").orElseThrow();
        Map<String, Object> args = Map.of("content", "bad\n", "dest", dest.toString(), "validate", "grep -q good %s");
        Plan plan = copy.plan(new TestContext(copy, args, new ShellHostView(SHELL)));
        ModuleException e = assertThrows(ModuleException.class, () -> Plans.apply(plan, SHELL));
        assertEquals("failed to validate", e.getMessage());
        assertEquals("1", e.values().get("exit_status"));
        assertEquals("good\n", Files.readString(dest));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temp file left behind");
        }
    }

    @Test
    void copyValidationSuccessInstalls() throws Exception {
        Path dest = dir.resolve("conf");
        contract(BuiltinModules.find("copy").orElseThrow(),
                Map.of("content", "good\n", "dest", dest.toString(), "validate", "grep -q good %s"));
        assertEquals("good\n", Files.readString(dest));
    }

    @Test
    void templateRendersAndInstalls() throws Exception {
        Path local = Files.createTempDirectory("drover-tpl");
        Files.writeString(local.resolve("app.conf.j2"), "name={{ app }}\n");
        Module template = BuiltinModules.find("template").orElseThrow();
        Map<String, Object> args = Map.of("src", local.resolve("app.conf.j2").toString(),
                "dest", dir.resolve("app.conf").toString());
        // the contract with a context that knows the variable
        TestContextFactory f = (m, a, h) -> {
            TestContext c = new TestContext(m, a, h);
            c.vars.put("app", "drover");
            return c;
        };
        SimulatedState state = new SimulatedState();
        SimulatedHostView sim = new SimulatedHostView(new ShellHostView(SHELL), state);
        Plan check = template.plan(f.make(template, args, sim));
        assertTrue(check.changesSomething());
        Plans.simulate(check, state, "root");
        assertFalse(Files.exists(dir.resolve("app.conf")));
        assertFalse(template.plan(f.make(template, args, sim)).changesSomething());
        Plans.apply(template.plan(f.make(template, args, new ShellHostView(SHELL))), SHELL);
        assertEquals("name=drover\n", Files.readString(dir.resolve("app.conf")));
        assertFalse(template.plan(f.make(template, args, new ShellHostView(SHELL))).changesSomething());
    }

    interface TestContextFactory {
        TestContext make(Module m, Map<String, Object> args, dev.drover.module.HostView h);
    }

    @Test
    void fileNestedDirectories() throws Exception {
        Path d = dir.resolve("a/b");
        contract(BuiltinModules.find("file").orElseThrow(),
                Map.of("path", d.toString(), "state", "directory", "mode", "0750", "owner", OWNER));
        assertEquals("rwxr-x---", perms(d));
        assertEquals("rwxr-x---", perms(dir.resolve("a")));
        assertEquals(OWNER, owner(d));
    }

    @Test
    void fileRecurseOwner() throws Exception {
        Path d = dir.resolve("tree");
        Files.createDirectories(d.resolve("sub"));
        Files.writeString(d.resolve("sub/f"), "x");
        Module file = BuiltinModules.find("file").orElseThrow();
        Map<String, Object> args = Map.of("path", d.toString(), "state", "directory", "owner", OWNER,
                "recurse", true);
        Plan plan = file.plan(new TestContext(file, args, new ShellHostView(SHELL)));
        assertTrue(plan.changesSomething());
        Plans.apply(plan, SHELL);
        assertEquals(OWNER, owner(d.resolve("sub/f")));
        assertFalse(file.plan(new TestContext(file, args, new ShellHostView(SHELL))).changesSomething());
        // a child changing owner again is found through the recursive probe
        Files.setOwner(d.resolve("sub/f"), d.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        assertTrue(file.plan(new TestContext(file, args, new ShellHostView(SHELL))).changesSomething());
    }

    @Test
    void fileLinkAndAbsent() throws Exception {
        Path target = dir.resolve("target");
        Files.writeString(target, "x");
        Path link = dir.resolve("link");
        contract(BuiltinModules.find("file").orElseThrow(),
                Map.of("path", link.toString(), "state", "link", "src", "target"));
        assertEquals(Path.of("target"), Files.readSymbolicLink(link));
        contract(BuiltinModules.find("file").orElseThrow(), Map.of("path", link.toString(), "state", "absent"));
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(target));
    }

    @Test
    void lineinfileReplacesAndCreates() throws Exception {
        Path conf = dir.resolve("sshd_config");
        Files.writeString(conf, "Port 22\nPermitRootLogin yes\n");
        Map<String, Object> v = contract(BuiltinModules.find("lineinfile").orElseThrow(),
                Map.of("path", conf.toString(), "regexp", "^PermitRootLogin", "line", "PermitRootLogin no"));
        assertEquals("line replaced", v.get("msg"));
        assertEquals("Port 22\nPermitRootLogin no\n", Files.readString(conf));

        Path created = dir.resolve("new/file");
        contract(BuiltinModules.find("lineinfile").orElseThrow(),
                Map.of("path", created.toString(), "line", "x=1", "create", true, "mode", "0600"));
        assertEquals("x=1\n", Files.readString(created));
        assertEquals("rw-------", perms(created));
    }

    @Test
    void commandWithCreates() throws Exception {
        Path marker = dir.resolve("done");
        Map<String, Object> v = contract(BuiltinModules.find("shell").orElseThrow(),
                Map.of("_raw_params", "echo made > " + marker + " && echo out && echo err >&2",
                        "creates", marker.toString()));
        assertEquals("made\n", Files.readString(marker));
        assertEquals(0, v.get("rc"));
        assertEquals("out", v.get("stdout"));
        assertEquals("err", v.get("stderr"));
        assertEquals(List.of("out"), v.get("stdout_lines"));
        assertTrue(String.valueOf(v.get("delta")).matches("0:00:\\d\\d\\.\\d{6}"));
    }

    @Test
    void commandOutputStdinChdirAndFailure() throws Exception {
        Module command = BuiltinModules.find("ansible.legacy.command").orElseThrow();
        Plan plan = command.plan(new TestContext(command,
                Map.of("_raw_params", "cat", "stdin", "it's \"quoted\" $HOME"), new ShellHostView(SHELL)));
        assertEquals(Plan.CheckBehaviour.SKIP, plan.check());
        assertEquals("it's \"quoted\" $HOME", Plans.apply(plan, SHELL).get("stdout"));

        Plan pwd = command.plan(new TestContext(command, Map.of("_raw_params", "pwd", "chdir", dir.toString()),
                new ShellHostView(SHELL)));
        assertEquals(dir.toString(), Plans.apply(pwd, SHELL).get("stdout"));

        Plan fails = command.plan(new TestContext(command, Map.of("_raw_params", "ls /no-such-dir-drover"),
                new ShellHostView(SHELL)));
        ModuleException e = assertThrows(ModuleException.class, () -> Plans.apply(fails, SHELL));
        assertEquals("non-zero return code", e.getMessage());
        assertEquals(2, e.values().get("rc"));
        assertTrue(String.valueOf(e.values().get("stderr")).contains("No such file"));
    }

    @Test
    void commandDoesNotInterpretShellSyntax() throws Exception {
        Module command = BuiltinModules.find("command").orElseThrow();
        Path f = dir.resolve("x");
        Plan plan = command.plan(new TestContext(command, Map.of("_raw_params", "echo hi > " + f),
                new ShellHostView(SHELL)));
        assertEquals("hi > " + f, Plans.apply(plan, SHELL).get("stdout"));
        assertFalse(Files.exists(f));
    }

    @Test
    void statOnTheRealHost() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "a=9\nc=3\n");
        Module stat = BuiltinModules.find("stat").orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> st = (Map<String, Object>) stat.plan(
                new TestContext(stat, Map.of("path", f.toString()), new ShellHostView(SHELL))).values().get("stat");
        assertEquals(true, st.get("isreg"));
        assertEquals(8L, st.get("size"));
        assertEquals("93e1ee89183a087e6c2d9d886b3131fdcf1a0956", st.get("checksum"));
    }

    @Test
    void userAndGroupLifecycle() throws Exception {
        String group = "drovertest-g";
        String user = "drovertest-u";
        try {
            Module g = BuiltinModules.find("group").orElseThrow();
            Map<String, Object> gv = contract(g, Map.of("name", group));
            assertTrue(((Number) gv.get("gid")).intValue() > 0, "gid the host chose: " + gv);

            Module u = BuiltinModules.find("user").orElseThrow();
            Map<String, Object> uv = contract(u, Map.of("name", user, "groups", List.of(group), "shell", "/bin/sh",
                    "comment", "drover test", "create_home", false));
            assertTrue(((Number) uv.get("uid")).intValue() > 0);
            assertTrue(SHELL.run("id -Gn " + user, null, null).out().contains(group));

            contract(u, Map.of("name", user, "shell", "/bin/bash"));
            assertTrue(SHELL.run("getent passwd " + user, null, null).out().trim().endsWith(":/bin/bash"));

            contract(u, Map.of("name", user, "state", "absent"));
            assertFalse(SHELL.run("id " + user, null, null).succeeded());
            contract(g, Map.of("name", group, "state", "absent"));
            assertFalse(SHELL.run("getent group " + group, null, null).succeeded());
        } finally {
            SHELL.run("userdel " + user + " 2>/dev/null; groupdel " + group + " 2>/dev/null; groupdel " + user
                    + " 2>/dev/null; true", null, null);
        }
    }
}
