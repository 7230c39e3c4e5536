package dev.drover.daemon;

import dev.drover.cli.Main;
import dev.drover.cli.Prompter;
import dev.drover.engine.ExitCodes;
import dev.drover.template.Templar;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * drover's entry point (the jar's Main-Class). A {@code drover run …} is handed to the resident
 * drover of this process's {@link Identity} when one is up: a warm JVM that keeps SSH sessions
 * between runs. Otherwise (no daemon, busy, disabled, another command) this process runs the
 * command line itself, as {@link Main} does, and afterwards starts the daemon for the next run.
 * Disabled by {@code DROVER_DAEMON=0}, and by default when {@code CI} is set.
 */
public final class Client {
    /** The thin client's exit code when no daemon took the command line (bin/drover then runs it). */
    static final int NOT_SERVED = 213;

    private Client() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("daemon")) {
            System.exit(DaemonControl.run(args));
        }
        Identity id = enabled(System.getenv()) && eligible(args) ? Identity.here().orElse(null) : null;
        if (id != null) {
            Integer served = tryServed(id, args);
            if (served != null) {
                System.exit(served);
            }
        }
        if (System.getProperty("drover.thin") != null) {
            System.exit(NOT_SERVED); // the launcher's thin client: the launcher starts drover itself
        }
        Templar.warmUpAsync();
        int code = Main.execute(args);
        if (id != null) {
            System.out.flush();
            System.err.flush();
            Daemon.spawn(id);
        }
        System.exit(code);
    }

    /** DROVER_DAEMON: 0/false/no off, 1/true/yes on; unset: on, except under CI (CI set and not false). */
    static boolean enabled(Map<String, String> env) {
        String v = env.get("DROVER_DAEMON");
        if (v != null && !v.isBlank()) {
            return !v.trim().matches("(?i)0|false|no|off");
        }
        String ci = env.get("CI");
        return ci == null || ci.isBlank() || ci.trim().matches("(?i)0|false|no");
    }

    /** Only playbook runs go to the daemon: the first word that is not an option is {@code run}. */
    static boolean eligible(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return a.equals("run");
            }
        }
        return false;
    }

    /** The daemon's exit code for the run, or null when no daemon took it (this process runs it). */
    static Integer tryServed(Identity id, String[] args) {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(id.socket()));
        } catch (IOException | RuntimeException e) {
            debug("no resident drover at " + id.socket() + ": " + e);
            return null; // none up (or a stale socket: the next cold run starts one)
        }
        try (ch) {
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Wire.input(ch), 1 << 16));
            DataOutputStream out = new DataOutputStream(Wire.output(ch));
            boolean console = System.console() != null;
            Wire.write(out, Wire.REQUEST, request(id, args, console));
            AtomicInteger interrupts = new AtomicInteger();
            Runnable restore = onSigint(() -> {
                try {
                    Wire.write(out, Wire.INTERRUPT, new byte[0]);
                } catch (IOException e) {
                    // the daemon is gone: nothing left to stop
                }
                if (interrupts.incrementAndGet() >= 2) {
                    Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                }
            });
            // a closed stdout (drover run … | head) loses the output and the run goes on, as in a
            // process of its own (whose PrintStream swallows the error); never a reason to run it again
            Relay stdout = new Relay(FileDescriptor.out);
            Relay stderr = new Relay(FileDescriptor.err);
            boolean started = false;
            try {
                while (true) {
                    Wire.Frame f;
                    try {
                        f = Wire.read(in);
                    } catch (IOException e) {
                        if (!started) {
                            throw e;
                        }
                        f = null;
                    }
                    if (f == null) {
                        if (!started) {
                            return null;
                        }
                        return endedMidRun(stderr, id);
                    }
                    switch (f.type()) {
                        case Wire.REFUSED:
                            debug("the resident drover refused: " + f.text());
                            return null;
                        case Wire.STDOUT:
                            started = true;
                            stdout.write(f.payload());
                            break;
                        case Wire.STDERR:
                            started = true;
                            stderr.write(f.payload());
                            break;
                        case Wire.PROMPT:
                            started = true;
                            try {
                                answer(out, f.payload(), console);
                            } catch (IOException e) {
                                return endedMidRun(stderr, id);
                            }
                            break;
                        case Wire.EXIT:
                            return Wire.exitCode(f.payload());
                        default:
                            started = true;
                            break;
                    }
                }
            } finally {
                restore.run();
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** The daemon went away after the run started: say where its log is; the run is not run again here. */
    private static int endedMidRun(Relay stderr, Identity id) {
        stderr.write(("ERROR! the resident drover ended during the run (its log: " + id.log() + ")\n")
                .getBytes(StandardCharsets.UTF_8));
        return ExitCodes.ERROR;
    }

    /** One of this process's output streams; after a write fails (a closed pipe), the rest is dropped. */
    private static final class Relay extends OutputStream {
        private final FileOutputStream out;
        private boolean broken;

        Relay(FileDescriptor fd) {
            out = new FileOutputStream(fd);
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b) {
            write(b, 0, b.length);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (broken) {
                return;
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                broken = true;
            }
        }
    }

    /** DROVER_DAEMON_DEBUG set: why a command line was not served, on stderr. */
    static void debug(String why) {
        if (System.getenv("DROVER_DAEMON_DEBUG") != null) {
            System.err.println("drover daemon: " + why);
        }
    }

    private static byte[] request(Identity id, String[] args, boolean console) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(Wire.VERSION);
        d.writeUTF(id.key());
        d.writeLong(ProcessHandle.current().pid());
        d.writeBoolean(console);
        d.writeInt(args.length);
        for (String a : args) {
            byte[] s = a.getBytes(StandardCharsets.UTF_8);
            d.writeInt(s.length);
            d.write(s);
        }
        d.flush();
        return b.toByteArray();
    }

    /** Asks this process's user what the daemon's run asks, as a run here would, and sends the answer back. */
    private static void answer(DataOutputStream out, byte[] p, boolean console) throws IOException {
        String prompt = new String(p, 1, p.length - 1, StandardCharsets.UTF_8);
        String a = switch (p[0]) {
            case Wire.SECRET -> Prompter.askHere(prompt);
            case Wire.TERMINAL -> console ? Prompter.askOnTerminal(prompt, false) : null;
            default -> console ? Prompter.askOnTerminal(prompt, true) : null;
        };
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeBoolean(a != null);
        if (a != null) {
            d.write(a.getBytes(StandardCharsets.UTF_8));
        }
        Wire.write(out, Wire.ANSWER, b.toByteArray());
    }

    @SuppressWarnings("restriction")
    private static Runnable onSigint(Runnable handler) {
        sun.misc.Signal sigint = new sun.misc.Signal("INT");
        try {
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(sigint, s -> handler.run());
            return () -> sun.misc.Signal.handle(sigint, previous);
        } catch (IllegalArgumentException e) {
            return () -> { };
        }
    }
}
