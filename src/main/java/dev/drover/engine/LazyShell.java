package dev.drover.engine;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import java.time.Duration;
import java.util.Set;

/**
 * A host's shell opened on first use, for the actions Ansible runs on the controller without
 * connecting (debug, set_fact, assert, fail, include_vars, group_by, add_host, pause): they plan
 * without a command, so a host that cannot be reached still answers them.
 */
final class LazyShell implements Shell {
    static final Set<String> CONTROLLER_ONLY = Set.of("debug", "set_fact", "assert", "fail", "include_vars", "group_by",
            "add_host", "pause");

    /** Opens the real shell (connecting when need be). */
    interface Opener {
        Shell open() throws ConnectionException;
    }

    private final Opener opener;
    private final String becomeUser;
    private Shell shell;

    LazyShell(Opener opener, String becomeUser) {
        this.opener = opener;
        this.becomeUser = becomeUser;
    }

    private Shell shell() throws ConnectionException {
        if (shell == null) {
            shell = opener.open();
        }
        return shell;
    }

    @Override
    public CommandResult run(String script, byte[] stdin, Duration timeout) throws ConnectionException {
        return shell().run(script, stdin, timeout);
    }

    @Override
    public CommandResult run(String script, byte[] stdin, Duration timeout, java.util.function.Consumer<String> progress)
            throws ConnectionException {
        return shell().run(script, stdin, timeout, progress);
    }

    @Override
    public CommandResult query(String script) throws ConnectionException {
        return shell().query(script);
    }

    @Override
    public CommandResult[] runThenQuery(String script, byte[] stdin, Duration timeout,
                                        java.util.function.Consumer<String> progress, String then)
            throws ConnectionException {
        return shell().runThenQuery(script, stdin, timeout, progress, then);
    }

    @Override
    public String user() {
        if (shell != null) {
            return shell.user();
        }
        try {
            return shell().user();
        } catch (ConnectionException e) {
            return becomeUser == null ? System.getProperty("user.name") : becomeUser;
        }
    }

    @Override
    public void close() {
        // the connection owns the real shell
    }
}
