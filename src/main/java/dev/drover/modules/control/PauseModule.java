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
 * ansible.builtin.pause: checks the arguments ({@code seconds} or {@code minutes}, {@code prompt},
 * {@code echo}) and says how long to wait; the engine, which owns the terminal and the clock,
 * shows the prompt, waits or reads the answer, and fills in {@code start}, {@code stop},
 * {@code delta}, {@code stdout} and {@code user_input}. It never touches a host.
 */
public final class PauseModule implements Module {
    /** Values the engine reads: the seconds to wait (absent: wait for enter) and the prompt. */
    public static final String WAIT = "_drover_pause_seconds";
    public static final String UNIT = "_drover_pause_unit";
    public static final String PROMPT = "_drover_pause_prompt";

    private static final ModuleSpec SPEC = new ModuleSpec("pause", List.of(), List.of(
            Param.of("seconds", ParamType.RAW),
            Param.of("minutes", ParamType.RAW),
            Param.of("prompt", ParamType.STR),
            Param.of("echo", ParamType.BOOL).withDefault(true)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        if (a.has("seconds") && a.has("minutes")) {
            throw new ModuleException("parameters are mutually exclusive: minutes|seconds");
        }
        boolean echo = !a.has("echo") || a.bool("echo");
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("changed", false);
        v.put("rc", 0);
        v.put("stderr", "");
        v.put("stdout", "");
        v.put("start", null);
        v.put("stop", null);
        v.put("delta", null);
        v.put("echo", echo);
        if (a.has("minutes")) {
            v.put(WAIT, number(a, "minutes") * 60);
            v.put(UNIT, "minutes");
        } else if (a.has("seconds")) {
            v.put(WAIT, number(a, "seconds"));
            v.put(UNIT, "seconds");
        } else {
            v.put(UNIT, "minutes");
        }
        if (a.has("prompt")) {
            v.put(PROMPT, a.str("prompt"));
        }
        return Plan.nothing("pause", v);
    }

    /** Python's int(): floats are cut ("2.7" is refused, as int('2.7') is; 2.7 becomes 2). */
    private static int number(Args a, String name) throws ModuleException {
        Object raw = a.raw(name);
        if (raw instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(raw).trim());
        } catch (NumberFormatException e) {
            throw new ModuleException("argument '" + name + "' is of type " + (raw instanceof String ? "<class 'str'>"
                    : raw.getClass().getSimpleName()) + " and we were unable to convert to int: invalid literal for"
                    + " int() with base 10: '" + raw + "'");
        }
    }
}
