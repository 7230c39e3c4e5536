package dev.drover.modules.control;

import dev.drover.module.Args;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * ansible.builtin.validate_argument_spec, as the task Ansible puts first in a role whose
 * {@code meta/argument_specs.yml} describes its entry point. Checks that every required option is
 * given (as a role parameter or a variable of that name); types, choices and the other checks of
 * Ansible's ArgumentSpecValidator are not made yet (a role they would refuse runs on).
 */
public final class ValidateArgumentSpecModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("validate_argument_spec", List.of(), List.of(
            Param.required("argument_spec", ParamType.RAW).raw(),
            Param.of("provided_arguments", ParamType.RAW),
            Param.of("validate_args_context", ParamType.RAW).raw()), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        Map<String, Object> v = new LinkedHashMap<>();
        Object context = a.raw("validate_args_context");
        v.put("validate_args_context", context == null ? Map.of() : context);
        Object spec = a.raw("argument_spec");
        if (!(spec instanceof Map<?, ?> options)) {
            throw new ModuleException("Incorrect type for argument_spec, expected dict and got " + typeName(spec), v);
        }
        Object provided = a.has("provided_arguments") ? a.raw("provided_arguments") : Map.of();
        if (provided != null && !(provided instanceof Map)) {
            throw new ModuleException("Incorrect type for provided_arguments, expected dict and got " + typeName(provided), v);
        }
        TreeSet<String> missing = new TreeSet<>();
        for (Map.Entry<?, ?> e : options.entrySet()) {
            String name = String.valueOf(e.getKey());
            boolean required = e.getValue() instanceof Map<?, ?> attrs
                    && Boolean.TRUE.equals(dev.drover.yaml.Booleans.parse(attrs.get("required")));
            if (!required || (provided instanceof Map<?, ?> p && p.containsKey(name))) {
                continue;
            }
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || !ctx.isTrue(name + " is defined")) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            List<String> errors = new ArrayList<>(List.of("missing required arguments: " + String.join(", ", missing)));
            v.put("argument_spec_data", spec);
            v.put("argument_errors", errors);
            throw new ModuleException("Validation of arguments failed:\n" + String.join("\n", errors), v);
        }
        v.put("changed", false);
        v.put("msg", "The arg spec validation passed");
        return Plan.nothing("The arg spec validation passed", v);
    }

    private static String typeName(Object o) {
        return o instanceof List ? "<class 'list'>" : o instanceof String ? "<class 'str'>" : "<class '"
                + (o == null ? "NoneType" : o.getClass().getSimpleName()) + "'>";
    }
}
