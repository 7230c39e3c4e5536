package dev.drover.modules;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import dev.drover.module.Change;
import dev.drover.module.ModuleException;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies plans as the engine will (the production applier lives in the engine, written in
 * parallel): run each change's command, stop on an unexpected failure, then map the results.
 */
public final class Plans {
    private Plans() {
    }

    public static Map<String, Object> apply(Plan plan, Shell shell) throws ConnectionException, ModuleException {
        List<CommandResult> results = new ArrayList<>();
        for (Change c : plan.changes()) {
            ShellCommand cmd = c.command();
            CommandResult r = shell.run(cmd.script(), cmd.stdin(), null);
            results.add(r);
            if (!r.succeeded() && !c.exitCodeIsResult()) {
                throw new ModuleException(c.describe() + " failed (rc=" + r.exitCode() + "): " + r.err());
            }
        }
        return plan.mapper().map(plan.values(), results);
    }

    public static void simulate(Plan plan, SimulatedState state, String user) {
        for (Change c : plan.changes()) {
            c.simulate(state, user);
        }
    }

    public static List<String> describe(Plan plan) {
        return plan.changes().stream().map(Change::describe).toList();
    }
}
