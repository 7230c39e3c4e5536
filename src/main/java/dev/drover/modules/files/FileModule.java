package dev.drover.modules.files;

import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Exec;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.MakeDirectory;
import dev.drover.module.MakeLink;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.RemovePath;
import dev.drover.module.WriteFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ansible.builtin.file: a path's kind (file, directory, link, absent) and attributes. */
public final class FileModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("file", List.of(), List.of(
            Param.required("path", ParamType.PATH).withAliases("dest", "name"),
            Param.of("state", ParamType.STR).withChoices("absent", "directory", "file", "hard", "link", "touch"),
            Param.of("mode", ParamType.MODE),
            Param.of("owner", ParamType.STR),
            Param.of("group", ParamType.STR),
            Param.of("recurse", ParamType.BOOL).withDefault(false),
            Param.of("src", ParamType.PATH),
            Param.of("force", ParamType.BOOL).withDefault(false),
            Param.of("follow", ParamType.BOOL).withDefault(true),
            Param.of("modification_time", ParamType.STR),
            Param.of("modification_time_format", ParamType.STR).withDefault("%Y%m%d%H%M.%S"),
            Param.of("access_time", ParamType.STR),
            Param.of("access_time_format", ParamType.STR).withDefault("%Y%m%d%H%M.%S"),
            Param.of("unsafe_writes", ParamType.BOOL).withDefault(false),
            Param.of("attributes", ParamType.STR).withAliases("attr"),
            Param.of("seuser", ParamType.STR), Param.of("serole", ParamType.STR),
            Param.of("setype", ParamType.STR), Param.of("selevel", ParamType.STR)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public PathProbe pathProbe() {
        return new PathProbe("path", false);
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        String path = FileSupport.stripSlash(FileSupport.expand(ctx, a.requireStr("path")));
        String mode = a.mode("mode");
        String owner = a.str("owner");
        String group = a.str("group");
        boolean recurse = a.bool("recurse");
        boolean follow = a.bool("follow");
        // kinds and attributes only: no content read (Ansible's file module returns no checksum)
        FileState cur = host.attributes(path);
        FileState followed = follow && cur.isLink() ? FileSupport.follow(host, path, false) : cur;

        String state = a.str("state");
        if (state == null) {
            if (a.has("src")) {
                throw new ModuleException("src option requires state to be 'link' or 'hard'");
            }
            state = cur.exists() ? (follow ? followed : cur).kind().ansibleName() : recurse ? "directory" : "file";
            if (cur.isLink() && follow && !followed.exists()) {
                state = "link";
            }
        } else if (a.has("src") && !state.equals("link") && !state.equals("hard")) {
            throw new ModuleException("src option requires state to be 'link' or 'hard'");
        }
        if (recurse && !state.equals("directory")) {
            throw new ModuleException("recurse option requires state to be 'directory'");
        }
        return switch (state) {
            case "absent" -> absent(path, cur);
            case "file" -> file(ctx, path, followed, mode, owner, group);
            case "directory" -> directory(ctx, path, followed, mode, owner, group, recurse);
            case "touch" -> touch(ctx, path, followed, mode, owner, group);
            case "link" -> link(ctx, path, cur, a.requireStr("src"), a.bool("force"), owner, group);
            default -> throw new ModuleException("state=" + state + " is not supported by drover's file module");
        };
    }

    private static Plan absent(String path, FileState cur) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("path", path);
        v.put("state", "absent");
        if (!cur.exists()) {
            return Plan.nothing(path + " is absent", v);
        }
        return Plan.builder().change(new RemovePath(path)).values(v)
                .diff(FileSupport.attributeDiff(path, cur, FileState.absent(path)))
                .reason("remove " + path).build();
    }

    private static Plan file(ModuleContext ctx, String path, FileState t, String mode, String owner, String group)
            throws ModuleException, ConnectionException {
        if (!t.exists()) {
            throw new ModuleException("file (" + path + ") is absent, cannot continue",
                    Map.of("path", path, "state", "absent"));
        }
        if (!t.isFile()) {
            throw new ModuleException("file (" + path + ") is " + t.kind().ansibleName() + ", cannot continue",
                    Map.of("path", path, "state", t.kind().ansibleName()));
        }
        return attributesOnly(ctx, "path", path, t, mode, owner, group, false);
    }

    private static Plan attributesOnly(ModuleContext ctx, String key, String path, FileState t, String mode,
                                       String owner, String group, boolean recurse)
            throws ConnectionException {
        Optional<Change> attrs = FileSupport.attributes(ctx, t, mode, owner, group, recurse);
        Plan.Builder plan = Plan.builder().value(key, path);
        if (attrs.isEmpty()) {
            plan.values(FileSupport.fileValues(t));
            return Plan.nothing(path + " is as asked", plan.build().values());
        }
        FileState after = FileSupport.after(t, List.of(attrs.get()), ctx.host().user(), t.path());
        plan.values(FileSupport.fileValues(after));
        return plan.change(attrs.get()).diff(FileSupport.attributeDiff(path, t, after))
                .reason("set attributes of " + path).build();
    }

    private static Plan directory(ModuleContext ctx, String path, FileState t, String mode, String owner,
                                  String group, boolean recurse) throws ModuleException, ConnectionException {
        if (t.exists() && !t.isDirectory()) {
            throw new ModuleException("There is an existing " + t.kind().ansibleName() + " at " + path
                    + ", cannot create a directory", Map.of("path", path));
        }
        if (t.isDirectory()) {
            return attributesOnly(ctx, "path", path, t, mode, owner, group, recurse);
        }
        List<Change> changes = new ArrayList<>();
        for (String d : FileSupport.missingDirectories(ctx.host(), path)) {
            // Ansible gives every directory it creates the task's attributes
            changes.add(new MakeDirectory(d, mode, owner, group));
        }
        Plan.Builder plan = Plan.builder().value("path", path);
        changes.forEach(plan::change);
        FileState after = FileSupport.after(t, changes, ctx.host().user(), path);
        plan.values(FileSupport.fileValues(after));
        return plan.diff(FileSupport.attributeDiff(path, t, after)).reason("create directory " + path).build();
    }

    private static Plan touch(ModuleContext ctx, String path, FileState t, String mode, String owner, String group)
            throws ModuleException, ConnectionException {
        Plan.Builder plan = Plan.builder().value("dest", path);
        List<Change> changes = new ArrayList<>();
        if (!t.exists()) {
            String parent = FileSupport.parent(path);
            if (parent != null && ctx.host().kindFollow(parent) != FileState.Kind.DIRECTORY) {
                throw new ModuleException("Error, could not touch target: [Errno 2] No such file or directory: '"
                        + path + "'", Map.of("path", path));
            }
            changes.add(new WriteFile(path, new byte[0], mode, owner, group, t));
        } else {
            // touch is a change (times), as in Ansible, unless both times are 'preserve'; times are
            // not simulated
            boolean preserve = "preserve".equals(ctx.args().str("modification_time"))
                    && "preserve".equals(ctx.args().str("access_time"));
            if (!preserve) {
                changes.add(Exec.of("touch " + t.path(), "touch -c -- " + ShellQuote.quote(t.path()), null));
            }
            FileSupport.attributes(ctx, t, mode, owner, group, false).ifPresent(changes::add);
        }
        changes.forEach(plan::change);
        FileState after = FileSupport.after(t, changes, ctx.host().user(), t.exists() ? t.path() : path);
        plan.values(FileSupport.fileValues(after));
        return plan.diff(FileSupport.attributeDiff(path, t, after)).reason("touch " + path).build();
    }

    private static Plan link(ModuleContext ctx, String path, FileState cur, String src, boolean force, String owner,
                             String group) throws ModuleException, ConnectionException {
        HostView host = ctx.host();
        String src2 = src.startsWith("~") ? FileSupport.expand(ctx, src) : src;
        Plan.Builder plan = Plan.builder().value("dest", path).value("src", src2);
        if (!force) {
            if (host.kindFollow(FileSupport.resolveLink(path, src2)) == FileState.Kind.ABSENT) {
                throw new ModuleException("src file does not exist, use \"force=yes\" if you really want to create "
                        + "the link: " + FileSupport.resolveLink(path, src2), Map.of("path", path, "src", src2));
            }
        }
        List<Change> changes = new ArrayList<>();
        if (cur.isLink() && src2.equals(cur.linkTarget())) {
            FileSupport.attributes(ctx, cur, null, owner, group, false).ifPresent(changes::add);
        } else {
            if (cur.isFile() && !force) {
                throw new ModuleException("refusing to convert from file to symlink for " + path,
                        Map.of("path", path));
            }
            if (cur.isDirectory() && !force) {
                throw new ModuleException("refusing to convert from directory to symlink for " + path,
                        Map.of("path", path));
            }
            changes.add(new MakeLink(path, src2, owner, group, cur.exists()));
        }
        FileState after = FileSupport.after(cur, changes, host.user(), path);
        plan.values(FileSupport.fileValues(after));
        if (changes.isEmpty()) {
            return Plan.nothing(path + " already links to " + src2, plan.build().values());
        }
        changes.forEach(plan::change);
        return plan.diff(FileSupport.attributeDiff(path, cur, after)).reason("link " + path + " -> " + src2).build();
    }
}
