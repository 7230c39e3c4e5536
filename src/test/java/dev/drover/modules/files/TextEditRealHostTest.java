package dev.drover.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** blockinfile and replace on the real local host: the idempotency contract, backup, validate. */
class TextEditRealHostTest {
    static final LocalShell SHELL = new LocalShell();

    @TempDir
    Path dir;

    @Test
    void blockinfileInsertsReplacesAndRemoves() throws Exception {
        Module m = BuiltinModules.find("ansible.builtin.blockinfile").orElseThrow();
        Path conf = dir.resolve("sshd_config");
        Files.writeString(conf, "Port 22\nMatch all\n");
        Map<String, Object> v = Contracts.run(SHELL, m, Map.of("path", conf.toString(),
                "block", "PasswordAuthentication no\nX11Forwarding no", "insertbefore", "^Match"), dir);
        assertEquals("Block inserted", v.get("msg"));
        assertEquals("Port 22\n# BEGIN ANSIBLE MANAGED BLOCK\nPasswordAuthentication no\nX11Forwarding no\n"
                + "# END ANSIBLE MANAGED BLOCK\nMatch all\n", Files.readString(conf));

        Contracts.run(SHELL, m, Map.of("path", conf.toString(), "block", "X11Forwarding yes", "backup", true,
                "mode", "0600"), dir);
        assertEquals("Port 22\n# BEGIN ANSIBLE MANAGED BLOCK\nX11Forwarding yes\n# END ANSIBLE MANAGED BLOCK\n"
                + "Match all\n", Files.readString(conf));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "the file and its backup");
        }

        Contracts.run(SHELL, m, Map.of("path", conf.toString(), "state", "absent"), dir);
        assertEquals("Port 22\nMatch all\n", Files.readString(conf));
    }

    @Test
    void blockinfileCreatesTheFileAndItsDirectory() throws Exception {
        Module m = BuiltinModules.find("blockinfile").orElseThrow();
        Path f = dir.resolve("new/dir/file");
        Map<String, Object> v = Contracts.run(SHELL, m, Map.of("path", f.toString(), "block", "a", "create", true,
                "marker", "// {mark}"), dir);
        assertEquals("File created", v.get("msg"));
        assertEquals("// BEGIN\na\n// END\n", Files.readString(f));
    }

    @Test
    void blockinfileValidationFailureInstallsNothing() throws Exception {
        Module m = BuiltinModules.find("blockinfile").orElseThrow();
        Path conf = dir.resolve("conf");
        Files.writeString(conf, "good\n");
        Map<String, Object> args = Map.of("path", conf.toString(), "block", "bad", "validate", "grep -q nothere %s");
        Plan plan = m.plan(new TestContext(m, args, new ShellHostView(SHELL)));
        ModuleException e = assertThrows(ModuleException.class, () -> Plans.apply(plan, SHELL));
        assertEquals("failed to validate: rc:1 error:", e.getMessage());
        assertEquals("good\n", Files.readString(conf));
    }

    @Test
    void replaceWithBackrefsAndSection() throws Exception {
        Module m = BuiltinModules.find("replace").orElseThrow();
        Path conf = dir.resolve("app.ini");
        Files.writeString(conf, "[a]\nport = 80\n[b]\nport = 81\n");
        Map<String, Object> v = Contracts.run(SHELL, m, Map.of("path", conf.toString(), "after", "\\[b\\]",
                "regexp", "^(port) = \\d+$", "replace", "\\1 = 8081", "backup", true), dir);
        assertEquals("1 replacements made", v.get("msg"));
        assertTrue(String.valueOf(v.get("backup_file")).startsWith(conf + "."), String.valueOf(v));
        assertEquals("[a]\nport = 80\n[b]\nport = 8081\n", Files.readString(conf));
    }

    @Test
    void replaceThroughASymlinkWritesTheTarget() throws Exception {
        Module m = BuiltinModules.find("replace").orElseThrow();
        Path real = dir.resolve("real");
        Files.writeString(real, "a a\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real.getFileName());
        Contracts.run(SHELL, m, Map.of("path", link.toString(), "regexp", "a", "replace", "b"), dir);
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("b b\n", Files.readString(real));
    }
}
