package dev.drover.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local host: shells are {@code /bin/sh} processes of the current user; a become shell is a
 * separate persistent {@code sudo ... -u USER -H /bin/sh}. One shell per user, started on first use.
 */
public final class LocalConnection extends PersistentShells {

    private static final Logger log = LoggerFactory.getLogger(LocalConnection.class);

    private final ConnectionSpec spec;
    private final String loginUser;

    public LocalConnection(ConnectionSpec spec) {
        this.spec = spec;
        this.loginUser = System.getProperty("user.name");
    }

    @Override
    public String host() {
        return spec.name();
    }

    @Override
    protected String loginUser() {
        return loginUser;
    }

    @Override
    protected String where() {
        return "local host " + spec.name();
    }

    @Override
    protected ShellProtocol startShell(String user, Become become, String prompt) throws ConnectionException {
        List<String> cmd = new ArrayList<>();
        cmd.add("/bin/sh");
        if (become != null) {
            cmd.add("-c");
            cmd.add("exec " + ShellProtocol.becomeCommand(become, prompt));
        }
        log.debug("{}: starting local shell as {}", spec.name(), user);
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new ConnectionException(where() + ": cannot start /bin/sh: " + e.getMessage(), e);
        }
        Duration startTimeout = spec.connectTimeout() == null ? Duration.ofSeconds(10) : spec.connectTimeout();
        return ShellProtocol.start(new ProcessTransport(p), spec.name(), user, prompt,
                become == null ? null : become.password(), startTimeout);
    }

    /** A local process as the transport of a shell. */
    static final class ProcessTransport implements ShellProtocol.Transport {
        private final Process process;

        ProcessTransport(Process process) {
            this.process = process;
        }

        @Override
        public OutputStream stdin() {
            return process.getOutputStream();
        }

        @Override
        public InputStream stdout() {
            return process.getInputStream();
        }

        @Override
        public InputStream stderr() {
            return process.getErrorStream();
        }

        @Override
        public void kill(Long pid, Long pgid, String tmpDir) {
            // the shell first (so it cannot answer any more), then the subshell and its commands
            List<ProcessHandle> all = new ArrayList<>();
            process.descendants().forEach(all::add);
            process.destroyForcibly();
            all.forEach(ProcessHandle::destroyForcibly);
            try {
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (tmpDir != null) {
                deleteTree(Path.of(tmpDir));
            }
        }

        @Override
        public void close(Long pid, Long pgid, String tmpDir) {
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    kill(pid, pgid, tmpDir);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        @Override
        public boolean ended() {
            return !process.isAlive();
        }

        @Override
        public Integer exitStatus() {
            try {
                return process.waitFor(200, TimeUnit.MILLISECONDS) ? process.exitValue() : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        private static void deleteTree(Path dir) {
            if (!Files.isDirectory(dir)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        // best effort (it may belong to the become user)
                    }
                });
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
