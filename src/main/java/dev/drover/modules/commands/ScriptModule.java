package dev.drover.modules.commands;

import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.modules.files.FileSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ansible.builtin.script: a controller file (searched in files/ as Ansible does) run on the host.
 * Its bytes travel on the stdin of the host's persistent shell into a private temp file, which
 * (in a private directory, under its own name) runs (through {@code executable} when given) with the rest of the free-form line as its
 * arguments — as Ansible's action, that rest reaches the shell unquoted — and is removed at once.
 * {@code creates}/{@code removes} skip it as Ansible does; otherwise it is skipped in check mode
 * ("Check mode is not supported for this task."), and with creates/removes forecast as changed.
 */
public final class ScriptModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("script", List.of(), List.of(
            Param.of("_raw_params", ParamType.STR).withAliases("cmd"),
            Param.of("creates", ParamType.STR),
            Param.of("removes", ParamType.STR),
            Param.of("chdir", ParamType.STR),
            Param.of("executable", ParamType.STR),
            Param.of("decrypt", ParamType.BOOL).withDefault(true)), "_raw_params", false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String creates = a.str("creates");
        String removes = a.str("removes");
        Map<String, Object> skip = new LinkedHashMap<>();
        if (creates != null && !creates.isEmpty() && ctx.host().fileFollow(FileSupport.expand(ctx, creates)).exists()) {
            skip.put("skipped", true);
            skip.put("msg", creates + " exists, matching creates option");
            return Plan.nothing(creates + " exists", skip);
        }
        if (removes != null && !removes.isEmpty() && !ctx.host().fileFollow(FileSupport.expand(ctx, removes)).exists()) {
            skip.put("skipped", true);
            skip.put("msg", removes + " does not exist, matching removes option");
            return Plan.nothing(removes + " does not exist", skip);
        }
        String chdir = a.str("chdir");
        if (chdir != null && !chdir.startsWith("/")) {
            throw new ModuleException("chdir " + chdir + " must be an absolute path for a Unix-aware remote node");
        }
        String raw = a.str("_raw_params");
        if (raw == null || raw.isBlank()) {
            throw new ModuleException("Invalid params: no script given");
        }
        raw = raw.strip();
        List<String> parts = Shlex.split(raw);
        String name = parts.get(0);
        Path local = ctx.findLocalFile(name, "files");
        byte[] content;
        try {
            content = Files.readAllBytes(local);
        } catch (IOException e) {
            throw new ModuleException("could not read " + local + ": " + e.getMessage());
        }
        String executable = a.str("executable");
        // Ansible replaces the first occurrence of the script's name in the line by the temp path
        int at = raw.indexOf(name);
        String rest = raw.substring(at + name.length());
        // a private directory keeps the script's own name, as Ansible's temp path does ($0 is the same base name)
        StringBuilder s = new StringBuilder("d=$(mktemp -d \"${TMPDIR:-/tmp}/drover-script.XXXXXXXX\") || exit 1; t=\"$d\"/")
                .append(ShellQuote.quote(local.getFileName().toString()))
                .append("; cat > \"$t\" && chmod 700 \"$t\" || { rm -rf \"$d\"; exit 1; }; ");
        if (chdir != null) {
            s.append("cd -- ").append(ShellQuote.quote(chdir)).append(" || { rm -rf \"$d\"; exit 1; }; ");
        }
        s.append("( ").append(executable != null && !executable.isEmpty() ? executable + " " : "")
                .append(raw, 0, at).append("\"$t\"").append(rest).append(" ); rc=$?; rm -rf \"$d\"; exit $rc");
        RunCommand run = new RunCommand("script: " + raw, new ShellCommand(s.toString(), content), null);
        boolean guarded = creates != null && !creates.isEmpty() || removes != null && !removes.isEmpty();
        return Plan.builder().change(run).reason("run script " + name)
                .value("msg", "Check mode is not supported for this task.")
                .check(guarded ? Plan.CheckBehaviour.FORECAST : Plan.CheckBehaviour.SKIP)
                .mapper((planned, results) -> RawModule.result(results.get(0)))
                .build();
    }
}
