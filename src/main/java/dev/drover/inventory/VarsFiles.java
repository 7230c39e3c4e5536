package dev.drover.inventory;

import dev.drover.yaml.Location;
import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * {@code group_vars/} and {@code host_vars/} files, found as Ansible's host_group_vars plugin finds
 * them: the first of {@code <name>}, {@code <name>.yml}, {@code <name>.yaml}, {@code <name>.json}
 * that exists; a directory contributes all its files (no extension or one of those), sorted,
 * recursively, skipping hidden files and backups ({@code ~}).
 */
final class VarsFiles {
    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    private final Map<Path, Map<String, Object>> cache = new ConcurrentHashMap<>();

    /** The variables of one entity from {@code base/subdir/}, merged in file order. */
    Map<String, Object> load(Path base, String subdir, String name) throws InventoryException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (base == null || name.startsWith("/")) {
            return out;
        }
        Path dir = base.resolve(subdir);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        for (Path f : find(dir, name)) {
            out.putAll(file(f));
        }
        return out;
    }

    private static List<Path> find(Path dir, String name) throws InventoryException {
        List<Path> found = new ArrayList<>();
        for (String ext : EXTENSIONS) {
            Path p = dir.resolve(name + ext);
            if (Files.exists(p)) {
                if (Files.isDirectory(p)) {
                    walk(p, found);
                } else {
                    found.add(p);
                }
                break;
            }
        }
        return found;
    }

    private static void walk(Path dir, List<Path> found) throws InventoryException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new InventoryException(Location.of(dir.toString()), "cannot list vars directory: " + e.getMessage());
        }
        for (Path p : entries) {
            String n = p.getFileName().toString();
            if (n.startsWith(".") || n.endsWith("~")) {
                continue;
            }
            String ext = extension(n);
            if (Files.isDirectory(p)) {
                if (ext.isEmpty()) {
                    walk(p, found);
                }
            } else if (Files.isRegularFile(p) && EXTENSIONS.contains(ext)) {
                found.add(p);
            }
        }
    }

    /** Python's os.path.splitext extension: from the last dot, unless the name only starts with dots. */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return "";
        }
        String head = name.substring(0, dot);
        if (head.chars().allMatch(c -> c == '.')) {
            return "";
        }
        return name.substring(dot);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> file(Path f) throws InventoryException {
        Path key = f.toAbsolutePath().normalize();
        Map<String, Object> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Object data;
        try {
            String text = YamlLoader.read(f); // decrypts a vault-encrypted file with the run's keyring
            List<org.snakeyaml.engine.v2.nodes.Node> docs = YamlLoader.compose(text, f.toString());
            data = docs.isEmpty() ? null : YamlLoader.toData(docs.get(0));
        } catch (YamlException e) {
            throw new InventoryException(e.location(), e.getMessage());
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        if (data instanceof Map<?, ?> m) {
            vars.putAll((Map<String, Object>) m);
        } else if (data != null && !"".equals(data) && !Boolean.FALSE.equals(data)
                && !(data instanceof List<?> l && l.isEmpty())) { // Ansible skips falsy file contents
            throw new InventoryException(new Location(f.toString(), 1, 1),
                    "a vars file must hold a mapping of variable names to values, got "
                            + (data instanceof List<?> ? "a list" : "'" + data + "'"));
        }
        cache.put(key, vars);
        return vars;
    }
}
