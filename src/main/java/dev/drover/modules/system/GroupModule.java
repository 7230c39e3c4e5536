package dev.drover.modules.system;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Exec;
import dev.drover.module.GroupState;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ansible.builtin.group via groupadd / groupmod / groupdel. */
public final class GroupModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("group", List.of(), List.of(
            Param.required("name", ParamType.STR),
            Param.of("state", ParamType.STR).withDefault("present").withChoices("absent", "present"),
            Param.of("gid", ParamType.INT),
            Param.of("system", ParamType.BOOL).withDefault(false),
            Param.of("local", ParamType.BOOL).withDefault(false),
            Param.of("non_unique", ParamType.BOOL).withDefault(false)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String name = a.requireStr("name");
        Integer gid = a.integer("gid");
        boolean system = a.bool("system");
        Optional<GroupState> cur = ctx.host().group(name);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", name);
        v.put("state", a.str("state"));
        if (a.str("state").equals("absent")) {
            if (cur.isEmpty()) {
                return Plan.nothing("group " + name + " is absent", v);
            }
            return Plan.builder().values(v)
                    .change(new Exec("delete group " + name, ShellCommand.of("groupdel " + ShellQuote.quote(name)),
                            (s, u) -> s.putGroup(name, null), false))
                    .reason("delete group " + name).build();
        }
        v.put("system", system);
        if (cur.isPresent()) {
            v.put("gid", cur.get().gid());
            if (gid == null || gid == cur.get().gid()) {
                return Plan.nothing("group " + name + " is as asked", v);
            }
            List<String> cmd = new ArrayList<>(List.of("groupmod", "-g", gid.toString()));
            if (a.bool("non_unique")) {
                cmd.add("-o");
            }
            cmd.add(name);
            v.put("gid", gid);
            GroupState after = new GroupState(name, gid, cur.get().system());
            return Plan.builder().values(v)
                    .change(new Exec("change group " + name, ShellCommand.of(ShellQuote.join(cmd)),
                            (s, u) -> s.putGroup(name, after), false))
                    .reason("change gid of group " + name).build();
        }
        List<String> cmd = new ArrayList<>(List.of("groupadd"));
        if (gid != null) {
            cmd.add("-g");
            cmd.add(gid.toString());
            if (a.bool("non_unique")) {
                cmd.add("-o");
            }
        }
        if (system) {
            cmd.add("-r");
        }
        cmd.add(name);
        GroupState after = new GroupState(name, gid == null ? -1 : gid, system);
        if (gid != null) {
            v.put("gid", gid);
        }
        return Plan.builder().values(v)
                .change(new Exec("create group " + name,
                        ShellCommand.of(ShellQuote.join(cmd) + " && getent group -- " + ShellQuote.quote(name)),
                        (s, u) -> s.putGroup(name, after), false))
                .reason("create group " + name)
                .mapper((planned, results) -> withGid(planned, results))
                .build();
    }

    /** The gid the host chose, from the getent line printed after groupadd. */
    private static Map<String, Object> withGid(Map<String, Object> planned, List<CommandResult> results) {
        Map<String, Object> out = new LinkedHashMap<>(planned);
        String[] f = results.get(0).out().trim().split(":", -1);
        if (f.length >= 3 && f[2].matches("\\d+")) {
            out.put("gid", Integer.parseInt(f[2]));
        }
        return out;
    }
}
