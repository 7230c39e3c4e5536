package dev.drover.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ShellHostView against the real local host through a real sh. */
class ShellHostViewTest {
    @TempDir
    Path dir;

    private final CountingShell shell = new CountingShell();
    private final ShellHostView view = new ShellHostView(shell);

    @Test
    void regularFileInOneRoundTrip() throws Exception {
        Path f = dir.resolve("it's a file.txt");
        Files.writeString(f, "hello\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        FileState s = view.file(f.toString());
        assertEquals(1, shell.runs);
        assertEquals(FileState.Kind.FILE, s.kind());
        assertEquals("0640", s.mode());
        assertEquals("root", s.owner());
        assertEquals("root", s.group());
        assertEquals(6, s.size());
        assertEquals("f572d396fae9206628714fb2ce00f72e94f2258f", s.sha1());
    }

    @Test
    void emptyFileHasAChecksum() throws Exception {
        Path f = dir.resolve("empty");
        Files.createFile(f);
        assertEquals("da39a3ee5e6b4b0d3255bfef95601890afd80709", view.file(f.toString()).sha1());
        assertArrayEquals(new byte[0], view.read(f.toString()).orElseThrow());
        assertEquals(1, shell.runs, "an empty file's content comes with its probe (no cat)");
    }

    @Test
    void directoryLinkAndAbsent() throws Exception {
        Path d = dir.resolve("d");
        Files.createDirectory(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-x---"));
        Path l = dir.resolve("l");
        Files.createSymbolicLink(l, Path.of("d"));
        Path dangling = dir.resolve("dangling");
        Files.createSymbolicLink(dangling, Path.of("missing"));

        FileState ds = view.file(d.toString());
        assertEquals(FileState.Kind.DIRECTORY, ds.kind());
        assertEquals("0750", ds.mode());
        assertNull(ds.sha1());

        FileState ls = view.file(l.toString());
        assertEquals(FileState.Kind.LINK, ls.kind());
        assertEquals("d", ls.linkTarget());
        FileState lf = view.fileFollow(l.toString());
        assertEquals(FileState.Kind.DIRECTORY, lf.kind());
        assertEquals("0750", lf.mode());

        assertEquals(FileState.Kind.LINK, view.file(dangling.toString()).kind());
        assertFalse(view.fileFollow(dangling.toString()).exists());
        assertFalse(view.file(dir.resolve("nope").toString()).exists());
    }

    @Test
    void readIsBinarySafe() throws Exception {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Path f = dir.resolve("bin");
        Files.write(f, bytes);
        assertArrayEquals(bytes, view.read(f.toString()).orElseThrow());
        assertTrue(view.read(dir.resolve("nope").toString()).isEmpty());
        assertTrue(view.read(dir.toString()).isEmpty());
    }

    @Test
    void usersAndGroups() throws Exception {
        UserState root = view.user("root").orElseThrow();
        assertEquals(1, shell.runs);
        assertEquals(0, root.uid());
        assertEquals("root", root.group());
        assertEquals("/root", root.home());
        assertTrue(root.groups().contains("root"));
        assertTrue(view.user("no-such-user-drover").isEmpty());
        GroupState g = view.group("root").orElseThrow();
        assertEquals(0, g.gid());
        assertTrue(view.group("no-such-group-drover").isEmpty());
    }

    @Test
    void whoamiIsOneCachedRoundTrip() throws Exception {
        assertEquals("root", view.user());
        assertEquals(System.getenv("HOME"), view.home());
        assertEquals("root", view.user());
        assertEquals(1, shell.runs);
    }

    @Test
    void probeRunsOnTheHost() throws Exception {
        assertEquals("x\n", new String(view.probe("echo x").stdout(), StandardCharsets.UTF_8));
    }

    @Test
    void oneProbeAnswersStatLinkAndSmallContent() throws Exception {
        Path f = dir.resolve("f.bin");
        byte[] bytes = {0, 1, 2, '\n', (byte) 0xff, '\n', '\n'};
        Files.write(f, bytes);
        Path link = dir.resolve("l");
        Files.createSymbolicLink(link, f);
        FileState own = view.file(link.toString());
        assertEquals(1, shell.runs);
        assertEquals(FileState.Kind.LINK, own.kind());
        assertEquals(f.toString(), own.linkTarget());
        FileState followed = view.fileFollow(link.toString());
        assertEquals(FileState.Kind.FILE, followed.kind());
        assertEquals(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-1").digest(bytes)), followed.sha1());
        assertArrayEquals(bytes, view.read(link.toString()).orElseThrow());
        assertEquals(1, shell.runs);
        view.forget();
        view.read(link.toString());
        assertEquals(2, shell.runs);
    }

    @Test
    void missingAncestorsComeWithTheFirstProbe() throws Exception {
        String deep = dir.resolve("a/b/c").toString();
        assertFalse(view.file(deep).exists());
        assertFalse(view.fileFollow(dir.resolve("a/b").toString()).exists());
        assertFalse(view.fileFollow(dir.resolve("a").toString()).exists());
        assertEquals(FileState.Kind.DIRECTORY, view.kindFollow(dir.toString()));
        assertEquals(1, shell.runs);
        // the existing ancestor's kind came with the probe, its attributes did not
        assertEquals("root", view.fileFollow(dir.toString()).owner());
        assertEquals(2, shell.runs);
    }

    @Test
    void theShellWalksUpOddPathsAsAncestorsDoes() throws Exception {
        // a quote and spaces in a name, a doubled and a trailing slash, a file where a directory is expected
        Path file = Files.writeString(dir.resolve("it's a file"), "x");
        String deep = file + "/b//c/";
        assertEquals(java.util.List.of(file + "/b/", file + "/b", file.toString()),
                ShellHostView.ancestors(deep).subList(0, 3));
        assertFalse(view.file(deep).exists());
        assertFalse(view.fileFollow(file + "/b/").exists());
        assertFalse(view.fileFollow(file + "/b").exists());
        assertEquals(FileState.Kind.FILE, view.kindFollow(file.toString()));
        assertEquals(1, shell.runs, "the ancestors' kinds came with the probe");
        assertEquals(FileState.Kind.DIRECTORY, new ShellHostView(shell).kindFollow(dir.toString()));
    }

    @Test
    void kindsComeFromTheShellsOwnTests() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "x");
        Path d = dir.resolve("d");
        Files.createDirectory(d);
        Path toDir = dir.resolve("to-dir");
        Files.createSymbolicLink(toDir, d);
        Path dangling = dir.resolve("dangling");
        Files.createSymbolicLink(dangling, Path.of("missing"));
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals(FileState.Kind.FILE, view.kind(f.toString()));
        assertEquals(FileState.Kind.DIRECTORY, view.kind(d.toString()));
        assertEquals(FileState.Kind.LINK, view.kind(toDir.toString()));
        assertEquals(FileState.Kind.OTHER, view.kind(fifo.toString()));
        assertEquals(FileState.Kind.ABSENT, view.kind(dir.resolve("none").toString()));
        assertEquals(5, shell.runs);
        assertEquals(FileState.Kind.FILE, view.kind(f.toString()));
        assertEquals(5, shell.runs, "asked once");
        assertEquals(FileState.Kind.DIRECTORY, view.kindFollow(toDir.toString()));
        assertEquals(FileState.Kind.LINK, view.kind(dangling.toString()));
        assertEquals(FileState.Kind.ABSENT, view.kindFollow(dangling.toString()));
        assertEquals(FileState.Kind.DIRECTORY, new ShellHostView(shell).kindFollow(d.toString()));
    }

    @Test
    void attributesReadNoContentAndFileStillHasTheChecksum() throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "hello\n");
        FileState a = view.attributes(f.toString());
        assertEquals(FileState.Kind.FILE, a.kind());
        assertEquals(6, a.size());
        assertNull(a.sha1());
        assertEquals(1, shell.runs);
        assertEquals("f572d396fae9206628714fb2ce00f72e94f2258f", view.file(f.toString()).sha1(),
                "a state read without content is not taken for one with");
        assertEquals(2, shell.runs);
        assertNull(view.attributes(f.toString()).sha1(), "attributes never carry a checksum");
        assertEquals(2, shell.runs);
    }

    @Test
    void bigFileGivesItsChecksumNotItsContent() throws Exception {
        Path f = dir.resolve("big");
        byte[] bytes = new byte[ShellHostView.INLINE_CONTENT + 1];
        Files.write(f, bytes);
        assertEquals(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-1").digest(bytes)), view.file(f.toString()).sha1());
        assertArrayEquals(bytes, view.read(f.toString()).orElseThrow());
        assertEquals(2, shell.runs);
    }

    @Test
    void ancestorsOfAbsolutePathsOnly() {
        assertEquals(java.util.List.of("/a/b", "/a", "/"), ShellHostView.ancestors("/a/b/c/"));
        assertEquals(java.util.List.of(), ShellHostView.ancestors("rel/x"));
        assertEquals(java.util.List.of(), ShellHostView.ancestors("/"));
    }
}
