package dev.drover.engine;

import dev.drover.connection.Connection;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ConnectionSpec;
import dev.drover.connection.Connections;
import java.util.LinkedHashMap;
import java.util.Map;

/** delegate_to: which host's connection a task uses, and whose facts it sets (delegate_facts). */
final class Delegation {
    private Delegation() {
    }

    /** The state of the host facts are delegated to (an inventory host; else this task's host). */
    static HostState factsHost(RunContext rc, HostState h, String name) {
        HostState other = rc.hosts.get(name);
        if (other == null && rc.inventory.host(name).isPresent()) {
            try {
                other = inventoryHost(rc, name);
            } catch (ConnectionException e) {
                return h;
            }
        }
        return other == null ? h : other;
    }

    private static HostState inventoryHost(RunContext rc, String name) throws ConnectionException {
        synchronized (rc.hosts) {
            HostState s = rc.hosts.get(name);
            if (s == null) {
                dev.drover.inventory.Host host = rc.inventory.host(name).orElseThrow();
                try {
                    s = new HostState(host, new LinkedHashMap<>(rc.inventory.varsFor(host, rc.playbookDir)));
                } catch (dev.drover.inventory.InventoryException e) {
                    throw new ConnectionException("delegate_to " + name + ": " + e.getMessage());
                }
                rc.hosts.put(name, s);
            }
            return s;
        }
    }

    /**
     * The connection a task on {@code h} uses: the host's own, or with delegate_to that of another
     * play or inventory host, the controller for localhost, or one opened by name.
     */
    static Connection connection(RunContext rc, HostState h, String delegateTo, Map<String, Object> keywords)
            throws ConnectionException {
        if (delegateTo == null || delegateTo.equals(h.name())) {
            return h.connection(keywords);
        }
        HostState other = rc.hosts.get(delegateTo);
        if (other == null && rc.inventory.host(delegateTo).isPresent()) {
            // an inventory host outside this play: reached with its own inventory variables, as in Ansible
            other = inventoryHost(rc, delegateTo);
        }
        if (other != null) {
            synchronized (other) {
                return other.connection(keywords);
            }
        }
        if (delegateTo.equals("localhost") || delegateTo.equals("127.0.0.1")) {
            return rc.localConnection();
        }
        ConnectionSpec spec = HostState.spec(delegateTo, Map.of(), keywords);
        return Connections.open(spec);
    }
}
