package dev.drover.module;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import dev.drover.connection.ShellQuote;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * A {@link HostView} that asks the host through its {@link Shell}: each question is one round
 * trip. Paths are taken as given (modules expand a leading {@code ~} against {@link #home()}).
 */
public final class ShellHostView implements HostView {
    /**
     * Who a shell runs as never changes during its life, but a view is made per task (and loop
     * item): remembering the answer per shell saves a round trip for every copy, template and
     * file task (bench/playbook.yml on one host, first run: 114 commands before, 100 after).
     */
    private static final Map<Shell, String[]> IDENTITIES = Collections.synchronizedMap(new WeakHashMap<>());

    private final Shell shell;
    private String user;
    private String home;
    /** Answers read before this view was made (a loop's paths), or null. */
    private PathPrefetch prefetch;

    public ShellHostView(Shell shell) {
        this(shell, null);
    }

    /** A view that answers from {@code prefetch} (read through the same shell) before it asks the host. */
    public ShellHostView(Shell shell, PathPrefetch prefetch) {
        this.shell = shell;
        this.prefetch = prefetch;
    }

    @Override
    public FileState file(String path) throws ConnectionException {
        return stat(path, false, true);
    }

    @Override
    public FileState fileFollow(String path) throws ConnectionException {
        return stat(path, true, true);
    }

    /** As {@link #file}, without reading a regular file's content: one {@code stat}, no {@code cat}. */
    @Override
    public FileState attributes(String path) throws ConnectionException {
        return withoutChecksum(stat(path, false, false));
    }

    /**
     * The shell's own tests ({@code [ -L ]}, {@code [ -f ]}, ...): no process. Free when an
     * earlier probe of this view saw the path, or saw it as an ancestor of an absent path.
     */
    @Override
    public FileState.Kind kind(String path) throws ConnectionException {
        FileState known = lstat.get(path);
        if (known != null) {
            return known.kind();
        }
        FileState.Kind kind = kinds.get(path);
        if (kind == null && fromPrefetch(path, false)) {
            return lstat.get(path).kind();
        }
        if (kind == null) {
            String p = ShellQuote.quote(path);
            CommandResult r = shell.query("if [ -L " + p + " ]; then echo L; elif [ -f " + p + " ]; then echo F; elif [ -d "
                    + p + " ]; then echo D; elif [ -e " + p + " ]; then echo O; else echo A; fi");
            kind = kindOf(r.out().trim());
            kinds.put(path, kind);
        }
        return kind;
    }

    @Override
    public FileState.Kind kindFollow(String path) throws ConnectionException {
        FileState known = follow.get(path);
        if (known != null) {
            return known.kind();
        }
        FileState.Kind own = kind(path);
        return own == FileState.Kind.LINK ? fileFollow(path).kind() : own;
    }

    static FileState.Kind kindOf(String letter) {
        return switch (letter) {
            case "L" -> FileState.Kind.LINK;
            case "F" -> FileState.Kind.FILE;
            case "D" -> FileState.Kind.DIRECTORY;
            case "O" -> FileState.Kind.OTHER;
            default -> FileState.Kind.ABSENT;
        };
    }

    static FileState withoutChecksum(FileState f) {
        return f.sha1() == null ? f
                : new FileState(f.path(), f.kind(), f.mode(), f.owner(), f.group(), f.size(), null, f.linkTarget());
    }

    /** Files up to this size come back whole with their stat: a later {@link #read} needs no trip. */
    static final int INLINE_CONTENT = 64 * 1024;
    static final String FMT = "'%F\\t%a\\t%U\\t%G\\t%s\\n'";

    /*
     * What this view learnt from the host, by path: a module plans from a handful of questions
     * about one path, its parent and its content, asked one after the other; one script answers
     * them all (bench/playbook.yml on one host, first run + rerun: see the commit message). The
     * view lives for one task attempt (TaskRun makes a new one per attempt), during which the
     * module only reads, so the answers stay true.
     */
    private final Map<String, FileState> lstat = new java.util.HashMap<>();
    private final Map<String, FileState> follow = new java.util.HashMap<>();
    private final Map<String, byte[]> content = new java.util.HashMap<>();
    /** Paths whose states above were read without content (by {@link #attributes}): no checksum. */
    private final java.util.Set<String> withoutContent = new java.util.HashSet<>();
    /** Own kinds (links not followed) the shell's tests told, of the ancestors of absent paths. */
    private final Map<String, FileState.Kind> kinds = new java.util.HashMap<>();

    /**
     * One script, usually one process: the path's {@code stat} (a symlink also gets
     * {@code readlink} and {@code stat -L}), the kinds of its ancestors up to the first that
     * exists when the path is absent (the shell's tests: no process), and, when {@code withContent},
     * a readable regular file's content when small (its SHA-1 otherwise). Answers, one per line:
     * own state, link target, followed state ({@code =} when the same as its own), ancestors'
     * kinds, then {@code C} + content or {@code H} + SHA-1.
     */
    private FileState stat(String path, boolean followLinks, boolean withContent) throws ConnectionException {
        Map<String, FileState> cache = followLinks ? follow : lstat;
        FileState known = cache.get(path);
        if (known != null && (!withContent || !withoutContent.contains(path))) {
            return known;
        }
        if (fromPrefetch(path, withContent)) {
            return cache.get(path);
        }
        List<String> ancestors = ancestors(path);
        // the path once, in $p (and the format in $f): the script is sent, encrypted and parsed for every step
        StringBuilder script = new StringBuilder("p=").append(ShellQuote.quote(path)).append("; f=").append(FMT)
                .append("; if [ -L \"$p\" ]; then stat --printf \"$f\" -- \"$p\" 2>/dev/null || echo ERR; readlink -- \"$p\"; ")
                .append("if [ -e \"$p\" ]; then s=$(stat -L --printf \"$f\" -- \"$p\" 2>/dev/null) || s=ERR; ")
                .append("printf '%s\n' \"$s\"; else echo ABSENT; fi; ")
                .append("elif [ -e \"$p\" ]; then s=$(stat --printf \"$f\" -- \"$p\" 2>/dev/null) || s=ERR; ")
                .append("printf '%s\n\n=\n' \"$s\"; ")
                .append("else printf 'ABSENT\n\nABSENT\n'; ");
        // an existing ancestor's kind is all a module asks of it (is the parent a directory?)
        appendAncestorKinds(script, path, "echo ");
        script.append("fi");
        if (withContent) {
            // the size is the stat line's last field: no second stat to choose between content and hash
            script.append("; if [ -f \"$p\" ] && [ -r \"$p\" ]; then ")
                    .append("if [ \"${s##*\t}\" -le ").append(INLINE_CONTENT)
                    .append(" ] 2>/dev/null; then echo C; if [ -s \"$p\" ]; then exec cat -- \"$p\"")
                    .append("; fi; else echo H; sha1sum < \"$p\" | cut -c1-40; fi; fi");
        }
        CommandResult r = shell.query(script.toString());
        byte[] out = r.stdout();
        int[] pos = {0};
        String own = line(out, pos);
        String link = line(out, pos);
        String followed = line(out, pos);
        if (followed.equals("=")) {
            followed = own;
        }
        List<String> ancestorKinds = new ArrayList<>();
        if (own.equals("ABSENT")) {
            for (int i = 0; i < ancestors.size(); i++) {
                String l = line(out, pos);
                ancestorKinds.add(l);
                if (!l.equals("A")) {
                    break;
                }
            }
        }
        String tag = line(out, pos);
        byte[] body = null;
        String sha1 = null;
        if (tag.equals("C")) {
            body = Arrays.copyOfRange(out, pos[0], out.length);
            sha1 = WriteFile.sha1(body);
        } else if (tag.equals("H")) {
            sha1 = line(out, pos).trim();
        }
        if (!r.succeeded() || own.isEmpty() || followed.isEmpty()) { // the script itself failed: answer as absent
            return FileState.absent(path);
        }
        FileState ownState = parse(path, own, link, null);
        FileState followState = parse(path, followed, null, null);
        if (ownState.kind() == FileState.Kind.FILE) {
            ownState = parse(path, own, null, sha1);
        }
        if (followState.kind() == FileState.Kind.FILE) {
            followState = parse(path, followed, null, sha1);
            if (body != null) {
                content.put(path, body);
            }
        }
        lstat.put(path, ownState);
        follow.put(path, followState);
        if (withContent) {
            withoutContent.remove(path);
        } else {
            withoutContent.add(path);
        }
        for (int i = 0; i < ancestorKinds.size(); i++) {
            FileState.Kind k = kindOf(ancestorKinds.get(i));
            kinds.putIfAbsent(ancestors.get(i), k);
            if (k == FileState.Kind.ABSENT) { // an absent path's state is whole: fileFollow needs no trip
                follow.putIfAbsent(ancestors.get(i), FileState.absent(ancestors.get(i)));
                lstat.putIfAbsent(ancestors.get(i), FileState.absent(ancestors.get(i)));
            }
        }
        return followLinks ? followState : ownState;
    }

    /** Takes what the prefetch read of {@code path} into this view's caches, if it holds what is asked. */
    private boolean fromPrefetch(String path, boolean withContent) {
        PathPrefetch.Entry e = prefetch == null ? null : prefetch.get(shell, path);
        if (e == null || (withContent && !e.complete())) {
            return false;
        }
        lstat.put(path, e.state());
        follow.put(path, e.state()); // never a link: links are probed on their own
        if (e.complete()) {
            withoutContent.remove(path);
        } else {
            withoutContent.add(path);
        }
        if (e.content() != null) {
            content.put(path, e.content());
        }
        e.ancestors().forEach((a, k) -> {
            kinds.putIfAbsent(a, k);
            if (k == FileState.Kind.ABSENT) {
                follow.putIfAbsent(a, FileState.absent(a));
                lstat.putIfAbsent(a, FileState.absent(a));
            }
        });
        return true;
    }

    /**
     * Appends a loop that prints the kinds of {@code path}'s {@link #ancestors} (nearest first)
     * with the shell's own tests, up to the first that exists: {@code A} for each absent one, then
     * {@code L}, {@code F}, {@code D} or {@code O}; each printed by {@code print} ({@code "echo "}:
     * one a line; {@code "printf ' %s' "}: on the current line). The shell walks up the path itself
     * ({@code ${a%/*}}, as {@link #ancestors} does), from {@code $p}, which the script has set to
     * {@code path}. Nothing for a relative path.
     */
    static void appendAncestorKinds(StringBuilder script, String path, String print) {
        if (!path.startsWith("/")) {
            return;
        }
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        appendAncestorWalk(script, p.equals(path) ? "\"$p\"" : ShellQuote.quote(p), print);
    }

    /**
     * The loop of {@link #appendAncestorKinds} from {@code start}, a shell word for an absolute
     * path without a trailing slash.
     */
    static void appendAncestorWalk(StringBuilder script, String start, String print) {
        script.append("a=").append(start).append("; while [ ${#a} -gt 1 ]; do a=${a%/*}; [ -n \"$a\" ] || a=/; ")
                .append("if [ -L \"$a\" ]; then ").append(print).append("L; break; elif [ -f \"$a\" ]; then ")
                .append(print).append("F; break; elif [ -d \"$a\" ]; then ").append(print).append("D; break; elif [ -e \"$a\" ]; then ")
                .append(print).append("O; break; fi; ").append(print).append("A; done; ");
    }

    /** The path's ancestors, nearest first (absolute paths only; none for a relative one). */
    static List<String> ancestors(String path) {
        List<String> out = new ArrayList<>();
        if (!path.startsWith("/")) {
            return out;
        }
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        while (p.length() > 1) {
            int i = p.lastIndexOf('/');
            p = i == 0 ? "/" : p.substring(0, i);
            out.add(p);
        }
        return out;
    }

    /** The next line of {@code out} from {@code pos[0]} (without its newline); "" at the end. */
    private static String line(byte[] out, int[] pos) {
        int start = pos[0];
        if (start >= out.length) {
            return "";
        }
        int nl = start;
        while (nl < out.length && out[nl] != '\n') {
            nl++;
        }
        pos[0] = Math.min(out.length, nl + 1);
        return new String(out, start, nl - start, StandardCharsets.UTF_8);
    }

    static FileState parse(String path, String line, String link, String sha1) {
        String[] f = line.split("\t", -1);
        if (f.length < 5) { // ABSENT, ERR (stat failed) or nothing
            return FileState.absent(path);
        }
        FileState.Kind kind = switch (f[0]) {
            case "regular file", "regular empty file" -> FileState.Kind.FILE;
            case "directory" -> FileState.Kind.DIRECTORY;
            case "symbolic link" -> FileState.Kind.LINK;
            default -> FileState.Kind.OTHER;
        };
        String mode = Modes.octal(Integer.parseInt(f[1], 8));
        long size = Long.parseLong(f[4].trim());
        return new FileState(path, kind, mode, f[2], f[3], size,
                kind == FileState.Kind.FILE && sha1 != null && !sha1.isEmpty() ? sha1 : null,
                kind == FileState.Kind.LINK ? link : null);
    }

    /** Forgets what this view learnt (the host may have changed since: a retried task plans again). */
    public void forget() {
        lstat.clear();
        follow.clear();
        content.clear();
        withoutContent.clear();
        kinds.clear();
        prefetch = null; // read before: the host may have changed since
    }

    @Override
    public Optional<byte[]> read(String path) throws ConnectionException {
        byte[] known = content.get(path);
        if (known == null && !lstat.containsKey(path) && fromPrefetch(path, true)) {
            known = content.get(path);
        }
        if (known != null) {
            return Optional.of(known);
        }
        String p = ShellQuote.quote(path);
        CommandResult r = shell.query("if [ -f " + p + " ] && [ -r " + p + " ]; then exec cat -- " + p
                + "; else exit 3; fi");
        return r.succeeded() ? Optional.of(r.stdout()) : Optional.empty();
    }

    @Override
    public Optional<UserState> user(String name) throws ConnectionException {
        String n = ShellQuote.quote(name);
        CommandResult r = shell.query("getent passwd -- " + n + " || exit 2; id -gn -- " + n + "; id -Gn -- " + n);
        if (!r.succeeded()) {
            return Optional.empty();
        }
        String[] lines = r.out().split("\n");
        String[] pw = lines[0].split(":", -1);
        if (pw.length < 7) {
            return Optional.empty();
        }
        String group = lines.length > 1 ? lines[1].trim() : null;
        List<String> groups = lines.length > 2 && !lines[2].isBlank()
                ? new ArrayList<>(Arrays.asList(lines[2].trim().split("\\s+"))) : new ArrayList<>();
        return Optional.of(new UserState(pw[0], Integer.parseInt(pw[2]), Integer.parseInt(pw[3]), group, pw[4],
                pw[5], pw[6], List.copyOf(groups)));
    }

    @Override
    public Optional<GroupState> group(String name) throws ConnectionException {
        CommandResult r = shell.query("getent group -- " + ShellQuote.quote(name));
        if (!r.succeeded()) {
            return Optional.empty();
        }
        String[] g = r.out().split("\n")[0].split(":", -1);
        if (g.length < 3) {
            return Optional.empty();
        }
        int gid = Integer.parseInt(g[2]);
        return Optional.of(new GroupState(g[0], gid, gid < 1000));
    }

    @Override
    public CommandResult probe(String script) throws ConnectionException {
        return shell.run(script);
    }

    @Override
    public String user() throws ConnectionException {
        whoami();
        return user;
    }

    @Override
    public String home() throws ConnectionException {
        whoami();
        return home;
    }

    /** Prints the shell's user and home, a line each. */
    static final String WHOAMI = "id -un; printf '%s\\n' \"$HOME\"";

    /** True when a view asked {@code shell}'s user and home already. */
    static boolean knowsIdentity(Shell shell) {
        return IDENTITIES.containsKey(shell);
    }

    /** What {@code shell} answered to {@link #WHOAMI}, read by another probe. */
    static void learnIdentity(Shell shell, String user, String home) {
        if (!user.isEmpty()) {
            IDENTITIES.putIfAbsent(shell, new String[] {user, home});
        }
    }

    private void whoami() throws ConnectionException {
        if (user != null) {
            return;
        }
        String[] known = IDENTITIES.get(shell);
        if (known != null) {
            user = known[0];
            home = known[1];
            return;
        }
        CommandResult r = shell.query(WHOAMI);
        if (!r.succeeded()) {
            throw new ConnectionException("cannot tell the remote user: " + r.err().trim());
        }
        String[] lines = new String(r.stdout(), StandardCharsets.UTF_8).split("\n", -1);
        user = lines[0].trim();
        home = lines.length > 1 ? lines[1] : "";
        IDENTITIES.put(shell, new String[] {user, home});
    }
}
