package dev.drover.modules.files;

import dev.drover.connection.ConnectionException;
import dev.drover.module.Args;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** ansible.builtin.template: a controller template rendered with the task's variables, then copy. */
public final class TemplateModule implements Module {
    private static final ModuleSpec SPEC;

    static {
        List<Param> params = new ArrayList<>(FileInstaller.commonParams());
        params.add(Param.required("src", ParamType.PATH));
        params.add(Param.of("newline_sequence", ParamType.STR).withDefault("\n"));
        params.add(Param.of("output_encoding", ParamType.STR).withDefault("utf-8"));
        params.add(Param.of("trim_blocks", ParamType.BOOL).withDefault(true));
        params.add(Param.of("lstrip_blocks", ParamType.BOOL).withDefault(false));
        SPEC = new ModuleSpec("template", List.of(), params, null, false);
    }

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public PathProbe pathProbe() {
        return new PathProbe("dest", true);
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String src = a.requireStr("src");
        Path local = ctx.findLocalFile(src, "templates");
        String text = ctx.renderTemplate(local, a.bool("trim_blocks"), a.bool("lstrip_blocks"));
        String nl = a.str("newline_sequence");
        if (!"\n".equals(nl)) {
            text = text.replace("\n", nl.replace("\\r", "\r").replace("\\n", "\n"));
        }
        return FileInstaller.install(ctx, text.getBytes(StandardCharsets.UTF_8), local.getFileName().toString(), src);
    }
}
