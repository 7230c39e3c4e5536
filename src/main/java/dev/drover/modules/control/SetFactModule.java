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
import java.util.Locale;
import java.util.Map;

/**
 * ansible.builtin.set_fact: every parameter but {@code cacheable} becomes a fact. Values are
 * {@code {"ansible_facts": {...}}}; the engine stores them as host facts (and caches them when
 * the task's {@code cacheable} is true).
 */
public final class SetFactModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("set_fact", List.of(), List.of(
            Param.of("cacheable", ParamType.BOOL).withDefault(false)), null, true);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException {
        Map<String, Object> facts = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ctx.args().asMap().entrySet()) {
            String k = e.getKey();
            if (k.equals("cacheable")) {
                continue;
            }
            if (k.contains("{{") || k.contains("{%")) { // Ansible's set_fact templates its keys
                k = String.valueOf(ctx.render(k));
            }
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ModuleException("The variable name '" + k + "' is not valid. Variables must start with a "
                        + "letter or underscore character, and contain only letters, numbers and underscores.");
            }
            Object v = e.getValue();
            // as Ansible (without jinja2_native): explicit yes/no/true/false strings become booleans
            if (v instanceof String s && List.of("true", "false", "yes", "no").contains(s.toLowerCase(Locale.ROOT))) {
                v = Args.toBool(s);
            }
            facts.put(k, v);
        }
        if (facts.isEmpty()) {
            throw new ModuleException("No key/value pairs provided, at least one is required for this action to succeed");
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_facts", facts);
        return Plan.nothing("set facts", v);
    }
}
