package dev.drover.modules.system;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Exec;
import dev.drover.module.GroupState;
import dev.drover.module.HostView;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.module.UserState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ansible.builtin.user via useradd / usermod / userdel. Compares only what the task asks for.
 * The password hash is compared through a live probe of {@code getent shadow} and never shown.
 */
public final class UserModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("user", List.of(), List.of(
            Param.required("name", ParamType.STR).withAliases("user"),
            Param.of("state", ParamType.STR).withDefault("present").withChoices("absent", "present"),
            Param.of("uid", ParamType.INT),
            Param.of("group", ParamType.STR),
            Param.of("groups", ParamType.LIST),
            Param.of("append", ParamType.BOOL).withDefault(false),
            Param.of("home", ParamType.PATH),
            Param.of("shell", ParamType.STR),
            Param.of("comment", ParamType.STR),
            Param.of("system", ParamType.BOOL).withDefault(false),
            Param.of("create_home", ParamType.BOOL).withDefault(true).withAliases("createhome"),
            Param.of("password", ParamType.STR),
            Param.of("update_password", ParamType.STR).withDefault("always").withChoices("always", "on_create"),
            Param.of("remove", ParamType.BOOL).withDefault(false),
            Param.of("force", ParamType.BOOL).withDefault(false),
            Param.of("move_home", ParamType.BOOL).withDefault(false),
            Param.of("non_unique", ParamType.BOOL).withDefault(false),
            Param.of("local", ParamType.BOOL).withDefault(false)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        String name = a.requireStr("name");
        Optional<UserState> cur = host.user(name);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", name);
        v.put("state", a.str("state"));
        if (a.str("state").equals("absent")) {
            v.put("force", a.bool("force"));
            v.put("remove", a.bool("remove"));
            if (cur.isEmpty()) {
                return Plan.nothing("user " + name + " is absent", v);
            }
            List<String> cmd = new ArrayList<>(List.of("userdel"));
            if (a.bool("force")) {
                cmd.add("-f");
            }
            if (a.bool("remove")) {
                cmd.add("-r");
            }
            cmd.add(name);
            boolean ownGroup = host.group(name).isPresent();
            return Plan.builder().values(v)
                    .change(new Exec("delete user " + name, ShellCommand.of(ShellQuote.join(cmd)), (s, u) -> {
                        s.putUser(name, null);
                        if (ownGroup) {
                            s.putGroup(name, null); // USERGROUPS_ENAB: userdel drops the user's own group
                        }
                    }, false))
                    .reason("delete user " + name).build();
        }

        Integer uid = a.integer("uid");
        String group = a.str("group");
        List<String> groups = a.has("groups") ? a.strings("groups") : null;
        String home = a.str("home");
        String shell = a.str("shell");
        String comment = a.str("comment");
        String password = a.str("password");
        if (group != null && host.group(group).isEmpty()) {
            throw new ModuleException("Group " + group + " does not exist");
        }
        if (groups != null) {
            for (String g : groups) {
                if (!g.isEmpty() && host.group(g).isEmpty()) {
                    throw new ModuleException("Group " + g + " does not exist");
                }
            }
        }
        v.put("system", a.bool("system"));

        if (cur.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("useradd"));
            if (uid != null) {
                cmd.addAll(List.of("-u", uid.toString()));
                if (a.bool("non_unique")) {
                    cmd.add("-o");
                }
            }
            boolean ownGroup = false;
            if (group != null) {
                cmd.addAll(List.of("-g", group));
            } else if (host.group(name).isPresent()) {
                cmd.add("-N");
            } else {
                ownGroup = true;
            }
            if (groups != null) {
                cmd.addAll(List.of("-G", String.join(",", groups)));
            }
            if (comment != null) {
                cmd.addAll(List.of("-c", comment));
            }
            if (home != null) {
                cmd.addAll(List.of("-d", home));
            }
            if (shell != null) {
                cmd.addAll(List.of("-s", shell));
            }
            if (password != null) {
                cmd.addAll(List.of("-p", password));
            }
            if (a.bool("system")) {
                cmd.add("-r");
            }
            cmd.add(a.bool("create_home") ? "-m" : "-M");
            cmd.add(name);
            String primary = group != null ? group : ownGroup ? name : "users";
            UserState after = new UserState(name, uid == null ? -1 : uid, -1, primary, comment == null ? "" : comment,
                    home != null ? home : "/home/" + name, shell != null ? shell : "/bin/sh",
                    groups == null ? List.of(primary) : concat(primary, groups));
            boolean makesGroup = ownGroup;
            boolean systemUser = a.bool("system");
            boolean makesHome = a.bool("create_home");
            String homeMode = homeMode(host);
            v.put("create_home", a.bool("create_home"));
            putIfSet(v, "uid", uid);
            v.put("comment", after.comment());
            v.put("home", after.home());
            v.put("shell", after.shell());
            if (groups != null) {
                v.put("groups", String.join(",", groups));
            }
            return Plan.builder().values(v)
                    // the command line may carry the password hash: the description never does
                    .change(new Exec("create user " + name,
                            ShellCommand.of(ShellQuote.join(cmd) + " && getent passwd -- " + ShellQuote.quote(name)),
                            (s, u) -> {
                                s.putUser(name, after);
                                if (makesGroup) {
                                    s.putGroup(name, new GroupState(name, -1, systemUser));
                                }
                                if (makesHome && s.file(after.home()).map(f -> !f.exists()).orElse(true)) {
                                    // useradd -m: the home, owned by the user, mode from login.defs (HOME_MODE)
                                    s.putNewDirectory(new dev.drover.module.FileState(after.home(),
                                            dev.drover.module.FileState.Kind.DIRECTORY, homeMode, name, primary, 4096,
                                            null, null));
                                }
                            }, false))
                    .reason("create user " + name)
                    .mapper(UserModule::fromPasswd)
                    .build();
        }

        UserState u = cur.get();
        List<String> mod = new ArrayList<>();
        String newGroup = u.group();
        if (uid != null && uid != u.uid()) {
            mod.addAll(List.of("-u", uid.toString()));
            if (a.bool("non_unique")) {
                mod.add("-o");
            }
        }
        if (group != null && !group.equals(u.group()) && !group.equals(String.valueOf(u.gid()))) {
            mod.addAll(List.of("-g", group));
            newGroup = group;
        }
        List<String> newGroups = u.groups();
        if (groups != null) {
            Set<String> have = new LinkedHashSet<>(u.groups());
            have.remove(u.group());
            Set<String> want = new LinkedHashSet<>(groups);
            want.remove("");
            want.remove(newGroup);
            boolean differs = a.bool("append") ? !have.containsAll(want) : !have.equals(want);
            if (differs) {
                if (a.bool("append")) {
                    mod.add("-a");
                }
                mod.addAll(List.of("-G", String.join(",", want)));
                Set<String> result = new LinkedHashSet<>();
                result.add(newGroup);
                if (a.bool("append")) {
                    result.addAll(have);
                }
                result.addAll(want);
                newGroups = List.copyOf(result);
            }
        }
        if (comment != null && !comment.equals(u.comment())) {
            mod.addAll(List.of("-c", comment));
        }
        if (home != null && !home.equals(u.home())) {
            mod.addAll(List.of("-d", home));
            if (a.bool("move_home")) {
                mod.add("-m");
            }
        }
        if (shell != null && !shell.equals(u.shell())) {
            mod.addAll(List.of("-s", shell));
        }
        if (password != null && a.str("update_password").equals("always")) {
            CommandResult shadow = host.probe("set -o pipefail 2>/dev/null; getent shadow -- " + ShellQuote.quote(name)
                    + " | cut -d: -f2");
            // no shadow entry: the user exists only in a check-mode simulation, created with this hash
            if (shadow.succeeded() && !shadow.out().isBlank() && !shadow.out().trim().equals(password)) {
                mod.addAll(List.of("-p", password));
            }
        }
        v.put("uid", uid != null ? uid : u.uid());
        v.put("group", u.gid());
        v.put("comment", comment != null ? comment : u.comment());
        v.put("home", home != null ? home : u.home());
        v.put("shell", shell != null ? shell : u.shell());
        v.put("append", a.bool("append"));
        v.put("move_home", a.bool("move_home"));
        if (groups != null) {
            v.put("groups", String.join(",", groups));
        }
        if (mod.isEmpty()) {
            return Plan.nothing("user " + name + " is as asked", v);
        }
        List<String> cmd = new ArrayList<>(List.of("usermod"));
        cmd.addAll(mod);
        cmd.add(name);
        UserState after = new UserState(name, uid != null ? uid : u.uid(), u.gid(), newGroup,
                comment != null ? comment : u.comment(), home != null ? home : u.home(),
                shell != null ? shell : u.shell(), newGroups);
        return Plan.builder().values(v)
                .change(new Exec("modify user " + name,
                        ShellCommand.of(ShellQuote.join(cmd) + " && getent passwd -- " + ShellQuote.quote(name)),
                        (s, usr) -> s.putUser(name, after), false))
                .reason("modify user " + name)
                .mapper(UserModule::fromPasswd)
                .build();
    }

    private static List<String> concat(String first, List<String> rest) {
        Set<String> s = new LinkedHashSet<>();
        s.add(first);
        s.addAll(rest);
        return List.copyOf(s);
    }

    private static void putIfSet(Map<String, Object> v, String key, Object value) {
        if (value != null) {
            v.put(key, value);
        }
    }

    /** uid, group (gid), home, shell and comment as the host ended up with them. */
    private static Map<String, Object> fromPasswd(Map<String, Object> planned, List<CommandResult> results) {
        Map<String, Object> out = new LinkedHashMap<>(planned);
        String[] lines = results.get(0).out().trim().split("\n");
        String[] f = lines[lines.length - 1].split(":", -1);
        if (f.length >= 7 && f[2].matches("\\d+")) {
            out.put("uid", Integer.parseInt(f[2]));
            out.put("group", Integer.parseInt(f[3]));
            out.put("comment", f[4]);
            out.put("home", f[5]);
            out.put("shell", f[6]);
        }
        return out;
    }

    /**
     * The mode useradd -m gives a home: login.defs' HOME_MODE, else 0777 minus its UMASK (0755
     * when it says nothing). Read from the live host, where a check run finds the same file.
     */
    private static String homeMode(dev.drover.module.HostView host) throws ConnectionException {
        dev.drover.connection.CommandResult r = host.probe(
                "awk '$1 == \"HOME_MODE\" || $1 == \"UMASK\" { print $1, $2 }' /etc/login.defs 2>/dev/null");
        String mode = null;
        String umask = null;
        for (String line : r.out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[1].matches("0?[0-7]{3}")) {
                if (f[0].equals("HOME_MODE")) {
                    mode = f[1];
                } else {
                    umask = f[1];
                }
            }
        }
        if (mode != null) {
            return dev.drover.module.Modes.octal(Integer.parseInt(mode, 8));
        }
        return dev.drover.module.Modes.octal(0777 & ~(umask == null ? 022 : Integer.parseInt(umask, 8)));
    }
}
