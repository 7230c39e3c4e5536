package dev.drover.modules.control;

import dev.drover.module.Args;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.util.List;

/** ansible.builtin.fail: always fails, with {@code msg}. */
public final class FailModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("fail", List.of(), List.of(
            Param.of("msg", ParamType.RAW).withDefault("Failed as requested from task")), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException {
        Object m = ctx.args().raw("msg");
        throw new ModuleException(m instanceof String s ? s : Args.stringOf(m));
    }
}
