package dev.drover.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A loop's paths read at once, against the real local host through a real sh: the views answer as their own probes would. */
class PathPrefetchTest {
    @TempDir
    Path dir;

    private final CountingShell shell = new CountingShell();

    private static String sha1(String s) {
        return WriteFile.sha1(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneStatAndOneCatAnswerEveryItem() throws Exception {
        Path a = Files.writeString(dir.resolve("a.conf"), "alpha\n");
        Path b = Files.writeString(dir.resolve("b b.conf"), "beta");
        Path empty = Files.createFile(dir.resolve("empty"));
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path absent = dir.resolve("missing/deeper/x");
        PathPrefetch p = PathPrefetch.read(shell, List.of(a.toString(), b.toString(), empty.toString(), sub.toString(),
                absent.toString()), true);
        assertEquals(2, shell.runs, "kinds + stat, then cat");
        int before = shell.runs;
        for (Path f : List.of(a, b, empty, sub, absent)) {
            ShellHostView view = new ShellHostView(shell, p);
            FileState own = view.file(f.toString());
            FileState expected = new ShellHostView(new LocalShell()).file(f.toString());
            assertEquals(expected, own, "as its own probe answers: " + f);
            assertEquals(expected, view.fileFollow(f.toString()));
        }
        assertEquals(before, shell.runs, "no more trips");
        ShellHostView view = new ShellHostView(shell, p);
        assertEquals(sha1("alpha\n"), view.file(a.toString()).sha1());
        assertEquals(before, shell.runs, "sha1");
        assertArrayEquals("beta".getBytes(StandardCharsets.UTF_8), view.read(b.toString()).orElseThrow());
        assertEquals(before, shell.runs, "read");
        view.file(absent.toString());
        assertEquals(before, shell.runs, "absent");
        assertEquals(FileState.Kind.ABSENT, view.kindFollow(dir.resolve("missing").toString()));
        assertEquals(before, shell.runs, "missing");
        assertEquals(FileState.Kind.DIRECTORY, view.kindFollow(dir.toString()), "the ancestors' kinds came along");
        assertEquals(before, shell.runs);
    }

    @Test
    void absentPathsUnderOddNamesGetTheirAncestorsKinds() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("a \"link\""), Path.of("nowhere"));
        Path file = Files.writeString(dir.resolve("it's"), "x");
        String underLink = link + "/x/y";
        String underFile = file + "//z"; // (a path ending in / is not prefetched)
        PathPrefetch p = PathPrefetch.read(shell, List.of(underLink, underFile), false);
        assertEquals(1, shell.runs, "kinds only: nothing exists");
        ShellHostView view = new ShellHostView(shell, p);
        assertFalse(view.file(underLink).exists());
        assertFalse(view.file(underFile).exists());
        assertEquals(FileState.Kind.ABSENT, view.kindFollow(link + "/x"));
        assertEquals(FileState.Kind.LINK, view.kind(link.toString()));
        assertEquals(FileState.Kind.FILE, view.kindFollow(file.toString()));
        assertEquals(1, shell.runs, "the ancestors' kinds came along");
    }

    @Test
    void linksAndBigFilesAreProbedOnTheirOwn() throws Exception {
        Path target = Files.writeString(dir.resolve("t"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("l"), target);
        Path big = Files.write(dir.resolve("big"), new byte[ShellHostView.INLINE_CONTENT + 1]);
        PathPrefetch p = PathPrefetch.read(shell, List.of(link.toString(), big.toString()), true);
        assertEquals(1, shell.runs, "nothing small to cat");
        ShellHostView view = new ShellHostView(shell, p);
        assertNull(view.attributes(big.toString()).sha1());
        assertEquals(1, shell.runs, "attributes need no checksum");
        view.file(big.toString());
        assertEquals(2, shell.runs, "the checksum of a big file is its own probe's");
        assertEquals(FileState.Kind.LINK, view.file(link.toString()).kind());
        assertEquals(3, shell.runs);
    }

    @Test
    void withoutContentNoCatAndFileAsksAgain() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "alpha");
        Path b = Files.writeString(dir.resolve("b"), "beta");
        PathPrefetch p = PathPrefetch.read(shell, List.of(a.toString(), b.toString()), false);
        assertEquals(1, shell.runs);
        ShellHostView view = new ShellHostView(shell, p);
        assertEquals("0644", view.attributes(a.toString()).mode());
        assertEquals(1, shell.runs);
        assertEquals(sha1("beta"), view.file(b.toString()).sha1());
        assertEquals(2, shell.runs);
    }

    @Test
    void aFileThatChangedBetweenStatAndCatIsReadAgain() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "alpha");
        Path b = Files.writeString(dir.resolve("b"), "beta");
        shell.afterFirst = () -> {
            try {
                Files.writeString(a, "alpha, longer now");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        };
        PathPrefetch p = PathPrefetch.read(shell, List.of(a.toString(), b.toString()), true);
        ShellHostView view = new ShellHostView(shell, p);
        assertEquals(sha1("alpha, longer now"), view.file(a.toString()).sha1());
        assertEquals(3, shell.runs, "the sizes disagreed with the cat: asked again");
    }

    @Test
    void anotherShellsViewDoesNotUseIt() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "alpha");
        PathPrefetch p = PathPrefetch.read(shell, List.of(a.toString(), dir.toString()), true);
        CountingShell other = new CountingShell();
        new ShellHostView(other, p).file(a.toString());
        assertEquals(1, other.runs);
    }
}
