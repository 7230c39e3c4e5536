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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ansible.builtin.copy: inline content, a controller file or directory ({@link CopyTree}), or with
 * {@code remote_src} a file or directory on the host ({@link RemoteCopy}), to a path on the host.
 */
public final class CopyModule implements Module {
    private static final ModuleSpec SPEC;

    static {
        List<Param> params = new ArrayList<>(FileInstaller.commonParams());
        params.add(Param.of("src", ParamType.PATH));
        params.add(Param.of("content", ParamType.STR));
        params.add(Param.of("remote_src", ParamType.BOOL).withDefault(false));
        params.add(Param.of("local_follow", ParamType.BOOL).withDefault(true));
        params.add(Param.of("decrypt", ParamType.BOOL).withDefault(true));
        params.add(Param.of("checksum", ParamType.STR));
        SPEC = new ModuleSpec("copy", List.of(), params, null, false);
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
        if (a.has("content") && a.has("src")) {
            throw new ModuleException("parameters are mutually exclusive: src|content");
        }
        if (a.has("content")) {
            Object raw = a.raw("content");
            String text = raw instanceof String s ? s : Args.stringOf(raw);
            return FileInstaller.install(ctx, text.getBytes(StandardCharsets.UTF_8), null, null);
        }
        if (!a.has("src")) {
            throw new ModuleException("src (or content) is required");
        }
        String src = a.str("src");
        if (a.bool("remote_src")) {
            return RemoteCopy.plan(ctx, src);
        }
        Path local = ctx.findLocalFile(src, "files");
        if (Files.isDirectory(local)) {
            return CopyTree.plan(ctx, local, src);
        }
        byte[] content;
        try {
            content = Files.readAllBytes(local);
        } catch (IOException e) {
            throw new ModuleException("could not read source " + local + ": " + e.getMessage());
        }
        return FileInstaller.install(ctx, content, local.getFileName().toString(), src, CopyTree.localMode(local));
    }
}
