package dev.drover.modules.files;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Exec;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.MakeDirectory;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.Modes;
import dev.drover.module.Plan;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * copy with {@code remote_src: true}: a file on the host is copied as a controller file would be
 * (its content read through the view, so check mode sees earlier steps); a directory is copied on
 * the host as Ansible 2.14's copy module does: {@code src/} into dest itself, {@code src} into
 * {@code dest/basename(src)}; files missing or with other content are copied with their source's
 * mode ({@code cp --preserve=mode} to a temp file, then a rename), missing directories are made
 * with their source's mode, owner/group apply to the whole target. One probe lists the source
 * tree with checksums, one reads the target's paths.
 */
final class RemoteCopy {
    private RemoteCopy() {
    }

    private record Entry(String kind, String mode, String sha1, long size) {
    }

    static Plan plan(ModuleContext ctx, String srcArg) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        String src = FileSupport.expand(ctx, srcArg);
        FileState st = host.fileFollow(FileSupport.stripSlash(src));
        if (!st.exists()) {
            throw new ModuleException("Source " + src + " not found");
        }
        if (!st.isDirectory()) {
            if (!st.isFile()) {
                throw new ModuleException("Cannot copy invalid source '" + src + "': not a file");
            }
            Optional<byte[]> content = host.read(src);
            if (content.isEmpty()) {
                throw new ModuleException("Source " + src + " not readable");
            }
            return FileInstaller.install(ctx, content.get(), FileSupport.basename(src), src, st.mode());
        }
        String dest = FileSupport.stripSlash(FileSupport.expand(ctx, a.requireStr("dest")));
        FileState destState = host.fileFollow(dest);
        String target = srcArg.endsWith("/") ? dest : FileSupport.join(dest, FileSupport.basename(src));
        String owner = a.str("owner");
        String group = a.str("group");

        Map<String, Entry> tree = list(host, FileSupport.stripSlash(src));
        Set<String> ask = new LinkedHashSet<>();
        ask.add(target);
        tree.keySet().forEach(rel -> ask.add(FileSupport.join(target, rel)));
        Map<String, FileState> states = host.states(ask);

        List<Change> changes = new ArrayList<>();
        Set<String> touched = new java.util.HashSet<>();
        FileState top = states.get(target);
        if (!top.exists()) {
            for (String d : FileSupport.missingDirectories(host, FileSupport.parent(target))) {
                changes.add(new MakeDirectory(d, null, null, null));
            }
            // copytree gives the target its source's mode; makedirs (src without / into a new dest) the default
            boolean copytree = srcArg.endsWith("/") || destState.isDirectory();
            changes.add(new MakeDirectory(target, copytree ? st.mode() : null, owner, group));
            touched.add(target);
        } else if (!top.isDirectory()) {
            throw new ModuleException("Destination " + target + " is not a directory");
        }
        for (Map.Entry<String, Entry> e : tree.entrySet()) {
            String path = FileSupport.join(target, e.getKey());
            Entry from = e.getValue();
            FileState to = states.get(path);
            if (from.kind().equals("d")) {
                if (!to.exists()) {
                    changes.add(new MakeDirectory(path, from.mode(), owner, group));
                    touched.add(path);
                }
            } else if (from.kind().equals("f")) {
                if (!to.isFile() || !from.sha1().equals(to.sha1())) {
                    changes.add(copy(FileSupport.join(FileSupport.stripSlash(src), e.getKey()), path, from, owner, group));
                    touched.add(path);
                }
            }
        }
        if (owner != null || group != null) {
            for (Map.Entry<String, FileState> e : states.entrySet()) {
                FileState f = e.getValue();
                if (f.exists() && !touched.contains(e.getKey())) {
                    FileSupport.attributes(ctx, f, null, owner, group, false).ifPresent(changes::add);
                }
            }
        }
        Plan.Builder plan = Plan.builder().value("dest", dest).value("src", src);
        if (changes.isEmpty()) {
            return Plan.nothing("the directory is as asked", plan.build().values());
        }
        changes.forEach(plan::change);
        return plan.reason("copy " + src + " to " + target).build();
    }

    /** The tree below {@code dir} on the host (simulated paths first): kind, mode, checksum by relative path. */
    private static Map<String, Entry> list(HostView host, String dir) throws ConnectionException {
        String d = ShellQuote.quote(dir);
        CommandResult r = host.probe("cd -- " + d + " && find . -mindepth 1 \\( -type d -o -type f \\) -printf '%y\\t%m\\t%s\\t%P\\n'"
                + " && echo --- && find . -type f -exec sha1sum -- {} +");
        Map<String, Entry> tree = new TreeMap<>();
        Map<String, String> sums = new java.util.HashMap<>();
        boolean inSums = false;
        for (String line : r.out().split("\n")) {
            if (line.equals("---")) {
                inSums = true;
            } else if (inSums && line.length() > 43) {
                sums.put(line.substring(44), line.substring(0, 40)); // "<sha1>  ./path"
            } else if (!inSums) {
                String[] f = line.split("\t", 4);
                if (f.length == 4) {
                    tree.put(f[3], new Entry(f[0], Modes.octal(Integer.parseInt(f[1], 8)), null, Long.parseLong(f[2])));
                }
            }
        }
        tree.replaceAll((rel, e) -> e.kind().equals("f") ? new Entry("f", e.mode(), sums.get(rel), e.size()) : e);
        for (String p : host.pendingBelow(dir)) {
            if (p.equals(dir)) {
                continue;
            }
            String rel = p.substring(dir.length() + 1);
            FileState f = host.recordedFile(p).orElse(FileState.absent(p));
            if (f.isFile()) {
                tree.put(rel, new Entry("f", f.mode(), f.sha1(), f.size()));
            } else if (f.isDirectory()) {
                tree.put(rel, new Entry("d", f.mode(), null, 0));
            } else {
                tree.remove(rel);
            }
        }
        return tree;
    }

    private static Change copy(String from, String to, Entry e, String owner, String group) {
        String t = ShellQuote.quote(to + ".drover.copy");
        StringBuilder s = new StringBuilder("set -e; t=").append(t).append("; trap 'rm -f \"$t\"' EXIT; cp --preserve=mode -- ")
                .append(ShellQuote.quote(from)).append(" \"$t\"; ");
        if (owner != null) {
            s.append("chown ").append(ShellQuote.quote(owner)).append(" \"$t\"; ");
        }
        if (group != null) {
            s.append("chgrp ").append(ShellQuote.quote(group)).append(" \"$t\"; ");
        }
        s.append("mv -f \"$t\" ").append(ShellQuote.quote(to)).append("; trap - EXIT");
        // a source this check run wrote lends its simulated content; a live source's is not read (only its checksum)
        return Exec.of("copy " + from + " to " + to, s.toString(), (state, user) -> state.putFile(new FileState(to,
                FileState.Kind.FILE, e.mode(), owner != null ? owner : user, group != null ? group : user, e.size(),
                e.sha1(), null), state.content(from).flatMap(c -> c).orElse(null)));
    }
}
