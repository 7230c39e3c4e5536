package dev.drover.engine;

import dev.drover.connection.Connection;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ConnectionSpec;
import dev.drover.connection.Connections;
import dev.drover.inventory.Host;
import dev.drover.module.SimulatedState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Everything the engine keeps about one host during a run: its connection, facts, variables set
 * by tasks, the simulated state of a check run, failure flags, notified handlers, recap counts.
 * Touched by one worker at a time (the linear strategy runs one task per host at a time).
 */
final class HostState {
    final Host host;
    final Map<String, Object> inventoryVars;
    /** ansible_facts (keys without the ansible_ prefix). */
    final Map<String, Object> facts = new LinkedHashMap<>();
    /** set_fact, register, include_vars. */
    final Map<String, Object> hostVars = new LinkedHashMap<>();
    final SimulatedState simulated = new SimulatedState();
    final Set<String> notified = new LinkedHashSet<>();
    final StatsCounter stats;
    private Connection connection;
    boolean unreachable;
    /** Counts this host's unignored failures: a change tells a task list the host dropped out. */
    int failures;
    boolean failed;
    boolean ended;
    /** The last unignored failure: what a rescue section sees as ansible_failed_task/_result. */
    Map<String, Object> lastFailedTask;
    Map<String, Object> lastFailedResult;

    HostState(Host host, Map<String, Object> inventoryVars) {
        this.host = host;
        this.inventoryVars = inventoryVars;
        this.stats = new StatsCounter(host.name());
    }

    String name() {
        return host.name();
    }

    boolean active() {
        return !failed && !unreachable && !ended;
    }

    Connection connection() throws ConnectionException {
        if (connection == null) {
            connection = Connections.open(spec(host.name(), inventoryVars));
        }
        return connection;
    }

    void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    /** How to reach a host, from its ansible_* variables. */
    static ConnectionSpec spec(String name, Map<String, Object> vars) {
        Object type = vars.get("ansible_connection");
        boolean local = type != null ? "local".equals(String.valueOf(type))
                : name.equals("localhost") || name.equals("127.0.0.1");
        if (local) {
            return ConnectionSpec.local(name);
        }
        String address = str(vars.get("ansible_host"), name);
        int port = Integer.parseInt(str(vars.get("ansible_port"), str(vars.get("ansible_ssh_port"), "22")));
        String user = str(vars.get("ansible_user"), str(vars.get("ansible_ssh_user"), null));
        String key = str(vars.get("ansible_ssh_private_key_file"), str(vars.get("ansible_private_key_file"), null));
        String knownHosts = str(vars.get("drover_known_hosts"), null);
        Object strict = vars.get("ansible_host_key_checking");
        boolean strictKeys = strict == null || !Boolean.FALSE.equals(dev.drover.playbook.Keywords.toBool(strict));
        int timeout = Integer.parseInt(str(vars.get("ansible_ssh_timeout"), str(vars.get("ansible_timeout"), "10")));
        return new ConnectionSpec(name, "ssh", address, port, user,
                key == null ? null : Path.of(expandHome(key)),
                knownHosts == null ? null : Path.of(expandHome(knownHosts)), strictKeys, Duration.ofSeconds(timeout));
    }

    private static String expandHome(String p) {
        return p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
    }

    private static String str(Object v, String dflt) {
        return v == null ? dflt : String.valueOf(v);
    }
}
