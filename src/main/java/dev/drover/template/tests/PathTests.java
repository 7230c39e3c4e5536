package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.nio.file.Files;
import java.nio.file.Path;

/** Controller path tests: file, directory, exists, link, abs. */
final class PathTests {
    private PathTests() {
    }

    static void register(Tests ts) {
        ts.add("file", (v, a) -> Files.isRegularFile(Path.of(Py.str(v))));
        ts.add("directory", (v, a) -> Files.isDirectory(Path.of(Py.str(v))));
        ts.add("exists", (v, a) -> Files.exists(Path.of(Py.str(v))));
        ts.add("link", (v, a) -> Files.isSymbolicLink(Path.of(Py.str(v))));
        ts.add("abs", (v, a) -> Py.str(v).startsWith("/"));
    }
}
