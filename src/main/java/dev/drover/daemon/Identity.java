package dev.drover.daemon;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which resident drover may run a command line for this process: one started from the same jar
 * (path, size, time) on the same Java, by the same user, in the same working directory, with the
 * same umask and the same environment (but for {@link #IGNORED}). The daemon is a copy of the process that would
 * otherwise run the command line, so what a run reads from its process (environment variables,
 * relative paths, ansible.cfg's search, the umask of local files) is the same; anything else gets
 * another daemon. The key names the daemon's socket. bin/drover-client.py computes the same key
 * (keep the two in step: DaemonIT runs both clients).
 *
 * @param key    hex digest of all the above
 * @param jar    the jar drover runs from
 * @param dir    where sockets and logs live (0700): $DROVER_DAEMON_DIR, else $XDG_RUNTIME_DIR/drover,
 *               else ~/.cache/drover/daemon
 */
record Identity(String key, Path jar, Path dir) {

    /**
     * Variables left out of the comparison: set anew for every command by the tool that starts it,
     * they say nothing about the run (the shell's last command {@code _}, its nesting level, which
     * bash lowers for an {@code exec} as the launcher's last command, the directory before the last
     * cd, hyperfine's padding of the environment, the daemon's own debug switch); a served run sees
     * the daemon's values.
     */
    static final java.util.Set<String> IGNORED = java.util.Set.of("_", "SHLVL", "OLDPWD",
            "HYPERFINE_RANDOMIZED_ENVIRONMENT_OFFSET", "DROVER_DAEMON_DEBUG");

    Path socket() {
        return dir.resolve(key + ".sock");
    }

    Path log() {
        return dir.resolve(key + ".log");
    }

    Path starting() {
        return dir.resolve(key + ".starting");
    }

    /** This process's identity; empty when drover does not run from a jar (tests, an IDE). */
    static Optional<Identity> here() {
        Path jar = ownJar();
        if (jar == null) {
            return Optional.empty();
        }
        Map<String, String> env = System.getenv();
        try {
            String process = "wire " + Wire.VERSION + '\0' + jar + '\0' + Files.size(jar) + '\0'
                    + Files.getLastModifiedTime(jar).toMillis() + '\0' + System.getProperty("java.home") + '\0'
                    + System.getProperty("java.version") + '\0' + System.getProperty("user.name") + '\0'
                    + System.getProperty("user.dir") + '\0' + umask() + '\0';
            return Optional.of(new Identity(key(process, env), jar, dir(env)));
        } catch (IOException | NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    /** The key of a process (jar, JVM, user, directory, umask) with this environment, minus {@link #IGNORED}. */
    static String key(String process, Map<String, String> env) throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        StringBuilder s = new StringBuilder(process);
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (!IGNORED.contains(e.getKey())) {
                s.append(e.getKey()).append('=').append(e.getValue()).append('\0');
            }
        }
        byte[] d = md.digest(s.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            hex.append(String.format("%02x", d[i]));
        }
        return hex.toString();
    }

    static Path dir(Map<String, String> env) {
        String own = env.get("DROVER_DAEMON_DIR");
        if (own != null && !own.isEmpty()) {
            return Path.of(own);
        }
        String run = env.get("XDG_RUNTIME_DIR");
        if (run != null && !run.isEmpty() && Files.isDirectory(Path.of(run)) && Files.isWritable(Path.of(run))) {
            return Path.of(run, "drover");
        }
        String cache = env.get("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("drover").resolve("daemon");
    }

    /** The process's umask, from /proc (Linux 4.7+); "?" when it cannot be read. */
    static String umask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "?";
    }

    private static Path ownJar() {
        try {
            var src = Identity.class.getProtectionDomain().getCodeSource();
            if (src == null) {
                return null;
            }
            // the real path (the class path's entry is canonical already): bin/drover-client.py
            // computes the same key from os.path.realpath
            Path p = Path.of(src.getLocation().toURI()).toAbsolutePath();
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p.toRealPath() : null;
        } catch (URISyntaxException | IOException | RuntimeException e) {
            return null;
        }
    }
}
