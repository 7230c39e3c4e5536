package dev.drover.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.cli.Main;
import dev.drover.testing.Requirements;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ansible.cfg beside a playbook and one named by {@code $ANSIBLE_CONFIG}: the same
 * settings give the same behaviour under drover and ansible-playbook 2.14 (inventory, roles_path,
 * gathering, become/become_user), the precedence file &lt; environment &lt; command line, the
 * world-writable directory rule, the bad-value error (exit 5 in both), and {@code drover config
 * dump --only-changed} against {@code ansible-config dump --only-changed}.
 */
class AnsibleCfgTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsAnsible() {
        Requirements.require("ansible-playbook 2.14 (apt-get install ansible-core)", Tools.hasAnsiblePlaybook());
    }

    private Path write(String rel, String text) throws IOException {
        Path f = dir.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    /** The environment drover gets: this process's minus ANSIBLE_*, plus {@code extra}. */
    private static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_") || k.equals("NO_COLOR"));
        env.putAll(extra);
        return env;
    }

    private static final String PLAY = "- hosts: all\n  gather_facts: false\n  tasks: []\n";

    /** The hosts --list-hosts names, in order. */
    private static List<String> listed(Outcome o) {
        List<String> hosts = new ArrayList<>();
        boolean in = false;
        for (String line : o.output().split("\n")) {
            if (line.matches("\\s+hosts \\(\\d+\\):")) {
                in = true;
            } else if (in && line.startsWith("      ")) {
                hosts.add(line.strip());
            } else {
                in = false;
            }
        }
        return hosts;
    }

    private List<String> both(Path cwd, Map<String, String> extraEnv, String... args) {
        List<String> a = List.of(args);
        Outcome ansible = Tools.ansible(cwd, a, extraEnv);
        Outcome drover = Tools.drover(env(extraEnv), cwd, a);
        assertEquals(0, ansible.exitCode(), ansible.output());
        assertEquals(0, drover.exitCode(), drover.output());
        assertEquals(listed(ansible), listed(drover), "ansible-playbook:\n" + ansible.output() + "\ndrover:\n" + drover.output());
        return listed(drover);
    }

    @Test
    void inventoryComesFromTheFileThenTheEnvironmentThenTheCommandLine() throws IOException {
        Path p = dir.resolve("project");
        write("project/ansible.cfg", "[defaults]\ninventory = file_hosts\n");
        write("project/file_hosts", "from_file\n");
        write("project/env_hosts", "from_env\n");
        write("project/cli_hosts", "from_cli\n");
        Path play = write("project/playbook.yml", PLAY);
        assertEquals(List.of("from_file"), both(p, Map.of(), play.toString(), "--list-hosts"));
        Map<String, String> env = Map.of("ANSIBLE_INVENTORY", p.resolve("env_hosts").toString());
        assertEquals(List.of("from_env"), both(p, env, play.toString(), "--list-hosts"));
        assertEquals(List.of("from_cli"), both(p, env, play.toString(), "--list-hosts", "-i", p.resolve("cli_hosts").toString()));
    }

    @Test
    void ansibleConfigNamesAFileWhosePathsAreRelativeToIt() throws IOException {
        write("elsewhere/custom.cfg", "[defaults]\ninventory = ./inv/hosts.ini\n");
        write("elsewhere/inv/hosts.ini", "[db]\ndb1\ndb2\n");
        write("project/ansible.cfg", "[defaults]\ninventory = nothing_here\n"); // ANSIBLE_CONFIG wins over ./ansible.cfg
        Path play = write("project/playbook.yml", PLAY);
        Map<String, String> env = Map.of("ANSIBLE_CONFIG", dir.resolve("elsewhere/custom.cfg").toString());
        assertEquals(List.of("db1", "db2"), both(dir.resolve("project"), env, play.toString(), "--list-hosts"));
    }

    @Test
    void aWorldWritableDirectorysConfigIsIgnoredWithAWarningByBoth() throws IOException {
        Path p = dir.resolve("public");
        write("public/ansible.cfg", "[defaults]\ninventory = hosts\n");
        write("public/hosts", "from_public_dir\n");
        Path play = write("public/playbook.yml", PLAY);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> a = List.of(play.toString(), "--list-hosts");
        Outcome ansible = Tools.ansible(p, a, Map.of());
        Outcome drover = Tools.drover(env(Map.of()), p, a);
        String warning = "Ansible is being run in a world writable directory (" + p + "), ignoring it as an ansible.cfg source.";
        assertTrue(ansible.output().replace("\n", " ").replaceAll("\\s+", " ").contains(warning), ansible.output());
        assertTrue(drover.output().contains("[WARNING]: " + warning), drover.output());
        assertFalse(ansible.output().contains("from_public_dir"), ansible.output());
        assertFalse(drover.output().contains("from_public_dir"), drover.output());
        // named by ANSIBLE_CONFIG, the same file is read and nothing is said
        assertEquals(List.of("from_public_dir"), both(p, Map.of("ANSIBLE_CONFIG", p.resolve("ansible.cfg").toString()),
                play.toString(), "--list-hosts"));
    }

    @Test
    void rolesPathGatheringAndBecomeBehaveTheSame() throws IOException {
        Requirements.requireRoot();
        Requirements.requireSudo();
        Path p = dir.resolve("project");
        write("project/ansible.cfg", """
                # a repository's ansible.cfg
                [defaults]
                inventory = inventory/hosts.ini
                roles_path = ../shared_roles
                gathering = explicit
                retry_files_enabled = False ; inline comment
                [privilege_escalation]
                become = True
                become_user = nobody
                """);
        write("project/inventory/hosts.ini", "[web]\nweb1 ansible_connection=local\nweb2 ansible_connection=local\n");
        write("shared_roles/whoami/tasks/main.yml", """
                - name: who runs the task
                  command: id -un
                  register: who
                  changed_when: false
                - name: say it
                  debug:
                    msg: "{{ inventory_hostname }} runs as {{ who.stdout }}"
                """);
        Path play = write("project/playbook.yml", "- hosts: web\n  roles: [whoami]\n");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> a = List.of(play.toString());
        Outcome ansible = Tools.ansible(p, a, Map.of());
        Outcome drover = Tools.drover(env(Map.of()), p, a);
        assertEquals(ansible.summary(), drover.summary(), "ansible-playbook:\n" + ansible.output() + "\ndrover:\n" + drover.output());
        for (Outcome o : List.of(ansible, drover)) {
            assertTrue(o.output().contains("\"msg\": \"web1 runs as nobody\""), o.tool() + ":\n" + o.output());
            assertTrue(o.output().contains("\"msg\": \"web2 runs as nobody\""), o.tool() + ":\n" + o.output());
            assertFalse(o.output().contains("Gathering Facts"), o.tool() + ":\n" + o.output()); // gathering = explicit
        }
        // the environment over the file: ANSIBLE_BECOME_USER=root, ANSIBLE_GATHERING=implicit
        Map<String, String> env = Map.of("ANSIBLE_BECOME_USER", "root", "ANSIBLE_GATHERING", "implicit");
        ansible = Tools.ansible(p, a, env);
        drover = Tools.drover(env(env), p, a);
        assertEquals(ansible.summary(), drover.summary(), "ansible-playbook:\n" + ansible.output() + "\ndrover:\n" + drover.output());
        for (Outcome o : List.of(ansible, drover)) {
            assertTrue(o.output().contains("\"msg\": \"web1 runs as root\""), o.tool() + ":\n" + o.output());
            assertTrue(o.output().contains("TASK [Gathering Facts]"), o.tool() + ":\n" + o.output());
        }
    }

    @Test
    void aBadValueIsAnErrorWithFileSectionKeyAndLineExit5() throws IOException {
        Path p = dir.resolve("project");
        write("project/ansible.cfg", "[defaults]\n# forks as a word\nforks = abc\n");
        Path play = write("project/playbook.yml", PLAY);
        List<String> a = List.of(play.toString());
        Outcome ansible = Tools.ansible(p, a, Map.of());
        Outcome drover = Tools.drover(env(Map.of()), p, a);
        assertEquals(5, ansible.exitCode(), ansible.output());
        assertEquals(5, drover.exitCode(), drover.output());
        assertEquals("ERROR! Invalid value for configuration setting DEFAULT_FORKS in " + p.resolve("ansible.cfg")
                + ": [defaults] forks (line 3): 'abc' is not an integer", drover.output().strip());
    }

    @Test
    void configDumpOnlyChangedMatchesAnsibleConfig() throws IOException, InterruptedException {
        Path p = dir.resolve("project");
        write("project/ansible.cfg", """
                [defaults]
                forks = 12
                inventory = hosts, more/hosts
                roles_path = roles:/opt/roles
                collections_path = ./collections
                host_key_checking = False
                callbacks_enabled = timer, profile_tasks
                stdout_callback = yaml
                gathering: smart
                gather_subset = !hardware,network
                vault_identity_list = dev@vault-pass.txt
                interpreter_python = /usr/bin/python3
                any_errors_fatal = yes
                nocolor = 1
                [privilege_escalation]
                become = true
                become_method = su
                become_ask_pass = false
                """);
        Map<String, String> extra = Map.of("ANSIBLE_REMOTE_USER", "deploy", "ANSIBLE_TIMEOUT", "30");
        Map<String, String> env = env(extra);
        ProcessBuilder pb = new ProcessBuilder("ansible-config", "dump", "--only-changed").directory(p.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD); // its deprecation warning for gather_subset
        pb.environment().clear();
        pb.environment().putAll(env);
        Process proc = pb.start();
        String ansible = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue(), ansible);

        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            rc = Main.executeIn(env, p, "config", "dump", "--only-changed");
        } finally {
            System.setOut(out);
        }
        String drover = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, drover);
        List<String> ansibleLines = List.of(ansible.strip().split("\n"));
        // drover's own settings (DROVER_JOURNAL: the tests' journal, set by the pom) are drover's to list
        List<String> droverLines = java.util.Arrays.stream(drover.strip().split("\n"))
                .filter(l -> !l.startsWith("DROVER_")).toList();
        assertTrue(System.getenv("DROVER_JOURNAL") == null || drover.contains("DROVER_JOURNAL(env: DROVER_JOURNAL) = "), drover);
        assertEquals(ansibleLines, droverLines, "ansible-config:\n" + ansible + "\ndrover:\n" + drover);
    }

    @Test
    void verboseNamesTheFileAsAnsibleDoesAndTheKeysDroverIgnores() throws IOException {
        Path p = dir.resolve("project");
        Path cfg = write("project/ansible.cfg", "[defaults]\nnocows = 1\nforks = 3\n");
        Path play = write("project/playbook.yml", PLAY);
        List<String> a = List.of(play.toString(), "--list-hosts", "-v");
        Outcome ansible = Tools.ansible(p, a, Map.of());
        Outcome drover = Tools.drover(env(Map.of()), p, a);
        String using = "Using " + cfg + " as config file";
        assertTrue(ansible.output().contains(using), ansible.output());
        assertTrue(drover.output().contains(using), drover.output());
        assertTrue(drover.output().contains("[NOTE]: " + cfg + ": [defaults] nocows (line 2) is not a setting drover reads; ignored"),
                drover.output());
        Outcome quiet = Tools.drover(env(Map.of()), p, List.of(play.toString(), "--list-hosts"));
        assertFalse(quiet.output().contains("nocows"), quiet.output());
    }

    @Test
    void vaultPasswordFileOfTheConfigDecryptsForBoth() throws IOException, InterruptedException {
        Path p = dir.resolve("project");
        write("project/ansible.cfg", "[defaults]\nvault_password_file = secrets/pass.txt\n");
        write("project/secrets/pass.txt", "s3cret\n");
        Path vars = write("project/vars.yml", "greeting: hello from the vault\n");
        Process enc = new ProcessBuilder("ansible-vault", "encrypt", "--vault-password-file",
                p.resolve("secrets/pass.txt").toString(), vars.toString()).redirectErrorStream(true).start();
        String encOut = new String(enc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(enc.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, enc.exitValue(), encOut);
        assertTrue(Files.readString(vars).startsWith("$ANSIBLE_VAULT;1.1;AES256"));
        Path play = write("project/playbook.yml", """
                - hosts: localhost
                  gather_facts: false
                  vars_files: [vars.yml]
                  tasks:
                    - assert:
                        that: greeting == 'hello from the vault'
                """);
        List<String> a = List.of(play.toString());
        Outcome ansible = Tools.ansible(p, a, Map.of());
        Outcome drover = Tools.drover(env(Map.of()), p, a);
        assertEquals(ansible.summary(), drover.summary(), "ansible-playbook:\n" + ansible.output() + "\ndrover:\n" + drover.output());
        assertEquals(Map.of("localhost", "ok=1 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0"), drover.recap(),
                drover.output()); // decrypted: the assert passed (drover masks vault values in output, so no debug)
    }

    @Test
    void smartGatheringGathersAHostOncePerRun() throws IOException {
        Path p = dir.resolve("project");
        write("project/ansible.cfg", "[defaults]\ngathering = smart\ngather_subset = !all,!min,distribution\n");
        Path play = write("project/playbook.yml", """
                - hosts: localhost
                  tasks:
                    - assert:
                        that: ansible_facts.distribution is defined
                - hosts: localhost
                  tasks:
                    - assert:
                        that: ansible_facts.distribution is defined
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - assert:
                        that: ansible_facts.distribution is defined
                """);
        List<String> a = List.of(play.toString());
        Outcome ansible = Tools.ansible(p, a, Map.of());
        Outcome drover = Tools.drover(env(Map.of()), p, a);
        assertEquals(ansible.summary(), drover.summary(), "ansible-playbook:\n" + ansible.output() + "\ndrover:\n" + drover.output());
        for (Outcome o : List.of(ansible, drover)) {
            assertEquals(1, o.output().split("TASK \\[Gathering Facts\\]", -1).length - 1, o.tool() + ":\n" + o.output());
        }
    }

    @Test
    void homesAnsibleCfgWhenTheDirectoryHasNone() throws IOException {
        Path home = dir.resolve("home");
        write("home/.ansible.cfg", "[defaults]\ninventory = ~/hosts\n");
        write("home/hosts", "from_home\n");
        Path play = write("project/playbook.yml", PLAY);
        assertEquals(List.of("from_home"), both(dir.resolve("project"), Map.of("HOME", home.toString()),
                play.toString(), "--list-hosts"));
    }
}
