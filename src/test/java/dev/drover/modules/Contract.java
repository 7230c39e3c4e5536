package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.Shell;
import dev.drover.module.Module;
import dev.drover.module.Plan;
import dev.drover.module.ShellHostView;
import dev.drover.module.SimulatedHostView;
import dev.drover.module.SimulatedState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The idempotency contract of {@link RealHostContractTest} for modules whose effect is not a
 * temp dir's files (packages, checkouts, downloads): {@code snapshot} reads what the module may
 * change. (1) check: planned against the simulation over the live host it forecasts a change,
 * the snapshot is unchanged, and planned again against the simulation nothing is left to do;
 * (2) real: planned on the live host it plans the same changes, applied through the shell;
 * (3) planned again on the live host: nothing to do. Returns the real run's values.
 */
public final class Contract {
    private Contract() {
    }

    public static Map<String, Object> run(Module module, Map<String, Object> args, Shell shell, Callable<?> snapshot)
            throws Exception {
        Object before = snapshot.call();
        SimulatedState state = new SimulatedState();
        SimulatedHostView sim = new SimulatedHostView(new ShellHostView(shell), state);
        Plan check = module.plan(new TestContext(module, args, sim));
        assertTrue(check.changesSomething(), "check mode forecasts a change");
        Plans.simulate(check, state, shell.user());
        assertEquals(before, snapshot.call(), "check mode touched nothing");
        assertEquals(List.of(), Plans.describe(module.plan(new TestContext(module, args, sim))),
                "the forecast converges");

        Plan real = module.plan(new TestContext(module, args, new ShellHostView(shell)));
        assertEquals(Plans.describe(check), Plans.describe(real), "check forecasts what a real run does");
        Map<String, Object> values = Plans.apply(real, shell);
        assertEquals(true, values.getOrDefault("changed", true), "the real run changed something: " + values);

        Plan again = module.plan(new TestContext(module, args, new ShellHostView(shell)));
        assertEquals(List.of(), Plans.describe(again), "idempotent");
        return values;
    }

    /** A shell that runs every script after {@code prefix} (an export of the test's environment). */
    public static Shell withPrefix(Shell shell, String prefix) {
        return new Shell() {
            @Override
            public dev.drover.connection.CommandResult run(String script, byte[] stdin, java.time.Duration timeout)
                    throws dev.drover.connection.ConnectionException {
                return shell.run(prefix + script, stdin, timeout);
            }

            @Override
            public String user() {
                return shell.user();
            }

            @Override
            public void close() {
                shell.close();
            }
        };
    }
}
