package dev.drover.engine;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.module.FileState;
import dev.drover.module.GroupState;
import dev.drover.module.HostView;
import dev.drover.module.UserState;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a check run's modules read of a host, recorded for a plan, and read again before the plan
 * is applied: each read is a key (what was read, as which user) and a digest of the answer. The
 * digests are SHA-256 of the answer's text (a file's kind, mode, owner, group, size and content
 * checksum; a file's bytes; a user's or group's entry; a probe's exit code and output), so a plan
 * holds no content.
 */
public class HostReads {

    /** One read: its digest and what a person calls it ({@code file /etc/app.conf}, {@code user vocalyx}). */
    public record Read(String digest, String what) {
    }

    private final Map<String, Read> reads = new LinkedHashMap<>();

    /** The reads so far, in the order first made. */
    public synchronized Map<String, Read> snapshot() {
        return Map.copyOf(new LinkedHashMap<>(reads));
    }

    synchronized void add(String key, Read r) {
        reads.putIfAbsent(key, r); // the first answer is what the plan was made against
    }

    /** The key of a read: kind, the user it was made as ({@code become user/method}, empty: the login user), argument. */
    static String key(String kind, String as, String arg) {
        return kind + "\u0000" + as + "\u0000" + arg;
    }

    static String[] parts(String key) {
        return key.split("\u0000", 3);
    }

    /** A live view that records every answer it gives into {@code into}, keyed for the user {@code as}. */
    static HostView recording(HostView live, String as, HostReads into) {
        return new HostView() {
            @Override
            public FileState file(String path) throws ConnectionException {
                FileState f = live.file(path);
                into.add(key("file", as, path), new Read(digest(fileText(f)), "file " + path));
                return f;
            }

            @Override
            public FileState fileFollow(String path) throws ConnectionException {
                FileState f = live.fileFollow(path);
                into.add(key("file-follow", as, path), new Read(digest(fileText(f)), "file " + path));
                return f;
            }

            @Override
            public FileState attributes(String path) throws ConnectionException {
                FileState f = live.attributes(path);
                into.add(key("attributes", as, path), new Read(digest(fileText(f)), "file " + path));
                return f;
            }

            @Override
            public FileState.Kind kind(String path) throws ConnectionException {
                FileState.Kind k = live.kind(path);
                into.add(key("kind", as, path), new Read(digest(k.name()), "file " + path));
                return k;
            }

            @Override
            public FileState.Kind kindFollow(String path) throws ConnectionException {
                FileState.Kind k = live.kindFollow(path);
                into.add(key("kind-follow", as, path), new Read(digest(k.name()), "file " + path));
                return k;
            }

            @Override
            public Optional<byte[]> read(String path) throws ConnectionException {
                Optional<byte[]> b = live.read(path);
                into.add(key("read", as, path), new Read(digest(b), "the content of " + path));
                return b;
            }

            @Override
            public Optional<UserState> user(String name) throws ConnectionException {
                Optional<UserState> u = live.user(name);
                into.add(key("user", as, name), new Read(digest(u.map(String::valueOf).orElse("absent")), "user " + name));
                return u;
            }

            @Override
            public Optional<GroupState> group(String name) throws ConnectionException {
                Optional<GroupState> g = live.group(name);
                into.add(key("group", as, name), new Read(digest(g.map(String::valueOf).orElse("absent")), "group " + name));
                return g;
            }

            @Override
            public CommandResult probe(String script) throws ConnectionException {
                CommandResult r = live.probe(script);
                into.add(key("probe", as, script), new Read(digest(probeText(r)), "the output of `" + label(script) + "`"));
                return r;
            }

            @Override
            public java.util.List<String> pendingBelow(String dir) {
                return live.pendingBelow(dir);
            }

            @Override
            public String user() throws ConnectionException {
                return live.user();
            }

            @Override
            public String home() throws ConnectionException {
                return live.home();
            }
        };
    }

    /** A plan's name for a read whose key it keeps only as a hash (the key held a secret: a probe script, say). */
    public static String hashedKey(String key) {
        return "sha256:" + digest(key);
    }

    /**
     * Applying a plan: a live view that compares each answer with the plan's, for the reads the
     * plan keeps only by hash (they could not be made again before the run); a read that answers
     * otherwise stops the host there.
     */
    static HostView verifying(HostView live, String as, Map<String, String> expected) {
        HostReads seen = new HostReads() {
            @Override
            synchronized void add(String key, Read r) {
                String want = expected.get(hashedKey(key));
                if (want != null && !want.equals(r.digest())) {
                    throw new Moved(r.what());
                }
            }
        };
        return recording(live, as, seen);
    }

    /** A read answered otherwise than when the plan was made. */
    static final class Moved extends RuntimeException {
        final String what;

        Moved(String what) {
            super(what + " changed since the plan was made");
            this.what = what;
        }
    }

    /** The digest the read {@code key} gives now through {@code live}. */
    static String readAgain(String key, HostView live) throws ConnectionException {
        String[] p = parts(key);
        String arg = p[2];
        return switch (p[0]) {
            case "file" -> digest(fileText(live.file(arg)));
            case "file-follow" -> digest(fileText(live.fileFollow(arg)));
            case "attributes" -> digest(fileText(live.attributes(arg)));
            case "kind" -> digest(live.kind(arg).name());
            case "kind-follow" -> digest(live.kindFollow(arg).name());
            case "read" -> digest(live.read(arg));
            case "user" -> digest(live.user(arg).map(String::valueOf).orElse("absent"));
            case "group" -> digest(live.group(arg).map(String::valueOf).orElse("absent"));
            case "probe" -> digest(probeText(live.probe(arg)));
            default -> "unknown read " + p[0];
        };
    }

    private static String fileText(FileState f) {
        return f.kind() + " " + f.mode() + " " + f.owner() + " " + f.group() + " " + f.size() + " " + f.sha1() + " "
                + f.linkTarget();
    }

    private static String probeText(CommandResult r) {
        StringBuilder b = new StringBuilder().append(r.exitCode()).append('\n');
        for (String line : r.out().split("\n", -1)) {
            if (!line.startsWith(HostView.CLOCK_LINE)) { // the time of day is no state a plan depends on
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    private static String label(String script) {
        String first = script.strip().lines().findFirst().orElse("");
        return first.length() > 80 ? first.substring(0, 77) + "..." : first;
    }

    static String digest(Optional<byte[]> bytes) {
        return bytes.map(HostReads::sha256).orElse("absent");
    }

    static String digest(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        return dev.drover.module.WriteFile.sha256(bytes);
    }
}
