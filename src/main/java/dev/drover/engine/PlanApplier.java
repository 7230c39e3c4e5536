package dev.drover.engine;

import dev.drover.connection.CommandResult;
import dev.drover.connection.CommandTimeoutException;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.HostView;
import dev.drover.module.ModuleException;
import dev.drover.module.Plan;
import dev.drover.module.ResultMapper;
import dev.drover.module.SelfForecasting;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one place a module's plan reaches the host: applied on its shell in a real run, or
 * forecast against the host's simulated state in check mode. Made for one attempt of one task
 * on one host; it counts the commands that ran (a failure after one did change the host, and
 * what was read before may be stale).
 */
final class PlanApplier {
    private final RunContext rc;
    private final String host;
    private final String action;
    private final String taskName;
    private final boolean noLog;
    private final Shell shell;
    private final String envPrefix;
    private final Duration timeout;
    private int commandsRun;

    /** {@code env}: the task's environment, exported before each command; {@code timeout}: null for none. */
    PlanApplier(RunContext rc, String host, String action, String taskName, boolean noLog, Shell shell,
                Map<String, Object> env, Duration timeout) {
        this.rc = rc;
        this.host = host;
        this.action = action;
        this.taskName = taskName;
        this.noLog = noLog;
        this.shell = shell;
        this.envPrefix = envPrefix(env);
        this.timeout = timeout;
    }

    /** Commands this applier ran on the host so far (async launches included). */
    int commandsRun() {
        return commandsRun;
    }

    /**
     * Check mode: each change updates the simulated state {@code simulated} (as the view's user);
     * a self-forecasting module's check-mode invocation runs instead (Ansible's
     * _ansible_check_mode). Returns the result's values.
     */
    Map<String, Object> forecast(Plan plan, SimulatedState simulated, HostView view)
            throws ConnectionException, ModuleException {
        if (plan.check() != Plan.CheckBehaviour.SELF_FORECAST) {
            String user = plan.changes().isEmpty() ? null : view.user();
            for (Change c : plan.changes()) {
                c.simulate(simulated, user);
            }
            return plan.values();
        }
        List<CommandResult> outputs = new ArrayList<>();
        for (Change c : plan.changes()) {
            if (c instanceof SelfForecasting sf) {
                ShellCommand cmd = sf.checkCommand();
                outputs.add(timed(() -> shell.run(envPrefix + cmd.script(), cmd.stdin(), timeout)));
            } else {
                c.simulate(simulated, view.user());
            }
        }
        return plan.mapper().map(plan.values(), outputs);
    }

    /**
     * A read-only script run in the same round trip as a plan's last change, after it succeeded:
     * what the host looks like after the change, without a trip of its own (a loop's next items'
     * paths), as {@link Shell#query}: a script drover wrote, that leaves no process behind.
     * {@code done} gets its result; it is not called when the change failed. The change's output,
     * stderr and exit code are what they would be alone, for the plan's mapper.
     */
    record FollowUp(String script, Consumer<CommandResult> done) {
    }

    /** A real run: the plan's changes on the shell; returns the result's values. */
    Map<String, Object> apply(Plan plan) throws ConnectionException, ModuleException {
        return apply(plan, null);
    }

    /** As {@link #apply(Plan)}, running {@code after} (may be null) with the last change. */
    Map<String, Object> apply(Plan plan, FollowUp after) throws ConnectionException, ModuleException {
        // results nobody reads: neighbours one command can do are merged (fewer processes)
        List<Change> changes = plan.mapper() == ResultMapper.PLANNED ? Change.merge(plan.changes()) : plan.changes();
        FollowUp follow = after != null && !changes.isEmpty() ? after : null;
        List<CommandResult> outputs = new ArrayList<>();
        if (batchable(plan, changes)) {
            commandsRun++;
            timed(() -> {
                runBatch(changes, follow);
                return null;
            });
        } else {
            // what the step waits for, live on a terminal; nothing of a no_log task
            Consumer<String> progress = noLog ? text -> { } : text -> rc.events.emit(new RunEvent.Progress(host, taskName, text));
            for (int i = 0; i < changes.size(); i++) {
                Change c = changes.get(i);
                ShellCommand cmd = c.command();
                FollowUp f = i == changes.size() - 1 ? follow : null;
                commandsRun++;
                progress.accept(c.describe());
                CommandResult out = timed(() -> run(envPrefix + cmd.script(), cmd.stdin(), progress, f));
                if (out.exitCode() != 0 && !c.exitCodeIsResult()) {
                    throw new ModuleException(c.describe() + " failed: " + firstNonEmpty(out.err(), out.out()).trim(),
                            Map.of("rc", out.exitCode()));
                }
                outputs.add(out);
            }
        }
        return plan.mapper().map(plan.values(), outputs);
    }

    /** One command, with {@code f}'s read after it in the same round trip when {@code f} is not null. */
    private CommandResult run(String script, byte[] stdin, Consumer<String> progress, FollowUp f)
            throws ConnectionException {
        if (f == null) {
            return shell.run(script, stdin, timeout, progress);
        }
        CommandResult[] both = shell.runThenQuery(script, stdin, timeout, progress, f.script());
        if (both[1] != null) {
            f.done().accept(both[1]);
        }
        return both[0];
    }

    /** A real run of an async task: launched, then polled every {@code poll} s (0: left running). */
    Map<String, Object> applyAsync(Plan plan, int limit, int poll, Map<String, AsyncJobs.Job> jobs)
            throws ConnectionException, ModuleException {
        commandsRun++;
        return AsyncJobs.run(shell, plan, envPrefix, limit, poll, jobs, host, line -> rc.events.emit(new RunEvent.Display(line)));
    }

    private interface Step<T> {
        T run() throws ConnectionException, ModuleException;
    }

    /** The task's timeout: a failure, not an unreachable host (the killed shell is reopened next time). */
    private <T> T timed(Step<T> step) throws ConnectionException, ModuleException {
        try {
            return step.run();
        } catch (CommandTimeoutException e) {
            throw new ModuleException("The " + action + " action failed to execute in the expected time frame ("
                    + timeout.toSeconds() + ") and was terminated", Map.of("changed", false));
        }
    }

    /**
     * Several changes whose outputs nobody reads (the plan's values are the result) run as one
     * script, each in its own subshell, stopping at the first that fails: one round trip instead
     * of one per change (the changes of a plan that wrote a file and made its directory).
     */
    static boolean batchable(Plan plan, List<Change> changes) {
        if (changes.size() < 2 || plan.mapper() != ResultMapper.PLANNED) {
            return false;
        }
        for (Change c : changes) {
            byte[] stdin = c.command().stdin();
            if (c.exitCodeIsResult() || (stdin != null && stdin.length > 0)) {
                return false;
            }
        }
        return true;
    }

    private void runBatch(List<Change> changes, FollowUp follow) throws ConnectionException, ModuleException {
        StringBuilder script = new StringBuilder(envPrefix);
        for (int i = 0; i < changes.size(); i++) {
            script.append("(\n").append(changes.get(i).command().script())
                    .append("\n) || { drover_rc=$?; printf '\\n#drover-change %d\\n' ").append(i).append("; exit $drover_rc; }\n");
        }
        CommandResult out = run(script.toString(), null, null, follow);
        if (out.exitCode() == 0) {
            return;
        }
        String stdout = out.out();
        int at = stdout.lastIndexOf("\n#drover-change ");
        int failedAt = changes.size() - 1;
        if (at >= 0) {
            try {
                failedAt = Integer.parseInt(stdout.substring(at + 16).trim());
            } catch (NumberFormatException e) {
                // keep the last
            }
            stdout = stdout.substring(0, at);
        }
        throw new ModuleException(changes.get(failedAt).describe() + " failed: " + firstNonEmpty(out.err(), stdout).trim(),
                Map.of("rc", out.exitCode()));
    }

    /** The task's environment as shell exports (names that are not shell names are left out, quoted values). */
    static String envPrefix(Map<String, Object> env) {
        if (env.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Object> e : env.entrySet()) {
            if (e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                s.append("export ").append(e.getKey()).append('=').append(ShellQuote.quote(Args.stringOf(e.getValue())))
                        .append("; ");
            }
        }
        return s.toString();
    }

    private static String firstNonEmpty(String a, String b) {
        return a == null || a.isBlank() ? b : a;
    }
}
