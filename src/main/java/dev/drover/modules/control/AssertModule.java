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

/** ansible.builtin.assert: each of {@code that} must hold; the first that does not fails the task. */
public final class AssertModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("assert", List.of(), List.of(
            Param.required("that", ParamType.RAW).raw(),
            Param.of("fail_msg", ParamType.RAW).withAliases("msg"),
            Param.of("success_msg", ParamType.RAW),
            Param.of("quiet", ParamType.BOOL).withDefault(false)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    /** Ansible's marker: the console prints this result even without -v. */
    static final String VERBOSE_ALWAYS = "_ansible_verbose_always";

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        Object that = a.raw("that");
        List<?> conditions = that instanceof List<?> l ? l : List.of(that);
        for (Object c : conditions) {
            String condition = c instanceof String s ? s : Args.stringOf(c);
            if (!ctx.isTrue(condition)) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("assertion", c);
                v.put("evaluated_to", false);
                String msg = a.has("fail_msg") ? message(a.raw("fail_msg")) : "Assertion failed";
                v.put("msg", msg);
                v.put(VERBOSE_ALWAYS, true);
                throw new ModuleException(msg, v);
            }
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("msg", a.has("success_msg") ? message(a.raw("success_msg")) : "All assertions passed");
        if (!a.bool("quiet")) {
            v.put(VERBOSE_ALWAYS, true);
        }
        return Plan.nothing("all assertions passed", v);
    }

    private static String message(Object m) {
        return m instanceof String s ? s : Args.stringOf(m);
    }
}
