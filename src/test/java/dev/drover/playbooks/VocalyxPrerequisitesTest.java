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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code playbooks/vocalyx.yml} with its role {@code vocalyx_prerequisites} on (the
 * default), in {@code --check} against this machine (Debian 12, root, podman 4.3.1) as a fresh
 * host: the deploy user does not exist, home and project are under a temp dir. Nothing is ever
 * installed (check mode only; each test asserts dpkg's package list and the temp dir unchanged).
 * <ul>
 * <li>podman 4.3.1 is older than the 4.4 quadlet needs: the role stops the host with a message
 * naming the version found and the minimum, before anything else;</li>
 * <li>with the minimum lowered to 4.3 (so the rest can run here), the packages this Debian host
 * lacks are found with dpkg and their install forecast by apt;</li>
 * <li>a bare server, as far as this machine can stand for one: drover runs with a PATH that has
 * no podman (a directory of links to every program of the system's PATH but podman) and dpkg and
 * apt-cache see a copy of dpkg's status without podman (wrappers with {@code --admindir} and
 * {@code Dir::State::status}): these are stand-ins, said so here. The forecast then installs
 * podman, and the podman steps after it (image builds, secrets, the quadlet set with the
 * generator's validation) forecast as changed against the packages the apt step would install,
 * instead of failing on podman's absence.</li>
 * </ul>
 */
class VocalyxPrerequisitesTest {
    static final String FRESH_USER = VocalyxPlaybooksTest.FRESH_USER;

    @TempDir
    Path tmp;

    static void requireThisDebianHost() throws Exception {
        Requirements.requireRoot();
        Requirements.requireSudo();
        Requirements.require("dpkg and apt (a Debian host)", Files.isExecutable(Path.of("/usr/bin/dpkg-query"))
                && Files.isExecutable(Path.of("/usr/bin/apt-cache")));
        assertFalse(VocalyxPlaybooksTest.userExists(FRESH_USER), "the test user must not exist");
    }

    List<String> args(String... extra) throws IOException {
        Path project = tmp.resolve("project");
        for (String img : List.of("api", "frontend", "transcribe", "enrichment")) {
            Files.createDirectories(project.resolve("vocalyx-" + img));
            Files.writeString(project.resolve("vocalyx-" + img + "/Containerfile"), "FROM scratch\n");
        }
        List<String> a = new ArrayList<>(List.of("run", "--check", "-v", "-i", VocalyxPlaybooksTest.LOCAL,
                "--vault-password-file", VocalyxPlaybooksTest.VAULT_PASS,
                "-e", "vocalyx_user=" + FRESH_USER, "-e", "vocalyx_user_home=" + tmp.resolve("home"),
                "-e", "vocalyx_project_dir=" + project));
        a.addAll(List.of(extra));
        a.add("playbooks/vocalyx.yml");
        return a;
    }

    static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        return out;
    }

    static String installedPackages() throws Exception {
        return sh("dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\\n'");
    }

    /** The packages of the role's apt list that dpkg does not show installed here. */
    static List<String> missingHere() throws Exception {
        List<String> out = new ArrayList<>();
        for (String p : List.of("podman", "uidmap", "passt", "slirp4netns", "netavark", "nftables", "aardvark-dns",
                "dbus-user-session")) {
            if (!sh("dpkg-query -W -f='${db:Status-Abbrev}' " + p + " 2>/dev/null").startsWith("ii")) {
                out.add(p);
            }
        }
        return out;
    }

    static String section(String out, String task) {
        int at = out.indexOf("TASK [" + task);
        assertTrue(at >= 0, "no task " + task + "\n" + out);
        int next = out.indexOf("TASK [", at + 1);
        return out.substring(at, next < 0 ? out.length() : next);
    }

    static String podmanVersion() throws Exception {
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)\\.\\d+").matcher(sh("podman --version 2>/dev/null"));
        return m.find() ? m.group() : "";
    }

    @Test
    void podman431FailsClearlyNamingTheVersionAndTheMinimum() throws Exception {
        requireThisDebianHost();
        String version = podmanVersion();
        Requirements.require("podman older than 4.4 installed (Debian 12's 4.3.1)", version.startsWith("4.3."));
        String before = installedPackages();

        DroverCli.Result r = DroverCli.run(args().toArray(String[]::new));

        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("podman " + version + " is installed on this host; Vocalyx needs podman >= 4.4"
                + " (vocalyx_podman_min_version"), r::toString);
        assertTrue(section(r.out(), "vocalyx_prerequisites : Stop when podman is older than 4.4").contains("FAILED!"),
                r::toString);
        assertTrue(r.recap().get("localhost").contains(" changed=0 ") && r.recap().get("localhost").contains(" failed=1 "),
                r::toString);
        assertFalse(r.out().contains("TASK [vocalyx_user"), "the host stopped at the version check\n" + r);
        assertEquals(before, installedPackages());
        assertFalse(Files.exists(tmp.resolve("home")));
    }

    @Test
    void onThisDebianHostTheMissingPackagesAreFoundAndTheirInstallForecast() throws Exception {
        requireThisDebianHost();
        List<String> missing = missingHere();
        String before = installedPackages();

        DroverCli.Result r = DroverCli.run(args("-e", "vocalyx_podman_min_version=4.3",
                "-e", "vocalyx_quadlet_validate=false").toArray(String[]::new));

        assertEquals(0, r.exit(), r::toString);
        String probe = section(r.out(), "vocalyx_prerequisites : Find the prerequisites that are not installed yet");
        Matcher m = Pattern.compile("\"stdout_lines\": \\[([^\\]]*)\\]").matcher(probe);
        assertTrue(m.find(), probe);
        assertEquals(missing.stream().map(p -> "\"" + p + "\"").toList(),
                m.group(1).isBlank() ? List.of() : List.of(m.group(1).split(", ")), probe);
        String install = section(r.out(), "vocalyx_prerequisites : Install podman and its rootless runtime (apt)");
        assertTrue(install.contains(missing.isEmpty() ? "skipping: [localhost]" : "changed: [localhost]"), install);
        assertTrue(section(r.out(), "vocalyx_prerequisites : Install podman and its rootless runtime (dnf)")
                .contains("skipping: [localhost]"), r::toString);
        assertTrue(section(r.out(), "vocalyx_prerequisites : Stop when podman is older than 4.3")
                .contains("podman " + podmanVersion() + " (installed) >= 4.3"), r::toString);
        assertEquals(before, installedPackages(), "check mode installed packages");
        assertFalse(Files.exists(tmp.resolve("home")));
    }

    @Test
    void aBareServerWithoutPodmanForecastsTheWholeDeploy() throws Exception {
        requireThisDebianHost();
        Requirements.require("podman 4.3 (apt's candidate here)", podmanVersion().startsWith("4.3."));
        // stand-ins: a PATH without podman, dpkg's status without podman
        // (not in the @TempDir: JUnit warns about each link it deletes there)
        Path farm = Files.createTempDirectory("drover-nopodman");
        try {
            bareServerCheck(farm);
        } finally {
            sh("rm -rf " + farm);
        }
    }

    private void bareServerCheck(Path farm) throws Exception {
        Path bin = Files.createDirectories(farm.resolve("bin"));
        for (String d : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (!Files.isDirectory(Path.of(d))) {
                continue;
            }
            try (Stream<Path> s = Files.list(Path.of(d))) {
                for (Path f : s.toList()) {
                    Path link = bin.resolve(f.getFileName().toString());
                    if (!f.getFileName().toString().equals("podman") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, f);
                    }
                }
            }
        }
        Path admin = Files.createDirectories(farm.resolve("dpkg"));
        Files.createDirectories(admin.resolve("info"));
        Files.createDirectories(admin.resolve("updates"));
        String status = Files.readString(Path.of("/var/lib/dpkg/status"));
        StringBuilder kept = new StringBuilder();
        for (String stanza : status.split("\n\n")) {
            if (!stanza.startsWith("Package: podman\n")) {
                kept.append(stanza).append("\n\n");
            }
        }
        Files.writeString(admin.resolve("status"), kept.toString());
        for (String[] w : List.of(new String[] {"dpkg-query", "exec /usr/bin/dpkg-query --admindir=" + admin + " \"$@\""},
                new String[] {"apt-cache", "exec /usr/bin/apt-cache -o Dir::State::status=" + admin.resolve("status") + " \"$@\""})) {
            Path p = bin.resolve(w[0]);
            Files.deleteIfExists(p);
            Files.writeString(p, "#!/bin/sh\n" + w[1] + "\n");
            p.toFile().setExecutable(true);
        }
        assertEquals("", sh("PATH=" + bin + " command -v podman").strip(), "podman is hidden");
        String before = installedPackages();

        // drover in its own JVM, so that its local shell gets that PATH
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "dev.drover.cli.Main"));
        cmd.addAll(args("-e", "vocalyx_podman_min_version=4.3"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PATH", bin.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);

        assertTrue(section(out, "vocalyx_prerequisites : Stop when podman is older than 4.3")
                .contains("(to be installed) >= 4.3"), out);
        assertTrue(section(out, "vocalyx_prerequisites : Find the prerequisites that are not installed yet")
                .contains("\"podman\""), out);
        for (String task : List.of("vocalyx_prerequisites : Install podman and its rootless runtime (apt)",
                "vocalyx_user : Create the deploy user " + FRESH_USER,
                "vocalyx_user : Enable linger for " + FRESH_USER,
                "vocalyx_images : Build the Vocalyx images (latest) as " + FRESH_USER,
                "vocalyx_secrets : Store the secrets as podman secrets of " + FRESH_USER,
                "vocalyx_quadlets : Install the quadlets of " + FRESH_USER)) {
            assertTrue(section(out, task).contains("changed: [localhost]"), "not forecast as changed: " + task + "\n" + out);
        }
        assertFalse(out.contains("Failed to find required executable"), out);
        assertFalse(out.contains("podman is not installed on this host"), out);
        VocalyxPlaybooksTest.SECRETS.forEach(s -> assertFalse(out.contains(s), "a secret in the output"));
        assertEquals(before, installedPackages(), "check mode installed packages");
        assertFalse(VocalyxPlaybooksTest.userExists(FRESH_USER));
        assertFalse(Files.exists(tmp.resolve("home")));
    }
}
