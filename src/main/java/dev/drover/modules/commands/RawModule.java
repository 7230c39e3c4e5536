package dev.drover.modules.commands;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ansible.builtin.raw: the free-form text runs as is in the host's shell (through
 * {@code executable -c} when given); always changed, skipped in check mode as Ansible does.
 * Returns rc, stdout, stderr and their lines unstripped, as Ansible's low-level execute.
 */
public final class RawModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("raw", List.of(), List.of(
            Param.of("_raw_params", ParamType.STR),
            Param.of("executable", ParamType.STR)), "_raw_params", false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        String raw = ctx.args().str("_raw_params");
        if (raw == null || raw.isBlank()) {
            throw new ModuleException("no command given");
        }
        String exe = ctx.args().str("executable");
        String script = exe == null || exe.isEmpty() ? raw
                : "exec " + ShellQuote.quote(exe) + " -c " + ShellQuote.quote(raw);
        RunCommand run = new RunCommand("raw: " + raw, ShellCommand.of(script), null);
        return Plan.builder().change(run).reason("run " + raw)
                .check(Plan.CheckBehaviour.SKIP).value("msg", "")
                .mapper((planned, results) -> result(results.get(0)))
                .build();
    }

    /** rc, stdout, stderr and their lines; a non-zero rc fails with Ansible's message. */
    static Map<String, Object> result(CommandResult r) throws ModuleException {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("rc", r.exitCode());
        v.put("stdout", r.out());
        v.put("stderr", r.err());
        v.put("stdout_lines", CommandModule.lines(r.out()));
        v.put("stderr_lines", CommandModule.lines(r.err()));
        v.put("changed", true);
        if (r.exitCode() != 0) {
            throw new ModuleException("non-zero return code", v);
        }
        return v;
    }
}
