package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.QuadletStandIn;
import dev.drover.testing.Requirements;
import dev.drover.testing.UserManagerFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * quadlet against a real {@code systemd --user} manager ({@link UserManagerFixture}, for a user of
 * its own so it can run beside {@link SystemdUserRunTest}), through {@code drover run} with
 * {@code become_user}: a check run forecasts and changes nothing, the real run installs, reloads
 * and starts tier by tier, a rerun changes nothing, editing one file restarts only its unit, a
 * file the generator rejects installs nothing.
 *
 * <p><b>Stand-in for podman's quadlet generator.</b> Podman 4.3.1 (Debian 12) has no quadlet and
 * {@code podman run} fails in this sandbox, so containers cannot run here. {@link #STANDIN} is a
 * small shell script ({@link QuadletStandIn}), written by this test, that does what quadlet does with the unit files: it
 * turns each {@code NAME.container} into {@code NAME.service}, {@code NAME.network} into
 * {@code NAME-network.service}, {@code NAME.volume} into {@code NAME-volume.service}, each a
 * {@code Type=oneshot}, {@code RemainAfterExit=yes}, {@code ExecStart=/bin/true} service keeping the
 * file's {@code [Unit]} Requires=/After=/Wants= and adding Requires= + After= for its Network= and
 * Volume= quadlets; with {@code -dryrun} it prints {@code ---UNIT---} and the unit, as quadlet does;
 * a {@code .container} without {@code Image=} is rejected with quadlet's message. The task names it
 * with {@code generator:} (for the dry-run validation); the manager runs it through a user
 * generator in {@code /run/systemd/user-generators} that acts only for this test's user and is
 * removed afterwards. Linger goes through the fixture's stand-in {@code loginctl} (logind does not
 * run here). Everything else is real: drover, sudo, systemctl, the manager and its units.
 */
class QuadletRunTest {
    static final String USER = "drover-quad";
    static UserManagerFixture host;
    static Path standin;
    static Path userGenerator;

    static final String STANDIN = QuadletStandIn.SCRIPT;

    @BeforeAll
    static void up() throws Exception {
        host = UserManagerFixture.start(USER);
        Path bin = Files.createDirectories(host.stateDir().resolve("quadlet-bin"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        standin = bin.resolve("quadlet");
        Files.writeString(standin, STANDIN);
        Files.setPosixFilePermissions(standin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path generators = Files.createDirectories(Path.of("/run/systemd/user-generators"));
        userGenerator = generators.resolve("drover-test-quadlet-" + USER);
        Files.writeString(userGenerator, "#!/bin/sh\n# drover test: the quadlet stand-in, for " + USER + " only\n"
                + "[ \"$(id -un)\" = " + USER + " ] || exit 0\nexec " + standin + " -user \"$@\"\n");
        Files.setPosixFilePermissions(userGenerator, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void down() throws Exception {
        if (userGenerator != null) {
            Files.deleteIfExists(userGenerator);
        }
        if (host != null) {
            SystemdUserRunTest.deleteQuietly(Path.of(host.home(), ".config/containers"));
            host.close();
        }
    }

    @BeforeEach
    void fresh() throws Exception {
        host.reset();
        SystemdUserRunTest.deleteQuietly(Path.of(host.home(), ".config/containers"));
    }

    static String play(String tasks) {
        return """
                - hosts: localhost
                  gather_facts: false
                  environment:
                    PATH: "%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                  vars:
                    web_image: localhost/web:1
                  tasks:
                """.formatted(host.binDir()) + tasks.indent(4);
    }

    static final String STACK = """
            - name: Linger for the deploy user
              linger: {user: %1$s}
              become: true
            - name: The stack
              quadlet:
                scope: user
                state: started
                generator: %2$s
                wait_timeout: 30
                files:
                  - {name: net.network, content: "[Network]\\n"}
                  - {name: data.volume, content: "[Volume]\\n"}
                  - name: db.container
                    content: "[Container]\\nImage=localhost/db\\nNetwork=net.network\\nVolume=data.volume:/data\\n"
                  - name: api.container
                    content: "[Unit]\\nRequires=db.service\\nAfter=db.service\\n[Container]\\nImage=localhost/api\\nNetwork=net.network\\n"
                  - name: web.container
                    content: "[Unit]\\nAfter=api.service\\n[Container]\\nImage={{ web_image }}\\n"
              become: true
              become_user: %1$s
              register: q
            - debug:
                msg: "TIERS {{ q.tiers }} STARTED {{ q.started }} RESTARTED {{ q.restarted }}"
            """;

    static final List<String> UNITS = List.of("data-volume.service", "net-network.service", "db.service",
            "api.service", "web.service");

    static String stack() {
        return play(STACK.formatted(USER, standin));
    }

    static DroverCli.Result drover(Path dir, String playbook, String... extra) throws IOException {
        return SystemdUserRunTest.drover(dir, playbook, extra);
    }

    static String recap(DroverCli.Result r) {
        return r.recap().get("localhost");
    }

    Path quadletDir() {
        return Path.of(host.home(), ".config/containers/systemd");
    }

    Map<String, Long> activeSince() throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String u : UNITS) {
            m.put(u, Long.parseLong(host.systemctl("show", "-P", "ActiveEnterTimestampMonotonic", u)));
        }
        return m;
    }

    @Test
    void checkThenRunThenRerunThenEditOneFile(@TempDir Path dir) throws Exception {
        DroverCli.Result check = drover(dir, stack(), "--check");
        assertEquals(0, check.exit(), check::toString);
        assertTrue(recap(check).startsWith("ok=3 changed=2 unreachable=0 failed=0"), check::toString);
        String tiers = "TIERS [['data-volume.service', 'net-network.service'], ['db.service'], ['api.service'], "
                + "['web.service']]";
        assertTrue(check.out().contains(tiers + " STARTED ['data-volume.service', 'net-network.service', "
                + "'db.service', 'api.service', 'web.service'] RESTARTED []"), check::toString);
        assertFalse(Files.exists(Path.of(host.home(), ".config/containers")), "check mode wrote quadlet files");
        assertFalse(Files.exists(host.lingerFile()), "check mode enabled linger");
        assertTrue(host.manager().isEmpty(), "check mode started a manager");

        DroverCli.Result real = drover(dir, stack());
        assertEquals(0, real.exit(), real::toString);
        assertEquals(recap(check), recap(real), real::toString);
        assertTrue(real.out().contains(tiers), real::toString);
        assertEquals("[Unit]\nAfter=api.service\n[Container]\nImage=localhost/web:1\n",
                Files.readString(quadletDir().resolve("web.container")));
        for (String u : UNITS) {
            assertEquals("active", host.systemctl("is-active", u), u);
        }
        // tier by tier, as the manager saw it: each tier became active after every unit of the one before
        Map<String, Long> t = activeSince();
        long tier0 = Math.max(t.get("data-volume.service"), t.get("net-network.service"));
        assertTrue(tier0 < t.get("db.service"), t::toString);
        assertTrue(t.get("db.service") < t.get("api.service"), t::toString);
        assertTrue(t.get("api.service") < t.get("web.service"), t::toString);

        DroverCli.Result rerun = drover(dir, stack());
        assertEquals(0, rerun.exit(), rerun::toString);
        assertTrue(recap(rerun).startsWith("ok=3 changed=0 "), rerun::toString);
        assertEquals(t, activeSince(), "a rerun restarted something");

        // one file changes: only its unit restarts (forecast first)
        DroverCli.Result editCheck = drover(dir, stack(), "--check", "-e", "web_image=localhost/web:2");
        assertEquals(0, editCheck.exit(), editCheck::toString);
        assertTrue(recap(editCheck).startsWith("ok=3 changed=1 "), editCheck::toString);
        assertTrue(editCheck.out().contains("STARTED [] RESTARTED ['web.service']"), editCheck::toString);
        assertEquals(t, activeSince(), "check mode restarted something");

        DroverCli.Result edit = drover(dir, stack(), "-e", "web_image=localhost/web:2", "--diff");
        assertEquals(0, edit.exit(), edit::toString);
        assertEquals(recap(editCheck), recap(edit), edit::toString);
        assertTrue(edit.out().contains("-Image=localhost/web:1") && edit.out().contains("+Image=localhost/web:2"),
                edit::toString);
        Map<String, Long> after = activeSince();
        for (String u : UNITS) {
            if (u.equals("web.service")) {
                assertTrue(after.get(u) > t.get(u), "web.service was not restarted");
            } else {
                assertEquals(t.get(u), after.get(u), u + " was restarted");
            }
        }
        assertTrue(host.systemctl("cat", "web.service").contains("After=api.service"));
    }

    @Test
    void aFileTheGeneratorRejectsInstallsNothing(@TempDir Path dir) throws Exception {
        assertEquals(0, drover(dir, stack()).exit());
        String broken = stack().replace("Image={{ web_image }}", "Label=x");
        DroverCli.Result r = drover(dir, broken);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.all().contains("the quadlet generator (" + standin + " -dryrun) rejects web.container; "
                + "nothing was installed: quadlet-generator["), r::toString);
        assertTrue(r.all().contains("converting \\\"web.container\\\": no Image or Rootfs key specified")
                || r.all().contains("converting \"web.container\": no Image or Rootfs key specified"), r::toString);
        assertTrue(Files.readString(quadletDir().resolve("web.container")).contains("Image=localhost/web:1"),
                "the rejected file was installed");

        // absent: stop, remove, reload
        String absent = play("""
                - quadlet:
                    scope: user
                    state: absent
                    files: [web.container, api.container]
                  become: true
                  become_user: %s
                """.formatted(USER));
        DroverCli.Result check = drover(dir, absent, "--check");
        assertTrue(recap(check).startsWith("ok=1 changed=1 "), check::toString);
        assertEquals("active", host.systemctl("is-active", "web.service"));
        DroverCli.Result gone = drover(dir, absent);
        assertEquals(recap(check), recap(gone), gone::toString);
        assertFalse(Files.exists(quadletDir().resolve("web.container")));
        assertFalse(Files.exists(quadletDir().resolve("api.container")));
        assertTrue(Files.exists(quadletDir().resolve("db.container")));
        assertEquals("inactive", host.systemctl("is-active", "web.service"));
        assertEquals("active", host.systemctl("is-active", "db.service"));
        assertTrue(recap(drover(dir, absent)).startsWith("ok=1 changed=0 "));
    }

    /** The real podman of this host (Debian 12's 4.3.1) has no quadlet: the task says so, naming the version. */
    @Test
    void podmanWithoutQuadletGetsAClearError(@TempDir Path dir) throws Exception {
        Requirements.require("podman (apt-get install podman)", Files.isExecutable(Path.of("/usr/bin/podman")));
        Process p = new ProcessBuilder("podman", "--version").redirectErrorStream(true).start();
        String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)\\.\\d+").matcher(version);
        assertTrue(m.find(), version);
        Assumptions.assumeTrue(Integer.parseInt(m.group(1)) < 4 || Integer.parseInt(m.group(1)) == 4
                && Integer.parseInt(m.group(2)) < 4, "this host's podman has quadlet: " + version);
        Assumptions.assumeFalse(Files.exists(Path.of("/usr/libexec/podman/quadlet")), "a quadlet generator is installed");
        Path dest = dir.resolve("quadlets");
        DroverCli.Result r = drover(dir, """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - quadlet:
                        dest: %s
                        files:
                          - {name: app.container, content: "[Container]\\nImage=localhost/app\\n"}
                """.formatted(dest), "--check");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.all().contains("quadlet needs podman >= 4.4; this host has podman " + m.group()), r::toString);
        assertFalse(Files.exists(dest));
    }
}
