package dev.drover.engine;

import dev.drover.inventory.Host;
import dev.drover.playbook.Role;
import dev.drover.playbook.Scope;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assembles the variables a task sees on a host, lowest precedence first (Ansible's table for
 * the sources drover supports): role defaults, inventory (group then host vars, see
 * {@link dev.drover.inventory.Inventory#varsFor}), facts, play vars, vars_files, role vars,
 * block and task vars, set_fact/register/include_vars, role params, loop variables, extra vars;
 * then the magic variables.
 */
final class VarsBuilder {
    /** Ansible's {@code omit}: an argument whose value is this is dropped. */
    static final String OMIT = "__omit_place_holder__drover";

    private VarsBuilder() {
    }

    static Map<String, Object> build(RunContext rc, PlayRun play, HostState h, Scope scope, Map<String, Object> loopVars) {
        Map<String, Object> v = new LinkedHashMap<>();
        Role role = scope == null ? null : scope.role();
        // the defaults of every role of the play (with their dependencies'), then the task's own
        // role's: its dependencies', the roles that brought it (outer first), its own (Ansible's
        // private_role_vars=False: role vars and defaults are visible play-wide)
        for (Role r : play.roles()) {
            v.putAll(r.exportedDefaults());
        }
        List<Role> roleChain = scope == null ? List.of() : roleChain(scope);
        if (role != null) {
            v.putAll(role.dependencyDefaults());
            for (Role r : roleChain) {
                v.putAll(r.defaults());
            }
        }
        v.putAll(h.inventoryVars);
        putFacts(v, h);
        if (scope != null) {
            List<Scope> chain = scope.chain();
            v.putAll(chain.get(0).vars());
            v.putAll(play.promptVars());
            v.putAll(play.varsFilesVars());
            for (Role r : play.roles()) {
                v.putAll(r.exportedVars());
            }
            Role seen = null;
            Map<String, Object> inner = new LinkedHashMap<>();
            for (int i = 1; i < chain.size(); i++) {
                Scope s = chain.get(i);
                if (s.role() != null && s.role() != seen) {
                    seen = s.role();
                    if (seen == role) {
                        inner.putAll(seen.dependencyVars());
                    }
                    inner.putAll(seen.vars());
                }
                Object own = s.keywords().get("vars");
                if (own instanceof Map<?, ?> m) {
                    m.forEach((k, val) -> inner.put(String.valueOf(k), val));
                }
            }
            v.putAll(inner);
        } else {
            v.putAll(play.playScope().vars());
            v.putAll(play.promptVars());
            v.putAll(play.varsFilesVars());
            for (Role r : play.roles()) {
                v.putAll(r.exportedVars());
            }
        }
        v.putAll(h.includedVars);
        v.putAll(h.hostVars);
        for (Role r : roleChain) { // role params: of the roles that brought this one, then its own
            v.putAll(r.params());
        }
        if (loopVars != null) {
            v.putAll(loopVars);
        }
        v.putAll(rc.options.extraVars());
        putMagic(v, rc, play, h, role);
        return v;
    }

    /** The roles of a scope's chain, outermost first (a dependency after the role that needs it). */
    static List<Role> roleChain(Scope scope) {
        List<Role> out = new ArrayList<>();
        for (Scope s : scope.chain()) {
            if (s.role() != null && (out.isEmpty() || out.get(out.size() - 1) != s.role())) {
                out.add(s.role());
            }
        }
        return out;
    }

    private static void putFacts(Map<String, Object> v, HostState h) {
        if (h.facts.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Object> e : h.facts.entrySet()) {
            v.put(Facts.injectedName(e.getKey()), e.getValue());
        }
        v.put("ansible_facts", new LinkedHashMap<>(h.facts));
    }

    private static void putMagic(Map<String, Object> v, RunContext rc, PlayRun play, HostState h, Role role) {
        Host host = h.host;
        v.putAll(rc.inventory.magicVars(host));
        v.put("inventory_hostname", host.name());
        v.put("inventory_hostname_short", host.name().split("\\.")[0]);
        v.put("playbook_dir", rc.playbookDir.toString());
        v.put("ansible_check_mode", rc.options.check());
        v.put("ansible_diff_mode", rc.options.diff());
        v.put("ansible_verbosity", rc.options.verbosity());
        v.put("ansible_version", Map.of("full", "2.14.0", "major", 2, "minor", 14, "revision", 0, "string", "2.14.0"));
        v.put("omit", OMIT);
        List<String> playHosts = play.hostNames();
        v.put("ansible_play_hosts_all", playHosts);
        List<String> active = new ArrayList<>();
        for (String n : playHosts) {
            HostState s = rc.hosts.get(n);
            if (s != null && !s.failed && !s.unreachable) {
                active.add(n);
            }
        }
        v.put("ansible_play_hosts", active);
        // serial: the batch being run (Ansible's play_hosts is the batch too)
        java.util.Set<String> inBatch = play.batchNames();
        List<String> batch = inBatch.isEmpty() ? active : active.stream().filter(inBatch::contains).toList();
        v.put("ansible_play_batch", batch);
        v.put("play_hosts", batch);
        v.put("ansible_play_name", play.play().name());
        List<String> playRoles = new ArrayList<>();
        Set<String> allRoles = new LinkedHashSet<>();
        for (Role r : play.roles()) {
            playRoles.add(r.name());
            allRoles.add(r.name());
            r.allDependencies().forEach(d -> allRoles.add(d.name()));
        }
        v.put("role_names", playRoles);
        v.put("ansible_play_role_names", playRoles);
        v.put("ansible_role_names", new ArrayList<>(allRoles));
        if (role != null) {
            v.put("role_name", role.shortName());
            v.put("role_path", role.path().toString());
            v.put("ansible_role_name", role.name());
        }
        v.put("hostvars", new HostVars(rc, play));
    }

    /** {@code hostvars}: each host's inventory vars, facts and task-set vars, built when read. */
    static final class HostVars extends AbstractMap<String, Object> {
        private final RunContext rc;
        private final PlayRun play;

        HostVars(RunContext rc, PlayRun play) {
            this.rc = rc;
            this.play = play;
        }

        @Override
        public Object get(Object key) {
            HostState h = rc.hosts.get(String.valueOf(key));
            if (h == null) {
                // a host of the inventory no play has reached yet (add_host's, for one)
                java.util.Optional<Host> host = rc.inventory.host(String.valueOf(key));
                if (host.isEmpty()) {
                    return null;
                }
                try {
                    Map<String, Object> v = new LinkedHashMap<>(rc.inventory.varsFor(host.get(), rc.playbookDir));
                    v.put("inventory_hostname", host.get().name());
                    return v;
                } catch (dev.drover.inventory.InventoryException e) {
                    return null;
                }
            }
            Map<String, Object> v = new LinkedHashMap<>(h.inventoryVars);
            putFacts(v, h);
            v.putAll(play.playScope().vars());
            v.putAll(play.promptVars());
            v.putAll(h.includedVars);
            v.putAll(h.hostVars);
            v.putAll(rc.options.extraVars());
            v.put("inventory_hostname", h.name());
            return v;
        }

        @Override
        public boolean containsKey(Object key) {
            return rc.hosts.containsKey(String.valueOf(key)) || rc.inventory.host(String.valueOf(key)).isPresent();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Set<Entry<String, Object>> s = new LinkedHashSet<>();
            for (String n : rc.hosts.keySet()) {
                s.add(new SimpleImmutableEntry<>(n, get(n)));
            }
            return s;
        }

        @Override
        public String toString() {
            return "hostvars" + rc.hosts.keySet();
        }
    }
}
