package dev.drover.module;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import dev.drover.connection.ShellQuote;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The paths of all of a loop's items read at once, before its first item plans: one {@code stat}
 * for all that exist and one {@code cat} for their small contents, where item by item costs a
 * {@code stat} and a {@code cat} each (bench/playbook.yml's three templates on a rerun: 6
 * processes and 3 round trips to 2 and 2). {@link ShellHostView} answers from it what its own
 * probe would have answered; a path it does not hold (a link, a big file, one the module did not
 * announce) is probed as usual. The engine drops it as soon as a change was applied on the host,
 * since answers read before could then be stale.
 */
public final class PathPrefetch {

    /** What one path's probe would have told: its state (a regular file's checksum when read) and content. */
    record Entry(FileState state, byte[] content, boolean complete, Map<String, FileState.Kind> ancestors) {
    }

    private final Shell shell;
    private final Map<String, Entry> entries;
    private final java.util.Set<String> asked;

    private PathPrefetch(Shell shell, Map<String, Entry> entries, java.util.Collection<String> asked) {
        this.shell = shell;
        this.entries = entries;
        this.asked = java.util.Set.copyOf(asked);
    }

    /** What the shell read for {@code path}, or null. */
    Entry get(Shell through, String path) {
        return through == shell ? entries.get(path) : null;
    }

    /** The paths it holds answers for. */
    public java.util.Set<String> paths() {
        return entries.keySet();
    }

    /**
     * True when it read {@code paths} through {@code through}, whether or not it holds an answer
     * for each (a link's or a big file's own probe reads it): reading them again would tell no more.
     */
    public boolean covers(Shell through, java.util.Collection<String> paths) {
        return through == shell && asked.containsAll(paths);
    }

    /**
     * Reads {@code paths} (absolute, without a trailing slash) through {@code shell}: their kinds
     * and, for an absent one, its ancestors' kinds up to the first that exists (the shell's own
     * tests), one {@code stat} for those that exist, and with {@code content} one {@code cat}
     * for the small readable regular files. Any answer it cannot trust (the host changed between
     * the two reads) leaves the path out.
     */
    public static PathPrefetch read(Shell shell, List<String> paths, boolean content) throws ConnectionException {
        return read(shell, paths, content ? java.util.Set.copyOf(paths) : java.util.Set.of());
    }

    /** As {@link #read(Shell, List, boolean)}, the contents of the paths in {@code withContent} only. */
    public static PathPrefetch read(Shell shell, List<String> paths, java.util.Set<String> withContent)
            throws ConnectionException {
        Request req = request(shell, paths, withContent);
        return req.script == null ? req.complete(null) : req.complete(shell.query(req.script));
    }

    /**
     * A read prepared, to be sent on its own ({@link #read}) or after another command in the same
     * round trip (the engine re-reads a loop's paths with an item's change): {@link #script}, then
     * {@link #complete} with what it printed.
     */
    public static final class Request {
        private final Shell shell;
        private final List<String> asked;
        private final java.util.Set<String> withContent;
        private final boolean who;
        /** The script to run through the shell; null when there is nothing to read. */
        public final String script;

        private Request(Shell shell, List<String> asked, java.util.Set<String> withContent, boolean who, String script) {
            this.shell = shell;
            this.asked = asked;
            this.withContent = withContent;
            this.who = who;
            this.script = script;
        }

        /**
         * What the script's run {@code r} read (null when it did not run: nothing is known); the
         * small files' contents cost one more round trip, as in {@link #read}.
         */
        public PathPrefetch complete(CommandResult r) throws ConnectionException {
            return r == null ? new PathPrefetch(shell, new HashMap<>(), asked) : parse(shell, asked, withContent, who, r);
        }
    }

    /** The read of {@code paths} through {@code shell}, prepared. */
    public static Request request(Shell shell, List<String> paths, java.util.Set<String> withContent) {
        List<String> asked = new ArrayList<>(new LinkedHashSet<>(paths));
        asked.removeIf(p -> !p.startsWith("/") || p.indexOf('\n') >= 0 || (p.length() > 1 && p.endsWith("/")));
        if (asked.isEmpty()) {
            return new Request(shell, asked, withContent, false, null);
        }
        // the shell's user and home, when no view asked yet: the same round trip (what whoami would ask)
        boolean who = !ShellHostView.knowsIdentity(shell);
        StringBuilder s = new StringBuilder(who ? ShellHostView.WHOAMI + "; set --; " : "set --; ");
        // __dv_k: the kind line of the path in $p (an absent one's ancestors' kinds on it); true when it
        // exists and is no link. Defined once: the script holds the paths of many tasks.
        s.append("__dv_k() { if [ -L \"$p\" ]; then echo L; return 1; elif [ -e \"$p\" ]; then if [ -f \"$p\" ]; then ")
                .append("if [ -r \"$p\" ]; then echo F; else echo f; fi; elif [ -d \"$p\" ]; then echo D; else echo O; fi; ")
                .append("return 0; fi; printf A; ");
        ShellHostView.appendAncestorWalk(s, "\"$p\"", "printf \" %s\" ");
        s.append("echo; return 1; }; ");
        for (String path : asked) { // absolute, no trailing slash (above)
            s.append("p=").append(ShellQuote.quote(path)).append("; __dv_k && set -- \"$@\" \"$p\"; ");
        }
        s.append("echo =; if [ $# -gt 0 ]; then exec stat --printf ").append(ShellHostView.FMT).append(" -- \"$@\"; fi");
        return new Request(shell, asked, withContent, who, s.toString());
    }

    private static PathPrefetch parse(Shell shell, List<String> asked, java.util.Set<String> withContent, boolean who,
                                      CommandResult r) throws ConnectionException {
        Map<String, Entry> out = new HashMap<>();
        String[] all = r.out().split("\n", -1);
        int skip = who ? 2 : 0;
        if (!r.succeeded() || all.length < skip + asked.size() + 1 || !all[skip + asked.size()].equals("=")) {
            return new PathPrefetch(shell, out, asked);
        }
        if (who) {
            ShellHostView.learnIdentity(shell, all[0].trim(), all[1]);
        }
        String[] lines = Arrays.copyOfRange(all, skip, all.length);
        int statLine = asked.size() + 1;
        List<String> small = new ArrayList<>();
        Map<String, FileState> states = new HashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            String path = asked.get(i);
            String[] k = lines[i].split(" ");
            switch (k[0]) {
                case "L" -> {
                    // a link: its own probe reads the link and its target
                }
                case "A" -> {
                    Map<String, FileState.Kind> ancestors = new HashMap<>();
                    List<String> names = ShellHostView.ancestors(path);
                    for (int j = 1; j < k.length && j - 1 < names.size(); j++) {
                        ancestors.put(names.get(j - 1), ShellHostView.kindOf(k[j]));
                    }
                    out.put(path, new Entry(FileState.absent(path), null, true, Map.copyOf(ancestors)));
                }
                default -> {
                    if (statLine >= lines.length) {
                        return new PathPrefetch(shell, new HashMap<>(), List.of()); // fewer stat lines than paths: the host moved
                    }
                    FileState st = ShellHostView.parse(path, lines[statLine++], null, null);
                    if (!st.exists()) {
                        return new PathPrefetch(shell, new HashMap<>(), List.of());
                    }
                    states.put(path, st);
                    boolean readable = k[0].equals("F");
                    if (st.isFile() && readable && st.size() > 0 && st.size() <= ShellHostView.INLINE_CONTENT
                            && withContent.contains(path)) {
                        small.add(path);
                    } else {
                        // a directory or other: whole; an empty file: its content is known; unreadable: no checksum,
                        // as the probe answers; a big file: its checksum needs the probe's sha1sum
                        boolean empty = st.isFile() && readable && st.size() == 0;
                        boolean whole = !st.isFile() || !readable || empty;
                        FileState withSum = empty ? withSha1(st, WriteFile.sha1(new byte[0])) : st;
                        out.put(path, new Entry(withSum, empty ? new byte[0] : null, whole, Map.of()));
                    }
                }
            }
        }
        if (!small.isEmpty()) {
            StringBuilder cat = new StringBuilder("exec cat --");
            long total = 0;
            for (String path : small) {
                cat.append(' ').append(ShellQuote.quote(path));
                total += states.get(path).size();
            }
            CommandResult c = shell.query(cat.toString());
            byte[] bytes = c.stdout();
            boolean trusted = c.succeeded() && bytes.length == total; // else a file changed since its stat
            int at = 0;
            for (String path : small) {
                FileState st = states.get(path);
                if (trusted) {
                    byte[] body = Arrays.copyOfRange(bytes, at, at + (int) st.size());
                    at += (int) st.size();
                    out.put(path, new Entry(withSha1(st, WriteFile.sha1(body)), body, true, Map.of()));
                } else {
                    out.put(path, new Entry(st, null, false, Map.of()));
                }
            }
        }
        return new PathPrefetch(shell, out, asked);
    }

    private static FileState withSha1(FileState f, String sha1) {
        return new FileState(f.path(), f.kind(), f.mode(), f.owner(), f.group(), f.size(), sha1, f.linkTarget());
    }
}
