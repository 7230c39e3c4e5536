package dev.drover.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/drover_VERSION_all.deb installed for real (dpkg -i, as root), used through /usr/bin/drover
 * (as root, and as a user who cannot write the install: the start-up archive then goes to
 * $XDG_CACHE_HOME), and removed (dpkg -r) without leaving files behind.
 */
class DebPackageIT {
    private static final Path BIN = Path.of("/usr/bin/drover");

    @TempDir
    Path tmp;

    @Test
    void installRunRemove() throws Exception {
        Requirements.requireRoot();
        Requirements.require("dpkg (a Debian system)", Files.isExecutable(Path.of("/usr/bin/dpkg")));
        Dist.Result before = Dist.run("dpkg-query", "-W", "-f=${Status}", "drover");
        Requirements.require("a machine without the drover package installed (this test installs and removes it)",
                !before.out().contains("install ok installed"));
        Path deb = Dist.artifact("drover_" + Dist.version() + "_all.deb");

        Dist.Result install = Dist.run("dpkg", "-i", deb.toString());
        try {
            assertEquals(0, install.exit(), install::toString);
            assertTrue(Files.isSymbolicLink(BIN) && Files.isExecutable(BIN), "/usr/bin/drover is not an executable link");
            for (String f : new String[] {"/usr/share/man/man1/drover.1.gz", "/usr/share/man/man1/drover-run.1.gz",
                    "/usr/share/man/man1/drover-vault.1.gz", "/usr/share/bash-completion/completions/drover",
                    "/usr/share/zsh/vendor-completions/_drover", "/usr/share/drover/lib/drover.jar",
                    "/usr/share/drover/bin/drover-client.py"}) {
                assertTrue(Files.isRegularFile(Path.of(f)), f + " was not installed");
            }
            Dist.Result listed = Dist.run("dpkg", "-L", "drover");
            assertTrue(listed.out().contains("/usr/bin/drover"), listed::toString);

            Dist.Result version = Dist.run(BIN.toString(), "--version");
            assertEquals(0, version.exit(), version::toString);
            assertTrue(version.out().startsWith("drover " + Dist.version() + "\n"), version::toString);
            // bin/drover runs on a Java 25+ when it finds one (for the JDK's AOT cache), else on the default java
            java.util.regex.Matcher javaLine = java.util.regex.Pattern.compile("\njava (\\d+)[.\\d]* ").matcher(version.out());
            assertTrue(javaLine.find(), version::toString);
            int feature = Integer.parseInt(javaLine.group(1));
            if (newestJdkUnderUsrLibJvm() >= 25) {
                assertTrue(feature >= 25, "a JDK 25+ is under /usr/lib/jvm, the launcher did not take it:\n" + version);
            } else {
                assertEquals(Runtime.version().feature(), feature, version::toString);
            }

            Path playbook = Dist.examples(tmp.resolve("work"));
            Path root = tmp.resolve("work/app");
            Dist.Result run = Dist.run(Map.of(), tmp, BIN.toString(), "run", playbook.toString(), "-e", "app_root=" + root);
            assertEquals(0, run.exit(), run::toString);
            assertTrue(run.out().contains("PLAY RECAP"), run::toString);
            assertTrue(Files.readString(root.resolve("etc/hello.conf")).contains("hello"), "the playbook did not write its template");

            if (Dist.hasSetpriv()) {
                // a user who cannot write /usr/share/drover: the archive goes to the user's cache
                Path cache = tmp.resolve("cache");
                Files.createDirectories(cache);
                Dist.openUp(cache);
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                Dist.Result user = Dist.run(Map.of("XDG_CACHE_HOME", cache.toString(), "HOME", cache.toString()), tmp,
                        Dist.asNobody(BIN.toString(), "run", playbook.toString(), "-e", "app_root=" + tmp.resolve("work/user")));
                assertEquals(0, user.exit(), user::toString);
                assertFalse(user.out().contains("could not build the start-up archive"), user::toString);
                assertTrue(Files.isDirectory(cache.resolve("drover")), "no $XDG_CACHE_HOME/drover for a user's run");
            }
        } finally {
            Dist.Result remove = Dist.run("dpkg", "-r", "drover");
            assertEquals(0, remove.exit(), remove::toString);
        }
        assertFalse(Files.exists(BIN, java.nio.file.LinkOption.NOFOLLOW_LINKS), "/usr/bin/drover is still there after dpkg -r");
        assertFalse(Files.exists(Path.of("/usr/share/drover")), "/usr/share/drover (the archive of a root run) is left after dpkg -r");
        assertFalse(Files.exists(Path.of("/usr/share/man/man1/drover.1.gz")));
        Dist.Result after = Dist.run("dpkg-query", "-W", "-f=${Status}", "drover");
        assertFalse(after.out().contains("install ok installed"), after::toString);
        // dpkg -r keeps a removed package with maintainer scripts as "rc" (config-files): purge it
        Dist.Result purge = Dist.run("dpkg", "-P", "drover");
        assertEquals(0, purge.exit(), purge::toString);
        Dist.Result gone = Dist.run("dpkg-query", "-W", "-f=${Status}", "drover");
        assertFalse(gone.out().contains("config-files"), gone::toString);
    }

    /** The newest Java feature version among the JDKs under /usr/lib/jvm (their release files), or 0. */
    private static int newestJdkUnderUsrLibJvm() throws java.io.IOException {
        Path jvm = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvm)) {
            return 0;
        }
        int newest = 0;
        try (java.util.stream.Stream<Path> homes = Files.list(jvm)) {
            for (Path home : homes.toList()) {
                Path release = home.resolve("release");
                if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
                    continue;
                }
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^JAVA_VERSION=\"?(\\d+)")
                        .matcher(Files.readString(release));
                if (m.find()) {
                    newest = Math.max(newest, Integer.parseInt(m.group(1)));
                }
            }
        }
        return newest;
    }
}
