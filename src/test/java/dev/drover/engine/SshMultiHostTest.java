package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A playbook on three hosts reached over a real sshd (127.0.0.1/.2/.3), each with its own root
 * dir: files on disk, the recap per host, idempotency, and check mode forecasting the real run.
 */
class SshMultiHostTest {
    static SshServerFixture sshd;

    @BeforeAll
    static void up() throws IOException {
        Requirements.requireRoot();
        sshd = SshServerFixture.shared();
    }

    static final String PLAYBOOK = """
            - name: Lay out an app on every host
              hosts: web
              gather_facts: false
              tasks:
                - name: App dir
                  file:
                    path: "{{ root }}/etc"
                    state: directory
                    mode: "0755"
                - name: Config
                  copy:
                    content: "name={{ inventory_hostname }}\\n"
                    dest: "{{ root }}/etc/app.conf"
                  notify: Mark handled
                - name: Templated file
                  template:
                    src: app.j2
                    dest: "{{ root }}/etc/templated.conf"
                - name: Env line
                  lineinfile:
                    path: "{{ root }}/etc/env"
                    line: LEVEL=info
                    create: true
                - name: Ask the host who it is
                  command: echo {{ inventory_hostname }}-{{ ansible_host }}
                  register: who
                  changed_when: false
                  check_mode: false
                - name: Only on h2
                  copy:
                    content: "{{ who.stdout }}"
                    dest: "{{ root }}/marker"
                  when: inventory_hostname == 'h2'
              handlers:
                - name: Mark handled
                  copy:
                    content: handled
                    dest: "{{ root }}/handled"
            """;

    /** Writes the playbook, the template and an inventory whose hosts have roots under {@code roots}. */
    static Path setUp(Path dir, Path roots) throws IOException {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/app.j2"), "host={{ inventory_hostname }} port={{ ansible_port }}\n");
        Files.writeString(dir.resolve("site.yml"), PLAYBOOK);
        String kh = sshd.knownHosts().toString();
        // h1, h2: drover's own variable; h3: ansible's way, through the ssh args
        String inv = "[web]\n"
                + "h1 ansible_host=127.0.0.1 root=" + roots.resolve("h1") + " drover_known_hosts=" + kh + "\n"
                + "h2 ansible_host=127.0.0.2 root=" + roots.resolve("h2") + " drover_known_hosts=" + kh + "\n"
                + "h3 ansible_host=127.0.0.3 root=" + roots.resolve("h3")
                + " ansible_ssh_common_args='-o UserKnownHostsFile=" + kh + " -o StrictHostKeyChecking=yes'\n"
                + "[web:vars]\n"
                + "ansible_port=" + sshd.port() + "\n"
                + "ansible_user=root\n"
                + "ansible_ssh_private_key_file=" + sshd.clientKey() + "\n";
        Files.writeString(dir.resolve("hosts.ini"), inv);
        return dir;
    }

    @Test
    void threeHostsOverSshConvergeAndCheckModeForecastsTheRun(@TempDir Path dir) throws IOException {
        Path roots = dir.resolve("roots");
        setUp(dir, roots);
        String pb = dir.resolve("site.yml").toString();
        String inv = dir.resolve("hosts.ini").toString();

        DroverCli.Result check = DroverCli.run("run", "--check", "-i", inv, pb);
        assertEquals(0, check.exit(), check::toString);
        assertFalse(Files.exists(roots), "check mode created " + roots);

        DroverCli.Result first = DroverCli.run("run", "-i", inv, pb);
        assertEquals(0, first.exit(), first::toString);
        Map<String, String> recap = first.recap();
        assertEquals("ok=6 changed=5 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", recap.get("h1"), first::toString);
        assertEquals("ok=7 changed=6 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", recap.get("h2"), first::toString);
        assertEquals("ok=6 changed=5 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", recap.get("h3"), first::toString);
        assertEquals(recap, check.recap(), "the check run forecasts the real one\n" + check + "\n" + first);
        assertTrue(first.out().contains("RUNNING HANDLER [Mark handled]"), first::toString);

        for (String h : new String[] {"h1", "h2", "h3"}) {
            Path r = roots.resolve(h);
            assertEquals("name=" + h + "\n", Files.readString(r.resolve("etc/app.conf")));
            assertEquals("host=" + h + " port=" + sshd.port() + "\n", Files.readString(r.resolve("etc/templated.conf")));
            assertEquals("LEVEL=info\n", Files.readString(r.resolve("etc/env")));
            assertEquals("handled", Files.readString(r.resolve("handled")));
        }
        assertEquals("h2-127.0.0.2", Files.readString(roots.resolve("h2/marker")));
        assertFalse(Files.exists(roots.resolve("h1/marker")));
        assertFalse(Files.exists(roots.resolve("h3/marker")));

        DroverCli.Result second = DroverCli.run("run", "-i", inv, pb);
        assertEquals(0, second.exit(), second::toString);
        for (String h : new String[] {"h1", "h2", "h3"}) {
            assertTrue(second.recap().get(h).contains(" changed=0 "), second::toString);
        }
        assertFalse(second.out().contains("RUNNING HANDLER"), second::toString);
    }

    @Test
    void knownHostsFromSshArgsIsHonoured(@TempDir Path dir) throws IOException {
        // an empty known_hosts given the ansible way must make a strict connection fail
        Path empty = Files.writeString(dir.resolve("empty_known_hosts"), "");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: "true"
                """);
        Files.writeString(dir.resolve("hosts.ini"), "h1 ansible_host=127.0.0.1 ansible_port=" + sshd.port()
                + " ansible_user=root ansible_ssh_private_key_file=" + sshd.clientKey()
                + " ansible_ssh_extra_args=\"-o UserKnownHostsFile=" + empty + "\"\n");
        DroverCli.Result r = DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), dir.resolve("p.yml").toString());
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.out().contains("fatal: [h1]: UNREACHABLE! => {"), r::toString);
    }
}
