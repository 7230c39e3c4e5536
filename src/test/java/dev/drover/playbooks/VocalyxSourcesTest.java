package dev.drover.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The role {@code vocalyx_sources} of the shipped playbooks, unchanged, on localhost with the three
 * kinds of {@code vocalyx_source}: a controller directory (copied recursively), a git repository
 * (a real one made with git in a temp dir, reached as {@code file://}) and a release archive (a
 * {@code .tar.gz} made with tar), each into a temp project directory. A small playbook of the test
 * runs the shipped roles {@code vocalyx_common} and {@code vocalyx_sources} (its roles/ is a link
 * to playbooks/roles; nothing else of vocalyx.yml runs). For each kind: --check forecasts the fetch and touches
 * nothing, the real run puts the four build contexts there, a rerun changes nothing, a new version
 * of the sources is forecast and fetched. The last test adds the real {@code vocalyx_images} role
 * (podman build as root, {@code FROM scratch} contexts with a static busybox standing in for the
 * Vocalyx sources, a tag of this test's own, removed at the end): one file changed in one context
 * of the controller's directory rebuilds only that image.
 */
class VocalyxSourcesTest {
    static final List<String> IMAGES = List.of("api", "frontend", "transcribe", "enrichment");

    @TempDir
    Path tmp;

    Path playbook(String... roles) throws IOException {
        StringBuilder s = new StringBuilder("- hosts: localhost\n  gather_facts: false\n  roles:\n");
        for (String r : roles) {
            s.append("    - ").append(r).append('\n');
        }
        if (!Files.exists(tmp.resolve("roles"))) {
            Files.createSymbolicLink(tmp.resolve("roles"), Path.of("playbooks/roles").toAbsolutePath());
        }
        Path p = tmp.resolve("sources.yml");
        Files.writeString(p, s.toString());
        return p;
    }

    /** The four build contexts, each a Containerfile and a VERSION file. */
    static void contexts(Path root, String version) throws IOException {
        for (String img : IMAGES) {
            Path ctx = Files.createDirectories(root.resolve("vocalyx-" + img));
            Files.writeString(ctx.resolve("Containerfile"), "FROM scratch\nCOPY VERSION /VERSION\n");
            Files.writeString(ctx.resolve("VERSION"), version + "\n");
        }
    }

    DroverCli.Result run(Path playbook, Path project, String source, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "-i", "inventory/local.ini", "--vault-password-file", "inventory/example-vault-pass.txt",
                "-e", "vocalyx_project_dir=" + project, "-e", "vocalyx_source=" + source));
        args.addAll(List.of(extra));
        args.add(playbook.toString());
        return DroverCli.run(args.toArray(String[]::new));
    }

    static String recap(DroverCli.Result r) {
        return r.recap().get("localhost");
    }

    /** The changed and failed counts (a check skips the stat of sources it has not fetched yet). */
    static String counts(DroverCli.Result r) {
        return recap(r).replaceAll("^ok=\\d+ | skipped=\\d+", "");
    }

    static String sh(Path dir, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), script + "\n" + out);
        return out;
    }

    static void assertContexts(Path project, String version) throws IOException {
        for (String img : IMAGES) {
            assertEquals(version + "\n", Files.readString(project.resolve("vocalyx-" + img + "/VERSION")), img);
            assertTrue(Files.isRegularFile(project.resolve("vocalyx-" + img + "/Containerfile")), img);
        }
    }

    /** check (changed, nothing written), run (same recap), rerun (changed=0). */
    void fetchTwice(Path pb, Path project, String source, String task, String... extra) throws IOException {
        DroverCli.Result check = run(pb, project, source, concat(extra, "--check"));
        assertEquals(0, check.exit(), check::toString);
        assertTrue(check.out().contains("TASK [vocalyx_sources : " + task), check::toString);
        assertFalse(Files.exists(project.resolve("vocalyx-api")), "check mode fetched the sources");
        DroverCli.Result real = run(pb, project, source, extra);
        assertEquals(0, real.exit(), real::toString);
        assertEquals(counts(check), counts(real), check + "\n" + real);
        assertTrue(recap(real).contains(" changed=1 ") || recap(real).contains(" changed=2 "), real::toString);
        DroverCli.Result rerun = run(pb, project, source, extra);
        assertEquals(0, rerun.exit(), rerun::toString);
        assertTrue(recap(rerun).contains(" changed=0 "), rerun::toString);
        assertTrue(rerun.out().contains("all 4 build contexts are in " + project), rerun::toString);
    }

    static String[] concat(String[] a, String... b) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(b));
        return l.toArray(String[]::new);
    }

    @Test
    void noSourceMeansTheSourcesAreAlreadyThere() throws Exception {
        Path pb = playbook("vocalyx_common", "vocalyx_sources");
        Path project = tmp.resolve("project");
        DroverCli.Result missing = run(pb, project, "");
        assertEquals(2, missing.exit(), missing::toString);
        assertTrue(missing.out().contains("Missing build contexts: ['api', 'frontend', 'transcribe', 'enrichment']"),
                missing::toString);
        contexts(project, "1");
        DroverCli.Result there = run(pb, project, "");
        assertEquals(0, there.exit(), there::toString);
        assertTrue(recap(there).contains(" changed=0 "), there::toString);
    }

    @Test
    void aControllerDirectoryIsCopiedAndOnlyWhatChangedIsWritten() throws Exception {
        Path pb = playbook("vocalyx_common", "vocalyx_sources");
        Path src = tmp.resolve("src");
        contexts(src, "1");
        Path project = tmp.resolve("project");
        fetchTwice(pb, project, src.toString(), "Copy the sources from the controller's directory");
        assertContexts(project, "1");

        Files.writeString(src.resolve("vocalyx-api/VERSION"), "2\n");
        DroverCli.Result check = run(pb, project, src.toString(), "--check", "--diff");
        assertEquals(0, check.exit(), check::toString);
        assertTrue(recap(check).contains(" changed=1 "), check::toString);
        assertEquals("1\n", Files.readString(project.resolve("vocalyx-api/VERSION")), "check mode copied");
        DroverCli.Result real = run(pb, project, src + "/");
        assertEquals(counts(check), counts(real), check + "\n" + real);
        assertEquals("2\n", Files.readString(project.resolve("vocalyx-api/VERSION")));
        assertEquals("1\n", Files.readString(project.resolve("vocalyx-frontend/VERSION")));
    }

    @Test
    void aGitRepositoryIsCheckedOutAtTheVersion() throws Exception {
        Requirements.require("git (apt-get install git)", Files.isExecutable(Path.of("/usr/bin/git")));
        Path pb = playbook("vocalyx_common", "vocalyx_sources");
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        contexts(repo, "1");
        String git = "git -c user.name=t -c user.email=t@example.invalid ";
        sh(repo, "git init -q -b main . && " + git + "add -A && " + git + "commit -qm v1 && git tag v1");
        Path project = tmp.resolve("project");
        String url = "file://" + repo;
        fetchTwice(pb, project, url, "Check out the git source", "-e", "vocalyx_source_version=v1");
        assertContexts(project, "1");

        contexts(repo, "2");
        sh(repo, git + "commit -qam v2 && git tag v2");
        DroverCli.Result check = run(pb, project, url, "-e", "vocalyx_source_version=v2", "--check");
        assertEquals(0, check.exit(), check::toString);
        assertTrue(recap(check).contains(" changed=1 "), check::toString);
        assertContexts(project, "1");
        DroverCli.Result real = run(pb, project, url, "-e", "vocalyx_source_version=v2");
        assertEquals(counts(check), counts(real), check + "\n" + real);
        assertContexts(project, "2");
    }

    @Test
    void aReleaseArchiveIsUnpacked() throws Exception {
        Path pb = playbook("vocalyx_common", "vocalyx_sources");
        Path release = Files.createDirectories(tmp.resolve("release"));
        contexts(release, "1");
        sh(release, "tar -czf ../vocalyx-1.tar.gz vocalyx-api vocalyx-frontend vocalyx-transcribe vocalyx-enrichment");
        Path project = tmp.resolve("project");
        fetchTwice(pb, project, tmp.resolve("vocalyx-1.tar.gz").toString(), "Unpack the release archive");
        assertContexts(project, "1");
    }

    @Test
    void oneFileChangedInOneContextRebuildsOnlyThatImage() throws Exception {
        Requirements.requireRoot();
        Requirements.require("podman (apt-get install podman)", Files.isExecutable(Path.of("/usr/bin/podman")));
        Path pb = playbook("vocalyx_common", "vocalyx_sources", "vocalyx_images");
        Path src = tmp.resolve("src");
        contexts(src, "1");
        Path project = tmp.resolve("project");
        String tag = "drover-srctest";
        String[] vars = {"-v", "-e", "vocalyx_user=root", "-e", "image_tag=" + tag};
        try {
            DroverCli.Result first = run(pb, project, src.toString(), vars);
            assertEquals(0, first.exit(), first::toString);
            for (String img : IMAGES) {
                assertTrue(first.out().contains("\"Built image vocalyx-" + img + ":" + tag), first::toString);
            }
            DroverCli.Result rerun = run(pb, project, src.toString(), vars);
            assertTrue(recap(rerun).contains(" changed=0 "), rerun::toString);

            Files.writeString(src.resolve("vocalyx-transcribe/VERSION"), "2\n");
            DroverCli.Result check = run(pb, project, src.toString(), concat(vars, "--check"));
            DroverCli.Result real = run(pb, project, src.toString(), vars);
            for (DroverCli.Result r : List.of(check, real)) {
                assertEquals(0, r.exit(), r::toString);
                assertTrue(r.out().contains("\"Built image vocalyx-transcribe:" + tag), r::toString);
                for (String img : List.of("api", "frontend", "enrichment")) {
                    assertFalse(r.out().contains("\"Built image vocalyx-" + img + ":" + tag), img + " rebuilt\n" + r);
                }
                assertTrue(r.out().contains("\"vocalyx_rebuilt_images\": [\"transcribe\"]"), r::toString);
            }
            assertEquals(counts(check), counts(real), check + "\n" + real);
        } finally {
            for (String img : IMAGES) {
                new ProcessBuilder("podman", "rmi", "-f", "localhost/vocalyx-" + img + ":" + tag).start().waitFor();
            }
        }
    }
}
