package dev.drover.connection;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything needed to reach one host, resolved from inventory variables
 * (ansible_connection, ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file, ...)
 * and the CLI (-u, --private-key, -k). What is left null is taken from the ssh config file
 * ({@code Host} entries: HostName, Port, User, IdentityFile, ProxyJump, StrictHostKeyChecking,
 * UserKnownHostsFile), then from ssh's defaults: inventory variables win over the ssh config, as in
 * Ansible.
 *
 * @param name           inventory name, used in messages
 * @param type           {@code local} or {@code ssh}
 * @param address        host name or IP to connect to (ssh only); also what ssh config Host patterns match
 * @param port           ssh port; 0 = the ssh config's, else 22
 * @param user           login user; null = the ssh config's, else the current user
 * @param privateKey     key file; null = the ssh config's IdentityFile, else ~/.ssh/id_* that exist (plus the agent's keys)
 * @param knownHosts     known_hosts file; null = the ssh config's UserKnownHostsFile, else ~/.ssh/known_hosts
 * @param strictHostKeys refuse unknown or changed host keys (the default); see {@code hostKeyPolicy}
 * @param connectTimeout how long to wait for the transport
 * @param hostKeyPolicy  {@code yes}, {@code no} or {@code accept-new} when set explicitly; null = the ssh
 *                       config's StrictHostKeyChecking, else {@code strictHostKeys}
 * @param proxyJump      {@code [user@]host[:port]} to jump through (comma-separated chain); null = the ssh config's
 * @param sshConfig      the ssh config file; null = $DROVER_SSH_CONFIG, else ~/.ssh/config
 * @param password       login password (-k), or null; never logged
 * @param keyPassphrase  passphrase of encrypted private keys, or null; never logged
 */
public record ConnectionSpec(String name, String type, String address, int port, String user,
                             Path privateKey, Path knownHosts, boolean strictHostKeys,
                             Duration connectTimeout, String hostKeyPolicy, String proxyJump, Path sshConfig,
                             String password, String keyPassphrase) {

    public ConnectionSpec(String name, String type, String address, int port, String user,
                          Path privateKey, Path knownHosts, boolean strictHostKeys, Duration connectTimeout) {
        this(name, type, address, port, user, privateKey, knownHosts, strictHostKeys, connectTimeout,
                null, null, null, null, null);
    }

    public static ConnectionSpec local(String name) {
        return new ConnectionSpec(name, "local", null, 0, null, null, null, true, Duration.ofSeconds(10));
    }

    public boolean isLocal() {
        return "local".equals(type);
    }

    public ConnectionSpec withHostKeyPolicy(String policy) {
        return new ConnectionSpec(name, type, address, port, user, privateKey, knownHosts, strictHostKeys,
                connectTimeout, policy, proxyJump, sshConfig, password, keyPassphrase);
    }

    public ConnectionSpec withProxyJump(String jump) {
        return new ConnectionSpec(name, type, address, port, user, privateKey, knownHosts, strictHostKeys,
                connectTimeout, hostKeyPolicy, jump, sshConfig, password, keyPassphrase);
    }

    public ConnectionSpec withSshConfig(Path config) {
        return new ConnectionSpec(name, type, address, port, user, privateKey, knownHosts, strictHostKeys,
                connectTimeout, hostKeyPolicy, proxyJump, config, password, keyPassphrase);
    }

    public ConnectionSpec withSecrets(String loginPassword, String passphrase) {
        return new ConnectionSpec(name, type, address, port, user, privateKey, knownHosts, strictHostKeys,
                connectTimeout, hostKeyPolicy, proxyJump, sshConfig, loginPassword, passphrase);
    }

    public ConnectionSpec withUserAndKey(String newUser, Path key) {
        return new ConnectionSpec(name, type, address, port, newUser, key, knownHosts, strictHostKeys,
                connectTimeout, hostKeyPolicy, proxyJump, sshConfig, password, keyPassphrase);
    }

    /** Without the secrets: they must never reach a log or a message. */
    @Override
    public String toString() {
        return "ConnectionSpec[name=" + name + ", type=" + type + ", address=" + address + ", port=" + port
                + ", user=" + user + ", privateKey=" + privateKey + ", knownHosts=" + knownHosts
                + ", strictHostKeys=" + strictHostKeys + ", connectTimeout=" + connectTimeout
                + ", hostKeyPolicy=" + hostKeyPolicy + ", proxyJump=" + proxyJump + ", sshConfig=" + sshConfig
                + ", password=" + (password == null ? "none" : "****")
                + ", keyPassphrase=" + (keyPassphrase == null ? "none" : "****") + "]";
    }
}
