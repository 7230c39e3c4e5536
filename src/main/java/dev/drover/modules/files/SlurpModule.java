package dev.drover.modules.files;

import dev.drover.connection.ConnectionException;
import dev.drover.module.FileState;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ansible.builtin.slurp: a host file's content, base64-encoded. */
public final class SlurpModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("slurp", List.of(), List.of(
            Param.required("src", ParamType.PATH).withAliases("path")), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        String src = FileSupport.expand(ctx, ctx.args().requireStr("src"));
        FileState f = ctx.host().fileFollow(src);
        if (f.isDirectory()) {
            throw new ModuleException("source is a directory and must be a file");
        }
        if (!f.exists()) {
            throw new ModuleException("file not found: " + src);
        }
        Optional<byte[]> content = ctx.host().read(src);
        if (content.isEmpty()) {
            throw new ModuleException("file is not readable: " + src);
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("content", Base64.getEncoder().encodeToString(content.get()));
        v.put("encoding", "base64");
        v.put("source", src);
        return Plan.nothing("read " + src, v);
    }
}
