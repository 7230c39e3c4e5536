package dev.drover.daemon;

import dev.drover.cli.Main;
import dev.drover.cli.Served;
import dev.drover.connection.ConnectionPool;
import dev.drover.engine.ExitCodes;
import dev.drover.modules.ansible.AnsibleInstall;
import dev.drover.modules.ansible.ModuleFinder;
import dev.drover.report.Terminal;
import dev.drover.template.Templar;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The resident drover: a JVM that runs {@code drover run} command lines for client processes of its
 * {@link Identity} (same jar, Java, user, directory, umask and environment), one at a time, and
 * keeps their SSH sessions for the next run ({@link ConnectionPool}, {@code DROVER_SSH_PERSIST}
 * seconds, 60 by default, like ControlPersist). It is started by a client after a run it did itself,
 * in a session of its own; it ends after {@code DROVER_DAEMON_IDLE} seconds without a run (600 by
 * default), at {@code drover daemon stop}, or when a daemon of another identity of the same user
 * starts (one per user at a time). While it is busy a client runs its command line itself.
 */
public final class Daemon {
    private final Identity id;
    private final ServerSocketChannel server;
    private final ConnectionPool pool;
    private final long idleMillis;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final Instant started = Instant.now();
    private final PrintStream ownOut = System.out;
    private final PrintStream ownErr = System.err;
    private volatile long lastUsed = System.currentTimeMillis();
    private volatile boolean stopping;
    private int served;

    private Daemon(Identity id, ServerSocketChannel server, ConnectionPool pool, long idleMillis) {
        this.id = id;
        this.server = server;
        this.pool = pool;
        this.idleMillis = idleMillis;
    }

    public static void main(String[] args) throws IOException {
        Optional<Identity> here = Identity.here();
        if (here.isEmpty() || args.length < 1 || !here.get().key().equals(args[0])) {
            System.err.println("drover daemon: this process is not the one its client asked for (environment or jar"
                    + " changed); not starting");
            System.exit(1);
        }
        Identity id = here.get();
        ServerSocketChannel server;
        try {
            server = bind(id);
        } finally {
            Files.deleteIfExists(id.starting());
        }
        if (server == null) {
            System.exit(0); // another one of this identity is up
        }
        ConnectionPool pool = new ConnectionPool(seconds("DROVER_SSH_PERSIST", 60) * 1000L);
        ConnectionPool.activate(pool);
        Daemon d = new Daemon(id, server, pool, seconds("DROVER_DAEMON_IDLE", 600) * 1000L);
        DaemonControl.stopOthers(id);
        Templar.warmUpAsync();
        d.serve();
    }

    private static long seconds(String name, long dflt) {
        try {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? dflt : Math.max(1, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** Binds the identity's socket (only the user may enter its directory); null when a live daemon has it. */
    private static ServerSocketChannel bind(Identity id) throws IOException {
        ensureDir(id.dir());
        Path sock = id.socket();
        if (Files.exists(sock)) {
            if (DaemonControl.alive(sock)) {
                return null;
            }
            Files.deleteIfExists(sock); // a daemon that died
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(sock));
        Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-------"));
        return s;
    }

    static void ensureDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private void serve() throws IOException {
        Thread reaper = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                pool.expire();
                if (!busy.get() && (stopping || System.currentTimeMillis() - lastUsed > idleMillis
                        || !Files.exists(id.socket()))) {
                    exit();
                }
            }
        }, "drover-daemon-reaper");
        reaper.setDaemon(true);
        reaper.start();
        while (true) {
            SocketChannel ch = server.accept();
            Thread t = new Thread(() -> handle(ch), "drover-daemon-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private void exit() {
        pool.closeAll();
        try {
            Files.deleteIfExists(id.socket());
            if (Files.size(id.log()) == 0) {
                Files.deleteIfExists(id.log());
            }
        } catch (IOException e) {
            // leaving: a stale socket is removed by the next daemon
        }
        Runtime.getRuntime().halt(0);
    }

    private void handle(SocketChannel ch) {
        try (ch) {
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Wire.input(ch), 1 << 16));
            DataOutputStream out = new DataOutputStream(Wire.output(ch));
            Wire.Frame f = Wire.read(in);
            if (f == null) {
                return;
            }
            if (f.type() == Wire.STOP) {
                stopping = true;
                Wire.write(out, Wire.EXIT, Wire.exitPayload(0));
                return;
            }
            if (f.type() == Wire.STATUS) {
                Wire.write(out, Wire.STDOUT, status());
                Wire.write(out, Wire.EXIT, Wire.exitPayload(0));
                return;
            }
            if (f.type() != Wire.REQUEST) {
                return;
            }
            DataInputStream r = new DataInputStream(new ByteArrayInputStream(f.payload()));
            int version = r.readInt();
            String key = r.readUTF();
            long pid = r.readLong();
            boolean console = r.readBoolean();
            String[] args = new String[r.readInt()];
            for (int i = 0; i < args.length; i++) {
                byte[] b = new byte[r.readInt()];
                r.readFully(b);
                args[i] = new String(b, StandardCharsets.UTF_8);
            }
            if (version != Wire.VERSION || !key.equals(id.key())) {
                Wire.write(out, Wire.REFUSED, "another drover");
                return;
            }
            if (stopping || !busy.compareAndSet(false, true)) {
                Wire.write(out, Wire.REFUSED, "busy");
                return;
            }
            try {
                run(in, out, args, pid, console);
            } finally {
                lastUsed = System.currentTimeMillis();
                busy.set(false);
            }
        } catch (IOException | RuntimeException e) {
            ownErr.println(Instant.now() + " drover daemon: a client's request failed: " + e);
        }
    }

    private String status() {
        return "drover daemon pid " + ProcessHandle.current().pid() + ", up since " + started + ", runs served " + served
                + (busy.get() ? " (running one now)" : "") + ", SSH sessions kept " + pool.idleCount()
                + " (reused " + pool.reused() + " times), in " + System.getProperty("user.dir") + ", jar " + id.jar() + "\n";
    }

    /** Runs one command line with the client's streams, prompts and Ctrl-C. */
    private void run(DataInputStream in, DataOutputStream out, String[] args, long pid, boolean console) throws IOException {
        BlockingQueue<Optional<String>> answers = new ArrayBlockingQueue<>(1);
        AtomicReference<Runnable> stop = new AtomicReference<>();
        AtomicInteger interrupts = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        PrintStream stdout = new PrintStream(new BufferedOutputStream(new FrameStream(out, Wire.STDOUT), 1 << 14), true,
                StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(new BufferedOutputStream(new FrameStream(out, Wire.STDERR), 1 << 14), true,
                StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    Wire.Frame f = Wire.read(in);
                    if (f == null) {
                        break;
                    }
                    if (f.type() == Wire.ANSWER) {
                        byte[] p = f.payload();
                        answers.offer(p.length > 0 && p[0] != 0
                                ? Optional.of(new String(p, 1, p.length - 1, StandardCharsets.UTF_8)) : Optional.empty());
                    } else if (f.type() == Wire.INTERRUPT) {
                        Runnable s = stop.get();
                        if (interrupts.incrementAndGet() >= 2 || s == null) {
                            Runtime.getRuntime().halt(ExitCodes.INTERRUPTED); // as a second Ctrl-C ends a drover process
                        }
                        s.run();
                    }
                }
            } catch (IOException e) {
                // the client is gone
            }
            if (running.get()) {
                // the client process ended mid-run (killed, its terminal closed): so does the run, as it would there
                ownErr.println(Instant.now() + " drover daemon: the client went away during a run; stopping");
                Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
            }
        }, "drover-daemon-input");
        reader.setDaemon(true);
        reader.start();
        Served.Client client = new Served.Client() {
            @Override
            public String askSecret(String prompt) {
                return ask(Wire.SECRET, prompt);
            }

            @Override
            public String askOnTerminal(String prompt, boolean hidden) {
                return console ? ask(hidden ? Wire.TERMINAL_HIDDEN : Wire.TERMINAL, prompt) : null;
            }

            private String ask(byte kind, String prompt) {
                stdout.flush();
                stderr.flush();
                byte[] text = prompt.getBytes(StandardCharsets.UTF_8);
                byte[] p = new byte[text.length + 1];
                p[0] = kind;
                System.arraycopy(text, 0, p, 1, text.length);
                try {
                    Wire.write(out, Wire.PROMPT, p);
                    return answers.take().orElse(null);
                } catch (IOException e) {
                    return null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }

            @Override
            public boolean interactive() {
                return console;
            }

            @Override
            public long pid() {
                return pid;
            }

            @Override
            public Runnable onInterrupt(Runnable s) {
                stop.set(s);
                return () -> stop.set(null);
            }
        };
        int code;
        Runnable terminal = Terminal.override(console);
        Runnable servedFor = Served.install(client);
        System.setOut(stdout);
        System.setErr(stderr);
        try {
            code = Main.execute(args);
        } catch (RuntimeException | Error e) {
            stderr.println("ERROR! unexpected error: " + e);
            code = ExitCodes.ERROR;
        } finally {
            stdout.flush();
            stderr.flush();
            System.setOut(ownOut);
            System.setErr(ownErr);
            servedFor.run();
            terminal.run();
            ModuleFinder.forgetListings();
            AnsibleInstall.forgetIfChanged();
            synchronized (this) {
                served++;
            }
        }
        running.set(false);
        Wire.write(out, Wire.EXIT, Wire.exitPayload(code));
    }

    /** Bytes written to it become frames of one type. */
    private static final class FrameStream extends OutputStream {
        private final DataOutputStream out;
        private final byte type;

        FrameStream(DataOutputStream out, byte type) {
            this.out = out;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                Wire.write(out, type, b, off, len);
            }
        }
    }

    /**
     * Starts the daemon of {@code id} in the background, in a session of its own (it outlives this
     * process and no terminal's signals reach it), unless one is up or being started. Best effort:
     * a failure only means the next run is not served.
     */
    static void spawn(Identity id) {
        try {
            if (DaemonControl.alive(id.socket())) {
                return;
            }
            ensureDir(id.dir());
            try {
                Files.createFile(id.starting());
            } catch (FileAlreadyExistsException e) {
                if (System.currentTimeMillis() - Files.getLastModifiedTime(id.starting()).toMillis() < 60_000) {
                    return; // another client is starting it
                }
                Files.deleteIfExists(id.starting());
                Files.createFile(id.starting());
            }
            List<String> cmd = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                cmd.add("/usr/bin/setsid");
            }
            cmd.addAll(jvm());
            cmd.add("-cp");
            cmd.add(id.jar().toString());
            cmd.add(Daemon.class.getName());
            cmd.add(id.key());
            new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(id.log().toFile())).redirectErrorStream(true)
                    .start();
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Daemon.class).debug("could not start the resident drover", e);
        }
    }

    /**
     * This JVM's launcher and options (from /proc/self/cmdline: what precedes {@code -jar}), minus
     * the options that write a start-up archive (the launcher's training run). C1-only compilation
     * is kept: measured on 2 cores (10 hosts, the bench playbook), a daemon with C2 spent twice the
     * CPU per run in its first 20 runs (C2's compiles of each new path) and was no faster after 50.
     */
    private static List<String> jvm() throws IOException {
        String[] words = new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), StandardCharsets.UTF_8).split("\0");
        List<String> cmd = new ArrayList<>();
        for (String w : words) {
            if (w.equals("-jar") || w.equals("-cp") || w.equals("-classpath") || w.equals(Client.class.getName())) {
                break;
            }
            if (!w.startsWith("-XX:AOTCacheOutput")
                    && !w.startsWith("-XX:AOTConfiguration") && !w.startsWith("-XX:ArchiveClassesAtExit")
                    && !w.startsWith("-XX:AOTMode=record") && !w.startsWith("-XX:AOTMode=create")) {
                cmd.add(w);
            }
        }
        if (cmd.isEmpty()) {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        return cmd;
    }
}
