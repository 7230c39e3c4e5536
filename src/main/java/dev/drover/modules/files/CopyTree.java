package dev.drover.modules.files;

import dev.drover.connection.ConnectionException;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Diff;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.MakeDirectory;
import dev.drover.module.MakeLink;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.Modes;
import dev.drover.module.Plan;
import dev.drover.module.WriteFile;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * copy of a controller directory, as Ansible 2.14's copy action plugin does it: {@code src: dir/}
 * copies what is in the directory into dest, {@code src: dir} the directory itself (dest/dir/…).
 * Files first (a missing parent is made with {@code directory_mode}, owner and group), only those
 * whose checksum differs written; then every source directory made or given
 * {@code directory_mode}/owner/group; then, with {@code local_follow: false}, the links. One probe
 * reads every destination path; the writes of small files go in one round trip.
 */
final class CopyTree {
    private CopyTree() {
    }

    /** What a controller tree holds, relative to where the copy starts. */
    record Source(Map<String, Path> files, List<String> dirs, Map<String, String> links) {
    }

    static Source walk(Path dir, boolean trailingSlash, boolean follow) throws ModuleException {
        Path base = trailingSlash ? dir : dir.getParent();
        Map<String, Path> files = new TreeMap<>();
        List<String> dirs = new ArrayList<>();
        Map<String, String> links = new TreeMap<>();
        EnumSet<FileVisitOption> opts = follow ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : EnumSet.noneOf(FileVisitOption.class);
        try (Stream<Path> s = Files.walk(dir, Integer.MAX_VALUE, opts.toArray(FileVisitOption[]::new))) {
            for (Path p : s.sorted().toList()) {
                if (p.equals(dir)) {
                    continue;
                }
                String rel = base.relativize(p).toString();
                if (!follow && Files.isSymbolicLink(p)) {
                    links.put(rel, Files.readSymbolicLink(p).toString());
                } else if (Files.isDirectory(p)) {
                    dirs.add(rel);
                } else if (Files.isRegularFile(p)) {
                    files.put(rel, p);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ModuleException("could not walk source directory " + dir + ": " + e.getMessage());
        }
        return new Source(files, dirs, links);
    }

    static Plan plan(ModuleContext ctx, Path local, String srcArg) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        boolean slash = srcArg.endsWith("/");
        Source src = walk(local, slash, a.bool("local_follow"));
        String dest = FileSupport.expand(ctx, a.requireStr("dest"));
        String destDir = dest.endsWith("/") ? dest : dest + "/";
        String rawMode = a.str("mode");
        boolean preserve = "preserve".equals(rawMode);
        String mode = preserve ? null : a.mode("mode");
        String dirMode = a.mode("directory_mode");
        String owner = a.str("owner");
        String group = a.str("group");
        boolean force = a.bool("force");
        String validate = a.str("validate");
        if (validate != null && !validate.contains("%s")) {
            throw new ModuleException("validate must contain %s: " + validate);
        }

        // every destination path and every directory on the way, asked at once
        Set<String> ask = new LinkedHashSet<>();
        for (String rel : src.files().keySet()) {
            ask.add(destDir + rel);
            for (String d = FileSupport.parent(rel); d != null; d = FileSupport.parent(d)) {
                ask.add(destDir + d);
            }
        }
        src.dirs().forEach(d -> ask.add(destDir + d));
        src.links().keySet().forEach(l -> ask.add(destDir + l));
        Map<String, FileState> states = new LinkedHashMap<>(host.states(ask));
        Set<String> made = new HashSet<>();
        List<String> missingTop = FileSupport.missingDirectories(host, FileSupport.stripSlash(destDir));

        Plan.Builder plan = Plan.builder();
        List<Change> changes = new ArrayList<>();
        boolean install = false;
        Map<String, Object> single = null;
        for (Map.Entry<String, Path> f : src.files().entrySet()) {
            String path = destDir + f.getKey();
            FileState st = states.get(path);
            if (st.isDirectory()) {
                throw new ModuleException("Destination " + path + " is a directory");
            }
            byte[] content;
            try {
                content = Files.readAllBytes(f.getValue());
            } catch (IOException e) {
                throw new ModuleException("could not read source " + f.getValue() + ": " + e.getMessage());
            }
            String fileMode = preserve ? localMode(f.getValue()) : mode;
            String checksum = WriteFile.sha1(content);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("dest", path);
            values.put("checksum", checksum);
            if (st.exists() && !force) {
                continue;
            }
            if (st.isFile() && checksum.equals(st.sha1())) {
                FileSupport.attributes(ctx, st, fileMode, owner, group, false).ifPresent(changes::add);
                single = values;
                continue;
            }
            makeParents(FileSupport.parent(path), missingTop, states, made, dirMode, owner, group, changes);
            WriteFile write = new WriteFile(path, content, fileMode, owner, group, FileSupport.replaced(st));
            boolean backup = a.bool("backup") && st.exists();
            if (validate != null || backup) {
                changes.add(new InstallFile(write, validate, backup));
                install = true;
            } else {
                changes.add(write);
            }
            if (ctx.wantsDiff()) {
                String before = st.isFile() ? host.read(path).map(FileInstaller::text).orElse("") : "";
                plan.diff(new Diff(path, path, before, FileInstaller.text(content)));
            }
            single = values;
        }
        for (String rel : src.dirs()) {
            String path = destDir + rel;
            if (made.contains(path)) {
                continue;
            }
            FileState st = states.get(path);
            if (!st.exists()) {
                makeParents(path, missingTop, states, made, dirMode, owner, group, changes);
            } else if (!st.isDirectory()) {
                throw new ModuleException("path " + path + " exists, but is not a directory");
            } else {
                FileSupport.attributes(ctx, st, dirMode, owner, group, false).ifPresent(changes::add);
            }
        }
        for (Map.Entry<String, String> l : src.links().entrySet()) {
            String path = destDir + l.getKey();
            FileState st = states.get(path);
            if (!(st.isLink() && l.getValue().equals(st.linkTarget()))) {
                makeParents(FileSupport.parent(path), missingTop, states, made, dirMode, owner, group, changes);
                changes.add(new MakeLink(path, l.getValue(), owner, group));
            }
        }
        if (src.files().size() == 1 && single != null) {
            plan.values(single);
        } else {
            plan.value("dest", destDir).value("src", local.toString() + (slash ? "/" : ""));
        }
        if (changes.isEmpty()) {
            return Plan.nothing("the directory is as asked", plan.build().values());
        }
        changes.forEach(plan::change);
        List<Change> planned = List.copyOf(changes);
        plan.reason("copy " + srcArg + " to " + destDir);
        if (install) {
            plan.mapper((values, results) -> InstallFile.mapResults(values, planned, results, destDir));
        }
        return plan.build();
    }

    /** Plans the directories from {@code dir} up to the first that exists (or that this plan makes). */
    private static void makeParents(String dir, List<String> missingTop, Map<String, FileState> states,
                                    Set<String> made, String mode, String owner, String group, List<Change> changes) {
        List<String> chain = new ArrayList<>();
        for (String d = FileSupport.stripSlash(dir); d != null && !made.contains(d); d = FileSupport.parent(d)) {
            FileState st = states.get(d);
            boolean exists = st != null ? st.exists() : !missingTop.contains(d);
            if (exists) {
                break;
            }
            chain.add(0, d);
        }
        for (String d : chain) {
            changes.add(new MakeDirectory(d, mode, owner, group));
            made.add(d);
        }
    }

    static String localMode(Path p) throws ModuleException {
        try {
            Object m = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return Modes.octal(((Integer) m) & 07777);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ModuleException("cannot read the mode of " + p + ": " + e.getMessage());
        }
    }
}
