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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * unarchive on the real local host: archives made here with tar and zip, extracted from the
 * controller (the archive read in Java, sent on stdin) and with remote_src (listed on the host),
 * under the idempotency contract; a changed file re-extracts, creates skips, include/exclude,
 * list_files, mode.
 */
class UnarchiveTest {
    static final Module UNARCHIVE = BuiltinModules.find("ansible.builtin.unarchive").orElseThrow();
    static final LocalShell SHELL = new LocalShell();

    @TempDir
    Path dir;
    Path dest;
    Path src;

    @BeforeEach
    void archives() throws Exception {
        src = Files.createDirectories(dir.resolve("src"));
        Path tree = Files.createDirectories(src.resolve("app-1.0/bin"));
        Files.writeString(tree.resolve("run.sh"), "#!/bin/sh\necho run\n");
        Files.writeString(src.resolve("app-1.0/README"), "read me\n");
        Files.createSymbolicLink(src.resolve("app-1.0/current"), Path.of("bin/run.sh"));
        sh("cd " + src + " && tar -czf app.tgz app-1.0 && tar -cJf app.tar.xz app-1.0 && zip -qr app.zip app-1.0/bin app-1.0/README");
        dest = Files.createDirectories(dir.resolve("dest"));
    }

    private void sh(String script) throws Exception {
        var r = SHELL.run(script, null, null);
        assertEquals(0, r.exitCode(), script + ": " + r.err());
    }

    private Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dest)) {
            for (Path p : s.toList()) {
                m.put(p.toString(), (Files.isSymbolicLink(p) ? "link:" + Files.readSymbolicLink(p)
                        : Files.isDirectory(p) ? "dir" : Files.readString(p)) + ":"
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        return m;
    }

    private Plan plan(Map<String, Object> args) throws Exception {
        return UNARCHIVE.plan(new TestContext(UNARCHIVE, args, new ShellHostView(SHELL)));
    }

    @Test
    void aControllerTgzExtractsOnceAndAgainWhenAFileChanges() throws Exception {
        Map<String, Object> args = Map.of("src", src.resolve("app.tgz").toString(), "dest", dest.toString(),
                "list_files", true);
        Map<String, Object> v = Contract.run(UNARCHIVE, args, SHELL, this::snapshot);
        assertEquals("read me\n", Files.readString(dest.resolve("app-1.0/README")));
        assertEquals(Path.of("bin/run.sh"), Files.readSymbolicLink(dest.resolve("app-1.0/current")));
        assertEquals("TgzArchive", v.get("handler"));
        assertTrue(((List<?>) v.get("files")).contains("app-1.0/bin/run.sh"), v.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> extract = (Map<String, Object>) v.get("extract_results");
        assertEquals(0, extract.get("rc"));
        assertTrue(String.valueOf(extract.get("cmd")).startsWith("tar --extract -C " + dest + " -z"), extract.toString());

        Files.writeString(dest.resolve("app-1.0/README"), "edited\n");
        Plan again = plan(args);
        assertEquals(List.of("extract app.tgz into " + dest), Plans.describe(again));
        Plans.apply(again, SHELL);
        assertEquals("read me\n", Files.readString(dest.resolve("app-1.0/README")));
        assertFalse(plan(args).changesSomething());
    }

    @Test
    void remoteSrcTarXzAndZipWithMode() throws Exception {
        Map<String, Object> v = Contract.run(UNARCHIVE, Map.of("src", src.resolve("app.tar.xz").toString(),
                "dest", dest.toString(), "remote_src", true), SHELL, this::snapshot);
        assertEquals("TarXzArchive", v.get("handler"));
        assertEquals("#!/bin/sh\necho run\n", Files.readString(dest.resolve("app-1.0/bin/run.sh")));

        Path zdest = Files.createDirectories(dir.resolve("zdest"));
        dest = zdest;
        v = Contract.run(UNARCHIVE, Map.of("src", src.resolve("app.zip").toString(), "dest", zdest.toString(),
                "remote_src", true, "mode", "u=rwX,g=rX,o="), SHELL, this::snapshot);
        assertEquals("ZipArchive", v.get("handler"));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(zdest.resolve("app-1.0/README"))));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(zdest.resolve("app-1.0/bin"))));
    }

    @Test
    void createsIncludeExcludeAndFailures() throws Exception {
        Plan skipped = plan(Map.of("src", src.resolve("app.tgz").toString(), "dest", dest.toString(),
                "creates", src.resolve("app-1.0").toString()));
        assertFalse(skipped.changesSomething());
        assertEquals(true, skipped.values().get("skipped"));
        assertEquals("skipped, since " + src.resolve("app-1.0") + " exists", skipped.values().get("msg"));

        Contract.run(UNARCHIVE, Map.of("src", src.resolve("app.tgz").toString(), "dest", dest.toString(),
                "exclude", List.of("*/README")), SHELL, this::snapshot);
        assertTrue(Files.exists(dest.resolve("app-1.0/bin/run.sh")));
        assertFalse(Files.exists(dest.resolve("app-1.0/README")));

        ModuleException noDest = assertThrows(ModuleException.class, () -> plan(Map.of("src",
                src.resolve("app.tgz").toString(), "dest", dir.resolve("nope").toString())));
        assertEquals("dest '" + dir.resolve("nope") + "' must be an existing dir", noDest.getMessage());
        ModuleException noSrc = assertThrows(ModuleException.class, () -> plan(Map.of("src", "/nonexistent.tgz",
                "dest", dest.toString(), "remote_src", true)));
        assertEquals("Source '/nonexistent.tgz' does not exist", noSrc.getMessage());
        Files.writeString(src.resolve("not-an-archive"), "hello");
        ModuleException bad = assertThrows(ModuleException.class, () -> plan(Map.of("src",
                src.resolve("not-an-archive").toString(), "dest", dest.toString())));
        assertTrue(bad.getMessage().startsWith("Failed to find handler for"), bad.getMessage());
    }
}
