package dev.drover.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local host: shells are {@code /bin/sh} processes of the current user; a become shell is a
 * separate persistent {@code sudo ... -u USER -H /bin/sh}. One shell per user, started on first use.
 */
public final class LocalConnection implements Connection {

    private static final Logger log = LoggerFactory.getLogger(LocalConnection.class);

    private final ConnectionSpec spec;
    private final String loginUser;
    private final Map<String, ShellProtocol> shells = new HashMap<>();
    private boolean closed;

    public LocalConnection(ConnectionSpec spec) {
        this.spec = spec;
        this.loginUser = System.getProperty("user.name");
    }

    @Override
    public String host() {
        return spec.name();
    }

    @Override
    public synchronized Shell shell() throws ConnectionException {
        return shellFor(loginUser, null);
    }

    @Override
    public synchronized Shell shell(Become become) throws ConnectionException {
        if (become == null || become.user().equals(loginUser)) {
            return shell();
        }
        return shellFor(become.user(), become);
    }

    private ShellProtocol shellFor(String user, Become become) throws ConnectionException {
        if (closed) {
            throw new ConnectionException("connection to " + spec.name() + " is closed");
        }
        ShellProtocol s = shells.get(user);
        if (s != null && s.isAlive()) {
            return s;
        }
        if (s != null) {
            s.close();
        }
        List<String> cmd = new ArrayList<>();
        String prompt = null;
        if (become == null) {
            cmd.add("/bin/sh");
        } else {
            prompt = ShellProtocol.promptFor(become);
            cmd.add("/bin/sh");
            cmd.add("-c");
            cmd.add("exec " + ShellProtocol.becomeCommand(become, prompt));
        }
        log.debug("{}: starting local shell as {}", spec.name(), user);
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new ConnectionException("local host " + spec.name() + ": cannot start /bin/sh: " + e.getMessage(), e);
        }
        Duration startTimeout = spec.connectTimeout() == null ? Duration.ofSeconds(10) : spec.connectTimeout();
        try {
            s = ShellProtocol.start(new ProcessTransport(p), spec.name(), user, prompt,
                    become == null ? null : become.password(), startTimeout);
        } catch (ConnectionException e) {
            if (become == null) {
                throw e;
            }
            throw new ConnectionException("become " + become.user() + " with " + become.method() + " failed: " + e.getMessage(), e);
        }
        shells.put(user, s);
        return s;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ShellProtocol s : shells.values()) {
            s.close();
        }
        shells.clear();
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
