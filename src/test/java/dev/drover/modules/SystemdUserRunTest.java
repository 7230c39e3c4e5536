package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.UserManagerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * linger and systemd_service (scope user) against a real {@code systemd --user} manager, through
 * {@code drover run} over the local connection with {@code become_user}: the idempotency contract
 * (a check run changes nothing and forecasts the real run's recap; the real run; a rerun changes
 * nothing).
 *
 * <p>logind does not run on this test host: linger goes through the stand-in {@code loginctl} of
 * {@link UserManagerFixture} (it creates/removes /var/lib/systemd/linger/USER and starts/stops the
 * user's manager, as logind would), put first on the PATH by the play's {@code environment} —
 * for these playbooks only. Everything else is real: systemctl, the manager, the unit.
 */
class SystemdUserRunTest {
    static final String USER = UserManagerFixture.USER;
    static UserManagerFixture host;

    @BeforeAll
    static void up() throws Exception {
        host = UserManagerFixture.start();
    }

    @AfterAll
    static void down() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void fresh() throws Exception {
        host.reset();
    }

    static String play(String tasks) {
        return """
                - hosts: localhost
                  gather_facts: false
                  environment:
                    PATH: "%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                  vars:
                    units: "%s/.config/systemd/user"
                  tasks:
                """.formatted(host.binDir(), host.home()) + tasks.indent(4);
    }

    static final String DEPLOY = """
            - name: Linger for the deploy user
              linger:
                user: %1$s
              become: true
            - name: The user's unit directory
              file:
                path: "{{ units }}"
                state: directory
              become: true
              become_user: %1$s
            - name: A unit
              copy:
                dest: "{{ units }}/drover-probe.service"
                content: |
                  [Unit]
                  Description=drover probe
                  [Service]
                  Type=oneshot
                  RemainAfterExit=yes
                  ExecStart=/bin/true
                  [Install]
                  WantedBy=default.target
              become: true
              become_user: %1$s
            - name: Reload, enable and start it
              systemd_service:
                name: drover-probe
                scope: user
                daemon_reload: true
                enabled: true
                state: started
              become: true
              become_user: %1$s
            """.formatted(USER);

    static DroverCli.Result drover(Path dir, String playbook, String... extra) throws IOException {
        Path p = dir.resolve("p-" + Integer.toHexString(playbook.hashCode()) + ".yml");
        Files.writeString(p, playbook);
        String[] args = new String[extra.length + 2];
        args[0] = "run";
        args[1] = p.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return DroverCli.run(args);
    }

    static String recap(DroverCli.Result r) {
        return r.recap().get("localhost");
    }

    @Test
    void lingerThenStartUnitForecastsExactlyAndIsIdempotent(@TempDir Path dir) throws Exception {
        String deploy = play(DEPLOY);

        DroverCli.Result check = drover(dir, deploy, "--check");
        assertEquals(0, check.exit(), check::toString);
        assertTrue(recap(check).startsWith("ok=4 changed=4 unreachable=0 failed=0"), check::toString);
        assertFalse(Files.exists(host.lingerFile()), "check mode enabled linger");
        assertFalse(Files.exists(Path.of(host.home(), ".config/systemd")), "check mode wrote unit files");
        assertTrue(host.manager().isEmpty(), "check mode started a manager");

        DroverCli.Result real = drover(dir, deploy);
        assertEquals(0, real.exit(), real::toString);
        assertEquals(recap(check), recap(real), real::toString);
        assertFalse(real.all().contains("Failed to connect to bus"), real::toString);
        assertTrue(Files.exists(host.lingerFile()));
        assertTrue(host.manager().isPresent(), "the stand-in loginctl started the manager");
        assertEquals("active", host.systemctl("is-active", "drover-probe.service"));
        assertEquals("enabled", host.systemctl("is-enabled", "drover-probe.service"));

        DroverCli.Result rerun = drover(dir, deploy);
        assertEquals(0, rerun.exit(), rerun::toString);
        assertTrue(recap(rerun).startsWith("ok=4 changed=0 "), rerun::toString);

        DroverCli.Result rerunCheck = drover(dir, deploy, "--check");
        assertTrue(recap(rerunCheck).startsWith("ok=4 changed=0 "), rerunCheck::toString);

        // restarted always restarts; stopped then disabled; each forecast first
        String cycle = play("""
                - name: Restart
                  systemd_service: {name: drover-probe.service, scope: user, state: restarted}
                  become: true
                  become_user: %1$s
                - name: Stop and disable
                  systemd_service: {name: drover-probe.service, scope: user, state: stopped, enabled: false}
                  become: true
                  become_user: %1$s
                """.formatted(USER));
        DroverCli.Result cycleCheck = drover(dir, cycle, "--check");
        assertEquals(0, cycleCheck.exit(), cycleCheck::toString);
        assertTrue(recap(cycleCheck).startsWith("ok=2 changed=2 "), cycleCheck::toString);
        assertEquals("active", host.systemctl("is-active", "drover-probe.service"), "check mode stopped the unit");
        assertEquals("enabled", host.systemctl("is-enabled", "drover-probe.service"), "check mode disabled the unit");

        DroverCli.Result cycleReal = drover(dir, cycle);
        assertEquals(recap(cycleCheck), recap(cycleReal), cycleReal::toString);
        assertEquals("inactive", host.systemctl("is-active", "drover-probe.service"));
        assertEquals("disabled", host.systemctl("is-enabled", "drover-probe.service"));

        String stopped = play("""
                - name: Stopped and disabled
                  systemd_service: {name: drover-probe.service, scope: user, state: stopped, enabled: false}
                  become: true
                  become_user: %1$s
                """.formatted(USER));
        DroverCli.Result again = drover(dir, stopped);
        assertEquals(0, again.exit(), again::toString);
        assertTrue(recap(again).startsWith("ok=1 changed=0 "), again::toString);
    }

    @Test
    void lingerDisabledContract(@TempDir Path dir) throws Exception {
        String enable = play("""
                - linger: {user: %s}
                  become: true
                """.formatted(USER));
        assertEquals(0, drover(dir, enable).exit());
        assertTrue(Files.exists(host.lingerFile()));

        String disable = play("""
                - linger: {user: %s, state: disabled}
                  become: true
                """.formatted(USER));
        DroverCli.Result check = drover(dir, disable, "--check");
        assertTrue(recap(check).startsWith("ok=1 changed=1 "), check::toString);
        assertTrue(Files.exists(host.lingerFile()), "check mode disabled linger");

        DroverCli.Result real = drover(dir, disable);
        assertEquals(recap(check), recap(real), real::toString);
        assertFalse(Files.exists(host.lingerFile()));
        assertTrue(host.manager().isEmpty(), "the stand-in stopped the manager");

        DroverCli.Result rerun = drover(dir, disable);
        assertTrue(recap(rerun).startsWith("ok=1 changed=0 "), rerun::toString);
    }

    /**
     * A generated unit, as quadlet makes them: podman has no quadlet on this host (4.3), so a tiny
     * user generator stands in for it (in /run/systemd/user-generators, acting only for the test
     * user, removed afterwards). Like quadlet it turns ~/.config/containers/systemd/NAME.container
     * into NAME.service with SourcePath= that file, wanted by default.target when the file has an
     * [Install] section.
     */
    @Test
    void generatedUnitIsEnabledThroughItsInstallSectionOnly(@TempDir Path dir) throws Exception {
        Path generators = Path.of("/run/systemd/user-generators");
        Path generator = generators.resolve("drover-test-quadlet-standin");
        Files.createDirectories(generators);
        Files.writeString(generator, """
                #!/bin/sh
                [ "$(id -un)" = %s ] || exit 0
                src=$HOME/.config/containers/systemd/drover-gen.container
                [ -f "$src" ] || exit 0
                printf '[Unit]\nSourcePath=%%s\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n' "$src" > "$1/drover-gen.service"
                if grep -q '^\\[Install\\]' "$src"; then
                  mkdir -p "$1/default.target.wants"
                  ln -sf ../drover-gen.service "$1/default.target.wants/drover-gen.service"
                fi
                """.formatted(USER));
        Files.setPosixFilePermissions(generator, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            String tasks = """
                    - linger: {user: %1$s}
                      become: true
                    - file: {path: "%2$s/.config/containers/systemd", state: directory}
                      become: true
                      become_user: %1$s
                    - copy:
                        dest: "%2$s/.config/containers/systemd/drover-gen.container"
                        content: "[Container]\\nImage=localhost/none\\n@INSTALL@"
                      become: true
                      become_user: %1$s
                    - systemd_service: {name: drover-gen, scope: user, daemon_reload: true, state: started, enabled: true}
                      become: true
                      become_user: %1$s
                    """.formatted(USER, host.home());
            DroverCli.Result without = drover(dir, play(tasks.replace("@INSTALL@", "")));
            assertEquals(2, without.exit(), without::toString);
            assertTrue(without.all().contains("drover-gen is generated from " + host.home()
                    + "/.config/containers/systemd/drover-gen.container and cannot be enabled with systemctl: "
                    + "add an [Install] section"), without::toString);

            String with = play(tasks.replace("@INSTALL@", "[Install]\\nWantedBy=default.target\\n"));
            DroverCli.Result check = drover(dir, with, "--check");
            assertEquals(0, check.exit(), check::toString);
            assertTrue(recap(check).startsWith("ok=4 changed=2 "), check::toString); // the file, then reload + start
            DroverCli.Result real = drover(dir, with);
            assertEquals(recap(check), recap(real), real::toString);
            assertEquals("active", host.systemctl("is-active", "drover-gen.service"));
            assertEquals("generated", host.systemctl("is-enabled", "drover-gen.service"));
            DroverCli.Result rerun = drover(dir, with);
            assertTrue(recap(rerun).startsWith("ok=4 changed=0 "), rerun::toString);
        } finally {
            Files.deleteIfExists(generator);
            deleteQuietly(Path.of(host.home(), ".config/containers"));
        }
    }

    static void deleteQuietly(Path p) throws IOException {
        if (Files.exists(p)) {
            try (var walk = Files.walk(p)) {
                for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(x);
                }
            }
        }
    }

    @Test
    void withoutLingerTheFailureSaysWhatToDo(@TempDir Path dir) throws Exception {
        String start = play("""
                - systemd_service: {name: drover-probe, scope: user, state: started}
                  become: true
                  become_user: %s
                """.formatted(USER));
        DroverCli.Result r = drover(dir, start);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.all().contains("no systemd --user manager for " + USER + " (uid " + host.uid()
                + "): enable linger first"), r::toString);
        assertFalse(r.all().contains("Failed to connect to bus"), r::toString);
    }
}
