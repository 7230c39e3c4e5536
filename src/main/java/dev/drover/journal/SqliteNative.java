package dev.drover.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * SQLite's native library, unpacked once per sqlite-jdbc version into drover's cache
 * ({@code $XDG_CACHE_HOME/drover/sqlite-VERSION-ARCH/}) instead of into /tmp on every run as
 * sqlite-jdbc does by itself (≈ 140 ms a run here). Where drover has no library of its own to
 * offer (another platform, musl, an unwritable cache), sqlite-jdbc finds its own as usual.
 */
final class SqliteNative {
    private SqliteNative() {
    }

    private static volatile boolean prepared;

    static synchronized void prepare(Map<String, String> env) {
        if (prepared || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        prepared = true;
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        if (arch == null || !System.getProperty("os.name", "").startsWith("Linux") || musl()) {
            return;
        }
        String resource = "/org/sqlite/native/Linux/" + arch + "/libsqlitejdbc.so";
        try (InputStream version = SqliteNative.class.getResourceAsStream("/META-INF/maven/org.xerial/sqlite-jdbc/VERSION")) {
            if (version == null || SqliteNative.class.getResource(resource) == null) {
                return;
            }
            String v = new String(version.readAllBytes(), StandardCharsets.US_ASCII).strip(); // version=3.54.1
            v = v.substring(v.indexOf('=') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
            Path dir = cacheHome(env).resolve("drover").resolve("sqlite-" + v + "-" + arch);
            Path lib = dir.resolve("libsqlitejdbc.so");
            if (!Files.isRegularFile(lib)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Path tmp = Files.createTempFile(dir, "libsqlitejdbc", ".tmp");
                try (InputStream in = SqliteNative.class.getResourceAsStream(resource)) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", "libsqlitejdbc.so");
        } catch (IOException | RuntimeException e) {
            // sqlite-jdbc unpacks its own
        }
    }

    private static Path cacheHome(Map<String, String> env) {
        String c = env.get("XDG_CACHE_HOME");
        if (c != null && !c.isBlank() && Path.of(c).isAbsolute()) {
            return Path.of(c);
        }
        String home = env.get("HOME");
        return Path.of(home == null || home.isEmpty() ? System.getProperty("user.home") : home, ".cache");
    }

    /** A musl libc (Alpine): sqlite-jdbc's Linux-Musl build is the one that loads there. */
    private static boolean musl() {
        try (var s = Files.newDirectoryStream(Path.of("/lib"), "ld-musl-*")) {
            return s.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }
}
