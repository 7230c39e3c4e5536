package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.config.Settings;
import dev.drover.connection.ConnectionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ansible.cfg's connection settings (host_key_checking, timeout, ssh_args) under the host's variables, as in Ansible. */
class ConfigConnectionTest {
    @TempDir
    Path dir;

    private Runnable install(String cfg, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("ansible.cfg"), cfg);
        return Settings.install(Settings.resolve(env, dir, dir));
    }

    @Test
    void theFilesConnectionSettingsApplyBelowHostVariables() throws Exception {
        Runnable restore = install("""
                [defaults]
                host_key_checking = False
                timeout = 42
                [ssh_connection]
                ssh_args = -o ControlMaster=auto -o UserKnownHostsFile=/cfg/known_hosts
                ssh_extra_args = -J jump@bastion
                """, Map.of());
        try {
            ConnectionSpec s = HostState.spec("web", Map.of());
            assertFalse(s.strictHostKeys());
            assertEquals("no", s.hostKeyPolicy());
            assertEquals(Duration.ofSeconds(42), s.connectTimeout());
            assertEquals(Path.of("/cfg/known_hosts"), s.knownHosts());
            assertEquals("jump@bastion", s.proxyJump());
            // the host's variables win
            ConnectionSpec h = HostState.spec("web", Map.of("ansible_host_key_checking", true, "ansible_timeout", 5,
                    "ansible_ssh_common_args", "-o UserKnownHostsFile=/host/known_hosts"));
            assertTrue(h.strictHostKeys());
            assertEquals(Duration.ofSeconds(5), h.connectTimeout());
            assertEquals(Path.of("/host/known_hosts"), h.knownHosts());
        } finally {
            restore.run();
        }
        ConnectionSpec after = HostState.spec("web", Map.of());
        assertTrue(after.strictHostKeys());
        assertNull(after.hostKeyPolicy());
        assertEquals(Duration.ofSeconds(10), after.connectTimeout());
    }

    @Test
    void theEnvironmentOverTheFile() throws Exception {
        Runnable restore = install("[defaults]\nhost_key_checking = False\ntimeout = 42\n",
                Map.of("ANSIBLE_HOST_KEY_CHECKING", "True", "ANSIBLE_TIMEOUT", "7"));
        try {
            ConnectionSpec s = HostState.spec("web", Map.of());
            assertTrue(s.strictHostKeys());
            assertNull(s.hostKeyPolicy()); // checking on: ssh's own default policy, as with nothing set
            assertEquals(Duration.ofSeconds(7), s.connectTimeout());
        } finally {
            restore.run();
        }
    }
}
