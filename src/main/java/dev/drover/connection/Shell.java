package dev.drover.connection;

import java.time.Duration;

/**
 * One long-lived POSIX {@code sh} on a host, running as one user, fed commands over a framed,
 * binary-safe protocol (see {@link ShellProtocol}). A local process and an SSH exec channel carry
 * the same protocol. Not thread-safe: one worker drives a host's shells at a time.
 */
public interface Shell extends AutoCloseable {

    /**
     * Runs {@code script} (sh syntax) in a subshell, so that {@code cd}, {@code exit} or variable
     * assignments never affect the next command. {@code stdin}, when not null, is fed to the
     * script's standard input byte for byte; otherwise the script reads an empty stdin.
     *
     * @param timeout null for no limit; on expiry the shell is killed and a
     *                {@link CommandTimeoutException} thrown
     * @throws ConnectionException when the shell or the transport under it is gone
     */
    CommandResult run(String script, byte[] stdin, Duration timeout) throws ConnectionException;

    /**
     * The shell function a long-running script calls to say what it waits for, one line of text:
     * {@code __dv_p "building web (step 3/7)" 2>/dev/null}. Every drover shell defines it (a no-op
     * unless the command runs with a progress consumer); the {@code 2>/dev/null} keeps a shell
     * without it quiet.
     */
    String PROGRESS_FUNCTION = "__dv_p";

    /**
     * As {@link #run(String, byte[], Duration)}, handing each line the script reports through
     * {@link #PROGRESS_FUNCTION} to {@code progress} as it comes, on the calling thread. A shell
     * that cannot stream (the default) runs the script without reporting.
     */
    default CommandResult run(String script, byte[] stdin, Duration timeout, java.util.function.Consumer<String> progress)
            throws ConnectionException {
        return run(script, stdin, timeout);
    }

    default CommandResult run(String script) throws ConnectionException {
        return run(script, null, null);
    }

    /**
     * Runs a read-only script that drover wrote itself (a state probe), whose output may come
     * straight back instead of through a file: one process less per call. Only for scripts that
     * leave no background process behind (one could write into the protocol later); anything a
     * playbook supplies goes through {@link #run}.
     */
    default CommandResult query(String script) throws ConnectionException {
        return run(script);
    }

    /**
     * {@link #run(String, byte[], Duration, java.util.function.Consumer)}, then, when it exited 0,
     * {@link #query} of {@code then}: the two results, the second null when the first failed. A
     * shell that can (the persistent one) sends both in one write, one round trip; the default
     * takes two.
     */
    default CommandResult[] runThenQuery(String script, byte[] stdin, Duration timeout,
                                         java.util.function.Consumer<String> progress, String then)
            throws ConnectionException {
        CommandResult r = run(script, stdin, timeout, progress);
        return new CommandResult[] {r, r.exitCode() == 0 ? query(then) : null};
    }

    /** The user this shell runs as (the login user, or the become user). */
    String user();

    @Override
    void close();
}
