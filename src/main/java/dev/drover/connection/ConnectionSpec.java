package dev.drover.connection;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything needed to reach one host, resolved from inventory variables
 * (ansible_connection, ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file).
 *
 * @param name           inventory name, used in messages
 * @param type           {@code local} or {@code ssh}
 * @param address        host name or IP to connect to (ssh only)
 * @param port           ssh port, 22 by default
 * @param user           login user; null = the current user
 * @param privateKey     key file; null = ~/.ssh/id_* that exist
 * @param knownHosts     known_hosts file; null = ~/.ssh/known_hosts
 * @param strictHostKeys refuse unknown or changed host keys (the default)
 * @param connectTimeout how long to wait for the transport
 */
public record ConnectionSpec(String name, String type, String address, int port, String user,
                             Path privateKey, Path knownHosts, boolean strictHostKeys,
                             Duration connectTimeout) {

    public static ConnectionSpec local(String name) {
        return new ConnectionSpec(name, "local", null, 0, null, null, null, true, Duration.ofSeconds(10));
    }

    public boolean isLocal() {
        return "local".equals(type);
    }
}
