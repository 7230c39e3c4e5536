package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import dev.drover.vault.VaultFormat;
import dev.drover.vault.VaultSecret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans on real hosts: two hosts over the test's OpenSSH sshd (127.0.0.2 and 127.0.0.3, as root).
 * A reviewed plan applied gives the end state and recap of a direct run; a file changed on one host
 * after the plan refuses that host, naming the path, while the other is applied; an edited
 * template refuses the whole plan, and so does a plan file edited after it was written; vault
 * values never reach the plan file.
 */
class PlanApplyTest {
    private static final String SECRET = "plan-s3cret-Delta";
    private static SshServerFixture sshd;

    @BeforeAll
    static void lab() throws Exception {
        Requirements.requireSshd();
        Requirements.requireRoot();
        sshd = SshServerFixture.shared();
    }

    /** A project in {@code dir}: playbook, template, inventory of two SSH hosts whose roots are under {@code roots}. */
    private static Path project(Path dir, Path roots) throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.createDirectories(site.resolve("templates"));
        Files.writeString(site.resolve("templates/app.conf.j2"), "port={{ port }} on {{ inventory_hostname }}\nkey={{ api_key }}\n");
        Files.writeString(site.resolve("pw.txt"), "plan-pw\n");
        String vaulted = VaultCommand.yamlBlock(VaultFormat.encrypt(SECRET.getBytes(StandardCharsets.UTF_8),
                VaultSecret.of("plan-pw")), "api_key").replace("\n", "\n    ");
        Files.writeString(site.resolve("site.yml"), """
                - hosts: all
                  gather_facts: false
                  vars:
                    %s
                  tasks:
                    - name: Directories
                      file: {path: "{{ root }}/{{ item }}", state: directory, mode: "0755"}
                      loop: [etc, data]
                    - name: Config
                      template: {src: templates/app.conf.j2, dest: "{{ root }}/etc/app.conf", mode: "0640"}
                    - name: A line
                      lineinfile: {path: "{{ root }}/etc/env", line: "LEVEL=info", create: true}
                    - name: Marker
                      copy: {content: "done\\n", dest: "{{ root }}/data/marker"}
                    - name: Once, its probe holding the vault value (kept by hash in the plan)
                      command: touch {{ root }}/data/once
                      args: {creates: "{{ root }}/data/{{ api_key }}*"}
                """.formatted(vaulted));
        StringBuilder inv = new StringBuilder();
        int n = 2;
        for (String h : new String[] {"one", "two"}) {
            Path root = roots.resolve(h);
            inv.append(h).append(" ansible_host=127.0.0.").append(n++).append(" ansible_port=").append(sshd.port())
                    .append(" ansible_user=root ansible_ssh_private_key_file=").append(sshd.clientKey())
                    .append(" drover_known_hosts=").append(sshd.knownHosts()).append(" root=").append(root)
                    .append(" port=").append(8000 + n).append('\n');
        }
        Files.writeString(site.resolve("hosts.ini"), inv.toString());
        return site;
    }

    private static String[] run(Path site, String... more) {
        String[] base = {"run", "-i", site.resolve("hosts.ini").toString(), site.resolve("site.yml").toString(),
            "--vault-password-file", site.resolve("pw.txt").toString(), "--no-journal"};
        return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
    }

    private static String[] apply(Path plan, Path site) {
        return new String[] {"apply", plan.toString(), "--vault-password-file", site.resolve("pw.txt").toString(), "--no-journal"};
    }

    /** Every file below {@code dir}, relative path → mode and content. */
    private static Map<String, String> tree(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                out.put(dir.relativize(p).toString(), mode + (Files.isRegularFile(p) ? " " + Files.readString(p) : ""));
            }
        }
        return out;
    }

    @Test
    void aReviewedPlanAppliedEndsAsADirectRun(@TempDir Path dir) throws Exception {
        Path direct = Files.createDirectories(dir.resolve("direct"));
        Path planned = Files.createDirectories(dir.resolve("planned"));
        Path a = project(dir.resolve("a"), direct);
        Path b = project(dir.resolve("b"), planned);
        DroverCli.Result straight = DroverCli.run(run(a));
        assertEquals(0, straight.exit(), straight::toString);

        Path plan = dir.resolve("deploy.plan");
        DroverCli.Result check = DroverCli.run(run(b, "--check", "--diff", "--plan-out", plan.toString()));
        assertEquals(0, check.exit(), check::toString);
        assertTrue(check.out().contains("plan written to " + plan), check.out());
        try (Stream<Path> s = Files.list(planned)) {
            assertEquals(0, s.count(), "the check changed nothing");
        }
        String planText = Files.readString(plan);
        assertFalse(planText.contains(SECRET), "the vault value is not in the plan");
        assertTrue(planText.contains("+key=********"), "the diff is there, masked");
        assertTrue(planText.contains("\"key\": \"sha256:"), "the read whose probe holds the secret is kept by hash");

        DroverCli.Result show = DroverCli.run("plan", "show", plan.toString());
        assertEquals(0, show.exit(), show::toString);
        assertTrue(show.out().contains("TASK [Config]\n--- " + planned.resolve("two/etc/app.conf"))
                || show.out().contains("TASK [Config]\n--- " + planned.resolve("one/etc/app.conf")), show.out());
        assertTrue(show.out().contains("--- " + planned.resolve("two/etc/app.conf")), show.out());
        assertTrue(show.out().contains("+port=8003 on one"), show.out());
        assertTrue(show.out().contains("changed: [one]") && show.out().contains("changed: [two]"), show.out());
        assertTrue(show.out().matches("(?s).*PLAN RECAP\none\\s+: ok=5\\s+changed=5 .*"), show.out());

        DroverCli.Result applied = DroverCli.run(apply(plan, b));
        assertEquals(0, applied.exit(), applied::toString);
        assertEquals(straight.recap(), applied.recap(), "the recap of a direct run");
        assertTrue(applied.out().contains("plan " + plan + ": 2 hosts applied, every task as planned"), applied.out());
        assertEquals(tree(direct).toString().replace("port=8003", "P").replace("port=8004", "Q"),
                tree(planned).toString().replace("port=8003", "P").replace("port=8004", "Q"));
        assertEquals("port=8004 on two\nkey=" + SECRET + "\n", Files.readString(planned.resolve("two/etc/app.conf")));
    }

    @Test
    void aHostThatMovedIsRefusedNamingThePathWhileTheOtherIsApplied(@TempDir Path dir) throws Exception {
        Path roots = Files.createDirectories(dir.resolve("roots"));
        Path site = project(dir, roots);
        // both hosts once deployed, then a change to make: the plan updates one line on each
        assertEquals(0, DroverCli.run(run(site)).exit());
        Files.writeString(site.resolve("templates/app.conf.j2"), "port={{ port }} on {{ inventory_hostname }} (v2)\n");
        Path plan = dir.resolve("v2.plan");
        DroverCli.Result check = DroverCli.run(run(site, "--check", "--plan-out", plan.toString()));
        assertEquals(0, check.exit(), check::toString);
        // someone edits the config on two after the review
        Path moved = roots.resolve("two/etc/app.conf");
        Files.writeString(moved, "edited by hand\n");

        DroverCli.Result applied = DroverCli.run(apply(plan, site));
        assertEquals(4, applied.exit(), "a refused host counts as unreachable\n" + applied);
        assertTrue(applied.out().contains("fatal: [two]: UNREACHABLE! => {\"changed\": false, \"msg\": \"refused: the host moved"
                + " since the plan was made: file " + moved + " changed; make a new plan\""), applied.out());
        assertEquals("port=8003 on one (v2)\n", Files.readString(roots.resolve("one/etc/app.conf")), "one was applied");
        assertEquals("edited by hand\n", Files.readString(moved), "two was not touched");
        assertTrue(applied.recap().get("two").startsWith("ok=0 changed=0 unreachable=1 failed=0"), applied::toString);
        assertTrue(applied.out().contains("1 host applied, refused: two"), applied.out());
    }

    @Test
    void aReadKeptByHashIsComparedWhenItsTaskComes(@TempDir Path dir) throws Exception {
        Path roots = Files.createDirectories(dir.resolve("roots"));
        Path site = project(dir, roots);
        assertEquals(0, DroverCli.run(run(site)).exit()); // deployed once: the plan changes "Once" only
        Path plan = dir.resolve("p.plan");
        assertEquals(0, DroverCli.run(run(site, "--check", "--plan-out", plan.toString())).exit());
        // what the "Once" task's creates glob (which holds the vault value) finds on two moves; nothing
        // the up-front check reads does (a directory's state has no mtime)
        Files.writeString(roots.resolve("two/data/" + SECRET + "-made-by-hand"), "x\n");
        DroverCli.Result applied = DroverCli.run(apply(plan, site));
        assertEquals(4, applied.exit(), applied::toString);
        assertTrue(applied.out().matches("(?s).*TASK \\[Once, its probe holding the vault value \\(kept by hash in the plan\\)\\]"
                + " \\*+\n(changed: \\[one\\]\n)?fatal: \\[two\\]: UNREACHABLE! => \\{[^\n]*refused: the host moved since the"
                + " plan was made: the output of `IFS=; p=[^\n]*\\*\\*\\*\\*\\*\\*\\*\\*[^\n]* changed; make a new plan.*"), applied.out());
        assertFalse(applied.all().contains(SECRET), applied::toString);
        assertTrue(applied.recap().get("one").startsWith("ok=5 changed=1 unreachable=0"), applied::toString);
        assertTrue(applied.recap().get("two").startsWith("ok=4 changed=0 unreachable=1"), "two stopped at the read that moved\n"
                + applied);
    }

    @Test
    void anEditedTemplateOrAnEditedPlanRefusesTheWholePlan(@TempDir Path dir) throws Exception {
        Path roots = Files.createDirectories(dir.resolve("roots"));
        Path site = project(dir, roots);
        Path plan = dir.resolve("p.plan");
        assertEquals(0, DroverCli.run(run(site, "--check", "--plan-out", plan.toString())).exit());
        String original = Files.readString(plan);

        Files.writeString(plan, original.replace("\"forks\": null", "\"forks\": 1"));
        DroverCli.Result tampered = DroverCli.run(apply(plan, site));
        assertEquals(1, tampered.exit(), tampered::toString);
        assertTrue(tampered.err().contains("was changed after drover wrote it (its checksum does not match)"), tampered::toString);
        DroverCli.Result showTampered = DroverCli.run("plan", "show", plan.toString());
        assertEquals(1, showTampered.exit(), showTampered::toString);

        Files.writeString(plan, original);
        Path template = site.resolve("templates/app.conf.j2");
        Files.writeString(template, Files.readString(template) + "# edited after the review\n");
        DroverCli.Result stale = DroverCli.run(apply(plan, site));
        assertEquals(1, stale.exit(), stale::toString);
        assertTrue(stale.err().contains("is stale: since it was made, this file changed (M changed, + new, - gone):\n  M "
                + template), stale::toString);
        try (Stream<Path> s = Files.list(roots)) {
            assertEquals(0, s.count(), "no host was touched");
        }
    }

    @Test
    void planOutNeedsCheckAndRefusesSecretsOnTheCommandLine(@TempDir Path dir) throws Exception {
        Path site = project(dir, dir.resolve("roots"));
        DroverCli.Result real = DroverCli.run(run(site, "--plan-out", dir.resolve("x.plan").toString()));
        assertEquals(5, real.exit(), real::toString);
        assertTrue(real.err().contains("add --check"), real::toString);
        DroverCli.Result secret = DroverCli.run(run(site, "--check", "--plan-out", dir.resolve("x.plan").toString(),
                "-e", "db_password=hunter2"));
        assertEquals(5, secret.exit(), secret::toString);
        assertTrue(secret.err().contains("put secrets in a vault file"), secret::toString);
        assertFalse(secret.all().contains("hunter2"), secret::toString);
        assertFalse(Files.exists(dir.resolve("x.plan")));
    }
}
