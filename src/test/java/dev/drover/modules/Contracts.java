package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.Shell;
import dev.drover.module.HostView;
import dev.drover.module.Module;
import dev.drover.module.Plan;
import dev.drover.module.ShellHostView;
import dev.drover.module.SimulatedHostView;
import dev.drover.module.SimulatedState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The idempotency contract of {@link RealHostContractTest} as a helper for other test classes:
 * (1) check: planned against the simulation over the live host, it forecasts a change, touches
 * nothing under the watched directories, and planned again against the simulation it has nothing
 * left to do; (2) real: the plan applied through a real sh; (3) planned again: nothing to do.
 */
public final class Contracts {
    private Contracts() {
    }

    /** Runs the contract with a plain {@link TestContext}; returns the real run's values. */
    public static Map<String, Object> run(Shell shell, Module module, Map<String, Object> args, Path... watched)
            throws Exception {
        return run(shell, module, args, (h, a) -> new TestContext(module, a, h), watched);
    }

    /** As {@link #run(Shell, Module, Map, Path...)} with a context factory (local files, vars). */
    public static Map<String, Object> run(Shell shell, Module module, Map<String, Object> args,
                                         BiFunction<HostView, Map<String, Object>, TestContext> contexts,
                                         Path... watched) throws Exception {
        Map<String, String> before = snapshot(watched);
        SimulatedState state = new SimulatedState();
        SimulatedHostView sim = new SimulatedHostView(new ShellHostView(shell), state);
        Plan check = module.plan(contexts.apply(sim, args));
        assertTrue(check.changesSomething(), "check mode forecasts a change");
        Plans.simulate(check, state, "root");
        assertEquals(before, snapshot(watched), "check mode touched nothing");
        assertEquals(List.of(), Plans.describe(module.plan(contexts.apply(sim, args))), "the forecast converges");

        Plan real = module.plan(contexts.apply(new ShellHostView(shell), args));
        assertEquals(Plans.describe(check), Plans.describe(real), "check forecasts what a real run does");
        Map<String, Object> values = Plans.apply(real, shell);

        Plan again = module.plan(contexts.apply(new ShellHostView(shell), args));
        assertEquals(List.of(), Plans.describe(again), "idempotent");
        return values;
    }

    /** Every path under the directories: kind, content or link target, permissions, owner. */
    public static Map<String, String> snapshot(Path... dirs) throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (Path dir : dirs) {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                m.put(dir.toString(), "absent");
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.toList()) {
                    String kind = Files.isSymbolicLink(p) ? "link:" + Files.readSymbolicLink(p)
                            : Files.isDirectory(p) ? "dir" : "file:" + Files.readString(p);
                    m.put(p.toString(), kind + ":" + PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                            + ":" + Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName());
                }
            }
        }
        return m;
    }
}
