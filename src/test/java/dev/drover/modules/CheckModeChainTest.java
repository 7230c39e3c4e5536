package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.module.LocalShell;
import dev.drover.module.Module;
import dev.drover.module.Plan;
import dev.drover.module.ShellHostView;
import dev.drover.module.SimulatedHostView;
import dev.drover.module.SimulatedState;
import dev.drover.module.WriteFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dependent steps in check mode, over the real host: a directory made by file, a copy into it,
 * a lineinfile into that copy, a stat of it. Each step forecasts against what the earlier ones
 * would have done; the host is never touched.
 */
class CheckModeChainTest {
    @TempDir
    Path dir;

    private final SimulatedState state = new SimulatedState();
    private final SimulatedHostView view = new SimulatedHostView(new ShellHostView(new LocalShell()), state);

    private Plan step(String module, Map<String, Object> args) throws Exception {
        Module m = BuiltinModules.find(module).orElseThrow();
        Plan plan = m.plan(new TestContext(m, args, view));
        Plans.simulate(plan, state, "root");
        return plan;
    }

    @Test
    void dependentStepsForecastWithoutTouchingTheHost() throws Exception {
        Path app = dir.resolve("app/conf.d");
        Path conf = app.resolve("app.conf");

        Plan mkdir = step("file", Map.of("path", app.toString(), "state", "directory", "mode", "0750"));
        assertEquals(List.of("create directory " + dir.resolve("app"), "create directory " + app),
                Plans.describe(mkdir));

        // copy would fail with "Destination directory ... does not exist" without the simulation
        Plan copy = step("copy", Map.of("content", "a=1\n", "dest", conf.toString()));
        assertEquals(List.of("write " + conf), Plans.describe(copy));

        Plan line = step("lineinfile", Map.of("path", conf.toString(), "line", "b=2"));
        assertEquals("line added", line.values().get("msg"));
        assertEquals(List.of("write " + conf), Plans.describe(line));

        Plan again = step("lineinfile", Map.of("path", conf.toString(), "line", "b=2"));
        assertFalse(again.changesSomething(), "the second lineinfile sees the first one's line");

        @SuppressWarnings("unchecked")
        Map<String, Object> st = (Map<String, Object>) step("stat", Map.of("path", conf.toString()))
                .values().get("stat");
        assertEquals(true, st.get("exists"));
        assertEquals(true, st.get("isreg"));
        assertEquals(8L, st.get("size"));
        assertEquals(WriteFile.sha1("a=1\nb=2\n".getBytes(StandardCharsets.UTF_8)), st.get("checksum"));

        @SuppressWarnings("unchecked")
        Map<String, Object> dirStat = (Map<String, Object>) step("stat", Map.of("path", app.toString()))
                .values().get("stat");
        assertEquals("0750", dirStat.get("mode"));

        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "check mode touched nothing");
        }
    }

    @Test
    void commandCreatesThenFileSeesIt() throws Exception {
        Path marker = dir.resolve("installed");
        Plan run = step("command", Map.of("_raw_params", "make install", "creates", marker.toString()));
        assertEquals(Plan.CheckBehaviour.FORECAST, run.check());
        assertTrue(run.changesSomething());
        Plan file = step("file", Map.of("path", marker.toString(), "state", "file", "mode", "0600"));
        assertEquals(List.of("set attributes of " + marker), Plans.describe(file));
        assertFalse(Files.exists(marker));
    }
}
