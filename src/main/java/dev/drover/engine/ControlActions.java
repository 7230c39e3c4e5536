package dev.drover.engine;

import dev.drover.module.Change;
import dev.drover.module.ModuleException;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;
import dev.drover.modules.control.PauseModule;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The controller side of add_host, group_by and pause, as Ansible's strategy and action plugins
 * do it: add_host and group_by change the run's inventory (in check mode too) and are changed
 * when it changed; pause shows its prompt, waits or reads the answer on the terminal.
 */
final class ControlActions {
    /** Actions Ansible runs once for the whole play (BYPASS_HOST_LOOP), on its first host. */
    static final Set<String> ONCE_PER_PLAY = Set.of("add_host", "pause");
    private static final DateTimeFormatter PY_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private ControlActions() {
    }

    /** The plan after the controller did its part (a no-op otherwise). */
    @SuppressWarnings("unchecked")
    static Plan apply(RunContext rc, HostState h, List<String> playHosts, String action, String taskName, Plan plan)
            throws ModuleException {
        Map<String, Object> v = plan.values();
        switch (action) {
            case "add_host" -> {
                Map<String, Object> info = (Map<String, Object>) v.get("add_host");
                boolean changed = rc.inventory.addDynamicHost(String.valueOf(info.get("host_name")),
                        (List<String>) info.get("groups"), (Map<String, Object>) info.get("host_vars"));
                return changed ? inventoryChanged(plan, "add host " + info.get("host_name")) : plan;
            }
            case "group_by" -> {
                boolean changed = rc.inventory.addDynamicGroup(h.name(), String.valueOf(v.get("add_group")),
                        (List<String>) v.get("parent_groups"), playHosts);
                return changed ? inventoryChanged(plan, "add " + h.name() + " to group " + v.get("add_group")) : plan;
            }
            case "pause" -> {
                return Plan.nothing("paused", pause(rc, taskName, v));
            }
            default -> {
                return plan;
            }
        }
    }

    /**
     * Reported as changed, in a check run as in a real one: the change is the inventory's, made on
     * the controller; its command on the host does nothing.
     */
    private static Plan inventoryChanged(Plan plan, String what) {
        Map<String, Object> v = new LinkedHashMap<>(plan.values());
        v.remove("changed");
        Change c = new Change() {
            @Override
            public String describe() {
                return what;
            }

            @Override
            public ShellCommand command() {
                return ShellCommand.of(":");
            }

            @Override
            public void simulate(SimulatedState state, String user) {
                // the inventory changed on the controller already
            }
        };
        return Plan.builder().values(v).change(c).reason(what).build();
    }

    private static Map<String, Object> pause(RunContext rc, String taskName, Map<String, Object> planned) {
        Map<String, Object> v = new LinkedHashMap<>(planned);
        Object wait = v.remove(PauseModule.WAIT);
        String unit = String.valueOf(v.remove(PauseModule.UNIT));
        Object promptArg = v.remove(PauseModule.PROMPT);
        boolean echo = !Boolean.FALSE.equals(v.get("echo"));
        String hidden = echo ? "" : " (output is hidden)";
        String prompt = "[" + taskName.strip() + "]\n"
                + (promptArg == null ? "Press enter to continue, Ctrl+C to interrupt" : promptArg) + hidden + ":";
        long start = System.nanoTime();
        v.put("start", PY_DATETIME.format(LocalDateTime.now()));
        String input = "";
        VarsPrompter p = rc.options.prompter();
        boolean interactive = p != null && p.interactive();
        if (wait != null) {
            int seconds = Math.max(1, ((Number) wait).intValue());
            rc.events.emit(new RunEvent.Display("Pausing for " + seconds + " seconds" + hidden));
            rc.events.emit(new RunEvent.Display("(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)"));
            if (promptArg != null) {
                rc.events.emit(new RunEvent.Display(prompt));
            }
            sleep(seconds);
        } else if (interactive) {
            String answer = p.ask(prompt + " ", !echo);
            input = answer == null ? "" : answer;
        } else {
            rc.events.emit(new RunEvent.Display(prompt));
            rc.events.emit(new RunEvent.Warning("Not waiting for response to prompt as stdin is not interactive"));
        }
        double duration = (System.nanoTime() - start) / 1e9;
        v.put("stop", PY_DATETIME.format(LocalDateTime.now()));
        v.put("delta", (int) duration);
        double shown = unit.equals("minutes") ? Math.round(duration / 60.0 * 100) / 100.0 : Math.round(duration * 100) / 100.0;
        v.put("stdout", "Paused for " + shown + " " + unit);
        v.put("user_input", input);
        return v;
    }

    private static void sleep(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
