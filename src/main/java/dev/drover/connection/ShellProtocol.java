package dev.drover.connection;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framed protocol spoken with one long-lived POSIX {@code sh} (dash on Debian) over its
 * stdin/stdout. The same class drives a local process and an SSH exec channel; only the
 * {@link Transport} differs.
 *
 * <p>At start the shell makes a private temp dir ({@code mktemp -d}, removed by an EXIT trap) and
 * answers {@code <marker> ready <pid> <pgid> <tmpdir>}. Each command is then sent as one line
 *
 * <pre>
 * ( eval '&lt;script&gt;' ) &lt;/dev/null &gt;"$d/o" 2&gt;"$d/e"; __dv_f &lt;id&gt; $?
 * </pre>
 *
 * (with stdin: {@code base64 -d <<'DELIM' | ( eval ... ) ...} followed by base64 lines), so the
 * script runs in a subshell, cannot read the protocol's stdin, and a syntax error in it only ends
 * that subshell. The shell answers with a frame:
 *
 * <pre>
 * &lt;stdout bytes&gt;\n&lt;marker&gt; &lt;id&gt; &lt;rc&gt;\n                      (no stderr)
 * &lt;stdout bytes&gt;\n&lt;marker&gt; &lt;id&gt; &lt;rc&gt; E\n&lt;stderr bytes&gt;\n&lt;marker&gt;\n   (stderr)
 * </pre>
 *
 * The marker is 128 random bits per shell; the shell keeps it in two halves and only prints them
 * joined, so a command that dumps the shell's variables or functions cannot print it, and output
 * is cut at the marker only (any bytes, NUL included, pass). Output goes to files first, so a
 * background process a command leaves behind cannot write into the protocol. A command with no
 * output costs no process beyond its subshell; output costs one {@code cat} per stream.
 */
public final class ShellProtocol implements Shell {

    private static final Logger log = LoggerFactory.getLogger(ShellProtocol.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int STDERR_TAIL = 4096;
    /** Printed by a become shell once sudo has authenticated (see {@link #becomeCommand}). */
    static final String BECOME_HELLO = "drover-become-ok";

    private static final ScheduledThreadPoolExecutor WATCHDOG;

    static {
        WATCHDOG = new ScheduledThreadPoolExecutor(4, r -> { // a slow SSH kill must not delay other timeouts
            Thread t = new Thread(r, "drover-shell-watchdog");
            t.setDaemon(true);
            return t;
        });
        WATCHDOG.setRemoveOnCancelPolicy(true);
    }

    /** The streams of a started {@code sh} and how to stop it. */
    public interface Transport {
        OutputStream stdin();

        InputStream stdout();

        InputStream stderr();

        /**
         * Kills the shell and what runs in it, now. Called from a watchdog thread; must not block
         * long. {@code pid}/{@code pgid}/{@code tmpDir} are what the shell reported (null if unknown).
         */
        void kill(Long pid, Long pgid, String tmpDir);

        /**
         * After stdin was closed: waits a little for the shell to end (its EXIT trap removes its temp
         * dir), else kills it like {@link #kill}; then frees everything.
         */
        void close(Long pid, Long pgid, String tmpDir);

        /** The exit status of the ended shell, or null when unknown / still running. */
        Integer exitStatus();

        /** Why the shell's transport went away, when it knows more than "it ended" (null otherwise). */
        default String endedWhy() {
            return null;
        }

        /** True when the shell is known to have ended (checked without waiting). */
        default boolean ended() {
            return false;
        }
    }

    private final Transport transport;
    private final String host;
    private final String user;
    private final String marker;
    /** "\n" + marker: where a frame's stdout (and its stderr) ends. */
    private final byte[] endOfOutput;
    private final FrameReader out;
    private final OutputStream in;
    private final StderrTail stderr;
    private final AtomicBoolean killed = new AtomicBoolean();
    private volatile boolean timedOut;
    private volatile boolean dead;
    private volatile String deathReason;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** A command is running (set and cleared under the shell's lock, read without it). */
    private volatile boolean busy;
    private final AtomicInteger ids = new AtomicInteger();
    private Long pid;
    private Long pgid;
    private String tmpDir;

    private ShellProtocol(Transport transport, String host, String user, String becomePrompt, String becomePassword) {
        this.transport = transport;
        this.host = host;
        this.user = user;
        this.marker = "DRV" + HexFormat.of().formatHex(randomBytes(16));
        this.endOfOutput = ("\n" + marker).getBytes(StandardCharsets.US_ASCII);
        this.out = new FrameReader(transport.stdout());
        this.in = new BufferedOutputStream(transport.stdin(), 1 << 16);
        this.stderr = new StderrTail(transport.stderr(), becomePrompt, becomePassword);
    }

    /** A random sudo prompt, so the password is only ever written when sudo actually asks. */
    static final String SU_PROMPT = "Password:";

    /** The prompt to answer for a become method: su's own, or a fresh random one for sudo. */
    static String promptFor(Become become) {
        return "su".equals(become.method()) ? SU_PROMPT : newPrompt();
    }

    static String newPrompt() {
        return "drover-sudo-" + HexFormat.of().formatHex(randomBytes(8)) + ":";
    }

    /**
     * The command line that starts a become shell through sudo. Without a password: {@code sudo -n}
     * (fails at once when a password would be needed). With one: {@code sudo -S -p PROMPT}, the
     * password is written on stdin when PROMPT shows on stderr, and the shell prints
     * {@link #BECOME_HELLO} once started so that no protocol input reaches sudo as a password.
     */
    static String becomeCommand(Become become, String prompt) throws ConnectionException {
        if ("su".equals(become.method())) {
            // su reads the password on stdin (no tty); its prompt is always answered through the
            // stderr watch, and the shell says hello first so no protocol input reaches su
            return "env LC_ALL=C su -s /bin/sh -c " + ShellQuote.quote("echo " + BECOME_HELLO + "; exec /bin/sh")
                    + " " + ShellQuote.quote(become.user());
        }
        if (!"sudo".equals(become.method())) {
            throw new ConnectionException("become method '" + become.method() + "' is not supported (sudo or su)");
        }
        String u = ShellQuote.quote(become.user());
        if (become.password() == null) {
            return "sudo -n -u " + u + " -H /bin/sh";
        }
        return "sudo -S -p " + ShellQuote.quote(prompt) + " -u " + u + " -H /bin/sh -c "
                + ShellQuote.quote("echo " + BECOME_HELLO + "; exec /bin/sh");
    }

    /**
     * Starts the protocol over a freshly started shell.
     *
     * @param becomePrompt   the sudo prompt to answer (with {@code becomePassword}), or null
     * @param becomePassword the password to write when the prompt is seen, or null
     * @param startTimeout   how long the shell may take to answer (sudo included)
     */
    public static ShellProtocol start(Transport transport, String host, String user, String becomePrompt,
                                      String becomePassword, Duration startTimeout) throws ConnectionException {
        ShellProtocol p = new ShellProtocol(transport, host, user, becomePrompt, becomePassword);
        p.handshake(becomePassword != null || SU_PROMPT.equals(becomePrompt), startTimeout);
        return p;
    }

    private void handshake(boolean expectHello, Duration startTimeout) throws ConnectionException {
        stderr.start(this);
        ScheduledFuture<?> watchdog = schedule(startTimeout);
        try {
            if (expectHello) {
                String hello = readLine();
                if (hello == null || !hello.equals(BECOME_HELLO)) {
                    throw failure("could not start the shell", null, hello);
                }
            }
            String half1 = marker.substring(0, marker.length() / 2);
            String half2 = marker.substring(marker.length() / 2);
            String init = String.join("\n",
                    "__dv_d=$(mktemp -d \"${TMPDIR:-/tmp}/drover.XXXXXXXXXX\") || exit 97",
                    "trap 'rm -rf \"$__dv_d\"' EXIT",
                    // a become shell starts in the login user's directory (/root over SSH), which the
                    // become user may not enter: go home, as Ansible's modules do (_set_cwd)
                    "{ [ -x . ] && [ -r . ]; } 2>/dev/null || cd \"$HOME\" 2>/dev/null || cd /",
                    "__dv_a=" + half1 + "; __dv_b=" + half2,
                    "__dv_f() { [ -s \"$__dv_d/o\" ] && cat \"$__dv_d/o\"; __dv_t \"$@\"; }",
                    PROGRESS_FUNCTION + "() { :; }",
                    "__dv_t() { if [ -s \"$__dv_d/e\" ]; then printf '\\n%s%s %s %s E\\n' \"$__dv_a\" \"$__dv_b\" \"$1\" \"$2\";"
                            + " cat \"$__dv_d/e\"; printf '\\n%s%s\\n' \"$__dv_a\" \"$__dv_b\";"
                            + " else printf '\\n%s%s %s %s\\n' \"$__dv_a\" \"$__dv_b\" \"$1\" \"$2\"; fi; }",
                    "__dv_g() { read -r l < /proc/$$/stat && { l=${l##*) }; set -- $l; printf '%s' \"$3\"; }; }",
                    "printf '%s%s ready %s %s %s\\n' \"$__dv_a\" \"$__dv_b\" $$ \"$(__dv_g 2>/dev/null || echo $$)\" \"$__dv_d\"",
                    "");
            send(init.getBytes(StandardCharsets.UTF_8), null);
            String ready = readLine();
            String[] f = ready == null ? new String[0] : ready.split(" ", 5);
            if (f.length != 5 || !f[0].equals(marker) || !f[1].equals("ready")) {
                throw failure("could not start the shell", null, ready);
            }
            pid = parseLong(f[2]);
            pgid = parseLong(f[3]);
            tmpDir = f[4];
            log.debug("shell started on {} as {} (pid {}, pgid {}, dir {})", host, user, pid, pgid, tmpDir);
        } catch (IOException e) {
            throw failure("could not start the shell", e, null);
        } catch (ConnectionException e) {
            kill();
            throw e;
        } finally {
            watchdog.cancel(false);
        }
    }

    @Override
    public String user() {
        return user;
    }

    /** True while the shell can take commands. */
    public boolean isAlive() {
        if (!dead && transport.ended()) { // ended while idle (killed from outside): a new one starts
            dead = true;
            deathReason = "the shell ended while idle";
            log.debug("{} as {}: {}", host, user, deathReason);
        }
        return !dead && !closed.get();
    }

    @Override
    public CommandResult run(String script, byte[] stdin, Duration timeout) throws ConnectionException {
        return execute(script, stdin, timeout, false, null);
    }

    /**
     * As {@link #run(String, byte[], Duration)}; the script's {@link Shell#PROGRESS_FUNCTION} calls
     * write {@code \n<marker> P <text>\n} records into the protocol's stream (fd 3, open for this
     * command only) ahead of its frame, each handed to {@code progress} as it arrives.
     */
    @Override
    public CommandResult run(String script, byte[] stdin, Duration timeout, java.util.function.Consumer<String> progress)
            throws ConnectionException {
        return execute(script, stdin, timeout, false, progress);
    }

    /** As {@link #run}, with the script's stdout going straight into the frame (no file, no cat). */
    @Override
    public CommandResult query(String script) throws ConnectionException {
        return execute(script, null, null, true, null);
    }

    private CommandResult execute(String script, byte[] stdin, Duration timeout, boolean direct,
                                  java.util.function.Consumer<String> progress) throws ConnectionException {
        return execute(script, stdin, timeout, direct, progress, null)[0];
    }

    /**
     * Both commands in one write: the second's line runs only when the first exited 0, and its
     * output comes straight into its own frame (as {@link #query}), read only then.
     */
    @Override
    public CommandResult[] runThenQuery(String script, byte[] stdin, Duration timeout,
                                        java.util.function.Consumer<String> progress, String then)
            throws ConnectionException {
        return execute(script, stdin, timeout, false, progress, then);
    }

    private synchronized CommandResult[] execute(String script, byte[] stdin, Duration timeout, boolean direct,
                                                 java.util.function.Consumer<String> progress, String then)
            throws ConnectionException {
        busy = true;
        try {
            return executeNow(script, stdin, timeout, direct, progress, then);
        } finally {
            busy = false;
        }
    }

    /**
     * True while the shell can take commands and runs none: a shell a run leaves so can serve
     * the next run on the same kept session ({@link ConnectionPool}).
     */
    boolean idle() {
        return !busy && isAlive();
    }

    private CommandResult[] executeNow(String script, byte[] stdin, Duration timeout, boolean direct,
                                       java.util.function.Consumer<String> progress, String then)
            throws ConnectionException {
        if (script.indexOf('\0') >= 0 || (then != null && then.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("a shell script cannot contain NUL characters");
        }
        if (closed.get()) {
            throw new ConnectionException("shell on " + host + " as " + user + " is closed");
        }
        if (dead) {
            throw new ConnectionException("shell on " + host + " as " + user + " is gone: " + deathReason);
        }
        int id = ids.incrementAndGet();
        int thenId = then == null ? 0 : ids.incrementAndGet();
        if (log.isTraceEnabled()) {
            log.trace("{} as {} #{}: {}", host, user, id, script);
            if (then != null) {
                log.trace("{} as {} #{} (if #{} exits 0): {}", host, user, thenId, id, then);
            }
        }
        long start = System.nanoTime();
        ScheduledFuture<?> watchdog = timeout == null ? null : schedule(timeout);
        try {
            StringBuilder cmd = new StringBuilder(script.length() + 128);
            String delim = null;
            if (stdin != null && stdin.length > 0) {
                delim = marker + "_IN";
                cmd.append("base64 -d <<'").append(delim).append("' | ");
            }
            if (progress != null) {
                // the record goes to the protocol's own stdout (fd 3, taken before stdout goes to the file)
                cmd.append("( " + PROGRESS_FUNCTION + "() { printf '\\n%s%s P %s\\n' \"$__dv_a\" \"$__dv_b\" \"$(printf '%s' \"$*\" | tr '\\n\\r' '  ')\" >&3; }; eval ")
                        .append(ShellQuote.quote(script)).append(" ) 3>&1");
            } else {
                cmd.append("( eval ").append(ShellQuote.quote(script)).append(" )");
            }
            if (delim == null) {
                cmd.append(" </dev/null");
            }
            if (direct) {
                cmd.append(" 2>\"$__dv_d/e\"; __dv_t ").append(id).append(" $?\n");
            } else if (then == null) {
                cmd.append(" >\"$__dv_d/o\" 2>\"$__dv_d/e\"; __dv_f ").append(id).append(" $?\n");
            } else {
                // on the same line, so a here-document of the first's stdin follows both
                cmd.append(" >\"$__dv_d/o\" 2>\"$__dv_d/e\"; __dv_r=$?; __dv_f ").append(id)
                        .append(" $__dv_r; if [ $__dv_r -eq 0 ]; then ( eval ").append(ShellQuote.quote(then))
                        .append(" ) </dev/null 2>\"$__dv_d/e\"; __dv_t ").append(thenId).append(" $?; fi\n");
            }
            send(cmd.toString().getBytes(StandardCharsets.UTF_8), delim == null ? null : stdin);
            if (delim != null) {
                in.write((delim + "\n").getBytes(StandardCharsets.US_ASCII));
                in.flush();
            }
            CommandResult r = readFrame(id, script, progress);
            CommandResult second = then != null && r.exitCode() == 0 ? readFrame(thenId, then, null) : null;
            if (watchdog != null && !watchdog.cancel(false)) {
                // the watchdog fired while the frame arrived: the shell is being killed anyway
                if (deathReason == null) {
                    deathReason = "timed out after " + timeout.toMillis() + " ms";
                }
                timedOut = true;
                throw failure("running " + summary(script), null, null);
            }
            if (log.isDebugEnabled()) {
                log.debug("{} as {} #{}: rc={} out={}B err={}B in {} ms", host, user, id, r.exitCode(),
                        r.stdout().length, r.stderr().length, (System.nanoTime() - start) / 1_000_000);
                if (second != null) {
                    log.debug("{} as {} #{} (same trip): rc={} out={}B err={}B", host, user, thenId, second.exitCode(),
                            second.stdout().length, second.stderr().length);
                }
            }
            return new CommandResult[] {r, second};
        } catch (IOException e) {
            throw failure("lost the shell while running " + summary(script), e, null);
        } catch (ConnectionException e) {
            if (!(e instanceof CommandTimeoutException)) {
                kill();
            }
            throw e;
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
    }

    private void send(byte[] command, byte[] stdin) throws IOException {
        in.write(command);
        if (stdin != null) {
            OutputStream b64 = Base64.getMimeEncoder(76, new byte[] {'\n'}).wrap(new FilterOutputStream(in) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    // keep the shell's stdin open
                }
            });
            b64.write(stdin);
            b64.close();
            in.write('\n');
        }
        in.flush();
    }

    /** The most output a command may return (stdout or stderr): more is a runaway, the shell is dropped. */
    private static final int MAX_OUTPUT = Integer.MAX_VALUE - 64;

    private CommandResult readFrame(int id, String script, java.util.function.Consumer<String> progress)
            throws IOException, ConnectionException {
        String what = "running " + summary(script);
        byte[] o = out.readUntil(endOfOutput, MAX_OUTPUT);
        String header = out.readLine();
        while (progress != null && header != null && header.startsWith(" P ") && o.length == 0) {
            String text = header.substring(3);
            try {
                progress.accept(text);
            } catch (RuntimeException e) {
                log.debug("{} as {}: a progress consumer failed", host, user, e);
            }
            o = out.readUntil(endOfOutput, MAX_OUTPUT);
            header = out.readLine();
        }
        if (header == null) {
            throw failure(what, null, null);
        }
        String[] f = header.split(" ");
        boolean hasErr = f.length == 4 && f[3].equals("E");
        if (!(f.length == 3 || hasErr) || !f[0].isEmpty() || !f[1].equals(Integer.toString(id))) {
            throw failure(what + " (protocol out of step)", null, header);
        }
        int rc = Integer.parseInt(f[2]);
        byte[] e = new byte[0];
        if (hasErr) {
            e = out.readUntil(endOfOutput, MAX_OUTPUT);
            String end = out.readLine();
            if (end == null || !end.isEmpty()) {
                throw failure(what + " (protocol out of step)", null, end);
            }
        }
        return new CommandResult(rc, o, e);
    }

    /** One line from the shell's stdout without its newline; null at EOF. */
    private String readLine() throws IOException {
        return out.readLine();
    }

    private ScheduledFuture<?> schedule(Duration timeout) {
        long ms = Math.max(1, timeout.toMillis());
        return WATCHDOG.schedule(() -> {
            timedOut = true;
            deathReason = "timed out after " + ms + " ms";
            log.debug("{} as {}: timeout after {} ms, killing the shell", host, user, ms);
            kill();
        }, ms, TimeUnit.MILLISECONDS);
    }

    /** Builds the exception for a dead or out-of-step shell; a timeout gives CommandTimeoutException. */
    private ConnectionException failure(String what, Exception cause, String unexpected) {
        if (timedOut) {
            dead = true;
            return new CommandTimeoutException("on " + host + " as " + user + ": " + deathReason + " " + what
                    + "; the shell was killed (a new one starts on next use)");
        }
        String reason = stderr.authFailure() != null ? stderr.authFailure() : null;
        StringBuilder m = new StringBuilder("shell on ").append(host).append(" as ").append(user).append(": ");
        if (reason != null) {
            m.append(reason).append("; ");
        }
        if (unexpected != null) {
            m.append(what).append(": unexpected output ").append(shorten(unexpected));
        } else {
            m.append(what).append(": the shell ended");
            stderr.awaitEnd(300);
            Integer st = transport.exitStatus();
            if (st != null) {
                m.append(" (exit status ").append(st).append(")");
            }
            String why = transport.endedWhy();
            if (why != null) {
                m.append(": ").append(why);
            }
        }
        if (cause != null && cause.getMessage() != null) {
            m.append(" [").append(cause.getMessage()).append("]");
        }
        String tail = stderr.tail();
        if (!tail.isBlank()) {
            m.append("; stderr: ").append(tail.strip());
        }
        dead = true;
        deathReason = m.toString();
        return new ConnectionException(m.toString(), cause);
    }

    /** Kills the shell at once (idempotent). */
    void kill() {
        dead = true;
        if (killed.compareAndSet(false, true)) {
            try {
                transport.kill(pid, pgid, tmpDir);
            } catch (RuntimeException e) {
                log.debug("killing the shell on {} as {}: {}", host, user, e.toString());
            }
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.debug("closing shell on {} as {}", host, user);
        if (!dead) {
            try {
                in.close(); // EOF: sh exits, its EXIT trap removes the temp dir
            } catch (IOException e) {
                // already gone
            }
            transport.close(pid, pgid, tmpDir);
        } else {
            kill();
            transport.close(null, null, null);
        }
        dead = true;
    }

    private static String summary(String script) {
        String s = script.strip();
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            s = s.substring(0, nl) + " ...";
        }
        return "'" + shorten(s) + "'";
    }

    private static String shorten(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * Drains the shell's stderr on a daemon thread (so the shell never blocks on it), keeps its last
     * few KB for error messages, and answers a sudo prompt once with the become password.
     */
    private static final class StderrTail implements Runnable {
        private final InputStream err;
        private final String prompt;
        private final String password;
        private final StringBuilder tail = new StringBuilder();
        private int prompts;
        private volatile String authFailure;
        private ShellProtocol owner;
        private Thread thread;

        StderrTail(InputStream err, String prompt, String password) {
            this.err = err;
            this.prompt = prompt;
            this.password = password;
        }

        void start(ShellProtocol owner) {
            this.owner = owner;
            thread = new Thread(this, "drover-stderr-" + owner.host);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = err.read(buf)) >= 0) {
                    String s = new String(buf, 0, n, StandardCharsets.UTF_8);
                    synchronized (this) {
                        tail.append(s);
                        if (prompt != null) {
                            int at;
                            while ((at = tail.indexOf(prompt)) >= 0) {
                                tail.delete(at, at + prompt.length());
                                onPrompt();
                            }
                        }
                        if (tail.length() > STDERR_TAIL * 2) {
                            tail.delete(0, tail.length() - STDERR_TAIL);
                        }
                    }
                }
            } catch (IOException e) {
                // the shell is gone
            }
        }

        private void onPrompt() {
            prompts++;
            if (prompts == 1 && password != null) {
                try {
                    synchronized (owner.in) {
                        owner.in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
                        owner.in.flush();
                    }
                } catch (IOException e) {
                    // the shell is gone; reported by the reader
                }
            } else {
                authFailure = password == null ? "a become password is needed (ansible_become_password or -K)"
                        : "the become password was rejected";
                owner.kill();
            }
        }

        String authFailure() {
            return authFailure;
        }

        void awaitEnd(long ms) {
            try {
                if (thread != null) {
                    thread.join(ms);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized String tail() {
            String t = tail.length() > STDERR_TAIL ? tail.substring(tail.length() - STDERR_TAIL) : tail.toString();
            return t;
        }
    }
}
