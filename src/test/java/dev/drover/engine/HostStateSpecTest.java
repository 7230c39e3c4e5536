package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.ConnectionSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How inventory variables and CLI options become a ConnectionSpec (the ssh config fills what is left). */
class HostStateSpecTest {

    @Test
    void unsetValuesAreLeftToTheSshConfig() throws Exception {
        ConnectionSpec s = HostState.spec("web", Map.of());
        assertEquals("web", s.address());
        assertEquals(0, s.port());
        assertNull(s.user());
        assertNull(s.privateKey());
        assertNull(s.hostKeyPolicy());
        assertNull(s.proxyJump());
        assertTrue(s.strictHostKeys());
    }

    @Test
    void sshArgsGiveJumpAndHostKeyPolicy() throws Exception {
        ConnectionSpec s = HostState.spec("web", Map.of("ansible_ssh_common_args",
                "-J jumper@bastion:2222 -o StrictHostKeyChecking=accept-new"));
        assertEquals("jumper@bastion:2222", s.proxyJump());
        assertEquals("accept-new", s.hostKeyPolicy());
        assertTrue(s.strictHostKeys());
        ConnectionSpec o = HostState.spec("web", Map.of("ansible_ssh_extra_args", "-o ProxyJump=b1,b2",
                "ansible_host_key_checking", false));
        assertEquals("b1,b2", o.proxyJump());
        assertEquals("no", o.hostKeyPolicy());
        assertFalse(o.strictHostKeys());
        assertEquals("accept-new", HostState.spec("w", Map.of("drover_host_key_checking", "accept-new")).hostKeyPolicy());
    }

    @Test
    void inventoryWinsOverCliOptionsWhichAreSecretInToString() throws Exception {
        Map<String, Object> cli = Map.of("remote_user", "cliuser", HostState.CLI_PRIVATE_KEY, "/k/cli",
                HostState.CLI_PASSWORD, "pw-from-k");
        ConnectionSpec s = HostState.spec("web", Map.of(), cli);
        assertEquals("cliuser", s.user());
        assertEquals(Path.of("/k/cli"), s.privateKey());
        assertEquals("pw-from-k", s.password());
        assertFalse(s.toString().contains("pw-from-k"), s.toString());
        ConnectionSpec v = HostState.spec("web", Map.of("ansible_user", "invuser", "ansible_ssh_private_key_file", "/k/inv",
                "ansible_password", "inv-pw", "ansible_port", 2200), cli);
        assertEquals("invuser", v.user());
        assertEquals(Path.of("/k/inv"), v.privateKey());
        assertEquals("inv-pw", v.password());
        assertEquals(2200, v.port());
    }

    @Test
    void connectionTypesAreAnsiblesNamesAndAnUnknownOneIsRefused() throws Exception {
        assertTrue(HostState.spec("web", Map.of("ansible_connection", "ansible.builtin.local")).isLocal());
        assertFalse(HostState.spec("localhost", Map.of("ansible_connection", "paramiko_ssh")).isLocal());
        assertFalse(HostState.spec("localhost", Map.of(), Map.of("connection", "smart")).isLocal());
        ConnectionTypes.NotFound e = org.junit.jupiter.api.Assertions.assertThrows(ConnectionTypes.NotFound.class,
                () -> HostState.spec("web", Map.of("ansible_connection", "docker")));
        assertEquals("the connection plugin 'docker' was not found: drover connects with local, ssh, smart, paramiko.",
                e.getMessage());
    }
}
