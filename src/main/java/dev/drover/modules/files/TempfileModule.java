package dev.drover.modules.files;

import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Exec;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ansible.builtin.tempfile: {@code mktemp} on the host (a file 0600 or a directory 0700, named
 * prefix + 8 random characters + suffix, in {@code path} or $TMPDIR or /tmp, as Python's
 * mkstemp/mkdtemp); always changed. Ansible 2.14's module does not support check mode, so the
 * task is skipped there ("remote module (tempfile) does not support check mode").
 */
public final class TempfileModule implements Module {
    private static final ModuleSpec SPEC = ModuleSpec.of("tempfile",
            Param.of("state", ParamType.STR).withDefault("file").withChoices("file", "directory"),
            Param.of("path", ParamType.PATH),
            Param.of("prefix", ParamType.STR).withDefault("ansible."),
            Param.of("suffix", ParamType.STR).withDefault(""));

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String dir = a.has("path") ? FileSupport.expand(ctx, a.str("path")) : null;
        boolean directory = a.str("state").equals("directory");
        String template = a.str("prefix").replace("/", "") + "XXXXXXXX";
        String script = "mktemp " + (directory ? "-d " : "") + "--tmpdir=" + (dir == null ? "\"${TMPDIR:-/tmp}\"" : ShellQuote.quote(dir))
                + " --suffix=" + ShellQuote.quote(a.str("suffix")) + " -- " + ShellQuote.quote(template);
        Exec make = new Exec("create a temporary " + (directory ? "directory" : "file"), ShellCommand.of(script),
                null, true);
        return Plan.builder().change(make).check(Plan.CheckBehaviour.SKIP)
                .value("msg", "remote module (tempfile) does not support check mode")
                .reason("mktemp").mapper((planned, results) -> {
                    var r = results.get(0);
                    if (!r.succeeded()) {
                        throw new ModuleException(r.err().replaceFirst("^mktemp: ", "").trim(), Map.of("changed", false));
                    }
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("changed", true);
                    v.put("path", r.out().trim());
                    return v;
                }).build();
    }
}
