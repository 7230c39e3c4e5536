package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** become to a real second user, over SSH and locally; ansible_become_user overrides the keyword. */
class BecomeUserRunTest {
    static final String USER = "drover-test";
    static SshServerFixture sshd;

    @BeforeAll
    static void up() throws IOException {
        Requirements.requireRoot();
        Requirements.requireSudo();
        SshServerFixture.ensureUser(USER);
        sshd = SshServerFixture.shared();
    }

    static String playbook(String becomeUser) {
        return """
                - hosts: all
                  gather_facts: false
                  become: true
                  become_user: %s
                  tasks:
                    - name: A file written as the become user
                      copy:
                        content: mine
                        dest: "{{ out }}/copied"
                    - name: A directory
                      file:
                        path: "{{ out }}/dir"
                        state: directory
                    - name: Who am I
                      command: id -un
                      register: who
                    - name: Write it down
                      copy:
                        content: "{{ who.stdout }}"
                        dest: "{{ out }}/whoami"
                """.formatted(becomeUser);
    }

    /** A dir the become user can write to. */
    static Path shared(Path dir) throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        for (Path p = out; p != null && !p.equals(Path.of("/tmp")) && p.getNameCount() > 0; p = p.getParent()) {
            if (p.equals(out)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
            } else if (p.startsWith(dir)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return out;
    }

    static void assertOwnedByUser(Path out, DroverCli.Result r) throws IOException {
        assertEquals(0, r.exit(), r::toString);
        assertEquals(USER, Files.getOwner(out.resolve("copied")).getName(), r::toString);
        assertEquals(USER, Files.getOwner(out.resolve("dir")).getName(), r::toString);
        assertEquals(USER, Files.readString(out.resolve("whoami")), r::toString);
    }

    @Test
    void becomeOverSsh(@TempDir Path dir) throws IOException {
        Path out = shared(dir);
        Files.writeString(dir.resolve("p.yml"), playbook(USER));
        Files.writeString(dir.resolve("hosts.ini"), "h1 ansible_host=127.0.0.2 ansible_port=" + sshd.port()
                + " ansible_user=root ansible_ssh_private_key_file=" + sshd.clientKey()
                + " drover_known_hosts=" + sshd.knownHosts() + " out=" + out + "\n");
        assertOwnedByUser(out, DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), dir.resolve("p.yml").toString()));
    }

    @Test
    void becomeLocally(@TempDir Path dir) throws IOException {
        Path out = shared(dir);
        Files.writeString(dir.resolve("p.yml"), playbook(USER).replace("hosts: all", "hosts: localhost"));
        assertOwnedByUser(out, DroverCli.run("run", "-e", "out=" + out, dir.resolve("p.yml").toString()));
    }

    @Test
    void inventoryBecomeUserOverridesThePlayKeyword(@TempDir Path dir) throws IOException {
        Path out = shared(dir);
        Files.writeString(dir.resolve("p.yml"), playbook("nobody"));
        Files.writeString(dir.resolve("hosts.ini"), "h1 ansible_host=127.0.0.3 ansible_port=" + sshd.port()
                + " ansible_user=root ansible_ssh_private_key_file=" + sshd.clientKey()
                + " drover_known_hosts=" + sshd.knownHosts() + " out=" + out + " ansible_become_user=" + USER + "\n"
                + "localhost ansible_connection=local out=" + out.resolve("local") + " ansible_become_user=" + USER + "\n");
        Files.createDirectories(out.resolve("local"));
        Files.setPosixFilePermissions(out.resolve("local"), PosixFilePermissions.fromString("rwxrwxrwx"));
        DroverCli.Result r = DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), dir.resolve("p.yml").toString());
        assertOwnedByUser(out, r);
        assertOwnedByUser(out.resolve("local"), r);
    }

    @Test
    void checkModeBecomesAUserThatOnlyAnEarlierStepCreates(@TempDir Path dir) throws Exception {
        String user = "drover-future";
        new ProcessBuilder("userdel", "-r", user).start().waitFor();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // the user reaches its home
        Path home = dir.resolve("home-of-future");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  become: true
                  tasks:
                    - user: name=%s home=%s
                    - copy:
                        dest: "~/hello.txt"
                        content: "hi\\n"
                      become_user: %s
                    - file: path=~/sub state=directory mode=0700
                      become_user: %s
                    - command: id -un
                      become_user: %s
                      changed_when: false
                """.formatted(user, home, user, user, user));
        try {
            DroverCli.Result check = DroverCli.run("run", "--check", dir.resolve("p.yml").toString());
            assertEquals(0, check.exit(), check.toString());
            assertEquals("ok=3 changed=3 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0",
                    check.recap().get("localhost"), check.toString());
            assertEquals(false, SshServerFixture.userExists(user), "check mode created the user");
            assertEquals(false, Files.exists(home), "check mode created the home");

            DroverCli.Result real = DroverCli.run("run", dir.resolve("p.yml").toString());
            assertEquals("ok=4 changed=3 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0",
                    real.recap().get("localhost"), real.toString());
            assertEquals(user, Files.getOwner(home.resolve("hello.txt")).getName());
            assertEquals("ok=3 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0",
                    DroverCli.run("run", "--check", dir.resolve("p.yml").toString()).recap().get("localhost"));
        } finally {
            new ProcessBuilder("userdel", "-r", user).start().waitFor();
        }
    }
}
