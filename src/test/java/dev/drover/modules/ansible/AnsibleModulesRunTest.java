package dev.drover.modules.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ansible's own modules run by drover, for real, over SSH with become to a second user: a builtin
 * drover has no native version of (debconf, as root), collections' modules
 * (community.general.ini_file, ansible.posix.acl), a new-style Python module in a role's library/, a WANT_JSON shell
 * module, a JSON-args module, an old-style module and one without check mode support. The idempotency contract: the
 * check run changes nothing and forecasts, the real run changes, the second run changes nothing;
 * no temp file is left in the play's TMPDIR.
 */
class AnsibleModulesRunTest {
    static final String USER = "drover-test";
    static SshServerFixture sshd;

    @BeforeAll
    static void up() throws IOException {
        Requirements.requireRoot();
        Requirements.requireSudo();
        Requirements.require("ansible-core on the controller", DroverCli.hasAnsible());
        Requirements.require("debconf-set-selections", Files.isExecutable(Path.of("/usr/bin/debconf-set-selections")));
        Requirements.require("setfacl (Debian's acl)", Files.isExecutable(Path.of("/usr/bin/setfacl")));
        Requirements.require("the community collections (Debian's ansible)",
                Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/ansible_collections/community/general")));
        SshServerFixture.ensureUser(USER);
        sshd = SshServerFixture.shared();
    }

    @Test
    void checkThenRealThenAgain(@TempDir Path dir) throws IOException {
        Path project = copyProject(dir);
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createDirectories(out.resolve("tmp"));
        for (Path p : List.of(dir, out, out.resolve("tmp"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(p.equals(dir) ? "rwxr-xr-x" : "rwxrwxrwx"));
        }
        Path aclTarget = Files.createFile(out.resolve("acl-target"));
        Files.setOwner(aclTarget, aclTarget.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER));
        String greeting = "hi-" + UUID.randomUUID();
        String secret = "s3cr3t-" + UUID.randomUUID();
        Files.writeString(dir.resolve("hosts.ini"), "h1 ansible_host=127.0.0.2 ansible_port=" + sshd.port()
                + " ansible_user=root ansible_ssh_private_key_file=" + sshd.clientKey()
                + " drover_known_hosts=" + sshd.knownHosts() + " out=" + out + "\n");
        String[] common = {"-i", dir.resolve("hosts.ini").toString(), "-e", "greeting_value=" + greeting,
                "-e", "very_secret=" + secret, project.resolve("site.yml").toString()};

        DroverCli.Result check = DroverCli.run(concat(new String[] {"run", "--check", "--diff", "-v"}, common));
        assertEquals(0, check.exit(), check::toString);
        assertEquals("ok=7 changed=6 unreachable=0 failed=0 skipped=2 rescued=0 ignored=0", check.recap().get("h1"),
                check::toString);
        assertTrue(check.out().contains("remote module (drover_nocheck) does not support check mode"), check::toString);
        assertTrue(check.out().contains("+written by drover"), check::toString); // the module's own diff
        assertFalse(check.all().contains(secret), check::toString);
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(out.resolve("acl-target"), out.resolve("tmp")), left.sorted().toList(),
                    "a check run changes nothing");
        }
        assertFalse(getfacl(aclTarget).contains("user:nobody:r--"), getfacl(aclTarget));

        DroverCli.Result real = DroverCli.run(concat(new String[] {"run", "-v"}, common));
        assertEquals(0, real.exit(), real::toString);
        assertEquals("ok=9 changed=7 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", real.recap().get("h1"),
                real::toString);
        assertFalse(real.all().contains(secret), real::toString);
        assertEquals("written by drover", Files.readString(out.resolve("note.txt")));
        assertEquals(USER + " bonjour written by drover (" + USER + ")", Files.readString(out.resolve("who.txt")),
                "become user, environment and the role's module_utils");
        assertEquals("bonjour\n", Files.readString(out.resolve("flag")));
        assertEquals("it's here\n", Files.readString(out.resolve("old.txt")));
        assertTrue(Files.exists(out.resolve("nocheck")));
        assertTrue(Files.readString(out.resolve("settings.ini")).contains("greeting = bonjour"),
                Files.readString(out.resolve("settings.ini")));
        for (String f : List.of("note.txt", "flag", "old.txt", "settings.ini", "nocheck")) {
            assertEquals(USER, Files.getOwner(out.resolve(f)).getName(), f);
        }
        assertTrue(getfacl(aclTarget).contains("user:nobody:r--"), getfacl(aclTarget));
        assertTrue(debconf().contains("drover-test-pkg/greeting: " + greeting), debconf());

        DroverCli.Result again = DroverCli.run(concat(new String[] {"run"}, common));
        assertEquals(0, again.exit(), again::toString);
        assertEquals("ok=9 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", again.recap().get("h1"),
                again::toString);
        try (Stream<Path> left = Files.list(out.resolve("tmp"))) {
            assertEquals(List.of(), left.toList(), "no temp file left behind");
        }
    }

    @Test
    void unknownModulesAndActionPluginsAreRefusedBeforeAnyHost(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - community.general.ini_fil: path=/tmp/x
                    - ansible.posix.synchronize: src=a dest=b
                    - ansible.builtin.reboot:
                """);
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.err().contains("p.yml:4:") && r.err().contains("couldn't resolve module/action 'community.general.ini_fil'")
                && r.err().contains("community.general.ini_file"), r::toString);
        assertTrue(r.err().contains("p.yml:5:") && r.err().contains("ansible.posix.synchronize")
                && r.err().contains("action plugin"), r::toString);
        assertTrue(r.err().contains("p.yml:6:") && r.err().contains("reboot") && r.err().contains("action plugin"),
                r::toString);
    }

    private static String getfacl(Path p) throws IOException {
        Process proc = new ProcessBuilder("getfacl", "-p", p.toString()).redirectErrorStream(true).start();
        return new String(proc.getInputStream().readAllBytes());
    }

    private static String debconf() throws IOException {
        Process p = new ProcessBuilder("debconf-show", "drover-test-pkg").redirectErrorStream(true).start();
        return new String(p.getInputStream().readAllBytes());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The playbook and its role from src/test/resources/ansible-modules, readable by the become user. */
    static Path copyProject(Path dir) throws IOException {
        Path from = Path.of("src/test/resources/ansible-modules");
        Path to = dir.resolve("project");
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
