package dev.drover.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check-mode view: simulation first, live host otherwise. */
class SimulatedHostViewTest {
    @TempDir
    Path dir;

    private final SimulatedState state = new SimulatedState();
    private final SimulatedHostView view = new SimulatedHostView(new ShellHostView(new LocalShell()), state);

    @Test
    void liveWhenTheSimulationKnowsNothing() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "live");
        assertEquals(FileState.Kind.FILE, view.file(f.toString()).kind());
        assertEquals("live", new String(view.read(f.toString()).orElseThrow(), StandardCharsets.UTF_8));
    }

    @Test
    void simulatedWritesAndRemovalsWin() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "live");
        new WriteFile(f.toString(), "sim".getBytes(StandardCharsets.UTF_8), "0600", null, null).simulate(state, "root");
        assertEquals("sim", new String(view.read(f.toString()).orElseThrow(), StandardCharsets.UTF_8));
        assertEquals("0600", view.file(f.toString()).mode());
        assertEquals("live", Files.readString(f));

        new RemovePath(dir.toString()).simulate(state, "root");
        assertFalse(view.file(f.toString()).exists());
        assertTrue(view.read(f.toString()).isEmpty());
    }

    @Test
    void pathsBelowAFreshDirectoryAreAbsentWithoutAskingTheHost() throws Exception {
        Path d = dir.resolve("new");
        new MakeDirectory(d.toString(), null, null, null).simulate(state, "root");
        assertTrue(view.file(d.toString()).isDirectory());
        assertFalse(view.file(d.resolve("x").toString()).exists());
    }

    @Test
    void followsSimulatedLinksIntoLiveFilesAndBack() throws Exception {
        Path target = dir.resolve("target");
        Files.writeString(target, "live target");
        Path l = dir.resolve("l");
        new MakeLink(l.toString(), "target", null, null).simulate(state, "root");
        FileState f = view.fileFollow(l.toString());
        assertEquals(FileState.Kind.FILE, f.kind());
        assertEquals(l.toString(), f.path());
        assertEquals("live target", new String(view.read(l.toString()).orElseThrow(), StandardCharsets.UTF_8));

        Path real = dir.resolve("real");
        Files.createSymbolicLink(real, Path.of("simfile"));
        new WriteFile(dir.resolve("simfile").toString(), "s".getBytes(StandardCharsets.UTF_8), null, null, null)
                .simulate(state, "root");
        assertEquals("s", new String(view.read(real.toString()).orElseThrow(), StandardCharsets.UTF_8));
    }

    @Test
    void usersAndGroupsFromTheSimulation() throws Exception {
        assertTrue(view.user("root").isPresent());
        state.putUser("root", null);
        assertTrue(view.user("root").isEmpty());
        state.putGroup("drover-sim", new GroupState("drover-sim", 5000, false));
        assertEquals(5000, view.group("drover-sim").orElseThrow().gid());
    }

    @Test
    void aUserThisRunCreatesAnswersAsThatUserWithAnEmptyPodmanStore() throws Exception {
        UserState future = new UserState("drover-future", -1, -1, "drover-future", "", "/home/drover-future",
                "/bin/sh", java.util.List.of("drover-future"));
        HostView real = new ShellHostView(new LocalShell());
        HostView rootShell = (HostView) java.lang.reflect.Proxy.newProxyInstance(HostView.class.getClassLoader(),
                new Class<?>[] {HostView.class}, (proxy, m, args) -> {
                    if (m.getName().equals("podman")) {
                        throw new AssertionError("the root store was asked for " + java.util.Arrays.toString(args));
                    }
                    return m.invoke(real, args);
                });
        SimulatedHostView acting = new SimulatedHostView(rootShell, state, future);
        assertEquals("drover-future", acting.user());
        assertEquals("/home/drover-future", acting.home());
        assertTrue(acting.podman(PodmanObject.IMAGE, "vocalyx-api").isEmpty());
        PodmanObject built = new PodmanObject(PodmanObject.IMAGE, "vocalyx-api", "abc", null, java.util.Map.of());
        state.putPodman("drover-future", PodmanObject.IMAGE, "vocalyx-api", built);
        assertEquals(built, acting.podman(PodmanObject.IMAGE, "vocalyx-api").orElseThrow(), "keyed by the acting user");
    }
}
