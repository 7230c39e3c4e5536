package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionSpec;
import dev.drover.connection.LocalConnection;
import dev.drover.connection.Shell;
import dev.drover.module.MakeDirectory;
import dev.drover.module.ModuleException;
import dev.drover.module.Plan;
import dev.drover.module.WriteFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan's changes with a read run in the same round trip ({@link PlanApplier.FollowUp}), on a
 * real local persistent shell: the read sees the change, its output and exit code come apart
 * from the change's, and a change that fails runs no read and fails as it would alone.
 */
class PlanApplierTest {
    private final LocalConnection conn = new LocalConnection(ConnectionSpec.local("localhost"));

    @AfterEach
    void close() {
        conn.close();
    }

    private PlanApplier applier(Shell shell) {
        return new PlanApplier(null, "localhost", "file", "t", true, shell, Map.of(), null);
    }

    @Test
    void theReadRunsAfterTheChangeInTheSameTrip(@TempDir Path dir) throws Exception {
        Shell shell = conn.shell();
        Path d = dir.resolve("d");
        AtomicReference<CommandResult> read = new AtomicReference<>();
        Plan plan = Plan.builder().change(new MakeDirectory(d.toString(), "0750", null, null)).build();
        applier(shell).apply(plan, new PlanApplier.FollowUp("[ -d " + d + " ] && echo made; echo \"it's\"; exit 3", read::set));
        assertTrue(Files.isDirectory(d));
        assertEquals("made\nit's\n", new String(read.get().stdout(), StandardCharsets.UTF_8));
        assertEquals(3, read.get().exitCode(), "the read's own exit code");
    }

    @Test
    void aBatchOfChangesReadsAfterTheLast(@TempDir Path dir) throws Exception {
        Shell shell = conn.shell();
        Path d = dir.resolve("d");
        Path f = d.resolve("f");
        AtomicReference<CommandResult> read = new AtomicReference<>();
        Plan plan = Plan.builder().change(new MakeDirectory(d.toString(), "0755", null, null))
                .change(new WriteFile(f.toString(), "x\n".getBytes(StandardCharsets.UTF_8), "0600", null, null)).build();
        applier(shell).apply(plan, new PlanApplier.FollowUp("cat " + f, read::set));
        assertEquals("x\n", new String(read.get().stdout(), StandardCharsets.UTF_8));
        assertEquals(0, read.get().exitCode());
    }

    @Test
    void aFailedChangeRunsNoReadAndFailsAsAlone(@TempDir Path dir) throws Exception {
        Shell shell = conn.shell();
        Path file = Files.writeString(dir.resolve("file"), "x");
        AtomicReference<CommandResult> read = new AtomicReference<>();
        Plan plan = Plan.builder().change(new MakeDirectory(file.resolve("sub").toString(), "0755", null, null)).build();
        ModuleException withRead = assertThrows(ModuleException.class,
                () -> applier(shell).apply(plan, new PlanApplier.FollowUp("echo read", read::set)));
        assertNull(read.get(), "no read after a failed change");
        ModuleException alone = assertThrows(ModuleException.class, () -> applier(shell).apply(plan));
        assertEquals(alone.getMessage(), withRead.getMessage());
        assertEquals(alone.values(), withRead.values());
    }

    @Test
    void aMapperReadsTheChangesOwnOutput(@TempDir Path dir) throws Exception {
        Shell shell = conn.shell();
        Path made = dir.resolve("made");
        AtomicReference<CommandResult> read = new AtomicReference<>();
        Plan plan = Plan.builder()
                .change(new dev.drover.module.Exec("make it", dev.drover.module.ShellCommand.of(
                        "printf 'out\\nno newline'; echo warn >&2; touch " + made + "; exit 4"), (st, u) -> { }, true))
                .mapper((planned, outs) -> Map.of("out", outs.get(0).out(), "err", outs.get(0).err(),
                        "rc", outs.get(0).exitCode()))
                .build();
        Map<String, Object> alone = applier(shell).apply(plan);
        Map<String, Object> withRead = applier(shell).apply(plan,
                new PlanApplier.FollowUp("echo read; echo noise >&2", read::set));
        assertEquals(Map.of("out", "out\nno newline", "err", "warn\n", "rc", 4), alone);
        assertEquals(alone, withRead);
        assertNull(read.get(), "exit 4: the change failed, no read");
        Plan ok = Plan.builder()
                .change(new dev.drover.module.Exec("list", dev.drover.module.ShellCommand.of("echo listed; echo warn >&2"),
                        (st, u) -> { }, true))
                .mapper((planned, outs) -> Map.of("out", outs.get(0).out(), "err", outs.get(0).err()))
                .build();
        assertEquals(applier(shell).apply(ok), applier(shell).apply(ok,
                new PlanApplier.FollowUp("[ -e " + made + " ] && echo seen; echo noise >&2", read::set)));
        assertEquals("seen\n", new String(read.get().stdout(), StandardCharsets.UTF_8), "its stderr is dropped");
    }
}
