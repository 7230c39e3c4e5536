package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.CommandResult;
import dev.drover.module.LocalShell;
import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The podman modules through the whole engine, rootless: a playbook run as root that becomes a
 * second user (with subordinate ids, as rootless podman needs) lays out a build context, builds
 * a {@code FROM scratch} busybox image in that user's own podman store and creates a secret from
 * a variable. --check on the fresh user forecasts it all and touches nothing; the real run does
 * what was forecast; a rerun changes nothing; a changed Containerfile rebuilds. The secret's value
 * is never printed, with -v and --diff. (Containers themselves cannot run in this sandbox; the
 * test stops at the built image and the stored secret.)
 */
class PodmanPlaybookTest {
    static final String USER = "drover-pod";
    static final String PASSWORD = "pg-Secret-4242";
    static final LocalShell SHELL = new LocalShell();

    @TempDir
    Path dir;

    @BeforeAll
    static void user() throws Exception {
        PodmanRealHostTest.requirePodman();
        Requirements.requireSudo();
        Requirements.require("newuidmap (apt-get install uidmap) for rootless podman",
                Files.isExecutable(Path.of("/usr/bin/newuidmap")));
        CommandResult r = SHELL.run("id " + USER + " >/dev/null 2>&1 || useradd -m -s /bin/sh " + USER
                + "; grep -q '^" + USER + ":' /etc/subuid || usermod --add-subuids 400000-465535 " + USER
                + "; grep -q '^" + USER + ":' /etc/subgid || usermod --add-subgids 400000-465535 " + USER, null, null);
        assertEquals(0, r.exitCode(), r.err());
        cleanUp();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        asUser("podman image rm -f drover-e2e:v1 >/dev/null 2>&1; "
                + "podman image rm -f $(podman images -q --filter dangling=true --filter label=drover.context-hash) "
                + ">/dev/null 2>&1; podman secret rm drover-e2e-secret >/dev/null 2>&1; rm -rf ~/drover-e2e; true");
    }

    static CommandResult asUser(String script) throws Exception {
        return SHELL.run("cd / && sudo -n -u " + USER + " -H sh -c 'cd && " + script.replace("'", "'\\''") + "'",
                null, null);
    }

    static final String PLAYBOOK = """
            - hosts: localhost
              gather_facts: false
              become: true
              become_user: drover-pod
              vars:
                ctx: /home/drover-pod/drover-e2e/app
                release: "1"
              tasks:
                - name: Context directory
                  file:
                    path: "{{ ctx }}/bin"
                    state: directory
                - name: Busybox
                  copy:
                    src: /bin/busybox
                    dest: "{{ ctx }}/bin/busybox"
                    mode: "0755"
                - name: Containerfile
                  copy:
                    content: "FROM scratch\\nCOPY bin/busybox /bin/busybox\\nLABEL release={{ release }}\\n"
                    dest: "{{ ctx }}/Containerfile"
                - name: Image
                  containers.podman.podman_image:
                    name: drover-e2e
                    tag: v1
                    path: "{{ ctx }}"
                - name: Secret
                  containers.podman.podman_secret:
                    name: drover-e2e-secret
                    data: "{{ db_password }}"
                    labels:
                      app: vocalyx
            """;

    private DroverCli.Result run(String... extra) throws Exception {
        Path p = dir.resolve("p.yml");
        Files.writeString(p, PLAYBOOK);
        String[] args = new String[extra.length + 6];
        args[0] = "run";
        args[1] = "-e";
        args[2] = "db_password=" + PASSWORD;
        args[3] = "-v";
        args[4] = "--diff";
        System.arraycopy(extra, 0, args, 5, extra.length);
        args[args.length - 1] = p.toString();
        DroverCli.Result r = DroverCli.run(args);
        assertFalse(r.all().contains(PASSWORD), "the secret's value is never printed:\n" + r);
        return r;
    }

    private static String recap(DroverCli.Result r) {
        return r.recap().get("localhost");
    }

    @Test
    void checkThenRunThenRerunThenRebuild() throws Exception {
        DroverCli.Result check = run("--check");
        assertEquals(0, check.exit(), check::toString);
        assertTrue(recap(check).startsWith("ok=5 changed=5 "), check::toString);
        assertFalse(asUser("test -e ~/drover-e2e").succeeded(), "check mode touched nothing");
        assertFalse(asUser("podman image exists drover-e2e:v1").succeeded(), "no image built in check mode");
        assertFalse(asUser("podman secret inspect drover-e2e-secret >/dev/null 2>&1").succeeded());

        DroverCli.Result real = run();
        assertEquals(0, real.exit(), real::toString);
        assertTrue(recap(real).startsWith("ok=5 changed=5 "), real::toString);
        CommandResult image = asUser("podman image inspect --format '{{index .Labels \"release\"}} "
                + "{{index .Labels \"drover.context-hash\"}}' drover-e2e:v1");
        assertEquals(0, image.exitCode(), image.err());
        assertTrue(image.out().strip().matches("1 [0-9a-f]{64}"), image.out());
        assertFalse(SHELL.run("podman image exists drover-e2e:v1", null, null).succeeded(),
                "built in the user's store, not root's");
        CommandResult secret = asUser("podman secret inspect --format '{{index .Spec.Labels \"app\"}}' drover-e2e-secret");
        assertEquals("vocalyx", secret.out().strip(), secret.err());

        DroverCli.Result rerun = run();
        assertEquals(0, rerun.exit(), rerun::toString);
        assertTrue(recap(rerun).startsWith("ok=5 changed=0 "), rerun::toString);

        DroverCli.Result checkChange = run("--check", "-e", "release=2");
        assertTrue(recap(checkChange).startsWith("ok=5 changed=2 "), checkChange::toString);
        DroverCli.Result rebuild = run("-e", "release=2");
        assertEquals(0, rebuild.exit(), rebuild::toString);
        assertTrue(recap(rebuild).startsWith("ok=5 changed=2 "), rebuild::toString);
        assertTrue(asUser("podman image inspect --format '{{index .Labels \"release\"}}' drover-e2e:v1")
                .out().strip().equals("2"));
    }
}
