package dev.drover.modules.control;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;
import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ansible.builtin.async_status: reads {@code ~/.ansible_async/JID} on the host (one probe).
 * {@code mode: status} returns the job's state ({@code started}, {@code finished}); once a job
 * this run started has finished, the engine maps its outputs into the task module's return
 * values. {@code mode: cleanup} removes the file. A missing file fails with "could not find job".
 */
public final class AsyncStatusModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("async_status", List.of(), List.of(
            Param.required("jid", ParamType.STR),
            Param.of("mode", ParamType.STR).withChoices("status", "cleanup").withDefault("status")), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String jid = a.requireStr("jid");
        Map<String, Object> status = status(jid, ctx.host().probe(statusScript(jid)));
        if (!"cleanup".equals(a.str("mode"))) {
            return Plan.nothing("async job status", status);
        }
        String file = String.valueOf(status.get("results_file"));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_job_id", jid);
        v.put("erased", file);
        v.put("started", 0);
        v.put("finished", 0);
        v.put("stdout", "");
        v.put("stderr", "");
        v.put("stdout_lines", List.of());
        v.put("stderr_lines", List.of());
        Change rm = new Change() {
            @Override
            public String describe() {
                return "remove " + file;
            }

            @Override
            public ShellCommand command() {
                return ShellCommand.of("rm -f -- " + ShellQuote.quote(file));
            }

            @Override
            public void simulate(SimulatedState state, String user) {
                // a job's status file is not part of the forecast
            }
        };
        Map<String, Object> done = new LinkedHashMap<>(v);
        done.put("changed", false); // Ansible's cleanup reports no change
        return Plan.builder().change(rm).values(v).reason("remove the job's status file")
                .mapper((planned, results) -> done).build();
    }

    /** The probe that reads a job's status file: its path on the first line, then the file (exit 3 when absent). */
    public static String statusScript(String jid) {
        return "f=\"$HOME/.ansible_async/\"" + ShellQuote.quote(jid) + "; printf '%s\\n' \"$f\"; cat -- \"$f\" 2>/dev/null"
                + " || exit 3";
    }

    /**
     * What async_status's module reports for a job from the status probe's output: the file's data
     * with Ansible's started/finished/stdout/stderr fields; fails with "could not find job".
     */
    public static Map<String, Object> status(String jid, CommandResult probe) throws ModuleException {
        String out = probe.out();
        int nl = out.indexOf('\n');
        String file = nl < 0 ? out.trim() : out.substring(0, nl);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_job_id", jid);
        v.put("started", 1);
        v.put("finished", 0);
        v.put("results_file", file);
        v.put("stdout", "");
        v.put("stderr", "");
        v.put("stdout_lines", List.of());
        v.put("stderr_lines", List.of());
        if (probe.exitCode() == 3) {
            v.put("finished", 1);
            throw new ModuleException("could not find job", v);
        }
        String text = nl < 0 ? "" : out.substring(nl + 1).trim();
        if (text.isEmpty()) {
            return v; // not written yet: running
        }
        Object data;
        try {
            data = YamlLoader.loadData(text, file);
        } catch (YamlException | RuntimeException e) {
            v.put("finished", 1);
            throw new ModuleException("Could not parse job output: " + text, v);
        }
        if (data instanceof Map<?, ?> m) {
            m.forEach((k, val) -> v.put(String.valueOf(k), val));
            if (!m.containsKey("started")) {
                v.put("finished", 1);
                v.put("ansible_job_id", jid);
            }
        }
        return v;
    }


    /** True when a status says the job is done. */
    public static boolean finished(Map<String, Object> status) {
        return "1".equals(String.valueOf(status.get("finished")));
    }
}
