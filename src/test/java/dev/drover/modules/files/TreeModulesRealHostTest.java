package dev.drover.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.module.LocalShell;
import dev.drover.module.Module;
import dev.drover.module.ModuleException;
import dev.drover.module.Plan;
import dev.drover.module.ShellHostView;
import dev.drover.modules.BuiltinModules;
import dev.drover.modules.Contracts;
import dev.drover.modules.Plans;
import dev.drover.modules.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** copy of directories (controller and remote_src), assemble and fetch on the real local host. */
class TreeModulesRealHostTest {
    static final LocalShell SHELL = new LocalShell();

    @TempDir
    Path dir;

    private Path sourceTree() throws Exception {
        Path src = Files.createDirectories(dir.resolve("controller/conf"));
        Files.writeString(src.resolve("a.txt"), "a\n");
        Files.createDirectories(src.resolve("sub/deep"));
        Files.writeString(src.resolve("sub/deep/b.txt"), "b\n");
        Files.createDirectories(src.resolve("empty"));
        Files.setPosixFilePermissions(Files.writeString(src.resolve("run.sh"), "#!/bin/sh\n"),
                PosixFilePermissions.fromString("rwxr-xr-x"));
        return src;
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void copyTheContentsOfADirectory() throws Exception {
        Path src = sourceTree();
        Path host = dir.resolve("host");
        Module copy = BuiltinModules.find("copy").orElseThrow();
        Contracts.run(SHELL, copy, Map.of("src", src + "/", "dest", host + "/app", "directory_mode", "0750"), host);
        assertEquals("a\n", Files.readString(host.resolve("app/a.txt")));
        assertEquals("b\n", Files.readString(host.resolve("app/sub/deep/b.txt")));
        assertTrue(Files.isDirectory(host.resolve("app/empty")));
        assertEquals("rwxr-x---", perms(host.resolve("app/sub/deep")));
        assertEquals("rw-r--r--", perms(host.resolve("app/run.sh")), "without mode a new file gets the umask's");

        // one file changed on the controller: only it is written
        Files.writeString(src.resolve("sub/deep/b.txt"), "b2\n");
        Plan p = copy.plan(new TestContext(copy, Map.of("src", src + "/", "dest", host + "/app", "directory_mode", "0750"),
                new ShellHostView(SHELL)));
        assertEquals(java.util.List.of("write " + host + "/app/sub/deep/b.txt"), Plans.describe(p));
    }

    @Test
    void copyTheDirectoryItself() throws Exception {
        Path src = sourceTree();
        Path host = Files.createDirectories(dir.resolve("host"));
        Module copy = BuiltinModules.find("copy").orElseThrow();
        Map<String, Object> v = Contracts.run(SHELL, copy, Map.of("src", src.toString(), "dest", host.toString(),
                "mode", "0600"), host);
        assertEquals(host + "/", v.get("dest"));
        assertEquals("a\n", Files.readString(host.resolve("conf/a.txt")));
        assertEquals("rw-------", perms(host.resolve("conf/run.sh")));
    }

    @Test
    void remoteSourceDirectoryAndFile() throws Exception {
        Path src = sourceTree();
        Path host = dir.resolve("host");
        Module copy = BuiltinModules.find("copy").orElseThrow();
        Contracts.run(SHELL, copy, Map.of("src", src + "/", "dest", host + "/tree", "remote_src", true), host);
        assertEquals("b\n", Files.readString(host.resolve("tree/sub/deep/b.txt")));
        assertEquals("rwxr-xr-x", perms(host.resolve("tree/run.sh")), "remote copies keep the source's mode");

        Contracts.run(SHELL, copy, Map.of("src", src.toString(), "dest", host + "/tree", "remote_src", true), host);
        assertEquals("a\n", Files.readString(host.resolve("tree/conf/a.txt")));

        Contracts.run(SHELL, copy, Map.of("src", src + "/a.txt", "dest", host + "/single", "remote_src", true), host);
        assertEquals("a\n", Files.readString(host.resolve("single")));
    }

    @Test
    void assembleFragmentsOnTheHost() throws Exception {
        Path frags = Files.createDirectories(dir.resolve("frags"));
        Files.writeString(frags.resolve("10-b"), "b\n");
        Files.writeString(frags.resolve("02-a"), "a");
        Files.writeString(frags.resolve(".hidden"), "h\n");
        Path dest = dir.resolve("out/conf");
        Files.createDirectories(dest.getParent());
        Module assemble = BuiltinModules.find("ansible.builtin.assemble").orElseThrow();
        Map<String, Object> v = Contracts.run(SHELL, assemble, Map.of("src", frags.toString(), "dest", dest.toString(),
                "delimiter", "### part", "ignore_hidden", true, "mode", "0640"), dest.getParent());
        assertEquals("a\n### part\nb\n", Files.readString(dest));
        assertEquals("rw-r-----", perms(dest));
        assertEquals("OK", v.get("msg"));

        Files.writeString(frags.resolve("20-c"), "c\n");
        Map<String, Object> again = Contracts.run(SHELL, assemble, Map.of("src", frags.toString(), "dest",
                dest.toString(), "backup", true, "ignore_hidden", true), dest.getParent());
        assertEquals("a\nb\nc\n", Files.readString(dest));
        assertTrue(Files.exists(Path.of(String.valueOf(again.get("backup_file")))));
    }

    @Test
    void assembleValidationFailureInstallsNothing() throws Exception {
        Path frags = Files.createDirectories(dir.resolve("frags"));
        Files.writeString(frags.resolve("a"), "bad\n");
        Path dest = dir.resolve("conf");
        Module assemble = BuiltinModules.find("assemble").orElseThrow();
        Plan plan = assemble.plan(new TestContext(assemble, Map.of("src", frags.toString(), "dest", dest.toString(),
                "validate", "grep -q good %s"), new ShellHostView(SHELL)));
        ModuleException e = assertThrows(ModuleException.class, () -> Plans.apply(plan, SHELL));
        assertEquals("failed to validate: rc:1 error:", e.getMessage());
        assertFalse(Files.exists(dest));
    }

    @Test
    void fetchToTheControllerPerHostAndFlat() throws Exception {
        Path remote = Files.writeString(dir.resolve("remote.log"), "line\n");
        Path pb = Files.createDirectories(dir.resolve("playbook"));
        Module fetch = BuiltinModules.find("fetch").orElseThrow();
        java.util.function.Function<Map<String, Object>, TestContext> ctx = args -> {
            TestContext c = new TestContext(fetch, args, new ShellHostView(SHELL));
            c.vars.put("playbook_dir", pb.toString());
            return c;
        };
        Map<String, Object> args = Map.of("src", remote.toString(), "dest", "fetched");
        Plan plan = fetch.plan(ctx.apply(args));
        assertEquals(Plan.CheckBehaviour.SKIP, plan.check(), "Ansible's fetch is skipped in check mode");
        Map<String, Object> v = Plans.apply(plan, SHELL);
        Path local = Path.of(pb + "/fetched/testhost" + remote);
        assertEquals("line\n", Files.readString(local));
        assertEquals(true, v.get("changed"));
        assertEquals(local.toString(), v.get("dest"));
        assertEquals(v.get("remote_checksum"), v.get("checksum"));
        assertFalse(fetch.plan(ctx.apply(args)).changesSomething(), "fetched again: nothing to do");

        Map<String, Object> flat = Map.of("src", remote.toString(), "dest", "flat/", "flat", true);
        Plans.apply(fetch.plan(ctx.apply(flat)), SHELL);
        assertEquals("line\n", Files.readString(pb.resolve("flat/remote.log")));

        Map<String, Object> missing = Map.of("src", dir + "/nothing", "dest", "fetched");
        ModuleException e = assertThrows(ModuleException.class,
                () -> Plans.apply(fetch.plan(ctx.apply(missing)), SHELL));
        assertEquals("the remote file does not exist, not transferring, ignored", e.getMessage());
    }

    /** The expectations are what ansible-playbook 2.14's find returned for the same tree (run by hand). */
    @Test
    @SuppressWarnings("unchecked")
    void findAsAnsibleFindsOrdersAndCounts() throws Exception {
        Path t = Files.createDirectories(dir.resolve("t"));
        Files.createDirectories(t.resolve("sub/deep"));
        Files.createDirectories(t.resolve(".hid"));
        Files.writeString(t.resolve("a.conf"), "hello\n");
        Files.writeString(t.resolve("sub/c.conf"), "needle here\n");
        Files.writeString(t.resolve("sub/deep/d.conf"), "y\n");
        Files.writeString(t.resolve(".hid/e.conf"), "h\n");
        Files.writeString(t.resolve(".dot.conf"), "z\n");
        Module find = BuiltinModules.find("find").orElseThrow();
        java.util.function.Function<Map<String, Object>, Map<String, Object>> run = args -> {
            try {
                Plan p = find.plan(new TestContext(find, args, new ShellHostView(SHELL)));
                assertFalse(p.changesSomething());
                return p.values();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        java.util.function.Function<Map<String, Object>, java.util.List<String>> paths = v ->
                ((java.util.List<Map<String, Object>>) v.get("files")).stream()
                        .map(f -> String.valueOf(f.get("path")).substring(t.toString().length() + 1)).toList();

        Map<String, Object> conf = run.apply(Map.of("paths", t.toString(), "patterns", "*.conf", "recurse", true));
        // os.walk's order: the top's files first, then each directory (in readdir order, as find's)
        assertEquals("a.conf", paths.apply(conf).get(0));
        assertEquals(java.util.Set.of("a.conf", ".hid/e.conf", "sub/c.conf", "sub/deep/d.conf"),
                java.util.Set.copyOf(paths.apply(conf)));
        assertTrue(paths.apply(conf).indexOf("sub/c.conf") < paths.apply(conf).indexOf("sub/deep/d.conf"));
        assertEquals(8, conf.get("examined"));
        Map<String, Object> needle = run.apply(Map.of("paths", t.toString(), "patterns", "^[a-c]\\.", "use_regex", true,
                "recurse", true, "depth", 2, "contains", "need"));
        assertEquals(java.util.List.of("sub/c.conf"), paths.apply(needle));
        Map<String, Object> dirs = run.apply(Map.of("paths", java.util.List.of(t.toString(), dir + "/nothere"),
                "file_type", "directory", "recurse", true, "excludes", "deep"));
        assertEquals(java.util.List.of("sub"), paths.apply(dirs));
        assertEquals("Not all paths examined, check warnings for details", dirs.get("msg"));
        Map<String, Object> first = ((java.util.List<Map<String, Object>>) conf.get("files")).get(0);
        assertEquals("0644", first.get("mode"));
        assertEquals(6L, ((Number) first.get("size")).longValue());
        assertEquals(true, first.get("isreg"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void findInCheckModeSeesWhatEarlierStepsWouldMake() throws Exception {
        Path src = sourceTree();
        Path host = dir.resolve("host");
        Files.createDirectories(host);
        Files.writeString(Files.createDirectories(host.resolve("app")).resolve("old.conf"), "o\n");
        dev.drover.module.SimulatedState state = new dev.drover.module.SimulatedState();
        dev.drover.module.SimulatedHostView sim = new dev.drover.module.SimulatedHostView(new ShellHostView(SHELL), state);
        Module copy = BuiltinModules.find("copy").orElseThrow();
        Plans.simulate(copy.plan(new TestContext(copy, Map.of("src", src + "/", "dest", host + "/app"), sim)), state, "root");
        Module file = BuiltinModules.find("file").orElseThrow();
        Plans.simulate(file.plan(new TestContext(file, Map.of("path", host + "/app/old.conf", "state", "absent"), sim)),
                state, "root");
        Module find = BuiltinModules.find("find").orElseThrow();
        Map<String, Object> v = find.plan(new TestContext(find, Map.of("paths", host + "/app", "recurse", true,
                "patterns", "*.conf,*.txt"), sim)).values();
        java.util.List<String> found = ((java.util.List<Map<String, Object>>) v.get("files")).stream()
                .map(f -> String.valueOf(f.get("path"))).sorted().toList();
        assertEquals(java.util.List.of(host + "/app/a.txt", host + "/app/sub/deep/b.txt"), found);
        assertFalse(Files.exists(host.resolve("app/a.txt")), "nothing was written");
    }
}
