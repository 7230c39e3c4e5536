package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.QuadletStandIn;
import dev.drover.testing.UserManagerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail fast, say why: {@code systemd_service} and {@code quadlet} against a real
 * {@code systemd --user} manager ({@link UserManagerFixture}, user {@value #USER} of its own), through
 * {@code drover run}. A unit that sits in auto-restart ({@code ExecStart=/bin/false},
 * {@code Restart=always}), a oneshot that fails, a start job that fails (a missing dependency): each
 * task fails in well under 30 s (the wait_timeout is 120 s) with the unit's journal lines, or, where no
 * journal is readable (this machine runs no journald), a message saying so and {@code systemctl status}
 * lines instead. A vaulted value that the failing unit prints is masked in that message. And
 * {@code restart_on}'s idempotency contract: an environment file or a mounted file changed by an
 * earlier task is forecast in {@code --check} as the restart of the unit that uses it (naming the
 * file), the real run restarts it, the rerun changes nothing.
 *
 * <p><b>Stand-ins:</b> logind's {@code loginctl} is the fixture's; podman's quadlet generator is
 * {@link QuadletStandIn} (containers cannot run here: podman 4.3.1 without quadlet), whose unit keeps
 * a file's own {@code [Service]} section when it has an {@code ExecStart=}: that is how a "container"
 * fails here. The manager, systemctl, journalctl and the failing processes are real.
 */
class UnitFailFastTest {
    static final String USER = "drover-ff";
    static UserManagerFixture host;
    static Path standin;
    static Path userGenerator;

    @BeforeAll
    static void up() throws Exception {
        host = UserManagerFixture.start(USER);
        standin = host.stateDir().resolve("quadlet-bin/quadlet");
        userGenerator = QuadletStandIn.install(standin.getParent(), USER);
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

    static String play(String vars, String tasks) {
        return """
                - hosts: localhost
                  gather_facts: false
                  environment:
                    PATH: "%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                  vars:
                    units: "%s/.config/systemd/user"
                %s
                  tasks:
                    - name: Linger
                      linger: {user: %s}
                      become: true
                """.formatted(host.binDir(), host.home(), vars.indent(4).stripTrailing(), USER) + tasks.indent(4);
    }

    record Timed(DroverCli.Result r, long millis) {
    }

    static Timed timed(Path dir, String playbook, String... extra) throws Exception {
        long t0 = System.nanoTime();
        DroverCli.Result r = SystemdUserRunTest.drover(dir, playbook, extra);
        return new Timed(r, (System.nanoTime() - t0) / 1_000_000);
    }

    /** The journal lines, or the statement that there are none and systemctl status in their place. */
    static void assertSaysWhy(String all, String unit) {
        assertTrue(all.contains("--- " + unit + ": its last journal lines (journalctl --user -u " + unit + " -n 20):")
                || all.contains("--- " + unit + ": no journal lines readable (journalctl --user -u " + unit), all);
        assertTrue(all.contains(unit + " - ") || all.contains("Loaded: "), "systemctl status lines or journal lines\n" + all);
    }

    static final String UNIT_TASK = """
            - name: The unit directory
              file: {path: "{{ units }}", state: directory}
              become: true
              become_user: %3$s
            - name: The unit file
              copy:
                dest: "{{ units }}/%1$s"
                content: "%2$s"
              become: true
              become_user: %3$s
            - name: Start it
              systemd_service: {name: %1$s, scope: user, daemon_reload: true, state: started}
              become: true
              become_user: %3$s
            """;

    @Test
    void systemdServiceReportsAutoRestartAndAFailedOneshotWithinSeconds(@TempDir Path dir) throws Exception {
        // auto-restart: RestartSec=1 keeps it there (start limit 5 in 10 s not reached before the wait sees it)
        String crash = play("", UNIT_TASK.formatted("ff-crash.service",
                "[Service]\\nExecStart=/bin/false\\nRestart=always\\nRestartSec=1\\n", USER));
        Timed t = timed(dir, crash);
        assertEquals(2, t.r().exit(), t.r()::toString);
        assertTrue(t.millis() < 30_000, "took " + t.millis() + " ms");
        String all = t.r().all();
        assertTrue(all.contains("systemctl --user start ff-crash.service failed: "), all);
        assertTrue(all.contains("ff-crash.service is restarting after a failure (activating/auto-restart")
                || all.contains("ff-crash.service restarted on its own")
                || all.contains("ff-crash.service failed after start"), all);
        assertSaysWhy(all, "ff-crash.service");
        assertTrue(all.contains("/bin/false"), all);
        System.out.println("auto-restart reported in " + t.millis() + " ms");

        // a oneshot that fails, printing a vaulted value: the message has its status, never the value
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "letmein\n");
        DroverCli.Result enc = DroverCli.run("vault", "encrypt_string", "--vault-password-file", pw.toString(),
                "hush-4711-value", "-n", "token");
        assertEquals(0, enc.exit(), enc::toString);
        Files.writeString(dir.resolve("secret.yml"), enc.out());
        String oneshot = play("", UNIT_TASK.formatted("ff-oneshot.service",
                "[Service]\\nType=oneshot\\nExecStart=/bin/sh -c 'echo token={{ token }}; exit 3'\\n", USER))
                .replace("  gather_facts: false\n", "  gather_facts: false\n  vars_files: [" + dir.resolve("secret.yml") + "]\n");
        Timed o = timed(dir, oneshot, "--vault-password-file", pw.toString());
        assertEquals(2, o.r().exit(), o.r()::toString);
        assertTrue(o.millis() < 30_000, "took " + o.millis() + " ms");
        String out = o.r().all();
        assertTrue(out.contains("ff-oneshot.service failed after start (Result=exit-code)"), out);
        assertSaysWhy(out, "ff-oneshot.service");
        assertTrue(out.contains("status=3"), out);
        assertFalse(out.contains("hush-4711-value"), "the vaulted value reached the output\n" + out);
        assertTrue(out.contains("token=********"), "the unit's line, masked\n" + out);
        assertTrue(Files.readString(Path.of(host.home(), ".config/systemd/user/ff-oneshot.service"))
                .contains("hush-4711-value"), "the unit did get the value");
    }

    static final String SET = """
            - name: The set
              quadlet:
                scope: user
                state: started
                generator: %1$s
                wait_timeout: 120
                files:
                  - {name: net.network, content: "[Network]\\n"}
                  - name: first.container
                    content: "[Container]\\nImage=localhost/x\\nNetwork=net.network\\n[Service]\\n%2$s"
                  - name: second.container
                    content: "[Unit]\\nRequires=first.service\\nAfter=first.service\\n[Container]\\nImage=localhost/y\\n"
              become: true
              become_user: %3$s
            """;

    @Test
    void quadletFailsFastOnAutoRestartAFailedOneshotAndAFailedStartJob(@TempDir Path dir) throws Exception {
        // auto-restart
        Timed a = timed(dir, play("", SET.formatted(standin,
                "ExecStart=/bin/false\\nRestart=always\\nRestartSec=1\\n", USER)));
        assertEquals(2, a.r().exit(), a.r()::toString);
        assertTrue(a.millis() < 30_000, "took " + a.millis() + " ms");
        String all = a.r().all();
        assertTrue(all.contains("systemctl --user start first.service failed: "), all);
        assertTrue(all.contains("first.service is restarting after a failure") || all.contains("first.service restarted on its own")
                || all.contains("first.service failed after start"), all);
        assertSaysWhy(all, "first.service");
        assertEquals("inactive", host.systemctl("is-active", "second.service"), "the next tier was started");
        assertEquals("active", host.systemctl("is-active", "net-network.service"));
        System.out.println("quadlet auto-restart reported in " + a.millis() + " ms");

        // a rerun does not call the unit in auto-restart running: it starts it and says why again
        Timed again = timed(dir, play("", SET.formatted(standin,
                "ExecStart=/bin/false\\nRestart=always\\nRestartSec=1\\n", USER)));
        assertEquals(2, again.r().exit(), again.r()::toString);
        assertTrue(again.r().all().contains("first.service"), again.r()::toString);

        // a oneshot that fails
        host.systemctl("stop", "first.service");
        Timed o = timed(dir, play("", SET.formatted(standin,
                "Type=oneshot\\nExecStart=/bin/sh -c 'echo boom; exit 4'\\n", USER)));
        assertEquals(2, o.r().exit(), o.r()::toString);
        assertTrue(o.millis() < 30_000, "took " + o.millis() + " ms");
        assertTrue(o.r().all().contains("first.service failed after start (Result=exit-code)"), o.r()::toString);
        assertTrue(o.r().all().contains("status=4"), o.r()::toString);
        assertSaysWhy(o.r().all(), "first.service");

        // a start job that fails: a dependency that does not exist
        host.systemctl("reset-failed", "first.service");
        Timed j = timed(dir, play("", SET.formatted(standin, "ExecStart=/bin/sleep 1000\\n", USER)
                .replace("[Container]\\nImage=localhost/x", "[Unit]\\nRequires=ff-missing.service\\nAfter=ff-missing.service\\n"
                        + "[Container]\\nImage=localhost/x")));
        assertEquals(2, j.r().exit(), j.r()::toString);
        assertTrue(j.millis() < 30_000, "took " + j.millis() + " ms");
        String job = j.r().all();
        assertTrue(job.contains("first.service is inactive after start (the start job failed)"), job);
        assertTrue(job.contains("ff-missing.service"), "systemctl's own words\n" + job);
        assertSaysWhy(job, "first.service");
    }

    @Test
    void restartOnAChangedEnvironmentFileOrMountedFile(@TempDir Path dir) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxr-xr-x"));
        String tasks = """
                - name: The env file
                  copy: {dest: %1$s/app.env, content: "MODE={{ mode }}\\n", mode: "0644"}
                - name: The mounted config
                  copy: {dest: %1$s/app.cfg, content: "level={{ level }}\\n", mode: "0644"}
                - name: The app
                  quadlet:
                    scope: user
                    state: started
                    generator: %2$s
                    files:
                      - name: app.container
                        content: "[Container]\\nImage=localhost/app\\nEnvironmentFile=%1$s/app.env\\nVolume=%1$s/app.cfg:/etc/app.cfg:ro\\n"
                      - name: other.container
                        content: "[Container]\\nImage=localhost/other\\n"
                  become: true
                  become_user: %3$s
                  register: q
                - debug: {msg: "RESTARTED {{ q.restarted }} DUE {{ q.restart_due }}"}
                """.formatted(conf, standin, USER);
        String p = play("mode: a\nlevel: 1", tasks);
        DroverCli.Result first = SystemdUserRunTest.drover(dir, p);
        assertEquals(0, first.exit(), first::toString);
        assertEquals("active", host.systemctl("is-active", "app.service"));
        DroverCli.Result rerun = SystemdUserRunTest.drover(dir, p);
        assertTrue(rerun.recap().get("localhost").startsWith("ok=5 changed=0 "), rerun::toString);
        long since = Long.parseLong(host.systemctl("show", "-P", "ActiveEnterTimestampMonotonic", "app.service"));
        long other = Long.parseLong(host.systemctl("show", "-P", "ActiveEnterTimestampMonotonic", "other.service"));

        for (String[] change : new String[][] {{"-e", "mode=b"}, {"-e", "level=2"}}) {
            String file = change[1].startsWith("mode") ? "app.env" : "app.cfg";
            DroverCli.Result check = SystemdUserRunTest.drover(dir, p, "--check", change[0], change[1]);
            assertEquals(0, check.exit(), check::toString);
            assertTrue(check.recap().get("localhost").startsWith("ok=5 changed=2 "), check::toString);
            assertTrue(check.out().contains("RESTARTED ['app.service'] DUE {'app.service': '" + conf + "/" + file + " changed'}"),
                    check::toString);
            assertEquals(since, Long.parseLong(host.systemctl("show", "-P", "ActiveEnterTimestampMonotonic", "app.service")),
                    "check mode restarted the unit");

            DroverCli.Result real = SystemdUserRunTest.drover(dir, p, change[0], change[1]);
            assertEquals(0, real.exit(), real::toString);
            assertEquals(check.recap().get("localhost"), real.recap().get("localhost"), real::toString);
            assertTrue(real.out().contains("RESTARTED ['app.service'] DUE {'app.service': '" + conf + "/" + file + " changed'}"),
                    real::toString);
            long now = Long.parseLong(host.systemctl("show", "-P", "ActiveEnterTimestampMonotonic", "app.service"));
            assertTrue(now > since, "app.service was not restarted");
            since = now;
            assertEquals(other, Long.parseLong(host.systemctl("show", "-P", "ActiveEnterTimestampMonotonic", "other.service")),
                    "a unit that does not use the file was restarted");

            DroverCli.Result again = SystemdUserRunTest.drover(dir, p, change[0], change[1]);
            assertTrue(again.recap().get("localhost").startsWith("ok=5 changed=0 "), again::toString);
            assertTrue(again.out().contains("RESTARTED [] DUE {}"), again::toString);
            // the next change starts from this state
            p = play(change[1].startsWith("mode") ? "mode: b\nlevel: 1" : "mode: b\nlevel: 2", tasks);
        }
    }
}
