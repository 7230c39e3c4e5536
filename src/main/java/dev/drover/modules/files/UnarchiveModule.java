package dev.drover.modules.files;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.Modes;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;
import dev.drover.modules.files.ArchiveMembers.Member;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ansible.builtin.unarchive: extracts a tar (plain, gz, xz, bz2, zst) or zip archive into an
 * existing directory, only when a member differs from what dest holds. The members come from the
 * controller's copy ({@code src}, searched in files/ as copy does; read here, sent on the extract
 * command's stdin) or, with {@code remote_src}, from the host ({@code tar -tv} and tar's
 * {@code --to-command} for digests, {@code unzip -Z1}/{@code unzip -p} for zip). One probe of dest
 * compares every member: kind, SHA-1 of files, link targets, and the asked mode/owner/group.
 */
public final class UnarchiveModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("unarchive", List.of(), FileParams.with(
            Param.required("src", ParamType.PATH),
            Param.required("dest", ParamType.PATH),
            Param.of("remote_src", ParamType.BOOL).withDefault(false),
            Param.of("copy", ParamType.BOOL),
            Param.of("creates", ParamType.PATH),
            Param.of("list_files", ParamType.BOOL).withDefault(false),
            Param.of("keep_newer", ParamType.BOOL).withDefault(false),
            Param.of("exclude", ParamType.LIST),
            Param.of("include", ParamType.LIST),
            Param.of("extra_opts", ParamType.LIST),
            Param.of("validate_certs", ParamType.BOOL).withDefault(true),
            Param.of("io_buffer_size", ParamType.INT).withDefault(64 * 1024),
            Param.of("decrypt", ParamType.BOOL).withDefault(true)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        boolean remote = a.bool("remote_src");
        if (a.has("copy")) {
            if (ctx.args().asMap().containsKey("remote_src") && a.raw("remote_src") != Boolean.FALSE) {
                throw new ModuleException("parameters are mutually exclusive: ('copy', 'remote_src')");
            }
            remote = !a.bool("copy");
        }
        if (!a.strings("include").isEmpty() && !a.strings("exclude").isEmpty()) {
            throw new ModuleException("parameters are mutually exclusive: include|exclude");
        }
        String src = a.requireStr("src");
        String dest = FileSupport.expand(ctx, a.requireStr("dest"));
        if (a.has("creates")) {
            String creates = FileSupport.expand(ctx, a.str("creates"));
            if (host.fileFollow(creates).exists()) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("skipped", true);
                v.put("msg", "skipped, since " + creates + " exists");
                return Plan.nothing("skipped, since " + creates + " exists", v);
            }
        }
        FileState destState = host.fileFollow(dest);
        if (!destState.isDirectory()) {
            throw new ModuleException("dest '" + dest + "' must be an existing dir");
        }

        String handler;
        List<Member> members;
        byte[] archive = null;
        String srcPath;
        if (remote) {
            if (src.contains("://")) {
                throw new ModuleException("unarchive of a URL (" + src + ") is not supported by drover yet: "
                        + "fetch it with get_url first, then unarchive it with remote_src");
            }
            srcPath = FileSupport.expand(ctx, src);
            RemoteListing l = remoteListing(host, srcPath);
            handler = l.handler();
            members = l.members();
        } else {
            Path local = ctx.findLocalFile(src, "files");
            srcPath = local.toString();
            try {
                if (Files.size(local) == 0) {
                    throw new ModuleException("Invalid archive '" + local + "', the file is 0 bytes");
                }
                byte[] head;
                try (InputStream in = Files.newInputStream(local)) {
                    head = in.readNBytes(512);
                }
                handler = ArchiveMembers.handler(head);
                if (handler == null) {
                    throw new ModuleException("Failed to find handler for \"" + local + "\". Make sure the required command"
                            + " to extract the file is installed.");
                }
                members = ArchiveMembers.read(local, handler);
                archive = Files.readAllBytes(local);
            } catch (IOException e) {
                throw new ModuleException("Source '" + src + "' not readable, " + e.getMessage());
            }
        }
        List<String> includes = a.strings("include");
        List<String> excludes = a.strings("exclude");
        List<Member> wanted = new ArrayList<>();
        for (Member m : members) {
            if (m.path().isEmpty()) {
                continue;
            }
            boolean in = includes.isEmpty() || includes.stream().anyMatch(p -> glob(m.name(), p) || glob(m.path(), p));
            boolean out = excludes.stream().anyMatch(p -> glob(m.name(), p) || glob(m.path(), p));
            if (in && !out) {
                wanted.add(m);
            }
        }

        String mode = a.mode("mode");
        String owner = a.str("owner");
        String group = a.str("group");
        List<String> differ = compare(ctx, host, dest, wanted, mode, owner, group);

        Map<String, Object> values = new LinkedHashMap<>();
        values.put("handler", handler);
        values.put("dest", dest);
        values.put("src", srcPath);
        values.putAll(FileSupport.fileValues(destState));
        values.put("state", "directory");
        if (a.bool("list_files")) {
            values.put("files", wanted.stream().map(Member::name).toList());
        }
        if (differ.isEmpty()) {
            return Plan.nothing("every member of " + src + " is in " + dest, values);
        }
        Extract x = new Extract(handler, srcPath, dest, archive, wanted, includes, excludes, a.strings("extra_opts"),
                a.bool("keep_newer"), mode, owner, group);
        Plan.Builder plan = Plan.builder().values(values).change(x).reason("extract " + src + " into " + dest
                + " (" + differ.size() + " member" + (differ.size() == 1 ? "" : "s") + " differ)");
        if (ctx.wantsDiff()) {
            plan.diff(new dev.drover.module.Diff(dest, dest, "", String.join("\n", differ) + "\n"));
        }
        String shownSrc = srcPath;
        return plan.mapper((planned, results) -> {
            CommandResult r = results.get(0);
            Map<String, Object> out = new LinkedHashMap<>(planned);
            Map<String, Object> extract = new LinkedHashMap<>();
            extract.put("cmd", x.displayCommand());
            extract.put("err", r.err());
            extract.put("out", r.out());
            extract.put("rc", r.exitCode());
            out.put("extract_results", extract);
            if (r.exitCode() != 0) {
                throw new ModuleException("failed to unpack " + shownSrc + " to " + dest, out);
            }
            return out;
        }).build();
    }

    /** Python's fnmatch, as Ansible matches include/exclude against member names. */
    private static boolean glob(String text, String pattern) {
        StringBuilder r = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> r.append(".*");
                case '?' -> r.append('.');
                default -> r.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return text.matches(r.toString());
    }

    /** The members dest lacks or holds otherwise, as "path: why" (one probe; the run's simulation first). */
    private static List<String> compare(ModuleContext ctx, HostView host, String dest, List<Member> members,
                                        String mode, String owner, String group) throws ConnectionException {
        Map<String, String[]> stat = new LinkedHashMap<>();
        Map<String, String> sha = new LinkedHashMap<>();
        Map<String, String> links = new LinkedHashMap<>();
        if (!members.isEmpty()) {
            StringBuilder all = new StringBuilder();
            StringBuilder files = new StringBuilder();
            StringBuilder linkNames = new StringBuilder();
            for (Member m : members) {
                all.append(' ').append(ShellQuote.quote(m.path()));
                if (m.kind() == 'f') {
                    files.append(' ').append(ShellQuote.quote(m.path()));
                } else if (m.kind() == 'l') {
                    linkNames.append(' ').append(ShellQuote.quote(m.path()));
                }
            }
            String script = "cd " + ShellQuote.quote(dest) + " 2>/dev/null || exit 0\n"
                    + "stat -c 'S|%F|%a|%U|%G|%n' --" + all + " 2>/dev/null\n"
                    + (files.length() > 0 ? "sha1sum --" + files + " 2>/dev/null | sed 's/^/H|/'\n" : "")
                    + (linkNames.length() > 0 ? "for p in" + linkNames + "; do [ -L \"$p\" ] && printf 'R|%s|%s\\n' \"$p\" \"$(readlink -- \"$p\")\"; done\n" : "");
            for (String line : host.probe(script).out().split("\n")) {
                if (line.startsWith("S|")) {
                    String[] f = line.split("\\|", 6);
                    if (f.length == 6) {
                        stat.put(f[5], f);
                    }
                } else if (line.startsWith("H|") && line.length() > 44) {
                    sha.put(line.substring(44), line.substring(2, 42));
                } else if (line.startsWith("R|")) {
                    String[] f = line.split("\\|", 3);
                    links.put(f[1], f.length > 2 ? f[2] : "");
                }
            }
        }
        List<String> differ = new ArrayList<>();
        for (Member m : members) {
            String path = FileSupport.join(dest, m.path());
            java.util.Optional<FileState> recorded = host.recordedFile(path);
            String kind;
            String curMode;
            String curOwner;
            String curGroup;
            String curSha;
            String curLink;
            if (recorded.isPresent()) {
                FileState f = recorded.get();
                kind = f.isDirectory() ? "directory" : f.isLink() ? "symbolic link" : f.isFile() ? "regular file" : "absent";
                curMode = f.mode() == null ? null : f.mode().replaceFirst("^0", "");
                curOwner = f.owner();
                curGroup = f.group();
                curSha = f.sha1();
                curLink = f.linkTarget();
            } else {
                String[] s = stat.get(m.path());
                if (s == null) {
                    differ.add(m.path() + ": missing");
                    continue;
                }
                kind = s[1].equals("regular empty file") ? "regular file" : s[1];
                curMode = s[2];
                curOwner = s[3];
                curGroup = s[4];
                curSha = sha.get(m.path());
                curLink = links.get(m.path());
            }
            String want = switch (m.kind()) {
                case 'd' -> "directory";
                case 'l' -> "symbolic link";
                default -> "regular file";
            };
            if (kind.equals("absent")) {
                differ.add(m.path() + ": missing");
                continue;
            }
            if (!kind.equals(want)) {
                differ.add(m.path() + ": is a " + kind + ", not a " + want);
                continue;
            }
            if (m.kind() == 'f' && m.sha1() != null && !m.sha1().equals(curSha)) {
                differ.add(m.path() + ": content differs");
                continue;
            }
            if (m.kind() == 'l' && !java.util.Objects.equals(m.target(), curLink)) {
                differ.add(m.path() + ": link target differs");
                continue;
            }
            if (m.kind() != 'l' && mode != null && curMode != null) {
                String cur = Modes.octal(Integer.parseInt(curMode, 8));
                if (!Modes.apply(mode, cur, m.kind() == 'd').equals(cur)) {
                    differ.add(m.path() + ": mode differs");
                    continue;
                }
            }
            if (!FileSupport.sameUser(ctx, owner, curOwner) || !FileSupport.sameGroup(ctx, group, curGroup)) {
                differ.add(m.path() + ": owner or group differs");
            }
        }
        return differ;
    }

    record RemoteListing(String handler, List<Member> members) {
    }

    /** With remote_src: the archive's members as the host lists them (one probe). */
    private static RemoteListing remoteListing(HostView host, String src) throws ConnectionException, ModuleException {
        String s = ShellQuote.quote(src);
        String script = "export LC_ALL=C\ns=" + s + "\n[ -f \"$s\" ] || { echo 'U|missing'; exit 0; }\n"
                + "[ -s \"$s\" ] || { echo 'U|empty'; exit 0; }\n"
                + "[ -r \"$s\" ] || { echo 'U|unreadable'; exit 0; }\n"
                + "m=$(od -An -tx1 -N6 \"$s\" | tr -d ' \\n'); u=$(od -An -c -j257 -N5 \"$s\" | tr -d ' \\n')\n"
                + "echo \"U|magic|$m|$u\"\n"
                + "case $m in 504b0304*) unzip -Z1 \"$s\" 2>&1 | while IFS= read -r n; do case $n in */) echo \"Z|d||$n\";; "
                + "*) echo \"Z|f|$(unzip -p \"$s\" \"$n\" | sha1sum | cut -c1-40)|$n\";; esac; done;;\n"
                + "*) tar -tvf \"$s\" 2>&1 | sed 's/^/V|/'; tar -xf \"$s\" --to-command='printf \"T|%s|\" \"$TAR_FILENAME\"; "
                + "sha1sum | cut -c1-40' 2>/dev/null;; esac\n";
        CommandResult r = host.probe(script);
        String magic = null;
        List<Member> members = new ArrayList<>();
        Map<String, String> digests = new LinkedHashMap<>();
        List<String[]> verbose = new ArrayList<>();
        java.util.regex.Pattern v = java.util.regex.Pattern.compile(
                "^(.)(\\S{9})\\S* \\S+ +[\\d, ]+ \\S+ \\S+ (.*)$");
        for (String line : r.out().split("\n")) {
            if (line.startsWith("U|missing")) {
                throw new ModuleException("Source '" + src + "' does not exist");
            } else if (line.startsWith("U|empty")) {
                throw new ModuleException("Invalid archive '" + src + "', the file is 0 bytes");
            } else if (line.startsWith("U|unreadable")) {
                throw new ModuleException("Source '" + src + "' not readable");
            } else if (line.startsWith("U|magic|")) {
                String[] f = line.split("\\|", -1);
                byte[] head = new byte[263];
                try {
                    byte[] m = HexFormat.of().parseHex(f[2]);
                    System.arraycopy(m, 0, head, 0, Math.min(m.length, 6));
                } catch (IllegalArgumentException e) {
                    // not hex: no magic
                }
                if (f.length > 3 && f[3].startsWith("ustar")) {
                    System.arraycopy("ustar".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, head, 257, 5);
                }
                magic = ArchiveMembers.handler(head);
            } else if (line.startsWith("Z|")) {
                String[] f = line.split("\\|", 4);
                members.add(new Member(f[3], f[1].charAt(0), 0, f[1].equals("d") ? 0755 : 0644,
                        f[1].equals("f") ? f[2] : null, null, null));
            } else if (line.startsWith("T|")) {
                int bar = line.lastIndexOf('|');
                digests.put(line.substring(2, bar), line.substring(bar + 1));
            } else if (line.startsWith("V|")) {
                java.util.regex.Matcher m = v.matcher(line.substring(2));
                if (m.matches()) {
                    verbose.add(new String[] {m.group(1), m.group(2), m.group(3)});
                }
            }
        }
        if (magic == null) {
            throw new ModuleException("Failed to find handler for \"" + src + "\". Make sure the required command to"
                    + " extract the file is installed.");
        }
        for (String[] e : verbose) {
            char kind = e[0].charAt(0);
            String name = e[2];
            String target = null;
            if (kind == 'l' && name.contains(" -> ")) {
                target = name.substring(name.indexOf(" -> ") + 4);
                name = name.substring(0, name.indexOf(" -> "));
            } else if (kind == 'h' && name.contains(" link to ")) {
                target = name.substring(name.indexOf(" link to ") + 9);
                name = name.substring(0, name.indexOf(" link to "));
            }
            char k = switch (kind) {
                case 'd' -> 'd';
                case 'l' -> 'l';
                case 'h' -> 'h';
                case '-' -> 'f';
                default -> '?';
            };
            if (k != '?') {
                members.add(new Member(name, k, 0, 0, k == 'f' ? digests.get(name) : null, null, target));
            }
        }
        return new RemoteListing(magic, members);
    }

    /** The extraction: tar or unzip into dest, then the asked attributes on every member and top folder. */
    record Extract(String handler, String src, String dest, byte[] archive, List<Member> members, List<String> includes,
                   List<String> excludes, List<String> extraOpts, boolean keepNewer, String mode, String owner,
                   String group) implements Change {
        @Override
        public String describe() {
            return "extract " + FileSupport.basename(src) + " into " + dest;
        }

        String archivePath() {
            return archive != null ? "\"$t\"" : ShellQuote.quote(src);
        }

        /** The command as Ansible reports it in extract_results.cmd. */
        String displayCommand() {
            return tool(false);
        }

        private String tool(boolean shell) {
            java.util.function.UnaryOperator<String> q = shell ? ShellQuote::quote : s -> s;
            String file = shell ? archivePath() : src;
            StringBuilder c = new StringBuilder();
            if (handler.equals("ZipArchive")) {
                c.append("unzip -o");
                for (String o : extraOpts) {
                    c.append(' ').append(q.apply(o));
                }
                c.append(' ').append(file);
                for (String i : includes) {
                    c.append(' ').append(q.apply(i));
                }
                if (!excludes.isEmpty()) {
                    c.append(" -x");
                    for (String e : excludes) {
                        c.append(' ').append(q.apply(e));
                    }
                }
                c.append(" -d ").append(q.apply(dest));
            } else {
                c.append("tar --extract -C ").append(q.apply(dest));
                switch (handler) {
                    case "TgzArchive" -> c.append(" -z");
                    case "TarXzArchive" -> c.append(" -J");
                    case "TarBzipArchive" -> c.append(" -j");
                    case "TarZstdArchive" -> c.append(" --use-compress-program=zstd");
                    default -> { }
                }
                c.append(" --show-transformed-names");
                if (keepNewer) {
                    c.append(" --keep-newer-files");
                }
                for (String o : extraOpts) {
                    c.append(' ').append(q.apply(o));
                }
                for (String e : excludes) {
                    c.append(' ').append(q.apply("--exclude=" + e));
                }
                c.append(" -f ").append(file);
                for (String i : includes) {
                    c.append(' ').append(q.apply(i));
                }
            }
            return c.toString();
        }

        @Override
        public ShellCommand command() {
            StringBuilder s = new StringBuilder("export LC_ALL=C\n");
            if (archive != null) {
                s.append("t=$(mktemp) || exit 1; trap 'rm -f \"$t\"' EXIT; cat > \"$t\" || exit 1\n");
            }
            s.append(tool(true)).append(" || exit\n");
            if (mode != null || owner != null || group != null) {
                Set<String> paths = new LinkedHashSet<>();
                for (Member m : members) {
                    if (m.path().contains("/")) {
                        paths.add(m.path().substring(0, m.path().indexOf('/')));
                    }
                }
                for (Member m : members) {
                    paths.add(m.path());
                }
                StringBuilder list = new StringBuilder();
                StringBuilder noLinks = new StringBuilder();
                for (String p : paths) {
                    list.append(' ').append(ShellQuote.quote(p));
                }
                Set<String> linkPaths = new java.util.HashSet<>();
                for (Member m : members) {
                    if (m.kind() == 'l') {
                        linkPaths.add(m.path());
                    }
                }
                for (String p : paths) { // members and their top folders, as Ansible sets them; never through a link
                    if (!linkPaths.contains(p)) {
                        noLinks.append(' ').append(ShellQuote.quote(p));
                    }
                }
                s.append("cd ").append(ShellQuote.quote(dest)).append(" || exit 1\n");
                if (owner != null) {
                    s.append("chown -h ").append(ShellQuote.quote(owner)).append(" --").append(list).append(" || exit 1\n");
                }
                if (group != null) {
                    s.append("chgrp -h ").append(ShellQuote.quote(group)).append(" --").append(list).append(" || exit 1\n");
                }
                if (mode != null && noLinks.length() > 0) {
                    s.append("chmod ").append(ShellQuote.quote(mode)).append(" --").append(noLinks).append(" || exit 1\n");
                }
            }
            return new ShellCommand(s.toString(), archive);
        }

        @Override
        public void simulate(SimulatedState state, String user) {
            for (Member m : members) {
                String path = FileSupport.join(dest, m.path());
                String o = owner != null ? owner : user;
                String g = group != null ? group : user;
                switch (m.kind()) {
                    case 'd' -> state.putFile(new FileState(path, FileState.Kind.DIRECTORY,
                            Modes.apply(mode, Modes.octal(m.mode() == 0 ? 0755 : m.mode() & 07777), true), o, g, 4096,
                            null, null), null);
                    case 'l' -> state.putFile(new FileState(path, FileState.Kind.LINK, "0777", o, g, 0, null, m.target()),
                            null);
                    default -> state.putFile(new FileState(path, FileState.Kind.FILE,
                            Modes.apply(mode, Modes.octal(m.mode() == 0 ? 0644 : m.mode() & 07777), false), o, g,
                            m.size(), m.sha1(), null), m.content());
                }
            }
        }

        @Override
        public boolean exitCodeIsResult() {
            return true;
        }
    }
}
