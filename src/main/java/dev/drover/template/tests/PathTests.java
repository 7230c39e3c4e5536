package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.nio.file.Files;
import java.nio.file.Path;

/** Controller path tests: file, directory, exists, link, abs (and their is_* names), link_exists, same_file. */
final class PathTests {
    private PathTests() {
    }

    static void register(Tests ts) {
        ts.add("file", (v, a) -> Files.isRegularFile(Path.of(Py.str(v))));
        ts.add("directory", (v, a) -> Files.isDirectory(Path.of(Py.str(v))));
        ts.add("exists", (v, a) -> Files.exists(Path.of(Py.str(v))));
        ts.add("link", (v, a) -> Files.isSymbolicLink(Path.of(Py.str(v))));
        ts.add("abs", (v, a) -> Py.str(v).startsWith("/"));
        ts.add("is_file", (v, a) -> Files.isRegularFile(Path.of(Py.str(v))));
        ts.add("is_dir", (v, a) -> Files.isDirectory(Path.of(Py.str(v))));
        ts.add("is_link", (v, a) -> Files.isSymbolicLink(Path.of(Py.str(v))));
        ts.add("is_abs", (v, a) -> Py.str(v).startsWith("/"));
        ts.add("link_exists", (v, a) -> Files.exists(Path.of(Py.str(v)), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        Tests.Fn same = (v, a) -> {
            try {
                return Files.isSameFile(Path.of(Py.str(v)), Path.of(Py.str(a[0])));
            } catch (java.io.IOException e) {
                return false;
            }
        };
        ts.add("same_file", same);
        ts.add("is_same_file", same);
    }
}
