package dev.drover.modules.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.Shell;
import dev.drover.module.LocalShell;
import dev.drover.module.Module;
import dev.drover.module.ModuleException;
import dev.drover.module.Plan;
import dev.drover.module.ShellHostView;
import dev.drover.modules.BuiltinModules;
import dev.drover.modules.Contract;
import dev.drover.modules.Plans;
import dev.drover.modules.TestContext;
import dev.drover.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * apt for real, as root, against a local Debian repository this test makes: tiny packages built
 * with {@code dpkg-deb --build}, indexed with {@code dpkg-scanpackages}, served as a
 * {@code file:} source. No network, and the machine's apt is left alone: the test's apt runs
 * under {@code APT_CONFIG} pointing at its own sources list, package lists and cache (so an
 * {@code apt-get update} reads only the test's repository and never drops the machine's lists);
 * only dpkg's database is the machine's, and every test package is purged afterwards.
 */
class AptRealTest {
    static final List<String> PACKAGES = List.of("drover-hello", "drover-extra", "drover-other");
    static final Module APT = BuiltinModules.find("ansible.builtin.apt").orElseThrow();

    @TempDir
    Path dir;
    Path repo;
    Shell shell;

    @BeforeEach
    void repository() throws Exception {
        Requirements.require("root", Requirements.isRoot());
        Requirements.require("dpkg-deb and dpkg-scanpackages (dpkg-dev)",
                Files.isExecutable(Path.of("/usr/bin/dpkg-scanpackages")) && Files.isExecutable(Path.of("/usr/bin/apt-get")));
        repo = Files.createDirectories(dir.resolve("repo"));
        Files.createDirectories(dir.resolve("lists/partial"));
        Files.setLastModifiedTime(dir.resolve("lists"), java.nio.file.attribute.FileTime.fromMillis(0)); // never updated
        Files.createDirectories(dir.resolve("cache/archives/partial"));
        Files.createDirectories(dir.resolve("parts"));
        Files.writeString(dir.resolve("sources.list"), "deb [trusted=yes] file:" + repo + " ./\n");
        Files.writeString(dir.resolve("apt.conf"), "Dir::Etc::sourcelist \"" + dir.resolve("sources.list") + "\";\n"
                + "Dir::Etc::sourceparts \"" + dir.resolve("parts") + "\";\n"
                + "Dir::State::Lists \"" + dir.resolve("lists") + "/\";\n"
                + "Dir::Cache \"" + dir.resolve("cache") + "/\";\n"
                + "Acquire::Languages \"none\";\n");
        shell = Contract.withPrefix(new LocalShell(), "export APT_CONFIG=" + dir.resolve("apt.conf") + "\n");
        build("drover-hello", "1.0", "Recommends: drover-extra\n", true);
        build("drover-extra", "1.0", "", false);
        index();
    }

    @AfterEach
    void purge() throws Exception {
        if (shell != null) {
            new LocalShell().run("dpkg --purge " + String.join(" ", PACKAGES) + " >/dev/null 2>&1; true", null, null);
        }
    }

    /** A package with a file under /usr/share/NAME and, with {@code conffile}, /etc/NAME.conf. */
    private Path build(String name, String version, String extra, boolean conffile) throws Exception {
        Path root = dir.resolve("build/" + name + "-" + version);
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.createDirectories(root.resolve("usr/share/" + name));
        Files.writeString(root.resolve("usr/share/" + name + "/version"), version + "\n");
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
                + "\nArchitecture: all\nMaintainer: drover tests <drover@localhost>\n" + extra
                + "Description: a drover test package\n");
        if (conffile) {
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/" + name + ".conf"), "version=" + version + "\n");
            Files.writeString(root.resolve("DEBIAN/conffiles"), "/etc/" + name + ".conf\n");
        }
        Path deb = dir.resolve("build/" + name + "_" + version + "_all.deb");
        sh("dpkg-deb --root-owner-group --build " + root + " " + deb + " >/dev/null");
        return deb;
    }

    private void index() throws Exception {
        sh("cp " + dir.resolve("build") + "/*.deb " + repo + "/ 2>/dev/null; cd " + repo
                + " && dpkg-scanpackages -m . /dev/null > Packages 2>/dev/null");
    }

    private String sh(String script) throws Exception {
        var r = shell.run(script, null, null);
        assertEquals(0, r.exitCode(), script + ": " + r.err());
        return r.out();
    }

    /** dpkg's status and version of a package ("un" when dpkg does not know it). */
    private String status(String name) throws Exception {
        var r = shell.run("dpkg-query -W -f='${db:Status-Abbrev}${Version}' " + name + " 2>/dev/null", null, null);
        return r.exitCode() != 0 ? "un" : r.out().trim().replace(" ", "");
    }

    private String snapshot() throws Exception {
        StringBuilder s = new StringBuilder();
        for (String p : PACKAGES) {
            s.append(p).append('=').append(status(p)).append(' ');
        }
        return s + new String(shell.run("ls -l --time-style=+%s " + dir.resolve("lists"), null, null).stdout());
    }

    private void updateCache() throws Exception {
        sh("apt-get update -q >/dev/null 2>&1");
    }

    @Test
    void updateCacheThenInstallLatestAndRemove() throws Exception {
        // the cache: updated once, then valid for an hour
        Map<String, Object> v = Contract.run(APT, Map.of("update_cache", true, "cache_valid_time", 3600), shell,
                this::snapshot);
        assertEquals(true, v.get("cache_updated"), v.toString());
        assertTrue(((Number) v.get("cache_update_time")).longValue() > 0);

        // install without recommends: drover-extra stays out
        v = Contract.run(APT, Map.of("name", List.of("drover-hello"), "install_recommends", false), shell,
                this::snapshot);
        assertEquals("ii1.0", status("drover-hello"));
        assertEquals("un", status("drover-extra"));
        assertTrue(String.valueOf(v.get("stdout")).contains("Setting up drover-hello (1.0)"), v.toString());
        assertEquals(false, v.get("cache_updated"));

        // a newer version appears: present keeps 1.0, latest upgrades
        build("drover-hello", "2.0", "", true);
        index();
        updateCache();
        Plan present = APT.plan(new TestContext(APT, Map.of("name", "drover-hello"), new ShellHostView(shell)));
        assertFalse(present.changesSomething());
        Contract.run(APT, Map.of("name", "drover-hello", "state", "latest"), shell, this::snapshot);
        assertEquals("ii2.0", status("drover-hello"));

        // a version spec: downgrade only with allow_downgrade
        Contract.run(APT, Map.of("name", "drover-hello=1.0", "allow_downgrade", true), shell, this::snapshot);
        assertEquals("ii1.0", status("drover-hello"));

        // remove keeps the conffile (rc), purge then removes it
        Contract.run(APT, Map.of("name", "drover-hello", "state", "absent"), shell, this::snapshot);
        assertTrue(status("drover-hello").startsWith("rc"), status("drover-hello"));
        assertTrue(Files.exists(Path.of("/etc/drover-hello.conf")));
        Contract.run(APT, Map.of("name", "drover-hello", "state", "absent", "purge", true), shell, this::snapshot);
        assertEquals("un", status("drover-hello"));
        assertFalse(Files.exists(Path.of("/etc/drover-hello.conf")));
    }

    @Test
    void debFileAndFailures() throws Exception {
        Path deb = build("drover-other", "3.1", "", false);
        updateCache();
        Map<String, Object> v = Contract.run(APT, Map.of("deb", deb.toString()), shell, this::snapshot);
        assertEquals("ii3.1", status("drover-other"));
        assertTrue(String.valueOf(v.get("stdout")).contains("drover-other"), v.toString());

        ModuleException unknown = assertThrows(ModuleException.class, () -> APT.plan(
                new TestContext(APT, Map.of("name", "drover-nosuch"), new ShellHostView(shell))));
        assertEquals("No package matching 'drover-nosuch' is available", unknown.getMessage());

        ModuleException version = assertThrows(ModuleException.class, () -> APT.plan(
                new TestContext(APT, Map.of("name", "drover-extra=9.9"), new ShellHostView(shell))));
        assertEquals("no available installation candidate for drover-extra=9.9", version.getMessage());

        // apt-get's own failure comes back as Ansible reports it: the command, stderr, rc
        sh("rm " + repo + "/drover-extra_1.0_all.deb " + dir.resolve("build/drover-extra_1.0_all.deb"));
        Plan p = APT.plan(new TestContext(APT, Map.of("name", "drover-extra"), new ShellHostView(shell)));
        ModuleException e = assertThrows(ModuleException.class, () -> Plans.apply(p, shell));
        assertTrue(e.getMessage().startsWith("'/usr/bin/apt-get -y -o \"Dpkg::Options::=--force-confdef\" -o "
                + "\"Dpkg::Options::=--force-confold\"       install 'drover-extra=1.0'' failed: "), e.getMessage());
        assertEquals(100, e.values().get("rc"));
        assertEquals("un", status("drover-extra"));
    }

    @Test
    void packageDispatchesToApt() throws Exception {
        updateCache();
        Module pkg = BuiltinModules.find("ansible.builtin.package").orElseThrow();
        Contract.run(pkg, Map.of("name", "drover-extra", "state", "present"), shell, this::snapshot);
        assertEquals("ii1.0", status("drover-extra"));
        Contract.run(pkg, Map.of("name", "drover-extra", "state", "absent", "purge", true), shell, this::snapshot);
        assertEquals("un", status("drover-extra"));
    }

    @Test
    void aptRepositoryAddsASourceAptThenInstallsFrom() throws Exception {
        // a second repository, known to apt only through the source apt_repository adds (in the test's parts dir)
        Path second = Files.createDirectories(dir.resolve("second"));
        sh("cp " + build("drover-other", "5.0", "", false) + " " + second + " && cd " + second
                + " && dpkg-scanpackages -m . /dev/null > Packages 2>/dev/null");
        Module repo = BuiltinModules.find("apt_repository").orElseThrow();
        String line = "deb [trusted=yes] file:" + second + " ./";
        Contract.run(repo, Map.of("repo", line, "filename", "drover-second"), shell,
                () -> snapshot() + Files.exists(dir.resolve("parts/drover-second.list")));
        assertEquals(line + "\n", Files.readString(dir.resolve("parts/drover-second.list")));
        Contract.run(APT, Map.of("name", "drover-other"), shell, this::snapshot);
        assertEquals("ii5.0", status("drover-other"));
        Contract.run(repo, Map.of("repo", line, "state", "absent", "update_cache", false), shell,
                () -> Files.exists(dir.resolve("parts/drover-second.list")));
        assertFalse(Files.exists(dir.resolve("parts/drover-second.list")));
    }

    @Test
    void debFromAUrl() throws Exception {
        Path deb = build("drover-other", "4.2", "", false);
        byte[] bytes = Files.readAllBytes(deb);
        var server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/drover-other_4.2_all.deb", ex -> {
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        try {
            updateCache();
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/drover-other_4.2_all.deb";
            Contract.run(APT, Map.of("deb", url), shell, this::snapshot);
            assertEquals("ii4.2", status("drover-other"));
        } finally {
            server.stop(0);
        }
    }
}
