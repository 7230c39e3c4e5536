package dev.drover.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ansible.cfg read as ansible-core 2.14 reads it: file choice, INI syntax, types, precedence, errors. */
class SettingsTest {
    @TempDir
    Path dir;

    private Path home() throws IOException {
        return Files.createDirectories(dir.resolve("home"));
    }

    private Path project(String cfg) throws IOException {
        Path p = Files.createDirectories(dir.resolve("project"));
        Files.writeString(p.resolve("ansible.cfg"), cfg);
        return p;
    }

    @Test
    void iniSyntaxIsConfigparsers() {
        Ini ini = Ini.parse("""
                # a comment
                ; another
                [defaults]
                forks: 7
                remote_user = deploy ; inline comment after white space
                private_key_file = keys/id;not-a-comment
                Roles_Path = a:
                   b
                     # a comment line inside the value is dropped

                   c
                """, "t.cfg");
        assertEquals("7", ini.get("defaults", "forks").value());
        assertEquals("deploy", ini.get("defaults", "remote_user").value());
        assertEquals("keys/id;not-a-comment", ini.get("defaults", "private_key_file").value());
        assertEquals("a:\nb\n\nc", ini.get("defaults", "roles_path").value()); // keys lower-cased, continuation kept
        assertEquals(7, ini.get("defaults", "roles_path").line());
    }

    @Test
    void iniErrorsNameFileAndLine() {
        ConfigException dup = assertThrows(ConfigException.class,
                () -> Ini.parse("[defaults]\nforks = 1\nforks = 2\n", "/p/ansible.cfg"));
        assertEquals("/p/ansible.cfg, line 3: [defaults] forks is set twice (also on line 2)", dup.getMessage());
        ConfigException noSection = assertThrows(ConfigException.class, () -> Ini.parse("forks = 1\n", "a.cfg"));
        assertTrue(noSection.getMessage().startsWith("a.cfg, line 1: the line 'forks = 1' comes before any section"),
                noSection.getMessage());
        ConfigException noDelimiter = assertThrows(ConfigException.class, () -> Ini.parse("[defaults]\nforks\n", "a.cfg"));
        assertEquals("a.cfg, line 2: [defaults] the line 'forks' is not 'key = value'", noDelimiter.getMessage());
    }

    @Test
    void fileThenEnvironmentWithAnsiblesTypesAndOrigins() throws IOException {
        Path p = project("""
                [defaults]
                forks = 10
                inventory = hosts, ../other/hosts
                roles_path = roles:~/shared-roles:/abs
                host_key_checking = False
                callback_whitelist = timer
                callbacks_enabled = json, 'junit'
                [privilege_escalation]
                become = yes
                become_user = nobody
                """);
        Settings s = Settings.resolve(Map.of("ANSIBLE_FORKS", "20", "ANSIBLE_REMOTE_USER", "bob"), p, home());
        assertEquals(20, s.forks());
        assertEquals("env: ANSIBLE_FORKS", s.value(Setting.DEFAULT_FORKS).origin());
        assertEquals("bob", s.remoteUser());
        // paths of the file are relative to its directory
        assertEquals(List.of(p.resolve("hosts").toString(), dir.resolve("other/hosts").toString()), s.inventory());
        assertEquals(List.of(p.resolve("roles").toString(), home().resolve("shared-roles").toString(), "/abs"), s.rolesPath());
        assertEquals(Boolean.FALSE, s.hostKeyChecking());
        assertEquals(List.of("json", "junit"), s.callbacksEnabled()); // callbacks_enabled is listed last: it wins
        assertTrue(s.become());
        assertEquals("nobody", s.becomeUser());
        assertEquals("sudo", s.becomeMethod());
        assertEquals(p.resolve("ansible.cfg"), s.file());
    }

    @Test
    void firstOfAnsibleConfigCwdHomeEtc() throws IOException {
        Path p = project("[defaults]\nforks = 3\n");
        Path other = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(other.resolve("ansible.cfg"), "[defaults]\nforks = 4\n");
        assertEquals(3, Settings.resolve(Map.of(), p, home()).forks());
        assertEquals(4, Settings.resolve(Map.of("ANSIBLE_CONFIG", other.resolve("ansible.cfg").toString()), p, home()).forks());
        // a directory in ANSIBLE_CONFIG means its ansible.cfg
        assertEquals(4, Settings.resolve(Map.of("ANSIBLE_CONFIG", other.toString()), p, home()).forks());
        // a missing ANSIBLE_CONFIG falls through to ./ansible.cfg
        assertEquals(3, Settings.resolve(Map.of("ANSIBLE_CONFIG", dir.resolve("nope.cfg").toString()), p, home()).forks());
        Files.writeString(home().resolve(".ansible.cfg"), "[defaults]\nforks = 5\n");
        assertEquals(5, Settings.resolve(Map.of(), other.getParent().resolve("home"), home()).forks());
    }

    @Test
    void aWorldWritableCurrentDirectorysConfigIsIgnoredWithAWarning() throws IOException {
        Path p = project("[defaults]\nforks = 3\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        Settings s = Settings.resolve(Map.of(), p, home());
        assertNull(s.file());
        assertEquals(50, s.forks());
        assertEquals(1, s.warnings().size());
        assertTrue(s.warnings().get(0).startsWith("Ansible is being run in a world writable directory (" + p
                + "), ignoring it as an ansible.cfg source."), s.warnings().get(0));
        // named in ANSIBLE_CONFIG it is read, and nothing is said
        Settings named = Settings.resolve(Map.of("ANSIBLE_CONFIG", p.resolve("ansible.cfg").toString()), p, home());
        assertEquals(3, named.forks());
        assertEquals(List.of(), named.warnings());
    }

    @Test
    void badValuesNameFileSectionKeyAndLine() throws IOException {
        Path p = project("[defaults]\n\nforks = abc\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.resolve(Map.of(), p, home()));
        assertEquals("Invalid value for configuration setting DEFAULT_FORKS in " + p.resolve("ansible.cfg")
                + ": [defaults] forks (line 3): 'abc' is not an integer", e.getMessage());
        Path q = project("[privilege_escalation]\nbecome = maybe\n");
        e = assertThrows(ConfigException.class, () -> Settings.resolve(Map.of(), q, home()));
        assertTrue(e.getMessage().contains("[privilege_escalation] become (line 2): 'maybe' is not a boolean"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Settings.resolve(Map.of("ANSIBLE_GATHERING", "sometimes"), q.getParent(), home()));
        assertTrue(e.getMessage().contains("the environment variable ANSIBLE_GATHERING: 'sometimes' is not one of implicit, explicit, smart"),
                e.getMessage());
    }

    @Test
    void unknownKeysAreNotesAndForeignSshArgumentsAWarning() throws IOException {
        Path p = project("""
                [defaults]
                nocows = 1
                max_fail_percentage = 20
                retry_files_enabled = True
                [ssh_connection]
                ssh_args = -o ControlMaster=auto -o StrictHostKeyChecking=accept-new -C
                pipelining = True
                control_path = /tmp/%%h
                """);
        Settings s = Settings.resolve(Map.of(), p, home());
        assertEquals(2, s.notes().size(), s.notes().toString());
        assertTrue(s.notes().get(0).endsWith("[defaults] nocows (line 2) is not a setting drover reads; ignored"));
        assertTrue(s.notes().get(1).contains("[defaults] max_fail_percentage (line 3): ansible-core 2.14 has no such setting"));
        assertEquals(List.of("drover ignores these ssh arguments of the configuration (it understands -o UserKnownHostsFile, "
                + "-o StrictHostKeyChecking, -o ProxyJump and -J): -o ControlMaster=auto -C"), s.warnings());
        assertEquals("-o ControlMaster=auto -o StrictHostKeyChecking=accept-new -C", s.sshArgs());
    }

    @Test
    void noFileMeansDefaultsAndTheDumpSaysSo() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Settings s = Settings.resolve(Map.of("ANSIBLE_NOCOLOR", "1"), empty, home());
        assertEquals(List.of("ANSIBLE_NOCOLOR(env: ANSIBLE_NOCOLOR) = True", "CONFIG_FILE() = None"), s.dump(true));
        assertTrue(s.dump(false).contains("DEFAULT_FORKS(default) = 50"));
        assertTrue(s.dump(false).contains("DEFAULT_BECOME_USER(default) = root"));
    }
}
