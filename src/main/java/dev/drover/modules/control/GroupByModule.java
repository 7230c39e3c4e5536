package dev.drover.modules.control;

import dev.drover.module.Args;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ansible.builtin.group_by: puts the task's host into the group {@code key} (spaces become
 * dashes), a child of each of {@code parents} (default {@code all}). The engine changes the
 * run's inventory and reports changed when it did, as Ansible.
 */
public final class GroupByModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("group_by", List.of(), List.of(
            Param.required("key", ParamType.STR),
            Param.of("parents", ParamType.RAW)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        if (!a.has("key")) {
            throw new ModuleException("the 'key' param is required when using group_by");
        }
        Object p = a.raw("parents");
        List<String> parents = p == null ? List.of("all") : p instanceof List<?> l
                ? l.stream().map(x -> String.valueOf(x).replace(' ', '-')).toList()
                : List.of(String.valueOf(p).replace(' ', '-'));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("add_group", a.str("key").replace(' ', '-'));
        v.put("parent_groups", parents);
        v.put("changed", false);
        return Plan.nothing("group by " + a.str("key"), v);
    }
}
