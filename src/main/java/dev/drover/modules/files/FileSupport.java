package dev.drover.modules.files;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Change;
import dev.drover.module.Diff;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.ModuleContext;
import dev.drover.module.Modes;
import dev.drover.module.SetAttributes;
import dev.drover.module.SimulatedState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the file modules share: ~ expansion, attribute planning, return values. */
public final class FileSupport {
    private FileSupport() {
    }

    /**
     * What a write to {@code target}'s path replaces, for {@link WriteFile#replaces()}: the state
     * itself for a regular file or nothing; null (the host decides) for a link or anything else.
     */
    public static FileState replaced(FileState target) {
        return !target.exists() || target.isFile() ? target : null;
    }

    /**
     * Expands a leading {@code ~} or {@code ~/} against the task user's home, as Ansible's
     * modules do with {@code os.path.expanduser}. Every module expands paths here, on the
     * controller side of the plan, so the host only ever sees absolute paths.
     */
    public static String expand(ModuleContext ctx, String path) throws ConnectionException {
        if (path == null) {
            return null;
        }
        if (path.equals("~") || path.startsWith("~/")) {
            String home = ctx.host().home();
            return home.endsWith("/") && path.length() > 1 ? home + path.substring(2) : home + path.substring(1);
        }
        return path;
    }

    public static String parent(String path) {
        String p = stripSlash(path);
        int i = p.lastIndexOf('/');
        if (i < 0) {
            return null;
        }
        return i == 0 ? "/" : p.substring(0, i);
    }

    public static String basename(String path) {
        String p = stripSlash(path);
        return p.substring(p.lastIndexOf('/') + 1);
    }

    public static String stripSlash(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    public static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** A link's target as a path: absolute as is, relative against the link's directory. */
    public static String resolveLink(String link, String target) {
        if (target.startsWith("/")) {
            return target;
        }
        String parent = parent(link);
        return parent == null ? target : join(parent, target);
    }

    /** Follows symlinks hop by hop through the view; the result carries the final path. */
    public static FileState follow(HostView host, String path) throws ConnectionException {
        return follow(host, path, true);
    }

    /** As {@link #follow(HostView, String)}; without {@code checksum} no content is read ({@link HostView#attributes}). */
    public static FileState follow(HostView host, String path, boolean checksum) throws ConnectionException {
        String current = path;
        for (int i = 0; i < 40; i++) {
            FileState f = checksum ? host.file(current) : host.attributes(current);
            if (!f.isLink()) {
                return f;
            }
            current = resolveLink(current, f.linkTarget());
        }
        return FileState.absent(path);
    }

    /** The directories of {@code dir} (itself included) that do not exist, outermost first. */
    public static List<String> missingDirectories(HostView host, String dir) throws ConnectionException {
        List<String> missing = new ArrayList<>();
        for (String d = stripSlash(dir); d != null && !d.isEmpty(); d = parent(d)) {
            if (host.kindFollow(d) != FileState.Kind.ABSENT) {
                break;
            }
            missing.add(0, d);
            if (d.equals("/")) {
                break;
            }
        }
        return missing;
    }

    /** True when {@code wanted} (a name or a numeric id) names the user {@code actual}. */
    public static boolean sameUser(ModuleContext ctx, String wanted, String actual) throws ConnectionException {
        if (wanted == null || wanted.equals(actual)) {
            return true;
        }
        if (wanted.matches("\\d+")) {
            return ctx.host().user(wanted).map(u -> u.name().equals(actual)).orElse(false)
                    || wanted.equals(actual);
        }
        return false;
    }

    public static boolean sameGroup(ModuleContext ctx, String wanted, String actual) throws ConnectionException {
        if (wanted == null || wanted.equals(actual)) {
            return true;
        }
        if (wanted.matches("\\d+")) {
            return ctx.host().group(wanted).map(g -> g.name().equals(actual)).orElse(false);
        }
        return false;
    }

    /**
     * The change that gives an existing path the asked attributes, if it lacks them. With
     * {@code recurse} the tree below a directory is probed too (live host: one find).
     */
    public static Optional<Change> attributes(ModuleContext ctx, FileState current, String mode, String owner,
                                              String group, boolean recurse) throws ConnectionException {
        if (!current.exists()) {
            return Optional.empty();
        }
        boolean differs = differs(ctx, current.kind(), current.mode(), current.owner(), current.group(),
                mode, owner, group);
        if (!differs && recurse && current.isDirectory()) {
            for (FileState f : ctx.host().descendants(current.path())) {
                if (differs(ctx, f.kind(), f.mode(), f.owner(), f.group(), mode, owner, group)) {
                    differs = true;
                    break;
                }
            }
        }
        if (!differs) {
            return Optional.empty();
        }
        String m = mode == null || Modes.apply(mode, current.mode(), current.isDirectory()).equals(current.mode())
                && !recurse ? null : mode;
        String o = sameUser(ctx, owner, current.owner()) && !recurse ? null : owner;
        String g = sameGroup(ctx, group, current.group()) && !recurse ? null : group;
        if (current.isLink()) {
            m = null; // Linux has no link modes: chmod would follow the link
        }
        return Optional.of(new SetAttributes(current, m, o, g, recurse && current.isDirectory()));
    }

    private static boolean differs(ModuleContext ctx, FileState.Kind kind, String curMode, String curOwner,
                                   String curGroup, String mode, String owner, String group)
            throws ConnectionException {
        if (mode != null && kind != FileState.Kind.LINK
                && !Modes.apply(mode, curMode, kind == FileState.Kind.DIRECTORY).equals(curMode)) {
            return true;
        }
        return !sameUser(ctx, owner, curOwner) || !sameGroup(ctx, group, curGroup);
    }

    /** The state a path would have after {@code changes}: simulated on a scratch state. */
    public static FileState after(FileState before, List<Change> changes, String user, String path) {
        SimulatedState s = new SimulatedState();
        if (before.exists()) {
            s.putFile(before, null);
        }
        for (Change c : changes) {
            c.simulate(s, user);
        }
        return s.file(path).orElse(before);
    }

    /** Ansible's common file return values: mode, owner, group, size, state. */
    public static Map<String, Object> fileValues(FileState f) {
        Map<String, Object> v = new LinkedHashMap<>();
        if (!f.exists()) {
            v.put("state", "absent");
            return v;
        }
        v.put("mode", f.mode());
        v.put("owner", f.owner());
        v.put("group", f.group());
        v.put("size", f.size());
        v.put("state", f.kind().ansibleName());
        return v;
    }

    /** A --diff of attributes and state, as small {@code key: value} texts. */
    public static Diff attributeDiff(String path, FileState before, FileState after) {
        StringBuilder b = new StringBuilder("path: ").append(path).append('\n');
        StringBuilder a = new StringBuilder("path: ").append(path).append('\n');
        if (before.kind() != after.kind()) {
            b.append("state: ").append(before.kind().ansibleName()).append('\n');
            a.append("state: ").append(after.kind().ansibleName()).append('\n');
        }
        if (after.exists()) {
            if (!java.util.Objects.equals(before.mode(), after.mode())) {
                b.append("mode: ").append(before.mode()).append('\n');
                a.append("mode: ").append(after.mode()).append('\n');
            }
            if (!java.util.Objects.equals(before.owner(), after.owner())) {
                b.append("owner: ").append(before.owner()).append('\n');
                a.append("owner: ").append(after.owner()).append('\n');
            }
            if (!java.util.Objects.equals(before.group(), after.group())) {
                b.append("group: ").append(before.group()).append('\n');
                a.append("group: ").append(after.group()).append('\n');
            }
            if (after.isLink() && !java.util.Objects.equals(before.linkTarget(), after.linkTarget())) {
                b.append("src: ").append(before.linkTarget()).append('\n');
                a.append("src: ").append(after.linkTarget()).append('\n');
            }
        }
        return new Diff(path + " (file attributes)", path + " (file attributes)", b.toString(), a.toString());
    }
}
