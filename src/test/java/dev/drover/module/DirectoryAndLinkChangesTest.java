package dev.drover.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.CommandResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merged {@code mkdir} of a path's missing levels and the in-place symlink, run by a real sh
 * on this host: the same effect as the changes one by one, in fewer processes.
 */
class DirectoryAndLinkChangesTest {
    @TempDir
    Path dir;

    private final LocalShell shell = new LocalShell();

    private void apply(Change c) throws Exception {
        CommandResult r = shell.run("umask 022; " + c.command().script(), null, null);
        assertEquals(0, r.exitCode(), r.err());
    }

    private String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void consecutiveDirectoriesWithTheSameAttributesBecomeOneMkdir() throws Exception {
        Path a = dir.resolve("a");
        Path b = a.resolve("b b");
        Path c = b.resolve("c");
        Path other = dir.resolve("other");
        List<Change> merged = Change.merge(List.of(
                new MakeDirectory(a.toString(), "0750", null, null),
                new MakeDirectory(b.toString(), "0750", null, null),
                new MakeDirectory(c.toString(), "0750", null, null),
                new MakeDirectory(other.toString(), "0700", null, null)));
        assertEquals(2, merged.size(), "a different mode starts a new change");
        MakeDirectories chain = assertInstanceOf(MakeDirectories.class, merged.get(0));
        assertEquals(3, chain.dirs().size());
        String script = chain.command().script();
        assertEquals(1, script.split("mkdir ", -1).length - 1, "one mkdir: " + script);
        for (Change ch : merged) {
            apply(ch);
        }
        for (Path p : List.of(a, b, c)) {
            assertEquals("rwxr-x---", mode(p), "every level gets the mode, as Ansible gives it: " + p);
        }
        assertEquals("rwx------", mode(other));
    }

    @Test
    void aMergedChainSimulatesEveryLevel() {
        SimulatedState state = new SimulatedState();
        Change chain = Change.merge(List.of(new MakeDirectory("/x", null, null, null),
                new MakeDirectory("/x/y", null, null, null))).get(0);
        chain.simulate(state, "root");
        assertTrue(state.file("/x").orElseThrow().isDirectory());
        assertTrue(state.file("/x/y").orElseThrow().isDirectory());
    }

    @Test
    void otherChangesAreNotMerged() {
        List<Change> changes = List.of(new MakeDirectory("/x", null, null, null),
                new MakeLink("/x/l", "t", null, null), new MakeDirectory("/y", null, null, null));
        assertEquals(changes, Change.merge(changes));
    }

    @Test
    void aLinkWhereNothingWasIsMadeInPlace() throws Exception {
        Path l = dir.resolve("l");
        MakeLink link = new MakeLink(l.toString(), "target one", null, null, false);
        apply(link);
        assertEquals(Path.of("target one"), Files.readSymbolicLink(l));
    }

    @Test
    void somethingThatAppearedSinceThePlanIsStillReplaced() throws Exception {
        Path file = dir.resolve("f");
        Files.writeString(file, "x");
        apply(new MakeLink(file.toString(), "t1", null, null, false));
        assertEquals(Path.of("t1"), Files.readSymbolicLink(file));
        Path emptyDir = dir.resolve("d");
        Files.createDirectory(emptyDir);
        apply(new MakeLink(emptyDir.toString(), "t2", null, null, false));
        assertTrue(Files.isSymbolicLink(emptyDir), "an empty directory is replaced, not linked into");
        assertEquals(Path.of("t2"), Files.readSymbolicLink(emptyDir));
        Path oldLink = dir.resolve("old");
        Files.createSymbolicLink(oldLink, Path.of("before"));
        apply(new MakeLink(oldLink.toString(), "after", null, null, false));
        assertEquals(Path.of("after"), Files.readSymbolicLink(oldLink));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".drover-link")), "temp link left");
        }
        assertFalse(Files.exists(dir.resolve("d/t2"), LinkOption.NOFOLLOW_LINKS));
    }
}
