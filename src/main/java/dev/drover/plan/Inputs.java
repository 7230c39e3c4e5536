package dev.drover.plan;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files a run reads from the controller, for a plan: every file below the playbook's directory
 * (its roles, templates, files, vars, group_vars; not .git), and the inventory files, the
 * configuration file and the {@code -e @file}s named — each by SHA-256. Applying a plan walks the
 * same roots again: any file changed, added or removed refuses the whole plan.
 */
public final class Inputs {
    private Inputs() {
    }

    /** The files below (or at) each root, path → sha256; {@code exclude}: the plan file itself, the journal. */
    public static Map<String, String> hash(Collection<Path> roots, java.util.Set<Path> exclude) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            if (Files.isRegularFile(root)) {
                out.put(root.toString(), Plan.sha256(Files.readAllBytes(root)));
                continue;
            }
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getFileName() != null && dir.getFileName().toString().equals(".git") && !dir.equals(root)
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile() && !exclude.contains(file)) {
                        out.put(file.toString(), Plan.sha256(Files.readAllBytes(file)));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // unreadable: not an input of the run
                }
            });
        }
        return out;
    }

    /** What differs between the plan's inputs and now: {@code M path}, {@code + path} (new), {@code - path} (gone). */
    public static List<String> changes(Map<String, String> planned, Map<String, String> now) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : planned.entrySet()) {
            String n = now.get(e.getKey());
            if (n == null) {
                out.add("- " + e.getKey());
            } else if (!n.equals(e.getValue())) {
                out.add("M " + e.getKey());
            }
        }
        for (String k : now.keySet()) {
            if (!planned.containsKey(k)) {
                out.add("+ " + k);
            }
        }
        return out;
    }
}
