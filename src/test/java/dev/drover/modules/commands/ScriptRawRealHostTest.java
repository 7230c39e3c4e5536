package dev.drover.modules.commands;

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
import dev.drover.modules.Plans;
import dev.drover.modules.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * script, raw, tempfile and getent on the real local host; the expected values are what
 * ansible-playbook 2.14 returned for the same tasks (compared by hand, see the commit).
 */
class ScriptRawRealHostTest {
    static final LocalShell SHELL = new LocalShell();

    @TempDir
    Path dir;

    private static Plan plan(Module m, Map<String, Object> args, Path local) throws Exception {
        TestContext c = new TestContext(m, args, new ShellHostView(SHELL));
        c.localDir = local;
        return m.plan(c);
    }

    @Test
    void scriptRunsWithItsArgumentsAndLeavesNothing() throws Exception {
        Path files = Files.createDirectories(dir.resolve("controller"));
        Files.writeString(files.resolve("hello.sh"), "#!/bin/sh\necho \"args: $*\"\necho err >&2\npwd\n");
        Module script = BuiltinModules.find("script").orElseThrow();
        Plan p = plan(script, Map.of("_raw_params", "hello.sh one \"two words\"", "chdir", dir.toString()), files);
        assertEquals(Plan.CheckBehaviour.SKIP, p.check(), "skipped in check mode without creates/removes");
        Map<String, Object> v = Plans.apply(p, SHELL);
        assertEquals(0, v.get("rc"));
        assertEquals(List.of("args: one two words", dir.toString()), v.get("stdout_lines"));
        assertEquals("err\n", v.get("stderr"));
        assertTrue(SHELL.run("ls /tmp | grep -c drover-script || true", null, null).out().trim().equals("0"),
                "the temp copy is removed");

        Plan skipped = plan(script, Map.of("_raw_params", "hello.sh", "creates", dir.toString()), files);
        assertFalse(skipped.changesSomething());
        assertEquals(true, skipped.values().get("skipped"));
        assertEquals(dir + " exists, matching creates option", skipped.values().get("msg"));

        Files.writeString(files.resolve("fail.sh"), "exit 4\n");
        Plan fails = plan(script, Map.of("_raw_params", "fail.sh", "executable", "/bin/sh"), files);
        ModuleException e = assertThrows(ModuleException.class, () -> Plans.apply(fails, SHELL));
        assertEquals("non-zero return code", e.getMessage());
        assertEquals(4, e.values().get("rc"));
    }

    @Test
    void rawRunsAsIs() throws Exception {
        Module raw = BuiltinModules.find("raw").orElseThrow();
        Plan p = plan(raw, Map.of("_raw_params", "echo raw; echo e >&2; exit 0"), null);
        assertEquals(Plan.CheckBehaviour.SKIP, p.check());
        Map<String, Object> v = Plans.apply(p, SHELL);
        assertEquals("raw\n", v.get("stdout"));
        assertEquals(List.of("e"), v.get("stderr_lines"));
        Plan bash = plan(raw, Map.of("_raw_params", "echo ${BASH_VERSION:+bash}", "executable", "/bin/bash"), null);
        assertEquals("bash\n", Plans.apply(bash, SHELL).get("stdout"));
        ModuleException e = assertThrows(ModuleException.class,
                () -> Plans.apply(plan(raw, Map.of("_raw_params", "exit 3"), null), SHELL));
        assertEquals(3, e.values().get("rc"));
        assertEquals(true, e.values().get("changed"));
    }

    @Test
    void tempfileMakesFilesAndDirectories() throws Exception {
        Module t = BuiltinModules.find("tempfile").orElseThrow();
        Plan d = plan(t, Map.of("state", "directory", "path", dir.toString(), "prefix", "x.", "suffix", ".build"), null);
        assertEquals(Plan.CheckBehaviour.SKIP, d.check(), "Ansible's tempfile does not support check mode");
        String path = String.valueOf(Plans.apply(d, SHELL).get("path"));
        assertTrue(path.matches(java.util.regex.Pattern.quote(dir.toString()) + "/x\\..{8}\\.build"), path);
        assertTrue(Files.isDirectory(Path.of(path)));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(Path.of(path))));
        String file = String.valueOf(Plans.apply(plan(t, Map.of("path", path), null), SHELL).get("path"));
        assertTrue(Path.of(file).getFileName().toString().matches("ansible\\..{8}"), file);
        assertTrue(Files.isRegularFile(Path.of(file)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void getentSplitsAsAnsible() throws Exception {
        Module g = BuiltinModules.find("getent").orElseThrow();
        Plan p = plan(g, Map.of("database", "passwd", "key", "root"), null);
        Map<String, Object> facts = (Map<String, Object>) p.values().get("ansible_facts");
        assertEquals(List.of("x", "0", "0", "root", "/root", "/bin/bash"),
                ((Map<String, Object>) facts.get("getent_passwd")).get("root"));
        Plan services = plan(g, Map.of("database", "services", "key", "ssh"), null);
        assertEquals(List.of("22/tcp"), ((Map<String, Object>) ((Map<String, Object>) services.values()
                .get("ansible_facts")).get("getent_services")).get("ssh"));
        Plan missing = plan(g, Map.of("database", "group", "key", "nosuchgroupx", "fail_key", false), null);
        assertEquals("One or more supplied key could not be found in the database.", missing.values().get("msg"));
        ModuleException e = assertThrows(ModuleException.class,
                () -> plan(g, Map.of("database", "group", "key", "nosuchgroupx"), null));
        assertEquals("One or more supplied key could not be found in the database.", e.getMessage());
    }
}
