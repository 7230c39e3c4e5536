package dev.drover.engine;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Change;
import dev.drover.module.ModuleException;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.modules.control.AsyncStatusModule;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code async}/{@code poll} and {@code async_status}, as Ansible 2.14 runs them. The module
 * plans as usual (reading the host in the foreground); the plan's changes then run in the
 * background on the host, started through the host's persistent shell (no new channel): a
 * detached {@code sh} (own session, so closing drover's shell does not end it) runs each change
 * with its stdin, under a watchdog that kills it after the async limit as Ansible's
 * async_wrapper does, and keeps its status in {@code ~/.ansible_async/JID} like Ansible's:
 * {@code {"started": 1, "finished": 0, "ansible_job_id": JID}} while it runs, then the outputs
 * of the changes (base64, under {@code drover_outputs}). The controller keeps each job's plan,
 * so a poll (or a later {@code async_status} task of the run) turns the outputs into the
 * module's return values with the module's own result mapper.
 */
final class AsyncJobs {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The modules whose Ansible action plugin refuses async ("async is not supported for this task."). */
    private static final Set<String> NO_ASYNC = Set.of("copy", "template", "debug", "set_fact", "assert", "fail",
            "include_vars", "async_status", "add_host", "group_by", "pause", "meta");

    private AsyncJobs() {
    }

    /** A job started by this run: its plan, for mapping the outputs it leaves. */
    record Job(String jid, String resultsFile, Plan plan) {
    }

    /** Why Ansible refuses this task with async (null: it runs), checked before the module plans. */
    static String refusal(String action, boolean check) {
        if (NO_ASYNC.contains(action)) {
            return "async is not supported for this task.";
        }
        if (check) {
            return "check mode and async cannot be used on same task.";
        }
        return null;
    }

    /** Starts the plan's changes in the background; returns the job (not yet finished). */
    static Job launch(Shell shell, Plan plan, String envPrefix, int limit) throws ConnectionException, ModuleException {
        StringBuilder run = new StringBuilder("w=\"$1\"\n");
        int i = 0;
        for (Change c : plan.changes()) {
            ShellCommand cmd = c.command();
            String script = envPrefix + cmd.script();
            run.append("printf '%s' ").append(ShellQuote.quote(b64(script.getBytes(StandardCharsets.UTF_8))))
                    .append(" | base64 -d > \"$w/s").append(i).append("\"\n");
            byte[] in = cmd.stdin() == null ? new byte[0] : cmd.stdin();
            run.append("printf '%s' ").append(ShellQuote.quote(b64(in))).append(" | base64 -d > \"$w/in").append(i)
                    .append("\"\n");
            run.append("sh \"$w/s").append(i).append("\" < \"$w/in").append(i).append("\" > \"$w/out").append(i)
                    .append("\" 2> \"$w/err").append(i).append("\"; r=$?; echo $r > \"$w/rc").append(i).append("\"\n");
            if (!c.exitCodeIsResult()) {
                run.append("[ $r -eq 0 ] || exit 0\n");
            }
            i++;
        }
        // Ansible's watchdog: checks every 5 s after a first 5 s, kills once the limit is used up
        int killAfter = 5 + 5 * (int) Math.ceil(limit / 5.0);
        String jidBase = "j" + (Math.abs(RANDOM.nextLong()) % 1_000_000_000_000L);
        String job = """
                w="$1"; j="$2"; jid="$3"
                if command -v timeout >/dev/null 2>&1; then timeout -s KILL %d sh "$w/run" "$w"; else sh "$w/run" "$w"; fi
                if [ $? -eq 137 ]; then
                  printf '{"msg": "Timeout exceeded", "failed": true, "child_pid": %%s}\\n' "$$" > "$j.tmp"
                else
                  { printf '{"started": 1, "finished": 1, "ansible_job_id": "%%s", "drover_outputs": [' "$jid"
                    i=0; sep=
                    while [ -f "$w/rc$i" ]; do
                      printf '%%s{"rc": %%s, "stdout": "%%s", "stderr": "%%s"}' "$sep" "$(cat "$w/rc$i")" \\
                        "$(base64 < "$w/out$i" | tr -d '\\n')" "$(base64 < "$w/err$i" | tr -d '\\n')"
                      sep=', '; i=$((i+1))
                    done
                    printf ']}\\n'; } > "$j.tmp"
                fi
                mv -f "$j.tmp" "$j"; rm -rf "$w"
                """.formatted(killAfter);
        String launch = "d=\"$HOME/.ansible_async\"; mkdir -p \"$d\" || exit 1\n"
                + "jid=" + jidBase + ".$$; j=\"$d/$jid\"; w=\"$d/.$jid.work\"\n"
                + "mkdir -p \"$w\" || exit 1\n"
                + "printf '{\"started\": 1, \"finished\": 0, \"ansible_job_id\": \"%s\"}\\n' \"$jid\" > \"$j.tmp\""
                + " && mv -f \"$j.tmp\" \"$j\" || exit 1\n"
                + "printf '%s' " + ShellQuote.quote(b64(run.toString().getBytes(StandardCharsets.UTF_8)))
                + " | base64 -d > \"$w/run\"\n"
                + "printf '%s' " + ShellQuote.quote(b64(job.getBytes(StandardCharsets.UTF_8))) + " | base64 -d > \"$w/job\"\n"
                + "if command -v setsid >/dev/null 2>&1; then s=setsid; else s=; fi\n"
                + "$s sh \"$w/job\" \"$w\" \"$j\" \"$jid\" </dev/null >/dev/null 2>&1 &\n"
                + "printf '%s\\n%s\\n' \"$jid\" \"$j\"\n";
        CommandResult r = shell.run(launch, null, null);
        String[] lines = r.out().split("\n");
        if (r.exitCode() != 0 || lines.length < 2) {
            throw new ModuleException("could not start the async job: " + (r.err().isBlank() ? r.out() : r.err()).trim());
        }
        return new Job(lines[0].trim(), lines[1].trim(), plan);
    }

    /** The values a fire-and-forget task (poll: 0) returns, as Ansible's async_wrapper words them. */
    static Map<String, Object> started(Job job) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_job_id", job.jid());
        v.put("changed", true); // Ansible reports every started async task as changed
        v.put("failed", 0);
        v.put("finished", 0);
        v.put("results_file", job.resultsFile());
        v.put("started", 1);
        return v;
    }

    /**
     * The final values of a finished job: its outputs through the plan's mapper (a change that
     * failed fails the task, as in the foreground), with the job's fields. A job this run did not
     * start (or a status without outputs: the watchdog's "Timeout exceeded") is returned as read.
     */
    static Map<String, Object> complete(Job job, Map<String, Object> status) throws ModuleException {
        if (job == null || !(status.get("drover_outputs") instanceof List<?> outputs)) {
            if (Boolean.TRUE.equals(status.get("failed")) || "1".equals(String.valueOf(status.get("failed")))) {
                throw new ModuleException(String.valueOf(status.getOrDefault("msg", "async job failed")), status);
            }
            return status;
        }
        List<CommandResult> results = new ArrayList<>();
        List<Change> changes = job.plan().changes();
        for (int i = 0; i < outputs.size() && i < changes.size(); i++) {
            Map<?, ?> o = (Map<?, ?>) outputs.get(i);
            CommandResult r = new CommandResult(Integer.parseInt(String.valueOf(o.get("rc")).trim()),
                    unb64(o.get("stdout")), unb64(o.get("stderr")));
            if (r.exitCode() != 0 && !changes.get(i).exitCodeIsResult()) {
                Map<String, Object> v = jobFields(job, new LinkedHashMap<>());
                v.put("rc", r.exitCode());
                throw new ModuleException(changes.get(i).describe() + " failed: "
                        + (r.err().isBlank() ? r.out() : r.err()).trim(), v);
            }
            results.add(r);
        }
        Map<String, Object> values;
        try {
            values = new LinkedHashMap<>(job.plan().mapper().map(job.plan().values(), results));
        } catch (ModuleException e) {
            throw new ModuleException(e.getMessage(), jobFields(job, new LinkedHashMap<>(e.values())));
        }
        values.putIfAbsent("changed", job.plan().changesSomething());
        return jobFields(job, values);
    }

    private static Map<String, Object> jobFields(Job job, Map<String, Object> v) {
        v.put("ansible_job_id", job.jid());
        v.put("finished", 1);
        v.put("results_file", job.resultsFile());
        v.put("started", 1);
        return v;
    }

    /**
     * Runs a plan as an async task: starts the job, then with {@code poll > 0} reads its status
     * every {@code poll} seconds until it finished or {@code limit} seconds are used up (failing
     * with Ansible's "async task did not complete within the requested time - Ns"), removing the
     * status file once read; with {@code poll == 0} returns at once (the job id, for async_status).
     */
    static Map<String, Object> run(Shell shell, Plan plan, String envPrefix, int limit, int poll,
                                   Map<String, Job> jobs, String host, java.util.function.Consumer<String> display)
            throws ConnectionException, ModuleException {
        Job job = launch(shell, plan, envPrefix, limit);
        jobs.put(job.jid(), job);
        if (poll <= 0) {
            return started(job);
        }
        Map<String, Object> status = null;
        int left = limit;
        while (left > 0) {
            try {
                Thread.sleep(poll * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectionException("interrupted while waiting for async job " + job.jid(), e);
            }
            status = AsyncStatusModule.status(job.jid(), shell.query(AsyncStatusModule.statusScript(job.jid())));
            if (AsyncStatusModule.finished(status)) {
                break;
            }
            left -= poll;
            // Ansible's default callback, for each poll of a job still running
            display.accept("ASYNC POLL on " + host + ": jid=" + job.jid() + " started=" + status.get("started")
                    + " finished=" + status.get("finished"));
        }
        if (status == null || !AsyncStatusModule.finished(status)) {
            display.accept("ASYNC FAILED on " + host + ": jid=" + job.jid());
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("async_result", status == null ? Map.of() : status);
            v.put("changed", false);
            throw new ModuleException("async task did not complete within the requested time - " + limit + "s", v);
        }
        jobs.remove(job.jid());
        cleanup(shell, job);
        try {
            Map<String, Object> done = complete(job, status);
            display.accept("ASYNC OK on " + host + ": jid=" + job.jid());
            return done;
        } catch (ModuleException e) {
            display.accept("ASYNC FAILED on " + host + ": jid=" + job.jid());
            throw e;
        }
    }

    /**
     * An async_status plan for a job this run started and that finished: its outputs mapped into
     * the module's values (a failed job fails the task); any other status is left as read.
     */
    static Plan completed(Plan status, Map<String, Job> jobs) throws ModuleException {
        Map<String, Object> v = status.values();
        if (!AsyncStatusModule.finished(v) || !v.containsKey("drover_outputs")) {
            return status;
        }
        Map<String, Object> done = complete(jobs.get(String.valueOf(v.get("ansible_job_id"))), v);
        return Plan.nothing("async job finished", done);
    }

    /** Removes a job's status file (what Ansible's poll does once the job finished). */
    static void cleanup(Shell shell, Job job) throws ConnectionException {
        shell.run("rm -f -- " + ShellQuote.quote(job.resultsFile()), null, null);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] unb64(Object s) {
        return s == null ? new byte[0] : Base64.getDecoder().decode(String.valueOf(s));
    }
}
