package dev.drover.connection;

import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.SSHAgentConnector;

/** ssh-agent's keys, through the socket of {@code $SSH_AUTH_SOCK} (or the {@code drover.ssh_auth_sock} property). */
final class Agent {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private Agent() {
    }

    /** The agent's identities, or null when there is no agent. */
    static IdentityRepository repository() {
        String sock = System.getProperty("drover.ssh_auth_sock");
        if (sock == null) {
            sock = System.getenv("SSH_AUTH_SOCK");
        }
        if (sock == null || sock.isBlank() || !Files.exists(Path.of(sock))) {
            return null;
        }
        try {
            SSHAgentConnector c = new SSHAgentConnector(Path.of(sock));
            return c.isAvailable() ? new AgentIdentityRepository(c) : null;
        } catch (AgentProxyException | RuntimeException e) {
            log.debug("ssh-agent at {} unusable: {}", sock, e.toString());
            return null;
        }
    }
}
