package dev.drover.inventory;

import dev.drover.yaml.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inventory while sources are read: a mutable mirror of Ansible's {@code InventoryData}
 * (groups {@code all} and {@code ungrouped} always exist; {@code reconcile} applies the rules Ansible
 * applies after parsing).
 */
final class Model {
    static final Set<String> LOCALHOST = Set.of("localhost", "127.0.0.1", "::1");

    static final class MGroup {
        final String name;
        final List<String> hosts = new ArrayList<>();
        final List<String> children = new ArrayList<>();
        final List<String> parents = new ArrayList<>();
        final Map<String, Object> vars = new LinkedHashMap<>();
        int priority = 1;

        MGroup(String name) {
            this.name = name;
        }
    }

    static final class MHost {
        final String name;
        final Map<String, Object> vars = new LinkedHashMap<>();
        /** The source that first defined the host, or null (Ansible's inventory_file). */
        final String source;

        MHost(String name, String source) {
            this.name = name;
            this.source = source;
        }
    }

    final Map<String, MGroup> groups = new LinkedHashMap<>();
    final Map<String, MHost> hosts = new LinkedHashMap<>();
    /** The current source, as Ansible's {@code current_source}: recorded on hosts it adds. */
    String currentSource;

    Model() {
        addGroup("all");
        addGroup("ungrouped");
        groups.get("all").children.add("ungrouped");
        groups.get("ungrouped").parents.add("all");
    }

    MGroup addGroup(String name) {
        return groups.computeIfAbsent(name, MGroup::new);
    }

    /** Adds the host if new (port applies only then, as in Ansible) and puts it in the group. */
    MHost addHost(String name, String group, Integer port) {
        MHost h = hosts.get(name);
        if (h == null) {
            h = new MHost(name, currentSource);
            hosts.put(name, h);
            if (port != null) {
                h.vars.put("ansible_port", port);
            }
        }
        if (group != null) {
            MGroup g = groups.get(group);
            if (!g.hosts.contains(name)) {
                g.hosts.add(name);
            }
        }
        return h;
    }

    void setGroupVar(String group, String key, Object value, Location where) throws InventoryException {
        MGroup g = groups.get(group);
        if ("ansible_group_priority".equals(key)) {
            try {
                g.priority = value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value).trim());
            } catch (NumberFormatException e) {
                throw new InventoryException(where,
                        "ansible_group_priority of group '" + group + "' must be an integer, got: " + value);
            }
            return;
        }
        g.vars.put(key, value);
    }

    /** Makes child a child group of parent; refuses loops as Ansible does. */
    void addChild(String parent, String child, Location where) throws InventoryException {
        MGroup p = groups.get(parent);
        MGroup c = groups.get(child);
        if (p == c) {
            throw new InventoryException(where, "can't add group '" + parent + "' to itself");
        }
        if (p.children.contains(child)) {
            return;
        }
        if (ancestors(parent).contains(child)) {
            throw new InventoryException(where, "Adding group '" + child + "' as child to '" + parent
                    + "' creates a recursive dependency loop.");
        }
        p.children.add(child);
        c.parents.add(parent);
    }

    Set<String> ancestors(String group) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(groups.get(group).parents);
        while (!todo.isEmpty()) {
            String g = todo.remove(todo.size() - 1);
            if (seen.add(g)) {
                todo.addAll(groups.get(g).parents);
            }
        }
        return seen;
    }

    /** Ansible's reconcile_inventory: orphan groups under all, hosts in no group into ungrouped. */
    void reconcile() {
        for (MGroup g : groups.values()) {
            if (!g.name.equals("all") && g.parents.isEmpty()) {
                groups.get("all").children.add(g.name);
                g.parents.add("all");
            }
        }
        Map<String, Set<String>> hostGroups = hostGroups();
        MGroup ungrouped = groups.get("ungrouped");
        for (MHost h : hosts.values()) {
            Set<String> mine = hostGroups.getOrDefault(h.name, Set.of());
            if (mine.contains("ungrouped")) {
                Set<String> others = new LinkedHashSet<>(mine);
                others.remove("all");
                others.remove("ungrouped");
                if (!others.isEmpty()) {
                    ungrouped.hosts.remove(h.name);
                }
            } else if (mine.isEmpty() || (mine.size() == 1 && mine.contains("all"))) {
                ungrouped.hosts.add(h.name);
            }
        }
    }

    /** For every host, the groups holding it directly. */
    Map<String, Set<String>> hostGroups() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (MGroup g : groups.values()) {
            for (String h : g.hosts) {
                out.computeIfAbsent(h, k -> new LinkedHashSet<>()).add(g.name);
            }
        }
        return out;
    }
}
