package dev.drover.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.CommandResult;
import dev.drover.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WriteFile}'s script on this host: content, mode and owner as planned, nothing left behind. */
class WriteFileTest {
    @TempDir
    Path dir;

    private final LocalShell shell = new LocalShell();

    private void apply(WriteFile w) throws Exception {
        ShellCommand c = w.command();
        CommandResult r = shell.run("umask 022; " + c.script(), c.stdin(), null);
        assertEquals(0, r.exitCode(), r.err());
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".drover.")), "temp file left");
        }
    }

    private String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private FileState absent(Path p) {
        return FileState.absent(p.toString());
    }

    @Test
    void everyByteValueSurvivesInlineAndOnStdin() throws Exception {
        byte[] all = new byte[256 * 3];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        Path small = dir.resolve("small");
        apply(new WriteFile(small.toString(), all, null, null, null, absent(small)));
        assertArrayEquals(all, Files.readAllBytes(small));
        assertTrue(all.length <= WriteFile.INLINE_LIMIT);
        assertEquals(null, new WriteFile(small.toString(), all, null, null, null).command().stdin(), "inline");

        byte[] big = new byte[WriteFile.INLINE_LIMIT + 10];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        Path large = dir.resolve("large");
        WriteFile w = new WriteFile(large.toString(), big, null, null, null, absent(large));
        assertArrayEquals(big, w.command().stdin(), "big content goes on stdin");
        apply(w);
        assertArrayEquals(big, Files.readAllBytes(large));
    }

    @Test
    void printfEscapesWhatTheShellWouldInterpret() throws Exception {
        byte[] tricky = "100% \\n 'q' \"d\" $HOME `x` \\\\0 %s\n\t\u00e9".getBytes(StandardCharsets.UTF_8);
        Path f = dir.resolve("tricky");
        apply(new WriteFile(f.toString(), tricky, null, null, null, absent(f)));
        assertArrayEquals(tricky, Files.readAllBytes(f));
    }

    @Test
    void newFilesGetTheAskedModeOrTheUmasksOne() throws Exception {
        byte[] x = "x\n".getBytes(StandardCharsets.UTF_8);
        String[][] cases = {{null, "rw-r--r--"}, {"0600", "rw-------"}, {"0640", "rw-r-----"}, {"0755", "rwxr-xr-x"},
            {"u=rw,g=r", "rw-r--r--"}, {"u+x", "rwxr--r--"}};
        for (String[] c : cases) {
            Path f = dir.resolve("m" + (c[0] == null ? "none" : c[0].replaceAll("\\W", "_")));
            apply(new WriteFile(f.toString(), x, c[0], null, null, absent(f)));
            assertEquals(c[1], mode(f), "mode " + c[0]);
        }
    }

    @Test
    void aReplacedFileKeepsItsModeWhetherKnownOrReadOnTheHost() throws Exception {
        Path f = dir.resolve("kept");
        Files.writeString(f, "old\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        FileState known = new ShellHostView(shell).file(f.toString());
        apply(new WriteFile(f.toString(), "new\n".getBytes(StandardCharsets.UTF_8), null, null, null, known));
        assertEquals("rw-r-----", mode(f));
        assertEquals("new\n", Files.readString(f));

        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx--x---"));
        apply(new WriteFile(f.toString(), "newer\n".getBytes(StandardCharsets.UTF_8), null, null, null, null));
        assertEquals("rwx--x---", mode(f), "unknown target: mode read on the host");

        FileState now = new ShellHostView(shell).file(f.toString());
        apply(new WriteFile(f.toString(), "g+r\n".getBytes(StandardCharsets.UTF_8), "g+r", null, null, now));
        assertEquals("rwxr-x---", mode(f), "symbolic mode applies to the replaced file's");
    }

    @Test
    void aReplacedFileKeepsItsOwnerWhenRootRewritesIt() throws Exception {
        Requirements.requireRoot();
        Path f = dir.resolve("owned");
        Files.writeString(f, "old\n");
        UserPrincipalLookupService users = f.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(f, users.lookupPrincipalByName("nobody"));
        Files.getFileAttributeView(f, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(users.lookupPrincipalByGroupName("nogroup"));
        FileState known = new ShellHostView(shell).file(f.toString());
        apply(new WriteFile(f.toString(), "new\n".getBytes(StandardCharsets.UTF_8), null, null, null, known));
        assertEquals("nobody", Files.getOwner(f).getName());
        assertEquals("nogroup", Files.readAttributes(f, java.nio.file.attribute.PosixFileAttributes.class)
                .group().getName());

        Path mine = dir.resolve("mine");
        apply(new WriteFile(mine.toString(), "m\n".getBytes(StandardCharsets.UTF_8), null, null, null, absent(mine)));
        assertFalse(new WriteFile(mine.toString(), new byte[0], null, null, null, absent(mine)).command().script()
                .contains("chown"), "a new file needs no chown");
    }
}
