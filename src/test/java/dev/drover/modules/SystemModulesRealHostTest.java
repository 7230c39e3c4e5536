package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import dev.drover.connection.ShellQuote;
import dev.drover.module.LocalShell;
import dev.drover.module.Module;
import dev.drover.module.ModuleException;
import dev.drover.module.Plan;
import dev.drover.module.ShellHostView;
import dev.drover.module.SimulatedHostView;
import dev.drover.module.SimulatedState;
import dev.drover.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idempotency contract (check forecasts and touches nothing, the real run changes, a second
 * plan has nothing to do) of authorized_key, known_hosts, cron, sysctl and hostname on this real
 * host, as root. What must not touch this machine runs in namespaces of its own: sysctl and
 * hostname run through {@code nsenter} into a {@code unshare --uts --net --mount} process (a real
 * sh in those namespaces), where /etc/hostname is a bind-mounted temp file and /run/systemd is an
 * empty tmpfs (this machine has no systemd-hostnamed, so Ansible's file strategy applies).
 */
class SystemModulesRealHostTest {
    static final String USER = "drovertest-keys";
    static final LocalShell SHELL = new LocalShell();
    private static Process namespaces;
    private static Path nsHostname;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        Requirements.requireRoot();
        Requirements.require("crontab (apt-get install cron)", Files.isExecutable(Path.of("/usr/bin/crontab")));
        Requirements.require("unshare and nsenter (util-linux)", Files.isExecutable(Path.of("/usr/bin/unshare")));
        SHELL.run("userdel -r " + USER + " >/dev/null 2>&1; useradd -m -s /bin/sh " + USER, null, null);
        nsHostname = Files.createTempFile("drover-ns-hostname", "");
        Files.writeString(nsHostname, "before-test\n");
        namespaces = new ProcessBuilder("unshare", "--uts", "--net", "--mount", "--propagation", "private", "--fork",
                "sh", "-c", "mount --bind " + nsHostname + " /etc/hostname && mount -t tmpfs none /run/systemd && "
                        + "hostname ns-host && echo ready && exec sleep 3600").redirectErrorStream(true).start();
        String ready = new String(namespaces.getInputStream().readNBytes(6));
        assertEquals("ready\n", ready, "the namespaces came up");
    }

    @AfterAll
    static void tearDown() throws Exception {
        SHELL.run("crontab -r -u " + USER + " 2>/dev/null; userdel -r " + USER + " >/dev/null 2>&1", null, null);
        if (namespaces != null) {
            namespaces.descendants().forEach(ProcessHandle::destroy);
            namespaces.destroy();
        }
        if (nsHostname != null) {
            Files.deleteIfExists(nsHostname);
        }
    }

    /** A real sh in the test's own UTS, network and mount namespaces. */
    static final class NamespacedShell implements Shell {
        @Override
        public CommandResult run(String script, byte[] stdin, Duration timeout) throws ConnectionException {
            long pid = namespaces.descendants().filter(p -> p.info().command().orElse("").endsWith("sleep"))
                    .findFirst().map(ProcessHandle::pid).orElseThrow();
            return SHELL.run("nsenter -t " + pid + " --uts --net --mount -- sh -c " + ShellQuote.quote(script), stdin, timeout);
        }

        @Override
        public String user() {
            return "root";
        }

        @Override
        public void close() {
        }
    }

    static Map<String, Object> contract(Shell shell, Module module, Map<String, Object> args) throws Exception {
        SimulatedState state = new SimulatedState();
        SimulatedHostView sim = new SimulatedHostView(new ShellHostView(shell), state);
        Plan check = module.plan(new TestContext(module, args, sim));
        assertTrue(check.changesSomething(), "check mode forecasts a change");
        Plans.simulate(check, state, "root");
        Plan converged = module.plan(new TestContext(module, args, sim));
        assertEquals(List.of(), Plans.describe(converged), "the forecast converges");
        Plan real = module.plan(new TestContext(module, args, new ShellHostView(shell)));
        assertEquals(Plans.describe(check), Plans.describe(real), "check forecasts what a real run does");
        Map<String, Object> values = Plans.apply(real, shell);
        Plan again = module.plan(new TestContext(module, args, new ShellHostView(shell)));
        assertEquals(List.of(), Plans.describe(again), "idempotent");
        return values;
    }

    static String sh(Shell shell, String script) throws Exception {
        return shell.run(script, null, null).out();
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void authorizedKeysOfARealUser() throws Exception {
        Module m = BuiltinModules.find("ansible.posix.authorized_key").orElseThrow();
        String k1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMBePnEVpSBXmcu0cSqJLqQPDyoIevJ9MY19AmGPEPDr one@a";
        String k2 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDc7mhRbe two@b";
        contract(SHELL, m, args("user", USER, "key", k1 + "\n" + k2 + "\n"));
        String home = sh(SHELL, "getent passwd " + USER + " | cut -d: -f6").strip();
        assertEquals("700 " + USER + " " + USER + "\n", sh(SHELL, "stat -c '%a %U %G' " + home + "/.ssh"));
        assertEquals("600 " + USER + " " + USER + "\n", sh(SHELL, "stat -c '%a %U %G' " + home + "/.ssh/authorized_keys"));
        assertEquals(k1 + "\n" + k2 + "\n", Files.readString(Path.of(home, ".ssh/authorized_keys")));
        contract(SHELL, m, args("user", USER, "key", k2, "exclusive", true, "key_options", "no-pty"));
        assertEquals("no-pty " + k2 + "\n", Files.readString(Path.of(home, ".ssh/authorized_keys")));
        contract(SHELL, m, args("user", USER, "key", k2, "state", "absent"));
        assertEquals("", Files.readString(Path.of(home, ".ssh/authorized_keys")));
    }

    @Test
    void knownHostsInAFile() throws Exception {
        Module m = BuiltinModules.find("known_hosts").orElseThrow();
        Path kh = dir.resolve("known_hosts");
        String key1 = "git.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMBePnEVpSBXmcu0cSqJLqQPDyoIevJ9MY19AmGPEPDr";
        String key2 = "git.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGd8m1hKgX0q5b3vS0m0gk5F4X9sV0JfJmQbO9P5h3Qs";
        contract(SHELL, m, args("name", "git.example", "key", key1, "path", kh.toString(), "hash_host", true));
        String hashed = Files.readString(kh);
        assertTrue(hashed.startsWith("|1|"), hashed);
        // ssh-keygen, the reference for the lookup, finds the hashed name
        assertTrue(sh(SHELL, "ssh-keygen -F git.example -f " + kh).contains("found: line 1"));
        contract(SHELL, m, args("name", "git.example", "key", key2, "path", kh.toString()));
        assertEquals(key2 + "\n", Files.readString(kh));
        contract(SHELL, m, args("name", "git.example", "path", kh.toString(), "state", "absent"));
        assertEquals("", Files.readString(kh));
        assertEquals(key2 + "\n", Files.readString(dir.resolve("known_hosts.old")));
    }

    @Test
    void cronInAUsersCrontabAndInACronFile() throws Exception {
        Module m = BuiltinModules.find("cron").orElseThrow();
        contract(SHELL, m, args("name", "nightly", "user", USER, "minute", "15", "hour", "2", "job", "/bin/true nightly"));
        contract(SHELL, m, args("name", "MAILTO", "user", USER, "env", true, "job", "ops@example.com"));
        assertEquals("MAILTO=\"ops@example.com\"\n#Ansible: nightly\n15 2 * * * /bin/true nightly\n",
                sh(SHELL, "crontab -u " + USER + " -l"));
        contract(SHELL, m, args("name", "nightly", "user", USER, "state", "absent"));
        assertEquals("MAILTO=\"ops@example.com\"\n", sh(SHELL, "crontab -u " + USER + " -l"));
        Path file = dir.resolve("app-cron");
        contract(SHELL, m, args("name", "tick", "cron_file", file.toString(), "user", "root", "special_time", "reboot",
                "job", "/bin/true"));
        assertEquals("#Ansible: tick\n@reboot root /bin/true\n", Files.readString(file));
        assertEquals("644\n", sh(SHELL, "stat -c %a " + file));
        contract(SHELL, m, args("name", "tick", "cron_file", file.toString(), "state", "absent"));
        assertFalse(Files.exists(file));
    }

    @Test
    void sysctlInItsOwnNetworkNamespace() throws Exception {
        Module m = BuiltinModules.find("ansible.posix.sysctl").orElseThrow();
        Shell ns = new NamespacedShell();
        Path conf = dir.resolve("99-test.conf");
        sh(ns, "sysctl -w net.ipv4.ip_forward=0 >/dev/null");
        contract(ns, m, args("name", "net.ipv4.ip_forward", "value", "1", "sysctl_set", true, "sysctl_file", conf.toString()));
        assertEquals("1\n", sh(ns, "sysctl -n net.ipv4.ip_forward"));
        assertEquals("net.ipv4.ip_forward=1\n", Files.readString(conf));
        // reload (the default) applies the file: a value only in the file reaches the kernel
        sh(ns, "sysctl -w net.ipv4.ip_forward=0 >/dev/null");
        contract(ns, m, args("name", "net.ipv4.ip_forward", "value", "1", "sysctl_file", conf.toString()));
        assertEquals("1\n", sh(ns, "sysctl -n net.ipv4.ip_forward"));
        // the file only: reload and sysctl_set off
        contract(ns, m, args("name", "net.ipv4.ip_forward", "state", "absent", "reload", false, "sysctl_file", conf.toString()));
        assertEquals("", Files.readString(conf));
        assertEquals("1\n", sh(ns, "sysctl -n net.ipv4.ip_forward"));
    }

    @Test
    void sysctlReportsAKernelRefusalAsAFailure() throws Exception {
        Module m = BuiltinModules.find("sysctl").orElseThrow();
        Shell ns = new NamespacedShell();
        Path conf = dir.resolve("bad.conf");
        Plan p = m.plan(new TestContext(m, args("name", "no.such.key", "value", "1", "sysctl_file", conf.toString()),
                new ShellHostView(ns)));
        ModuleException e = org.junit.jupiter.api.Assertions.assertThrows(ModuleException.class, () -> Plans.apply(p, ns));
        assertTrue(e.getMessage().contains("Failed to reload sysctl: sysctl: cannot stat /proc/sys/no/such/key"),
                e.getMessage());
    }

    @Test
    void hostnameWritesEtcHostnameInItsOwnNamespaces() throws Exception {
        Module m = BuiltinModules.find("hostname").orElseThrow();
        Shell ns = new NamespacedShell();
        String machineName = sh(SHELL, "hostname");
        Map<String, Object> v = contract(ns, m, args("name", "web01.example.test"));
        assertEquals("web01.example.test\n", Files.readString(nsHostname));
        assertEquals("ns-host\n", sh(ns, "hostname"), "Ansible's file strategy leaves the running name alone");
        assertEquals(machineName, sh(SHELL, "hostname"), "this machine's name is untouched");
        @SuppressWarnings("unchecked")
        Map<String, Object> facts = (Map<String, Object>) v.get("ansible_facts");
        assertEquals("web01", facts.get("ansible_hostname"));
        assertEquals("web01.example.test", facts.get("ansible_nodename"));
    }

    /** {@code ansible localhost -m MODULE -a ARGS}: whether Ansible reported a change. */
    static boolean ansibleChanged(String module, String moduleArgs) throws Exception {
        Process p = new ProcessBuilder("ansible", "localhost", "-m", module, "-a", moduleArgs).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        assertTrue(out.contains("SUCCESS") || out.contains("CHANGED"), out);
        return out.contains("\"changed\": true");
    }

    @Test
    void cronEntriesAndKeysAreSharedWithAnsible() throws Exception {
        Requirements.require("ansible (ansible-core 2.14 and ansible.posix)", dev.drover.modules.facts.FactsParityTestAccess.hasAnsible());
        Module cron = BuiltinModules.find("cron").orElseThrow();
        // Ansible writes the entry; drover finds it under Ansible's marker: nothing to do
        assertTrue(ansibleChanged("cron", "name=shared user=" + USER + " minute=7 job=/bin/true"));
        Map<String, Object> same = args("name", "shared", "user", USER, "minute", "7", "job", "/bin/true");
        assertEquals(List.of(), Plans.describe(cron.plan(new TestContext(cron, same, new ShellHostView(SHELL)))));
        // drover moves it; Ansible then finds it as asked
        contract(SHELL, cron, args("name", "shared", "user", USER, "minute", "8", "job", "/bin/true"));
        assertFalse(ansibleChanged("cron", "name=shared user=" + USER + " minute=8 job=/bin/true"));
        assertEquals("#Ansible: shared\n8 * * * * /bin/true\n", sh(SHELL, "crontab -u " + USER + " -l | grep -A1 shared"));

        Module keys = BuiltinModules.find("authorized_key").orElseThrow();
        Path file = dir.resolve("keys/authorized_keys");
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMBePnEVpSBXmcu0cSqJLqQPDyoIevJ9MY19AmGPEPDr shared";
        assertTrue(ansibleChanged("ansible.posix.authorized_key", "user=" + USER + " path=" + file + " key='" + key + "'"));
        String ansibleWrote = Files.readString(file);
        assertEquals(List.of(), Plans.describe(keys.plan(new TestContext(keys, args("user", USER, "path", file.toString(),
                "key", key), new ShellHostView(SHELL)))));
        contract(SHELL, keys, args("user", USER, "path", file.toString(), "key", key, "key_options", "no-pty"));
        assertFalse(ansibleChanged("ansible.posix.authorized_key", "user=" + USER + " path=" + file
                + " key_options=no-pty key='" + key + "'"));
        assertEquals("no-pty " + ansibleWrote, Files.readString(file));
    }
}
