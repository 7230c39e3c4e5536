package dev.drover.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.CommandResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Check mode's podman objects are per user (rootless stores), and pendingBelow reports what earlier steps wrote. */
class PodmanSimulationTest {
    /** A live host with no files and no podman objects; every probe fails. */
    static HostView empty(String user) {
        return new HostView() {
            public FileState file(String path) {
                return FileState.absent(path);
            }

            public FileState fileFollow(String path) {
                return FileState.absent(path);
            }

            public Optional<byte[]> read(String path) {
                return Optional.empty();
            }

            public Optional<UserState> user(String name) {
                return Optional.empty();
            }

            public Optional<GroupState> group(String name) {
                return Optional.empty();
            }

            public CommandResult probe(String script) {
                return new CommandResult(125, new byte[0], "no such object".getBytes(StandardCharsets.UTF_8));
            }

            public String user() {
                return user;
            }

            public String home() {
                return "/home/" + user;
            }
        };
    }

    @Test
    void podmanObjectsArePerUser() throws Exception {
        SimulatedState state = new SimulatedState();
        state.putPodman("alice", PodmanObject.IMAGE, "app:1", new PodmanObject(PodmanObject.IMAGE, "app:1", "x", null,
                Map.of("k", "v")));
        assertEquals("v", new SimulatedHostView(empty("alice"), state).podman(PodmanObject.IMAGE, "app:1")
                .orElseThrow().label("k"));
        assertTrue(new SimulatedHostView(empty("root"), state).podman(PodmanObject.IMAGE, "app:1").isEmpty());
        assertTrue(new SimulatedHostView(empty("alice"), state).podman(PodmanObject.SECRET, "app:1").isEmpty());
        state.putPodman("alice", PodmanObject.IMAGE, "app:1", null);
        assertTrue(new SimulatedHostView(empty("alice"), state).podman(PodmanObject.IMAGE, "app:1").isEmpty());
    }

    @Test
    void pendingBelowListsWhatEarlierStepsWrote() {
        SimulatedState state = new SimulatedState();
        SimulatedHostView view = new SimulatedHostView(empty("root"), state);
        assertEquals(List.of(), view.pendingBelow("/srv/app"));
        assertEquals(List.of(), empty("root").pendingBelow("/srv/app"), "a live view has nothing pending");
        byte[] c = "x".getBytes(StandardCharsets.UTF_8);
        state.putFile(new FileState("/srv/app/Containerfile", FileState.Kind.FILE, "0644", "root", "root", 1,
                WriteFile.sha1(c), null), c);
        assertEquals(List.of("/srv/app/Containerfile"), view.pendingBelow("/srv/app/"));
        assertEquals(List.of(), view.pendingBelow("/srv/other"));
        state.putNewDirectory(new FileState("/srv/new", FileState.Kind.DIRECTORY, "0755", "root", "root", 0, null, null));
        assertEquals(List.of("/srv/new/ctx"), view.pendingBelow("/srv/new/ctx"), "below a directory this run makes");
    }

    @Test
    void inspectOutputParses() {
        PodmanObject s = PodmanObject.parse(PodmanObject.SECRET, "db", "5ec1 file {\"a\":\"b c\"}\n").orElseThrow();
        assertEquals("5ec1", s.id());
        assertEquals("file", s.driver());
        assertEquals(Map.of("a", "b c"), s.labels());
        PodmanObject i = PodmanObject.parse(PodmanObject.IMAGE, "app", "abc null\n").orElseThrow();
        assertEquals(Map.of(), i.labels());
        assertTrue(PodmanObject.parse(PodmanObject.IMAGE, "app", "\n").isEmpty());
    }

    /** What a package step of the check run recorded makes podman available to the later podman steps. */
    @Test
    void packagesAnEarlierStepInstallsAreInstalledByTheRun() {
        SimulatedState state = new SimulatedState();
        HostView sim = new SimulatedHostView(empty("root"), state);
        assertFalse(sim.installedByRun("podman"), "nothing recorded");
        state.putRecord("apt", "podman", "ii|5.4.2+ds1-2");
        assertTrue(sim.installedByRun("podman"));
        state.putRecord("apt", "podman", "rc|"); // removed, its configuration kept
        assertFalse(sim.installedByRun("podman"));
        state.putRecord("apt", "podman", null); // purged
        assertFalse(sim.installedByRun("podman"));
        state.putRecord("dnf", "podman", "installed");
        assertTrue(sim.installedByRun("podman"));
        assertFalse(sim.installedByRun("buildah"));
        assertFalse(empty("root").installedByRun("podman"), "a live view never answers from a run");
    }
}
