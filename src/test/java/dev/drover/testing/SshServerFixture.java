package dev.drover.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.drover.connection.ConnectionSpec;

/**
 * A real OpenSSH server for integration tests: {@code /usr/sbin/sshd -D -e -f <config>} on a free
 * loopback port, with a generated ed25519 host key, a generated client key pair, per-user
 * authorized_keys files in a temp dir, and a known_hosts file for the client listing the host key
 * under {@code [address]:port} for every listen address.
 *
 * <pre>
 * static SshServerFixture sshd;
 * &#64;BeforeAll static void up() throws Exception { sshd = SshServerFixture.start(); }   // or shared()
 * &#64;AfterAll static void down() { sshd.close(); }
 * ... Connections.open(sshd.spec("web1", "127.0.0.1", "root")) ...
 * </pre>
 *
 * The current user's key is authorized at start; {@link #authorize(String)} authorizes the client
 * key for another user (see {@link #ensureUser(String)}). When sshd is missing the test is skipped
 * (or failed with CI=true) through {@link Requirements}.
 */
public final class SshServerFixture implements AutoCloseable {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static SshServerFixture shared;

    private final Path dir;
    private final int port;
    private final List<String> addresses;
    private final Process process;
    private final StringBuffer log = new StringBuffer();
    private final String clientPublicKey;
    private volatile boolean closed;

    private SshServerFixture(Path dir, int port, List<String> addresses, Process process, String clientPublicKey) {
        this.dir = dir;
        this.port = port;
        this.addresses = List.copyOf(addresses);
        this.process = process;
        this.clientPublicKey = clientPublicKey;
    }

    /**
     * One sshd for the whole test JVM (started on first call, stopped at JVM exit), listening on
     * 127.0.0.1, 127.0.0.2 and 127.0.0.3. Do not close it.
     */
    public static synchronized SshServerFixture shared() throws IOException {
        if (shared == null || shared.closed || !shared.process.isAlive()) {
            SshServerFixture s = start("127.0.0.1", "127.0.0.2", "127.0.0.3");
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "sshd-fixture-stop"));
            shared = s;
        }
        return shared;
    }

    /** Starts an sshd listening on the given loopback addresses (127.0.0.1 when none). */
    public static SshServerFixture start(String... listenAddresses) throws IOException {
        return startWith("", listenAddresses);
    }

    /**
     * Like {@link #start}, with sshd_config lines put first (sshd keeps the first value it reads,
     * so they win over the fixture's: e.g. "PasswordAuthentication yes", "LogLevel DEBUG1").
     */
    public static SshServerFixture startWith(String extraConfig, String... listenAddresses) throws IOException {
        Requirements.requireSshd();
        List<String> addrs = listenAddresses.length == 0 ? List.of("127.0.0.1") : List.of(listenAddresses);
        Path dir = Files.createTempDirectory("drover-sshd-");
        try {
            // sshd reads authorized_keys as the target user: let every user traverse the dir
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path authDir = Files.createDirectories(dir.resolve("authorized_keys"));
            Files.setPosixFilePermissions(authDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "drover-test-host", "-f",
                    dir.resolve("host_ed25519").toString());
            run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "drover-test-client", "-f",
                    dir.resolve("client_ed25519").toString());
            String hostPub = firstTwoFields(Files.readString(dir.resolve("host_ed25519.pub")));
            String clientPub = Files.readString(dir.resolve("client_ed25519.pub")).strip();
            if (Requirements.isRoot()) {
                Files.createDirectories(Path.of("/run/sshd")); // privilege separation dir
            }
            int port = freePort();
            StringBuilder kh = new StringBuilder();
            StringBuilder config = new StringBuilder(extraConfig.isEmpty() || extraConfig.endsWith("\n")
                    ? extraConfig : extraConfig + "\n");
            for (String a : addrs) {
                kh.append('[').append(a).append("]:").append(port).append(' ').append(hostPub).append('\n');
                config.append("ListenAddress ").append(a).append(':').append(port).append('\n');
            }
            Files.writeString(dir.resolve("known_hosts"), kh);
            config.append("HostKey ").append(dir.resolve("host_ed25519")).append('\n')
                    .append("AuthorizedKeysFile ").append(authDir).append("/%u\n")
                    .append("PidFile ").append(dir.resolve("sshd.pid")).append('\n')
                    .append("UsePAM no\n")
                    .append("StrictModes no\n")
                    .append("PermitRootLogin yes\n")
                    .append("PasswordAuthentication no\n")
                    .append("KbdInteractiveAuthentication no\n")
                    .append("PubkeyAuthentication yes\n")
                    .append("MaxSessions 100\n")
                    .append("MaxStartups 100\n")
                    .append("LogLevel INFO\n")
                    .append("Subsystem sftp internal-sftp\n");
            Files.writeString(dir.resolve("sshd_config"), config);
            Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                    .redirectErrorStream(true).start();
            SshServerFixture f = new SshServerFixture(dir, port, addrs, p, clientPub);
            f.drainLog();
            f.authorize(System.getProperty("user.name"));
            f.awaitListening(Duration.ofSeconds(15));
            return f;
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** The addresses sshd listens on (127.0.0.1 first by default). */
    public List<String> addresses() {
        return addresses;
    }

    /** The client's private key (OpenSSH ed25519, no passphrase). */
    public Path clientKey() {
        return dir.resolve("client_ed25519");
    }

    /** The client's public key line ({@code ssh-ed25519 AAAA... comment}). */
    public String clientPublicKey() {
        return clientPublicKey;
    }

    /** A known_hosts file holding the server's host key for {@code [address]:port} of every address. */
    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** The server's host public key file. */
    public Path hostPublicKey() {
        return dir.resolve("host_ed25519.pub");
    }

    /** The fixture's temp dir (config, keys, pid file). */
    public Path dir() {
        return dir;
    }

    /** What sshd has logged so far (useful in assertion messages). */
    public String log() {
        return log.toString();
    }

    /** An SSH spec for this server: client key, known_hosts, strict host keys, 10 s connect timeout. */
    public ConnectionSpec spec(String name, String address, String user) {
        return new ConnectionSpec(name, "ssh", address, port, user, clientKey(), knownHosts(), true,
                Duration.ofSeconds(10));
    }

    /** Lets the client key log in as {@code user} (writes that user's authorized_keys file). */
    public synchronized void authorize(String user) throws IOException {
        Path f = dir.resolve("authorized_keys").resolve(user);
        Files.writeString(f, clientPublicKey + "\n", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** Also lets this public key (an OpenSSH public key line) log in as {@code user}. */
    public synchronized void authorizeKey(String user, String publicKeyLine) throws IOException {
        Path f = dir.resolve("authorized_keys").resolve(user);
        Files.writeString(f, publicKeyLine.strip() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /**
     * Makes sure a local user exists (useradd -m -s /bin/sh) and can log in with a key (its password
     * is set to '*': not locked, no password). Needs root; skips/fails through {@link Requirements}.
     */
    public static synchronized void ensureUser(String user) throws IOException {
        if (userExists(user)) {
            return;
        }
        Requirements.require("root to create the test user '" + user + "'", Requirements.isRoot());
        try {
            run(Path.of("/"), "useradd", "-m", "-s", "/bin/sh", user);
        } catch (IOException e) {
            if (!userExists(user)) { // another test JVM may have created it meanwhile
                throw e;
            }
        }
        run(Path.of("/"), "usermod", "-p", "*", user);
    }

    public static boolean userExists(String user) {
        try {
            Process p = new ProcessBuilder("id", "-u", user).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops sshd (its sessions too) and removes the temp dir. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    private void awaitListening(Duration max) throws IOException {
        long end = System.nanoTime() + max.toNanos();
        for (String a : addresses) {
            while (true) {
                if (!process.isAlive()) {
                    close();
                    throw new IOException("sshd exited at start (status " + process.exitValue() + "): " + log);
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(a, port), 500);
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > end) {
                        close();
                        throw new IOException("sshd did not listen on " + a + ":" + port + " within " + max + ": " + log);
                    }
                    sleep(50);
                }
            }
        }
    }

    private void drainLog() {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (InputStream in = process.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    log.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (log.length() > 200_000) {
                        log.delete(0, 100_000);
                    }
                }
            } catch (IOException e) {
                // sshd ended
            }
        }, "sshd-fixture-log");
        t.setDaemon(true);
        t.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static String firstTwoFields(String pub) {
        String[] f = pub.strip().split("\\s+");
        return f[0] + " " + f[1];
    }

    private static void run(Path cwd, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    @Override
    public String toString() {
        return "sshd on " + addresses + " port " + port + " (" + dir + ")";
    }

    /** The arguments sshd was started with, for messages. */
    public List<String> command() {
        return new ArrayList<>(List.of(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString()));
    }
}
