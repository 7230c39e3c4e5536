package dev.drover.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vocalyx playbooks shipped at the top of the repository ({@code playbooks/},
 * {@code inventory/}), through the real CLI ({@code Main.execute}): every playbook loads and
 * validates, every variable its tasks read is defined (drover's static check, which runs before
 * any host is touched), and {@code --check} of {@code vocalyx.yml} on a fresh host forecasts the
 * deploy and touches nothing.
 */
class VocalyxPlaybooksTest {
    static final Path PLAYBOOKS = Path.of("playbooks");
    static final String LOCAL = "inventory/local.ini";
    static final String VAULT_PASS = "inventory/example-vault-pass.txt";
    /** A deploy user that does not exist on the test machine (never created: the runs are checks). */
    static final String FRESH_USER = "drover-vxfresh";
    /** The example vault's values: none may appear in any output. */
    static final List<String> SECRETS = List.of("example-postgres-password-change-me",
            "example-secret-key-change-me-0123456789abcdef", "example-internal-api-key-change-me",
            "example-flower-password-change-me");

    @TempDir
    Path tmp;

    static List<Path> playbooks() throws IOException {
        try (Stream<Path> s = Files.list(PLAYBOOKS)) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyPlaybookPassesSyntaxCheck() throws IOException {
        List<Path> all = playbooks();
        assertTrue(all.stream().map(p -> p.getFileName().toString()).toList()
                .containsAll(List.of("vocalyx.yml", "update.yml", "status.yml")), all::toString);
        return all.stream().flatMap(p -> Stream.of("inventory/local.ini", "inventory/example.ini").map(inv ->
                DynamicTest.dynamicTest(p + " with " + inv, () -> {
                    DroverCli.Result r = DroverCli.run("run", "--syntax-check", "-i", inv,
                            "--vault-password-file", VAULT_PASS, p.toString());
                    assertEquals(0, r.exit(), r::toString);
                    assertTrue(r.out().contains("playbook: " + p), r::toString);
                })));
    }

    /** {@code --list-hosts} reads the inventory: every example host is in the group {@code vocalyx}. */
    @Test
    void exampleInventoryHasSeveralVocalyxHosts() {
        DroverCli.Result r = DroverCli.run("run", "--list-hosts", "-i", "inventory/example.ini",
                "--vault-password-file", VAULT_PASS, "playbooks/vocalyx.yml");
        assertEquals(0, r.exit(), r::toString);
        for (String h : List.of("vocalyx-01", "vocalyx-02", "vocalyx-03")) {
            assertTrue(r.out().contains(h), r::toString);
        }
    }

    /**
     * update.yml and status.yml against a host where Vocalyx was never deployed: the static
     * variable check passes (it would end the run with exit 4 and "is undefined" before any host
     * is touched), then the guard stops the host with its message (exit 2).
     */
    @TestFactory
    Stream<DynamicTest> updateAndStatusDefineTheirVariablesAndRefuseAFreshHost() {
        return Stream.of("update.yml", "status.yml").map(name -> DynamicTest.dynamicTest(name, () -> {
            Requirements.requireSudo();
            DroverCli.Result r = DroverCli.run("run", "--check", "-i", LOCAL, "--vault-password-file", VAULT_PASS,
                    "-e", "vocalyx_user=" + FRESH_USER, "-e", "vocalyx_user_home=" + tmp.resolve("home"),
                    "-e", "vocalyx_project_dir=" + tmp.resolve("project"), "playbooks/" + name);
            assertFalse(r.all().contains("undefined"), r::toString);
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.out().contains(FRESH_USER + " does not exist on this host: deploy first with playbooks/vocalyx.yml"),
                    r::toString);
            SECRETS.forEach(s -> assertFalse(r.all().contains(s), r::toString));
        }));
    }

    /**
     * {@code --check --diff} of vocalyx.yml against localhost as a fresh host: the deploy user
     * does not exist, its home and the project's config/data directories are absent (paths under
     * a temp dir, through extra vars); only the four build contexts are there (tiny
     * {@code FROM scratch} ones, standing in for the Vocalyx sources). Exits 0, forecasts the
     * user, linger, the directories, the image builds and podman secrets as that user, haproxy.cfg
     * and all 14 quadlet files (with their rendered content in the diff, secrets only as
     * {@code Secret=} lines) and their start; leaves the host untouched. The quadlet validation is
     * off ({@code vocalyx_quadlet_validate=false}: this host's podman 4.3.1 has no generator), and so
     * are the prerequisites ({@code vocalyx_install_prerequisites=false}: the role stops below podman
     * 4.4, see {@link VocalyxPrerequisitesTest});
     * {@link VocalyxDeployTest} runs the whole deploy with a stand-in generator.
     */
    @Test
    void checkOnAFreshHostForecastsTheDeployAndTouchesNothing() throws Exception {
        Requirements.requireRoot();
        Requirements.requireSudo();
        assertFalse(userExists(FRESH_USER), "the test user must not exist");
        Path home = tmp.resolve("home");
        Path project = tmp.resolve("project");
        for (String img : List.of("api", "frontend", "transcribe", "enrichment")) {
            Path ctx = Files.createDirectories(project.resolve("vocalyx-" + img));
            Files.writeString(ctx.resolve("Containerfile"), "FROM scratch\nLABEL app=" + img + "\n");
        }
        List<String> before = listTree(tmp);

        DroverCli.Result r = DroverCli.run("run", "--check", "--diff", "-i", LOCAL, "--vault-password-file", VAULT_PASS,
                "-e", "vocalyx_user=" + FRESH_USER, "-e", "vocalyx_user_home=" + home,
                "-e", "vocalyx_project_dir=" + project, "-e", "vocalyx_quadlet_validate=false",
                "-e", "vocalyx_install_prerequisites=false", "playbooks/vocalyx.yml");

        assertEquals(0, r.exit(), r::toString);
        String out = r.out();
        // skipped: the 8 steps of vocalyx_prerequisites (off), the 5 ways of fetching sources (none
        // given), the 2 subuid steps (prerequisites off), the deploy guards (2), the health checks (3)
        // and the restart of changed containers (an empty loop)
        assertEquals("ok=13 changed=7 unreachable=0 failed=0 skipped=21 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
        assertTrue(out.contains("TASK [vocalyx_user : Create the deploy user " + FRESH_USER + "]"), out);
        assertChanged(out, "vocalyx_user : Create the deploy user " + FRESH_USER);
        assertChanged(out, "vocalyx_user : Enable linger for " + FRESH_USER);
        assertChanged(out, "vocalyx_quadlets : Write haproxy's configuration");
        Path quadlets = home.resolve(".config/containers/systemd");
        for (String f : List.of("vocalyx.network", "vocalyx-postgres-data.volume", "vocalyx-redis-data.volume",
                "vocalyx-postgres.container", "vocalyx-redis.container", "vocalyx-haproxy.container",
                "vocalyx-frontend.container", "vocalyx-api-01.container", "vocalyx-api-02.container",
                "vocalyx-transcribe-01.container", "vocalyx-transcribe-02.container", "vocalyx-transcribe-03.container",
                "vocalyx-enrichment-01.container", "vocalyx-enrichment-02.container")) {
            assertTrue(out.contains("+++ " + quadlets.resolve(f)), "diff of " + f + "\n" + out);
        }
        assertFalse(out.contains("vocalyx-flower.container\n"), "flower is off by default");
        // the procedure's %E paths are the project's absolute paths; secrets are only named
        assertTrue(out.contains("+Volume=" + project.resolve("data/uploads") + ":/app/uploads:Z"), out);
        assertTrue(out.contains("+Volume=" + project.resolve("config/haproxy.cfg")
                + ":/usr/local/etc/haproxy/haproxy.cfg:ro,Z"), out);
        assertTrue(out.contains("+Secret=vocalyx-postgres-password,type=env,target=POSTGRES_PASSWORD"), out);
        assertFalse(java.util.regex.Pattern.compile("(?m)^\\+.*%E").matcher(out).find(), "no rendered line keeps %E\n" + out);
        // the steps as the user that does not exist yet are forecast like the others
        assertChanged(out, "vocalyx_images : Build the Vocalyx images (latest) as " + FRESH_USER);
        assertChanged(out, "vocalyx_secrets : Store the secrets as podman secrets of " + FRESH_USER);
        assertChanged(out, "vocalyx_quadlets : Install the quadlets of " + FRESH_USER);
        assertFalse(out.contains("does not exist yet"), out);
        SECRETS.forEach(s -> assertFalse(r.all().contains(s), "secret in the output\n" + r));

        // untouched: no user, no linger, nothing new under the temp dir
        assertFalse(userExists(FRESH_USER), "check mode created the user");
        assertFalse(Files.exists(Path.of("/var/lib/systemd/linger", FRESH_USER)), "check mode enabled linger");
        assertEquals(before, listTree(tmp), "check mode created files");
        assertFalse(Files.exists(home));
    }

    private static void assertChanged(String out, String task) {
        int at = out.indexOf("TASK [" + task);
        assertTrue(at >= 0, "no task " + task + "\n" + out);
        int next = out.indexOf("TASK [", at + 1);
        String section = out.substring(at, next < 0 ? out.length() : next);
        assertTrue(section.contains("changed: [localhost]"), "not forecast as changed: " + task + "\n" + section);
    }

    static boolean userExists(String user) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("getent", "passwd", user).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    static List<String> listTree(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted().forEach(p -> out.add(root.relativize(p).toString()));
        }
        return out;
    }
}
