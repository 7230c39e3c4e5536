package dev.drover.modules.files;

import dev.drover.connection.ConnectionException;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Diff;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.MakeDirectory;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.WriteFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What copy and template share: putting bytes at a destination on the host, with Ansible's
 * copy semantics (directory destinations, force, backup, validate, attributes).
 */
public final class FileInstaller {
    private FileInstaller() {
    }

    /** The parameters copy and template share. */
    public static List<Param> commonParams() {
        return FileParams.with(
                Param.required("dest", ParamType.PATH),
                Param.of("backup", ParamType.BOOL).withDefault(false),
                Param.of("force", ParamType.BOOL).withDefault(true).withAliases("thirsty"),
                Param.of("validate", ParamType.STR),
                Param.of("directory_mode", ParamType.MODE),
                Param.of("follow", ParamType.BOOL).withDefault(false));
    }

    /**
     * Plans putting {@code content} at the task's {@code dest}.
     *
     * @param srcName the source's base name, used when dest is a directory; null for inline content
     * @param srcValue what to return as {@code src}, or null
     */
    public static Plan install(ModuleContext ctx, byte[] content, String srcName, String srcValue)
            throws ModuleException, ConnectionException {
        return install(ctx, content, srcName, srcValue, null);
    }

    /**
     * As {@link #install(ModuleContext, byte[], String, String)}; {@code sourceMode} is the
     * source's mode, used for {@code mode: preserve} (null when there is no source file).
     */
    public static Plan install(ModuleContext ctx, byte[] content, String srcName, String srcValue, String sourceMode)
            throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        String user = host.user();
        String dest = FileSupport.expand(ctx, a.requireStr("dest"));
        String mode = "preserve".equals(a.str("mode")) && sourceMode != null ? sourceMode : a.mode("mode");
        String owner = a.str("owner");
        String group = a.str("group");
        List<Change> changes = new ArrayList<>();

        boolean slash = dest.endsWith("/");
        FileState destState = host.fileFollow(dest);
        if (slash || destState.isDirectory()) {
            if (srcName == null) {
                throw new ModuleException("can not use content with a dir as dest");
            }
            if (slash && !destState.exists()) {
                for (String d : FileSupport.missingDirectories(host, dest)) {
                    changes.add(new MakeDirectory(d, a.mode("directory_mode"), null, null));
                }
            }
            dest = FileSupport.join(FileSupport.stripSlash(dest), srcName);
        }
        if (changes.isEmpty() && !destState.exists()) { // an existing dest has a parent: no need to ask
            String parent = FileSupport.parent(dest);
            if (parent != null && host.kindFollow(parent) == FileState.Kind.ABSENT) {
                throw new ModuleException("Destination directory " + parent + " does not exist");
            }
        }

        FileState target = a.bool("follow") ? FileSupport.follow(host, dest) : host.file(dest);
        String path = target.exists() ? target.path() : dest;
        if (target.isDirectory()) {
            throw new ModuleException("Destination " + dest + " is a directory");
        }
        String checksum = WriteFile.sha1(content);
        Plan.Builder plan = Plan.builder();
        plan.value("dest", dest);
        if (srcValue != null) {
            plan.value("src", srcValue);
        }

        if (target.exists() && !a.bool("force")) {
            return Plan.nothing("file already exists",
                    Map.of("dest", dest, "msg", "file already exists", "checksum", checksum));
        }

        if (target.isFile() && checksum.equals(target.sha1())) {
            // content is right: the file module's job on attributes, and its return values
            Optional<Change> attrs = FileSupport.attributes(ctx, target, mode, owner, group, false);
            plan.value("path", dest).value("checksum", checksum);
            FileState after = attrs.map(c -> FileSupport.after(target, List.of(c), user, path)).orElse(target);
            plan.values(FileSupport.fileValues(after));
            if (attrs.isEmpty()) {
                return Plan.nothing("content and attributes are as asked", plan.build().values());
            }
            plan.change(attrs.get()).diff(FileSupport.attributeDiff(dest, target, after));
            return plan.reason("set attributes of " + dest).build();
        }

        WriteFile write = new WriteFile(path, content, mode, owner, group, FileSupport.replaced(target));
        String validate = a.str("validate");
        if (validate != null && !validate.contains("%s")) {
            throw new ModuleException("validate must contain %s: " + validate);
        }
        boolean backup = a.bool("backup") && target.exists();
        changes.add(validate != null || backup ? new InstallFile(write, validate, backup) : write);
        changes.forEach(plan::change);

        FileState after = FileSupport.after(target, changes, user, path);
        plan.value("checksum", checksum);
        plan.values(FileSupport.fileValues(after));
        if (ctx.wantsDiff()) {
            String before = target.isFile() ? host.read(path).map(FileInstaller::text).orElse("") : "";
            plan.diff(new Diff(dest, dest, before, text(content)));
        }
        List<Change> planned = List.copyOf(changes);
        String finalDest = dest;
        return plan.reason("write " + dest)
                .mapper((values, results) -> InstallFile.mapResults(values, planned, results, finalDest))
                .build();
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
