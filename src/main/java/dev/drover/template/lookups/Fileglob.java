package dev.drover.template.lookups;

import dev.drover.template.Py;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * fileglob: the controller files matching each pattern, in the first directory that has any: for a
 * bare pattern the role's and the playbook's {@code files/}, then their top; for a pattern with a
 * directory, that directory as the search path finds it. Sorted by name (Python's glob gives
 * the directory's order).
 */
final class Fileglob implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            String term = Py.str(t);
            int slash = term.lastIndexOf('/');
            String pattern = term.substring(slash + 1);
            List<Path> dirs = new ArrayList<>();
            if (slash >= 0) {
                Path d = SearchPath.locate(slash == 0 ? "/" : term.substring(0, slash), "files");
                if (d != null) {
                    dirs.add(d);
                }
            } else {
                for (Path base : SearchPath.bases()) {
                    dirs.add(base.resolve("files"));
                    dirs.add(base);
                }
            }
            for (Path d : dirs) {
                List<String> found = glob(d, pattern);
                if (!found.isEmpty()) {
                    out.addAll(found);
                    break;
                }
            }
        }
        return out;
    }

    private static List<String> glob(Path dir, String pattern) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, pattern)) {
            for (Path p : ds) {
                // Python's glob skips hidden names unless the pattern starts with a dot
                if (Files.isRegularFile(p) && (pattern.startsWith(".") || !p.getFileName().toString().startsWith("."))) {
                    out.add(p.toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
