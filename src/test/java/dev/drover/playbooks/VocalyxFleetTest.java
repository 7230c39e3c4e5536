package dev.drover.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import dev.drover.testing.UserManagerFixture;
import dev.drover.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vocalyx playbooks on several inventory hosts: {@code vocalyx.yml} deploys them in parallel
 * (Ansible's linear strategy: each task on every host at once) and a host that cannot be deployed
 * fails alone while the others finish; {@code update.yml} rolls one host at a time
 * ({@code serial: 1}): the first host ends all its tasks before the second starts.
 *
 * <p>The two hosts are both this machine: {@code localhost} (local connection, from
 * {@code inventory/local.ini}) and {@code vx-ssh}, reached over SSH through a real sshd on
 * 127.0.0.1 ({@link SshServerFixture}, root with the fixture's key). The runs are {@code --check}
 * (they touch nothing; {@link VocalyxPlaybooksTest} shows it for one host), with tiny
 * {@code FROM scratch} build contexts standing in for the Vocalyx sources. update.yml needs a
 * deployed user: a test user with a real {@code systemd --user} manager
 * ({@link UserManagerFixture}, started by its stand-in {@code loginctl}: logind does not run here).
 */
class VocalyxFleetTest {
    static final String LOCAL = "inventory/local.ini";
    static final String VAULT_PASS = "inventory/example-vault-pass.txt";
    static final String FRESH_USER = "drover-vxfleet";
    static final String ROLL_USER = "drover-vxroll";

    @TempDir
    Path tmp;

    Path sources(String name) throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path project = tmp.resolve(name);
        for (String img : List.of("api", "frontend", "transcribe", "enrichment")) {
            Path ctx = Files.createDirectories(project.resolve("vocalyx-" + img));
            Files.writeString(ctx.resolve("Containerfile"), "FROM scratch\nLABEL app=" + img + "\n");
        }
        Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("rwxr-xr-x"));
        return project;
    }

    /** An inventory adding vx-ssh (this machine over SSH) to inventory/local.ini's localhost, each with its project dir. */
    Path twoHosts(Path localProject, Path sshProject) throws Exception {
        SshServerFixture sshd = SshServerFixture.shared();
        Path inv = tmp.resolve("two.ini");
        Files.writeString(inv, "[vocalyx]\nlocalhost vocalyx_project_dir=" + localProject + "\n"
                + "vx-ssh ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=" + sshd.port()
                + " ansible_user=root ansible_ssh_private_key_file=" + sshd.clientKey()
                + " drover_known_hosts=" + sshd.knownHosts() + " vocalyx_project_dir=" + sshProject + "\n");
        return inv;
    }

    static DroverCli.Result run(Path inventory, String playbook, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--check", "-i", LOCAL, "-i", inventory.toString(),
                "--vault-password-file", VAULT_PASS));
        args.addAll(List.of(extra));
        args.add("playbooks/" + playbook);
        DroverCli.Result r = DroverCli.run(args.toArray(String[]::new));
        VocalyxPlaybooksTest.SECRETS.forEach(s -> assertFalse(r.all().contains(s), "a secret value in the output\n" + r));
        return r;
    }

    /** The play and every task file of its roles: none of the keywords that would make one host's failure stop the others. */
    @Test
    void vocalyxYmlLetsEachHostFailAlone() throws Exception {
        List<Path> files = new ArrayList<>(List.of(Path.of("playbooks/vocalyx.yml")));
        try (Stream<Path> s = Files.walk(Path.of("playbooks/roles"))) {
            s.filter(p -> p.toString().contains("/tasks/") && p.toString().endsWith(".yml")).sorted().forEach(files::add);
        }
        for (Path f : files) {
            String text = Files.readString(f);
            for (String k : List.of("any_errors_fatal", "max_fail_percentage", "run_once", "serial", "throttle")) {
                assertFalse(text.matches("(?s).*(^|\\n)\\s*-?\\s*" + k + ":.*"), k + " in " + f);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> update = (Map<String, Object>) ((List<?>) YamlLoader.loadData(Path.of("playbooks/update.yml"))).get(0);
        assertEquals(1, update.get("serial"), "update.yml rolls one host at a time");
    }

    /**
     * vocalyx.yml --check on two hosts, the second without the Vocalyx sources: it fails at the
     * sources check with its message, the first forecasts the whole deploy (the recap of a lone
     * fresh host), and the hosts ran side by side (each task's results for both hosts under
     * the task, before the next task).
     */
    @Test
    void aHostThatCannotBeDeployedFailsAloneTheOtherFinishes() throws Exception {
        Requirements.requireRoot();
        Requirements.requireSudo();
        Requirements.requireSshd();
        assertFalse(VocalyxPlaybooksTest.userExists(FRESH_USER), "the test user must not exist");
        Path good = sources("project");
        Path missing = tmp.resolve("no-sources");
        DroverCli.Result r = run(twoHosts(good, missing), "vocalyx.yml",
                "-e", "vocalyx_user=" + FRESH_USER, "-e", "vocalyx_user_home=" + tmp.resolve("home"),
                "-e", "vocalyx_quadlet_validate=false");
        assertEquals(2, r.exit(), r::toString);
        assertEquals("ok=13 changed=7 unreachable=0 failed=0 skipped=6 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
        assertEquals("ok=3 changed=2 unreachable=0 failed=1 skipped=2 rescued=0 ignored=0", r.recap().get("vx-ssh"),
                r::toString);
        String out = r.out();
        assertTrue(out.contains("fatal: [vx-ssh]: FAILED!"), out);
        assertTrue(out.contains("Missing build contexts: ['api', 'frontend', 'transcribe', 'enrichment']"), out);
        assertTrue(out.contains("in " + missing + " on the host"), out);
        assertFalse(out.contains("fatal: [localhost]"), out);
        assertTrue(out.contains("TASK [vocalyx_services : Health check of the frontend]"), "localhost ran to the end\n" + out);
        // in parallel: both hosts under the first tasks, each before the next task begins
        for (String task : List.of("vocalyx_user : Create the deploy user", "vocalyx_user : Enable linger for")) {
            String section = section(out, task);
            assertTrue(section.contains("changed: [localhost]") && section.contains("changed: [vx-ssh]"), section);
        }
        assertFalse(section(out, "vocalyx_images : Build the Vocalyx images").contains("[vx-ssh]"),
                "the failed host went on\n" + out);
        assertFalse(VocalyxPlaybooksTest.userExists(FRESH_USER), "check mode created the user");
    }

    static String section(String out, String task) {
        int at = out.indexOf("TASK [" + task);
        assertTrue(at >= 0, "no task " + task + "\n" + out);
        int next = out.indexOf("TASK [", at + 1);
        if (next < 0) {
            next = out.indexOf("PLAY RECAP", at);
        }
        return out.substring(at, next);
    }

    /**
     * update.yml --check on two hosts where the deploy user exists with its user manager: every
     * line of localhost's comes before the first of vx-ssh's (serial: 1), each host ran all the
     * play's tasks, and both finished.
     */
    @Test
    void updateRollsOneHostAtATime() throws Exception {
        Requirements.requireRoot();
        Requirements.requireSudo();
        Requirements.requireSshd();
        Requirements.require("podman (apt-get install podman)", Files.isExecutable(Path.of("/usr/bin/podman")));
        Path project = sources("project");
        for (String d : List.of("config", "data/uploads", "data/models")) { // as vocalyx.yml leaves them
            Files.createDirectories(project.resolve(d));
        }
        try (UserManagerFixture host = UserManagerFixture.start(ROLL_USER)) {
            Process p = new ProcessBuilder(host.binDir().resolve("loginctl").toString(), "enable-linger", ROLL_USER)
                    .redirectErrorStream(true).start();
            String started = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), started);
            for (int i = 0; i < 100 && !host.systemctl("is-system-running").matches("running|degraded"); i++) {
                Thread.sleep(100);
            }
            DroverCli.Result r = run(twoHosts(project, project), "update.yml",
                    "-e", "vocalyx_user=" + ROLL_USER, "-e", "vocalyx_user_home=" + host.home(),
                    "-e", "vocalyx_quadlet_dir=" + tmp.resolve("quadlets"),
                    "-e", "vocalyx_quadlet_validate=false", "-e", "vocalyx_health_check=false");
            assertEquals(0, r.exit(), r::toString);
            String out = r.out().substring(0, r.out().indexOf("PLAY RECAP"));
            int lastLocal = out.lastIndexOf("[localhost]");
            int firstSsh = out.indexOf("[vx-ssh]");
            assertTrue(lastLocal > 0 && firstSsh > lastLocal, "localhost finished before vx-ssh started\n" + r);
            // each host ran the play's tasks once, in its own batch: the task headers twice over
            String head = "TASK [vocalyx_common : Look up the deploy user]";
            int batch2 = out.indexOf(head, out.indexOf(head) + 1);
            assertTrue(batch2 > lastLocal && batch2 < firstSsh, r::toString);
            String first = out.substring(0, batch2);
            String second = out.substring(batch2);
            assertEquals(taskHeaders(first), taskHeaders(second), r::toString);
            assertTrue(taskHeaders(first).contains("TASK [vocalyx_quadlets : Install the quadlets of " + ROLL_USER
                    + " and start the stack in dependency order]"), first);
            assertFalse(second.contains("[localhost]"), second);
            assertEquals(r.recap().get("localhost"), r.recap().get("vx-ssh"), r::toString);
            assertTrue(r.recap().get("localhost").contains(" failed=0 "), r::toString);
        }
    }

    static List<String> taskHeaders(String out) {
        return out.lines().filter(l -> l.startsWith("TASK [")).map(l -> l.substring(0, l.indexOf(']') + 1)).toList();
    }
}
