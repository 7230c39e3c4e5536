package dev.drover.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.QuadletStandIn;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import dev.drover.testing.UserManagerFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code playbooks/vocalyx.yml}, unchanged, end to end against this machine as the
 * one Vocalyx host, reached over SSH through a real sshd ({@link SshServerFixture}, root on
 * 127.0.0.1: {@code inventory/local.ini}'s host with the SSH connection variables of a second
 * inventory), with the example vault ({@code inventory/group_vars/vocalyx/vault.yml}) and extra vars
 * that point it at a temp project and a test deploy user, {@value #USER}, that does not exist
 * before the run (the playbook creates it; the teardown removes it, its podman store, its linger
 * file and its user manager).
 *
 * <p>In order: {@code --check} on the fresh host exits 0, forecasts every step (user, linger,
 * directories, the four image builds and the podman secrets as the new user, haproxy.cfg, the
 * quadlet set with its tiers and starts) and touches nothing (no user, no home, no linger, no
 * file, no image); the real run's recap equals the check's; the units are active and became so
 * tier by tier (network + volumes, postgres + redis, APIs, haproxy, frontend + workers); the
 * images are in the user's rootless store (not root's); the secrets exist; no secret value is in
 * any output; a rerun changes nothing; one API's memory limit changed
 * ({@code vocalyx_unit_limits}) is forecast and then restarts that API's unit only; update.yml
 * rebuilds the API image and restarts the APIs one at a time; a rotated secret restarts the
 * units that name it and no other (the quadlet module's restart_on, forecast in check mode).
 *
 * <p><b>Real:</b> drover and the playbook, sudo, useradd, {@code podman build} (rootless, four
 * tiny {@code FROM scratch} contexts with a static busybox, standing in for the Vocalyx sources),
 * podman secrets, a real {@code systemd --user} manager receiving the daemon-reload, the starts
 * and restarts. <b>Stand-ins, and where the test stops:</b> logind does not run here, so
 * {@code loginctl} is {@link UserManagerFixture}'s stand-in (it writes the linger file and starts
 * the user's manager), put first on the playbook's PATH through {@code vocalyx_environment}.
 * Podman 4.3.1 (Debian 12) has no quadlet generator and {@code podman run} fails in this sandbox,
 * so <b>no container runs</b>: the quadlet generator is {@link QuadletStandIn}, which turns each
 * quadlet file into a oneshot {@code /bin/true} service keeping its dependencies (given to the
 * playbook as {@code vocalyx_quadlet_generator} for the dry-run validation, and run by the manager
 * as a user generator). The health checks (haproxy, frontend) need running containers and are
 * off ({@code vocalyx_health_check=false}); so is the role vocalyx_prerequisites
 * ({@code vocalyx_install_prerequisites: false}: it stops below podman 4.4, see
 * {@link VocalyxPrerequisitesTest}); enabling at boot is checked as the files' [Install]
 * sections, which the stand-in does not turn into wants links.
 */
class VocalyxDeployTest {
    static final String USER = "drover-vx";
    static final String HOME = "/home/" + USER;
    static final String LOCAL = "inventory/local.ini";
    static final String VAULT_PASS = "inventory/example-vault-pass.txt";
    static final List<String> IMAGES = List.of("api", "frontend", "transcribe", "enrichment");
    static final List<String> SECRET_NAMES = List.of("vocalyx-postgres-password", "vocalyx-secret-key",
            "vocalyx-internal-api-key", "vocalyx-flower-auth");
    /** The start order the quadlet module reads from the files. */
    static final List<List<String>> TIERS = List.of(
            List.of("vocalyx-network.service", "vocalyx-postgres-data-volume.service", "vocalyx-redis-data-volume.service"),
            List.of("vocalyx-postgres.service", "vocalyx-redis.service"),
            List.of("vocalyx-api-01.service", "vocalyx-api-02.service"),
            List.of("vocalyx-haproxy.service"),
            List.of("vocalyx-enrichment-01.service", "vocalyx-enrichment-02.service", "vocalyx-frontend.service",
                    "vocalyx-transcribe-01.service", "vocalyx-transcribe-02.service", "vocalyx-transcribe-03.service"));

    static UserManagerFixture host;
    static Path userGenerator;
    static Path standin;
    static Path work;
    static Path project;
    static Path vars;
    static Path sshInventory;

    @BeforeAll
    static void up() throws Exception {
        Requirements.requireRoot();
        Requirements.requireSudo();
        Requirements.require("podman (apt-get install podman)", Files.isExecutable(Path.of("/usr/bin/podman")));
        Requirements.require("newuidmap (apt-get install uidmap) for rootless podman",
                Files.isExecutable(Path.of("/usr/bin/newuidmap")));
        Requirements.require("a static busybox (apt-get install busybox-static)", isStaticBusybox());
        Requirements.requireSshd();
        removeUser(); // what a crashed earlier run may have left
        host = UserManagerFixture.forUserToBeCreated(USER);
        standin = host.stateDir().resolve("quadlet-bin/quadlet");
        userGenerator = QuadletStandIn.install(standin.getParent(), USER);

        work = Files.createTempDirectory("drover-vx");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x")); // the user reaches the project
        project = Files.createDirectories(work.resolve("project"));
        for (String img : IMAGES) {
            Path ctx = Files.createDirectories(project.resolve("vocalyx-" + img));
            Files.copy(Path.of("/bin/busybox"), ctx.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(ctx.resolve("Containerfile"),
                    "FROM scratch\nCOPY busybox /bin/busybox\nLABEL app=vocalyx-" + img + "\n");
        }
        // the host is reached over SSH: a real sshd on 127.0.0.1, root with the fixture's key; this
        // inventory comes after inventory/local.ini, so its connection variables win for localhost
        SshServerFixture sshd = SshServerFixture.shared();
        sshInventory = work.resolve("ssh.ini");
        Files.writeString(sshInventory, "[vocalyx]\nlocalhost ansible_connection=ssh ansible_host=127.0.0.1 ansible_port="
                + sshd.port() + " ansible_user=root ansible_ssh_private_key_file=" + sshd.clientKey()
                + " drover_known_hosts=" + sshd.knownHosts() + "\n");
        vars = work.resolve("vars.yml");
        Files.writeString(vars, """
                vocalyx_user: %s
                vocalyx_project_dir: %s
                vocalyx_quadlet_generator: %s
                vocalyx_quadlet_wait_timeout: 60
                vocalyx_health_check: false
                vocalyx_install_prerequisites: false
                vocalyx_environment:
                  PATH: "%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                """.formatted(USER, project, standin, host.binDir()));
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (host != null) {
                host.close(); // stops the manager its stand-in loginctl started, removes the linger file
            }
        } finally {
            if (userGenerator != null) {
                Files.deleteIfExists(userGenerator);
            }
            removeUser();
            if (work != null) {
                sh("rm -rf " + work);
            }
        }
    }

    static boolean isStaticBusybox() {
        try {
            return Files.isExecutable(Path.of("/bin/busybox"))
                    && sh("ldd /bin/busybox 2>&1 || true").matches("(?s).*(not a dynamic executable|statically linked).*");
        } catch (Exception e) {
            return false;
        }
    }

    /** The test user and all it has: its processes (podman's pause process), store, home, runtime dirs. */
    static void removeUser() throws Exception {
        if (!userExists()) {
            return;
        }
        String uid = sh("id -u " + USER).strip();
        for (String sig : List.of("TERM", "KILL")) {
            for (String pid : sh("ps -o pid= -u " + USER + " || true").strip().split("\\s+")) {
                if (!pid.isBlank()) {
                    sh("kill -" + sig + " " + pid + " 2>/dev/null || true");
                }
            }
            Thread.sleep(300);
        }
        sh("userdel -r " + USER + " 2>&1 || true; rm -rf " + HOME + " /run/user/" + uid + " /tmp/podman-run-" + uid
                + " /tmp/containers-user-" + uid + " /var/lib/systemd/linger/" + USER
                + "; sed -i '/^" + USER + ":/d' /etc/subuid /etc/subgid");
        assertFalse(userExists(), "could not remove " + USER);
    }

    static boolean userExists() throws Exception {
        return VocalyxPlaybooksTest.userExists(USER);
    }

    static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        return out;
    }

    /** A shell command as the deploy user, in its home: exit code 0? */
    static boolean asUser(String script) throws Exception {
        Process p = new ProcessBuilder("sudo", "-n", "-u", USER, "-H", "sh", "-c", "cd && " + script)
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    static String asUserOut(String script) throws Exception {
        Process p = new ProcessBuilder("sudo", "-n", "-u", USER, "-H", "sh", "-c", "cd && " + script)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    static DroverCli.Result drover(String... extra) {
        return playbook("vocalyx.yml", extra);
    }

    static DroverCli.Result playbook(String name, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "-v", "-i", LOCAL, "-i", sshInventory.toString(),
                "--vault-password-file", VAULT_PASS,
                "-e", "@" + vars));
        args.addAll(List.of(extra));
        args.add("playbooks/" + name);
        DroverCli.Result r = DroverCli.run(args.toArray(String[]::new));
        VocalyxPlaybooksTest.SECRETS.forEach(s -> assertFalse(r.all().contains(s), "a secret value in the output\n" + r));
        return r;
    }

    static String recap(DroverCli.Result r) {
        return r.recap().get("localhost");
    }

    /** The quadlet task's verbose result lines that tell what it (would) start and restart. */
    static String quadletPlan(DroverCli.Result r) {
        String out = r.out();
        int at = out.indexOf("TASK [vocalyx_quadlets : Install the quadlets");
        assertTrue(at >= 0, r::toString);
        String section = out.substring(at, out.indexOf("TASK [", at + 1));
        List<String> keys = new ArrayList<>();
        for (String k : List.of("restarted", "started", "tiers")) {
            Matcher m = Pattern.compile("\"" + k + "\": (\\[[^\\]]*\\](?:, \\[[^\\]]*\\])*\\]?)").matcher(section);
            assertTrue(m.find(), k + " not in\n" + section);
            keys.add(k + "=" + m.group(1));
        }
        return String.join("\n", keys);
    }

    static void assertChanged(DroverCli.Result r, String task) {
        String out = r.out();
        int at = out.indexOf("TASK [" + task);
        assertTrue(at >= 0, "no task " + task + "\n" + out);
        int next = out.indexOf("TASK [", at + 1);
        assertTrue(out.substring(at, next < 0 ? out.length() : next).contains("changed: [localhost]"),
                "not (forecast as) changed: " + task + "\n" + r);
    }

    Map<String, Long> activeSince() throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        for (List<String> tier : TIERS) {
            for (String u : tier) {
                m.put(u, Long.parseLong(host.systemctl("show", "-P", "ActiveEnterTimestampMonotonic", u)));
            }
        }
        return m;
    }

    static List<String> tree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            return s.sorted().map(p -> root.relativize(p).toString()).toList();
        }
    }

    @Test
    void checkThenDeployThenRerunThenChangeOneApi() throws Exception {
        assertFalse(userExists(), "the test user must not exist");
        List<String> filesBefore = tree(work);
        String rootImagesBefore = sh("podman images --format '{{.Repository}}:{{.Tag}}' | grep vocalyx- | sort");

        // --check on the fresh host: every step forecast, nothing touched
        DroverCli.Result check = drover("--check");
        assertEquals(0, check.exit(), check::toString);
        for (String task : List.of("vocalyx_user : Create the deploy user " + USER,
                "vocalyx_user : Enable linger for " + USER,
                "vocalyx_user : Create the directories the containers mount",
                "vocalyx_images : Build the Vocalyx images (latest) as " + USER,
                "vocalyx_secrets : Store the secrets as podman secrets of " + USER,
                "vocalyx_quadlets : Write haproxy's configuration",
                "vocalyx_quadlets : Install the quadlets of " + USER)) {
            assertChanged(check, task);
        }
        String plan = quadletPlan(check);
        assertTrue(plan.contains("restarted=[]"), plan);
        String allUnits = String.join("\", \"", TIERS.stream().flatMap(List::stream).toList());
        assertTrue(plan.contains("started=[\"" + allUnits + "\"]"), plan);
        assertFalse(userExists(), "check mode created the user");
        assertFalse(Files.exists(Path.of(HOME)), "check mode created the home");
        assertFalse(Files.exists(host.lingerFile()), "check mode enabled linger");
        assertTrue(host.manager().isEmpty(), "check mode started a manager");
        assertEquals(filesBefore, tree(work), "check mode wrote files");
        assertEquals(rootImagesBefore, sh("podman images --format '{{.Repository}}:{{.Tag}}' | grep vocalyx- | sort"),
                "check mode built images");

        // the real run does what was forecast
        DroverCli.Result real = drover();
        assertEquals(0, real.exit(), real::toString);
        assertEquals(recap(check), recap(real), "the check's recap is the real run's\n" + check + "\n" + real);
        assertEquals(plan, quadletPlan(real), real::toString);
        assertTrue(userExists());
        assertTrue(Files.exists(host.lingerFile()));
        Map<String, Long> t = activeSince();
        for (String u : t.keySet()) {
            assertEquals("active", host.systemctl("is-active", u), u);
        }
        for (int i = 1; i < TIERS.size(); i++) {
            long before = TIERS.get(i - 1).stream().mapToLong(t::get).max().orElseThrow();
            for (String u : TIERS.get(i)) {
                assertTrue(before < t.get(u), u + " became active before tier " + (i - 1) + " was: " + t);
            }
        }
        Path quadlets = Path.of(HOME, ".config/containers/systemd");
        assertTrue(Files.readString(quadlets.resolve("vocalyx-api-02.container")).contains("[Install]\nWantedBy=default.target"),
                "enabled at boot through [Install]");
        assertEquals(USER, Files.getOwner(quadlets.resolve("vocalyx-api-02.container")).getName());
        for (String img : IMAGES) {
            assertTrue(asUser("podman image exists localhost/vocalyx-" + img + ":latest"), img + " is in the user's store");
        }
        assertEquals(rootImagesBefore, sh("podman images --format '{{.Repository}}:{{.Tag}}' | grep vocalyx- | sort"),
                "built in root's store");
        String secrets = asUserOut("podman secret ls --format '{{.Name}}'");
        SECRET_NAMES.forEach(s -> assertTrue(secrets.contains(s), s + " in " + secrets));

        // a rerun changes nothing and restarts nothing
        DroverCli.Result rerun = drover();
        assertEquals(0, rerun.exit(), rerun::toString);
        assertTrue(recap(rerun).contains(" changed=0 "), rerun::toString);
        assertEquals(t, activeSince(), "a rerun restarted a unit");

        // one API's memory limit: forecast, then only that unit restarts
        Path bigger = work.resolve("api-02.yml");
        Files.writeString(bigger, "vocalyx_unit_limits: {vocalyx-api-02: {memory: 2g}}\n");
        DroverCli.Result editCheck = drover("--check", "-e", "@" + bigger);
        assertEquals(0, editCheck.exit(), editCheck::toString);
        assertTrue(recap(editCheck).contains(" changed=1 "), editCheck::toString);
        assertTrue(quadletPlan(editCheck).contains("restarted=[\"vocalyx-api-02.service\"]\nstarted=[]"),
                editCheck::toString);
        assertEquals(t, activeSince(), "check mode restarted a unit");

        DroverCli.Result edit = drover("-e", "@" + bigger);
        assertEquals(0, edit.exit(), edit::toString);
        assertEquals(recap(editCheck), recap(edit), edit::toString);
        assertTrue(Files.readString(quadlets.resolve("vocalyx-api-02.container")).contains("PodmanArgs=--memory=2g --cpus=1.0"));
        assertTrue(Files.readString(quadlets.resolve("vocalyx-api-01.container")).contains("PodmanArgs=--memory=1g --cpus=1.0"));
        Map<String, Long> after = activeSince();
        for (String u : t.keySet()) {
            if (u.equals("vocalyx-api-02.service")) {
                assertTrue(after.get(u) > t.get(u), "vocalyx-api-02 was not restarted");
            } else {
                assertEquals(t.get(u), after.get(u), u + " was restarted");
            }
        }

        // update.yml after a change in the API's sources: the API image is rebuilt and only the
        // two APIs restart, one at a time (their health waits are off: no container runs here)
        Files.writeString(project.resolve("vocalyx-api/VERSION"), "2\n");
        Files.writeString(project.resolve("vocalyx-api/Containerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\nCOPY VERSION /VERSION\nLABEL app=vocalyx-api\n");
        DroverCli.Result updateCheck = playbook("update.yml", "--check", "-e", "@" + bigger);
        assertEquals(0, updateCheck.exit(), updateCheck::toString);
        assertEquals(after, activeSince(), "check mode restarted a unit");
        DroverCli.Result update = playbook("update.yml", "-e", "@" + bigger);
        assertEquals(0, update.exit(), update::toString);
        assertEquals(recap(updateCheck), recap(update), updateCheck + "\n" + update);
        assertChanged(update, "vocalyx_images : Build the Vocalyx images (latest) as " + USER);
        assertTrue(update.out().contains("TASK [Restart vocalyx-api-01]") && update.out().contains("TASK [Restart vocalyx-api-02]"),
                update::toString);
        Map<String, Long> updated = activeSince();
        assertTrue(updated.get("vocalyx-api-01.service") > after.get("vocalyx-api-01.service"), "api-01 not restarted");
        assertTrue(updated.get("vocalyx-api-02.service") > updated.get("vocalyx-api-01.service"), "not one at a time");
        for (String u : t.keySet()) {
            if (!u.startsWith("vocalyx-api-")) {
                assertEquals(after.get(u), updated.get(u), u + " was restarted");
            }
        }
        DroverCli.Result noUpdate = playbook("update.yml", "-e", "@" + bigger);
        assertTrue(recap(noUpdate).contains(" changed=0 "), noUpdate::toString);

        // a secret changes: the quadlet task's restart_on restarts the units that name it (Secret=), no
        // other; the playbook no longer tracks that by hand (forecast first, then the run, then a rerun)
        List<String> users = List.of("vocalyx-api-01.service", "vocalyx-api-02.service", "vocalyx-enrichment-01.service",
                "vocalyx-enrichment-02.service", "vocalyx-transcribe-01.service", "vocalyx-transcribe-02.service",
                "vocalyx-transcribe-03.service");
        String key = "vault_internal_api_key=rotated-key-0815";
        DroverCli.Result keyCheck = drover("--check", "-e", "@" + bigger, "-e", key);
        assertEquals(0, keyCheck.exit(), keyCheck::toString);
        assertTrue(recap(keyCheck).contains(" changed=2 "), keyCheck::toString);
        assertTrue(quadletPlan(keyCheck).contains("restarted=[\"" + String.join("\", \"", users) + "\"]\nstarted=[]"),
                keyCheck::toString);
        assertEquals(updated, activeSince(), "check mode restarted a unit");
        DroverCli.Result keyRun = drover("-e", "@" + bigger, "-e", key);
        assertEquals(0, keyRun.exit(), keyRun::toString);
        assertEquals(recap(keyCheck), recap(keyRun), keyRun::toString);
        assertEquals(quadletPlan(keyCheck), quadletPlan(keyRun), keyRun::toString);
        assertTrue(keyRun.out().contains("secret vocalyx-internal-api-key changed"), keyRun::toString);
        assertFalse(keyRun.all().contains("rotated-key-0815"), "a secret value in the output");
        Map<String, Long> rotated = activeSince();
        for (String u : t.keySet()) {
            if (users.contains(u)) {
                assertTrue(rotated.get(u) > updated.get(u), u + " was not restarted");
            } else {
                assertEquals(updated.get(u), rotated.get(u), u + " was restarted");
            }
        }
        DroverCli.Result keyRerun = drover("-e", "@" + bigger, "-e", key);
        assertTrue(recap(keyRerun).contains(" changed=0 "), keyRerun::toString);
        assertEquals(rotated, activeSince(), "a rerun restarted a unit");

        // status.yml reports linger and the units (containers: podman ps shows none here)
        DroverCli.Result status = playbook("status.yml");
        assertEquals(0, status.exit(), status::toString);
        assertTrue(status.out().contains("\"linger\": \"enabled\""), status::toString);
        assertTrue(Pattern.compile("\"vocalyx-api-02\\.service +loaded active exited Vocalyx API 02\"").matcher(status.out()).find(),
                status::toString);
    }
}
