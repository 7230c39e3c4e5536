package dev.drover.modules.files;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.Modes;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ansible.builtin.find: one {@code find -printf} probe per path lists every entry with its stat
 * (and, only when {@code contains} or {@code get_checksum} asks, a second probe reads the
 * candidates); the filters are Ansible 2.14's (fnmatch or Python regex on the base name,
 * excludes, file_type, hidden, age, size, depth) applied here, and the entries come in os.walk's
 * order (each directory's files, then its directories, then into each). In check mode what earlier
 * steps would have made or removed is merged in (without its times). Never changes anything.
 */
public final class FindModule implements Module {
    private static final ModuleSpec SPEC = ModuleSpec.of("find",
            Param.required("paths", ParamType.LIST).withAliases("name", "path"),
            Param.of("patterns", ParamType.LIST).withAliases("pattern"),
            Param.of("excludes", ParamType.LIST).withAliases("exclude"),
            Param.of("contains", ParamType.STR),
            Param.of("read_whole_file", ParamType.BOOL).withDefault(false),
            Param.of("file_type", ParamType.STR).withDefault("file").withChoices("any", "directory", "file", "link"),
            Param.of("age", ParamType.STR),
            Param.of("age_stamp", ParamType.STR).withDefault("mtime").withChoices("atime", "ctime", "mtime"),
            Param.of("size", ParamType.STR),
            Param.of("recurse", ParamType.BOOL).withDefault(false),
            Param.of("hidden", ParamType.BOOL).withDefault(false),
            Param.of("follow", ParamType.BOOL).withDefault(false),
            Param.of("get_checksum", ParamType.BOOL).withDefault(false),
            Param.of("use_regex", ParamType.BOOL).withDefault(false),
            Param.of("depth", ParamType.INT));

    private static final Map<String, Long> AGE_UNITS = Map.of("s", 1L, "m", 60L, "h", 3600L, "d", 86400L, "w", 604800L);
    private static final Map<String, Long> SIZE_UNITS = Map.of("b", 1L, "k", 1024L, "m", 1024L * 1024,
            "g", 1024L * 1024 * 1024, "t", 1024L * 1024 * 1024 * 1024);

    /** One entry as find printed it. */
    record Entry(String path, String parent, String name, char type, char targetType, int mode, int uid, int gid,
                 long size, long inode, long dev, long nlink, double atime, double mtime, double ctime,
                 String owner, String group) {
    }

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        boolean regex = a.bool("use_regex");
        List<String> patterns = a.strings("patterns");
        if (patterns.isEmpty()) {
            patterns = List.of(regex ? ".*" : "*");
        }
        List<Pattern> include = compile(patterns, regex);
        List<Pattern> exclude = a.has("excludes") ? compile(a.strings("excludes"), regex) : List.of();
        Long age = unit(a.str("age"), "^(-?\\d+)(s|m|h|d|w)?$", AGE_UNITS, "age", "failed to process age");
        Long size = unit(a.str("size"), "^(-?\\d+)(b|k|m|g|t)?$", SIZE_UNITS, "size", "failed to process size");
        String fileType = a.str("file_type");
        Integer depth = a.integer("depth");
        boolean recurse = a.bool("recurse");
        boolean hidden = a.bool("hidden");
        Pattern contains = a.str("contains") == null ? null : PyRegex.compile(a.str("contains"), 0);
        String stamp = a.str("age_stamp");
        double now = System.currentTimeMillis() / 1000.0;

        List<Entry> matched = new ArrayList<>();
        Map<String, Object> skipped = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        int looked = 0;
        HostView host = ctx.host();
        for (String given : a.strings("paths")) {
            String npath = FileSupport.expand(ctx, given);
            FileState top = host.fileFollow(npath);
            if (!top.isDirectory()) {
                String why = "'" + npath + "' is not a directory";
                skipped.put(npath, why);
                warnings.add("Skipped '" + npath + "' path due to this access issue: " + why + "\n");
                continue;
            }
            int maxDepth = !recurse ? 1 : depth != null && depth > 0 ? depth + 1 : -1;
            List<Entry> listed = withSimulated(host, FileSupport.stripSlash(npath), list(host, npath, maxDepth,
                    a.bool("follow")), now);
            List<Entry> walked = walk(listed, npath, recurse);
            String root = FileSupport.stripSlash(npath);
            for (Entry e : walked) {
                looked++;
                if (depth != null && depth > 0 && recurse) {
                    int d = count(e.path(), '/') - count(root + "/", '/') + 1;
                    if (d > depth) {
                        continue;
                    }
                }
                if (e.name().startsWith(".") && !hidden) {
                    continue;
                }
                boolean names = pfilter(e.name(), include, exclude, regex);
                boolean ageOk = ageFilter(e, now, age, stamp);
                switch (fileType) {
                    case "any" -> {
                        if (names && ageOk && (e.type() != 'f' || size == null || sizeOk(e, size))) {
                            matched.add(e);
                        }
                    }
                    case "directory" -> {
                        if (e.type() == 'd' && names && ageOk) {
                            matched.add(e);
                        }
                    }
                    case "link" -> {
                        if (e.type() == 'l' && names && ageOk) {
                            matched.add(e);
                        }
                    }
                    default -> {
                        if (e.type() == 'f' && names && ageOk && sizeOk(e, size)) {
                            matched.add(e);
                        }
                    }
                }
            }
        }
        boolean checksums = a.bool("get_checksum");
        Map<String, String[]> extra = contains != null || checksums
                ? read(host, matched.stream().filter(e -> e.type() == 'f').map(Entry::path).toList(), contains != null)
                : Map.of();
        List<Object> files = new ArrayList<>();
        for (Entry e : matched) {
            if (contains != null && fileType.equals("file")) {
                String[] x = extra.get(e.path());
                if (x == null || !contentMatches(contains, x[1], a.bool("read_whole_file"))) {
                    continue;
                }
            }
            Map<String, Object> r = statinfo(e);
            if (checksums && e.type() == 'f' && extra.containsKey(e.path())) {
                r.put("checksum", extra.get(e.path())[0]);
            }
            files.add(r);
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("files", files);
        v.put("changed", false);
        v.put("msg", warnings.isEmpty() ? "All paths examined" : "Not all paths examined, check warnings for details");
        v.put("matched", files.size());
        v.put("examined", looked);
        v.put("skipped_paths", skipped);
        if (!warnings.isEmpty()) {
            v.put("warnings", warnings);
        }
        return Plan.nothing(files.size() + " files matched", v);
    }

    private static List<Pattern> compile(List<String> patterns, boolean regex) throws ModuleException {
        List<Pattern> out = new ArrayList<>();
        for (String p : patterns) {
            out.add(regex ? PyRegex.compile(p, 0) : Pattern.compile(fnmatch(p), Pattern.DOTALL));
        }
        return out;
    }

    /** Python's fnmatch.translate (case-sensitive on Linux): * ? [seq] [!seq]. */
    static String fnmatch(String pat) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < pat.length(); i++) {
            char c = pat.charAt(i);
            switch (c) {
                case '*' -> r.append(".*");
                case '?' -> r.append('.');
                case '[' -> {
                    int j = i + 1;
                    if (j < pat.length() && pat.charAt(j) == '!') {
                        j++;
                    }
                    if (j < pat.length() && pat.charAt(j) == ']') {
                        j++;
                    }
                    while (j < pat.length() && pat.charAt(j) != ']') {
                        j++;
                    }
                    if (j >= pat.length()) {
                        r.append("\\[");
                    } else {
                        String stuff = pat.substring(i + 1, j).replace("\\", "\\\\");
                        if (stuff.startsWith("!")) {
                            stuff = "^" + stuff.substring(1);
                        } else if (stuff.startsWith("^")) {
                            stuff = "\\" + stuff;
                        }
                        r.append('[').append(stuff.replace("[", "\\[").replace("&&", "&\\&")).append(']');
                        i = j;
                    }
                }
                default -> r.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return r.toString();
    }

    private static boolean pfilter(String name, List<Pattern> include, List<Pattern> exclude, boolean regex) {
        for (Pattern p : include) {
            Matcher m = p.matcher(name);
            if (regex ? m.lookingAt() : m.matches()) {
                for (Pattern e : exclude) {
                    Matcher x = e.matcher(name);
                    if (regex ? x.lookingAt() : x.matches()) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static boolean ageFilter(Entry e, double now, Long age, String stamp) {
        if (age == null) {
            return true;
        }
        double t = switch (stamp) {
            case "atime" -> e.atime();
            case "ctime" -> e.ctime();
            default -> e.mtime();
        };
        return age >= 0 ? now - t >= Math.abs(age) : now - t <= Math.abs(age);
    }

    private static boolean sizeOk(Entry e, Long size) {
        return size == null || (size >= 0 ? e.size() >= Math.abs(size) : e.size() <= Math.abs(size));
    }

    private static boolean contentMatches(Pattern p, String text, boolean whole) {
        if (whole) {
            return p.matcher(text).find();
        }
        for (String line : TextEdit.splitLines(text)) {
            if (p.matcher(line).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    private static Long unit(String value, String regex, Map<String, Long> units, String key, String msg)
            throws ModuleException {
        if (value == null) {
            return null;
        }
        Matcher m = Pattern.compile(regex).matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ModuleException(msg, Map.of(key, value));
        }
        return Long.parseLong(m.group(1)) * (m.group(2) == null ? 1 : units.get(m.group(2)));
    }

    /** find's listing of {@code dir} (readdir order), each entry with its lstat. */
    private static List<Entry> list(HostView host, String dir, int maxDepth, boolean follow) throws ConnectionException {
        StringBuilder s = new StringBuilder("find ");
        if (follow) {
            s.append("-L ");
        }
        s.append(ShellQuote.quote(dir)).append(" -mindepth 1");
        if (maxDepth > 0) {
            s.append(" -maxdepth ").append(maxDepth);
        }
        s.append(" -printf '%y\\t%Y\\t%m\\t%U\\t%G\\t%s\\t%i\\t%D\\t%n\\t%A@\\t%T@\\t%C@\\t%u\\t%g\\t%h\\t%f\\t%p\\0' 2>/dev/null");
        CommandResult r = host.probe(s.toString());
        List<Entry> out = new ArrayList<>();
        for (String rec : new String(r.stdout(), StandardCharsets.UTF_8).split("\0")) {
            String[] f = rec.split("\t", 17);
            if (f.length < 17) {
                continue;
            }
            char type = f[0].charAt(0);
            if (follow && type != 'l' && !f[1].isEmpty()) {
                type = f[1].charAt(0);
            }
            out.add(new Entry(f[16], FileSupport.stripSlash(f[14]), f[15], type, f[1].charAt(0),
                    Integer.parseInt(f[2], 8), Integer.parseInt(f[3]), Integer.parseInt(f[4]), Long.parseLong(f[5]),
                    Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]), Double.parseDouble(f[9]),
                    Double.parseDouble(f[10]), Double.parseDouble(f[11]), f[12], f[13]));
        }
        return out;
    }

    /**
     * The listing with what earlier steps of a check run would have made or removed below
     * {@code dir} (nothing on a live host): find only sees the real host.
     */
    private static List<Entry> withSimulated(HostView host, String dir, List<Entry> listed, double now)
            throws ConnectionException {
        List<String> pending = host.pendingBelow(dir);
        if (pending.isEmpty()) {
            return listed;
        }
        Map<String, Entry> byPath = new LinkedHashMap<>();
        listed.forEach(e -> byPath.put(e.path(), e));
        for (String p : pending) {
            if (p.equals(dir)) {
                continue;
            }
            FileState f = host.recordedFile(p).orElse(null);
            if (f == null) {
                continue;
            }
            if (!f.exists()) {
                byPath.keySet().removeIf(k -> k.equals(p) || k.startsWith(p + "/"));
                continue;
            }
            char type = switch (f.kind()) {
                case DIRECTORY -> 'd';
                case LINK -> 'l';
                case FILE -> 'f';
                default -> 'p';
            };
            int uid = f.owner() == null ? -1 : host.user(f.owner()).map(u -> u.uid()).orElse(-1);
            int gid = f.group() == null ? -1 : host.group(f.group()).map(g -> g.gid()).orElse(-1);
            byPath.put(p, new Entry(p, FileSupport.parent(p), FileSupport.basename(p), type, type,
                    Integer.parseInt(f.mode() == null ? "0" : f.mode(), 8), uid, gid, f.size(), 0, 0, 1, now, now, now,
                    f.owner(), f.group()));
        }
        return new ArrayList<>(byPath.values());
    }

    /** The entries in os.walk's top-down order: a directory's files, then its directories, then into each. */
    private static List<Entry> walk(List<Entry> entries, String top, boolean recurse) {
        Map<String, List<Entry>> byParent = new LinkedHashMap<>();
        for (Entry e : entries) {
            byParent.computeIfAbsent(e.parent(), k -> new ArrayList<>()).add(e);
        }
        List<Entry> out = new ArrayList<>();
        walkInto(FileSupport.stripSlash(top), byParent, out, recurse);
        return out;
    }

    private static void walkInto(String dir, Map<String, List<Entry>> byParent, List<Entry> out, boolean recurse) {
        List<Entry> here = byParent.getOrDefault(dir, List.of());
        List<Entry> dirs = new ArrayList<>();
        for (Entry e : here) {
            if (e.targetType() == 'd') {
                dirs.add(e); // os.walk lists links to directories with the directories
            } else {
                out.add(e);
            }
        }
        out.addAll(dirs);
        if (recurse) {
            for (Entry d : dirs) {
                walkInto(d.path(), byParent, out, true);
            }
        }
    }

    /** SHA-1 and (when asked) content of each file, one probe. */
    private static Map<String, String[]> read(HostView host, List<String> paths, boolean content)
            throws ConnectionException {
        Map<String, String[]> out = new LinkedHashMap<>();
        if (paths.isEmpty()) {
            return out;
        }
        StringBuilder s = new StringBuilder("for p in");
        for (String p : paths) {
            s.append(' ').append(ShellQuote.quote(p));
        }
        s.append("; do h=$(sha1sum < \"$p\" 2>/dev/null | cut -c1-40); printf '%s ' \"${h:--}\"; ");
        s.append(content ? "base64 -w0 < \"$p\" 2>/dev/null; echo; done" : "echo; done");
        CommandResult r = host.probe(s.toString());
        String[] lines = r.out().split("\n", -1);
        for (int i = 0; i < paths.size() && i < lines.length; i++) {
            String l = lines[i];
            int sp = l.indexOf(' ');
            String sum = sp > 0 ? l.substring(0, sp) : "-";
            String text = sp > 0 && content ? new String(Base64.getDecoder().decode(l.substring(sp + 1).trim()),
                    StandardCharsets.UTF_8) : "";
            out.put(paths.get(i), new String[] {sum, text});
        }
        return out;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static Map<String, Object> statinfo(Entry e) {
        int m = e.mode();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("path", e.path());
        r.put("mode", String.format("%04o", m & 07777));
        r.put("isdir", e.type() == 'd');
        r.put("ischr", e.type() == 'c');
        r.put("isblk", e.type() == 'b');
        r.put("isreg", e.type() == 'f');
        r.put("isfifo", e.type() == 'p');
        r.put("islnk", e.type() == 'l');
        r.put("issock", e.type() == 's');
        r.put("uid", e.uid());
        r.put("gid", e.gid());
        r.put("size", e.size());
        r.put("inode", e.inode());
        r.put("dev", e.dev());
        r.put("nlink", e.nlink());
        r.put("atime", e.atime());
        r.put("mtime", e.mtime());
        r.put("ctime", e.ctime());
        r.put("gr_name", e.group());
        r.put("pw_name", e.owner());
        Modes.putPermissionFlags(m, r);
        return r;
    }
}
