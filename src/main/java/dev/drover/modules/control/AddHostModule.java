package dev.drover.modules.control;

import dev.drover.module.Args;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ansible.builtin.add_host: a host (with {@code host:port}) for the run's inventory, in
 * {@code groups}, with every other argument as a host variable. The engine adds it to the
 * inventory (later plays' patterns see it) and reports changed when the inventory changed; the
 * task runs once per loop item for the play, as Ansible's BYPASS_HOST_LOOP does.
 */
public final class AddHostModule implements Module {
    private static final Set<String> SPECIAL = Set.of("name", "hostname", "host", "groupname", "groups", "group");
    private static final ModuleSpec SPEC = new ModuleSpec("add_host", List.of(), List.of(
            Param.of("name", ParamType.STR).withAliases("host", "hostname"),
            Param.of("groups", ParamType.RAW).withAliases("group", "groupname")), null, true);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        Map<String, Object> given = a.asMap();
        String name = a.str("name");
        for (String alias : List.of("hostname", "host")) {
            if (name == null && given.get(alias) != null) {
                name = String.valueOf(given.get(alias));
            }
        }
        if (name == null) {
            throw new ModuleException("name, host or hostname needs to be provided");
        }
        Map<String, Object> hostVars = new LinkedHashMap<>();
        // "host:port" as Ansible's parse_address reads it (not an IPv6 address)
        java.util.regex.Matcher hp = java.util.regex.Pattern.compile("^([^:\\[\\]]+):(\\d+)$").matcher(name);
        if (hp.matches()) {
            name = hp.group(1);
            hostVars.put("ansible_ssh_port", Integer.parseInt(hp.group(2)));
        }
        Object groups = given.get("groups");
        for (String alias : List.of("groupname", "group")) {
            if (groups == null && given.get(alias) != null) {
                groups = given.get(alias);
            }
        }
        List<String> groupList = new ArrayList<>();
        if (groups instanceof List<?> l) {
            l.forEach(g -> addOnce(groupList, String.valueOf(g).strip()));
        } else if (groups instanceof String s && !s.isEmpty()) {
            for (String g : s.split(",")) {
                addOnce(groupList, g.strip());
            }
        } else if (groups != null && !(groups instanceof String)) {
            throw new ModuleException("Groups must be specified as a list.");
        }
        for (Map.Entry<String, Object> e : given.entrySet()) {
            if (!SPECIAL.contains(e.getKey())) {
                hostVars.put(e.getKey(), e.getValue());
            }
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("host_name", name);
        info.put("groups", groupList);
        info.put("host_vars", hostVars);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("add_host", info);
        v.put("changed", false);
        return Plan.nothing("add host " + name, v);
    }

    private static void addOnce(List<String> list, String g) {
        if (!list.contains(g)) {
            list.add(g);
        }
    }
}
