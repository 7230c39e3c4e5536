package dev.drover.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/drover-VERSION.tar.gz, as a user installs it without Maven: unpacked anywhere, its
 * bin/drover runs a playbook, makes its start-up archive on the first run (beside the jar when
 * that directory is writable, else under $XDG_CACHE_HOME/drover), and ships the man pages and
 * the bash/zsh completion.
 */
class TarballIT {
    @TempDir
    Path tmp;

    private Path unpack() throws Exception {
        Path tgz = Dist.artifact("drover-" + Dist.version() + ".tar.gz");
        Dist.Result r = Dist.run("tar", "-xzf", tgz.toString(), "-C", tmp.toString());
        assertEquals(0, r.exit(), r::toString);
        Path home = tmp.resolve("drover-" + Dist.version());
        assertTrue(Files.isExecutable(home.resolve("bin/drover")), "bin/drover is not executable");
        assertTrue(Files.isRegularFile(home.resolve("lib/drover.jar")));
        assertTrue(Files.isRegularFile(home.resolve("bin/drover-client.py")), "the light thin client is missing");
        return home;
    }

    /** The launcher's start-up archives in a directory: drover-JAVAVERSION.jsa (AppCDS) or .aot (Java 25+). */
    private static List<Path> archives(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("drover-[0-9.]+\\.(jsa|aot)")).toList();
        }
    }

    @Test
    void theUnpackedLauncherRunsAPlaybookAndMakesItsArchiveOnFirstRun() throws Exception {
        Path home = unpack();
        Path playbook = Dist.examples(tmp.resolve("work"));
        Path root = tmp.resolve("work/app");
        assertTrue(archives(home.resolve("lib")).isEmpty());

        Dist.Result first = Dist.run(Map.of(), tmp, home.resolve("bin/drover").toString(), "run", playbook.toString(),
                "-e", "app_root=" + root);
        assertEquals(0, first.exit(), first::toString);
        assertTrue(first.out().contains("PLAY RECAP"), first::toString);
        assertTrue(Files.readString(root.resolve("etc/hello.conf")).contains("hello"), "the template was not written");
        List<Path> made = archives(home.resolve("lib"));
        assertEquals(1, made.size(), "not one start-up archive beside the jar after the first run: " + made);
        assertTrue(Files.size(made.get(0)) > 1_000_000, "the start-up archive is too small to be one: " + made);

        Dist.Result second = Dist.run(Map.of(), tmp, home.resolve("bin/drover").toString(), "run", playbook.toString(),
                "-e", "app_root=" + root);
        assertEquals(0, second.exit(), second::toString);
        assertTrue(second.out().matches("(?s).*localhost\\s*:\\s*ok=\\d+\\s+changed=0\\s.*"), "the second run changed something:\n" + second);
        assertFalse(second.out().contains("could not build the start-up archive"), second::toString);
    }

    @Test
    void aReadOnlyInstallKeepsTheArchiveInTheUsersCache() throws Exception {
        Requirements.require("root and setpriv, to run the launcher as another user (nobody)", Requirements.isRoot() && Dist.hasSetpriv());
        Path home = unpack();
        Path playbook = Dist.examples(tmp.resolve("work"));
        Path cache = tmp.resolve("cache");
        Files.createDirectories(cache);
        Dist.openUp(cache);
        Dist.openUp(home);   // readable by nobody, writable only by root (but tmp itself: a+w)
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home.resolve("bin/drover"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        Dist.Result r = Dist.run(Map.of("XDG_CACHE_HOME", cache.toString(), "HOME", cache.toString()), tmp,
                Dist.asNobody(home.resolve("bin/drover").toString(), "run", playbook.toString(),
                        "-e", "app_root=" + tmp.resolve("work/app")));
        assertEquals(0, r.exit(), r::toString);
        assertFalse(r.out().contains("could not build the start-up archive"), r::toString);
        assertTrue(archives(home.resolve("lib")).isEmpty(), "the archive went into the read-only install");
        try (Stream<Path> s = Files.list(cache.resolve("drover"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().matches("drover-\\d+-[0-9.]+\\.(jsa|aot)")),
                    "no archive under $XDG_CACHE_HOME/drover");
        }
    }

    @Test
    void itShipsManPagesAndCompletion() throws Exception {
        Path home = unpack();
        String run = gunzip(home.resolve("share/man/man1/drover-run.1.gz"));
        assertTrue(run.contains(".TH \"DROVER\\-RUN\" \"1\""), "not a roff man page:\n" + run);
        assertTrue(run.contains("\\-\\-check"), "drover-run(1) does not document --check");
        assertTrue(gunzip(home.resolve("share/man/man1/drover.1.gz")).contains(Dist.version().replace("-", "\\-")),
                "drover(1) does not carry the version");
        if (Files.isExecutable(Path.of("/usr/bin/man"))) {
            Dist.Result man = Dist.run(Map.of("MANWIDTH", "100"), null, "man", "-l", home.resolve("share/man/man1/drover-run.1.gz").toString());
            assertEquals(0, man.exit(), man::toString);
            assertTrue(man.out().contains("--check"), man::toString);
        }

        Path bash = home.resolve("share/bash-completion/completions/drover");
        assertTrue(Dist.bashComplete(bash, "drover", "ru").lines().anyMatch("run"::equals), "drover ru<TAB> does not offer run");
        assertTrue(Dist.bashComplete(bash, "drover", "run", "--che").lines().anyMatch("--check"::equals),
                "drover run --che<TAB> does not offer --check");
        String zsh = Files.readString(home.resolve("share/zsh/site-functions/_drover"));
        assertTrue(zsh.startsWith("#compdef drover\n"), "the zsh completion is not an autoloadable completion function");
        assertTrue(zsh.contains("_complete_drover"));
    }

    @Test
    void zshCompletesWithTheShippedFunction() throws Exception {
        Requirements.require("zsh (apt-get install zsh)", Files.isExecutable(Path.of("/usr/bin/zsh")));
        Path home = unpack();
        Path script = tmp.resolve("zsh-complete.zsh");
        try (InputStream in = TarballIT.class.getResourceAsStream("/dist/zsh-complete.zsh")) {
            Files.write(script, in.readAllBytes());
        }
        Dist.Result r = Dist.run(Map.of("HOME", tmp.toString()), tmp, "timeout", "120", "zsh", "-f", script.toString(),
                home.resolve("bin").toString(), home.resolve("share/zsh/site-functions").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("completed: modules") && r.out().contains("completed: --check"), r::toString);
    }

    private static String gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
