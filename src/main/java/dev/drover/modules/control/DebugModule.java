package dev.drover.modules.control;

import dev.drover.module.Args;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ansible.builtin.debug. {@code verbosity} is the engine's to enforce (the module cannot see the
 * run's verbosity): it is declared here so tasks validate.
 */
public final class DebugModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("debug", List.of(), List.of(
            Param.of("msg", ParamType.RAW),
            Param.of("var", ParamType.RAW).raw(),
            Param.of("verbosity", ParamType.INT).withDefault(0)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        if (a.has("msg") && a.has("var")) {
            throw new ModuleException("'msg' and 'var' are incompatible options");
        }
        Map<String, Object> v = new LinkedHashMap<>();
        if (a.has("var")) {
            Object raw = a.raw("var");
            String expr = raw instanceof String s ? s : Args.stringOf(raw);
            Object value;
            try {
                value = ctx.evaluate(expr);
            } catch (ModuleException e) {
                value = "VARIABLE IS NOT DEFINED!";
            }
            v.put(expr, value);
        } else {
            v.put("msg", a.has("msg") ? a.raw("msg") : "Hello world!");
        }
        v.put(AssertModule.VERBOSE_ALWAYS, true);
        return Plan.nothing("debug", v);
    }
}
