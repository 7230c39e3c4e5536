package dev.drover.modules.control;

import dev.drover.connection.ConnectionException;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.util.List;
import java.util.Map;

/**
 * ansible.builtin.ping: proves the host answers (one round trip: the task user, cached by the
 * view) and returns {@code ping: data}.
 */
public final class PingModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("ping", List.of(), List.of(
            Param.of("data", ParamType.STR).withDefault("pong")), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        String data = ctx.args().str("data");
        if ("crash".equals(data)) {
            throw new ModuleException("boom");
        }
        ctx.host().probe("true"); // a real round trip (the view remembers who the shell runs as)
        return Plan.nothing("pong", Map.of("ping", data));
    }
}
