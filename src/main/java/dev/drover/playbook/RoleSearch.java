package dev.drover.playbook;

import dev.drover.yaml.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a role is, as Ansible 2.14 looks for it: a collection's role by its full name, then
 * {@code roles/} beside the playbook, the roles path, the directory of the role that needs it
 * (for a dependency), the playbook's directory, the name as a path.
 */
final class RoleSearch {
    private RoleSearch() {
    }


    /** Ansible's role search path for a name: where it looks, in order. */
    static List<Path> searchPath(Path playDir, Path roleBaseDir) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(playDir.resolve("roles"));
        // roles_path of ansible.cfg / ANSIBLE_ROLES_PATH (default ~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles)
        for (String p : dev.drover.config.Settings.current().rolesPath()) {
            if (!p.isBlank()) {
                dirs.add(Path.of(p));
            }
        }
        if (roleBaseDir != null) {
            dirs.add(roleBaseDir);
        }
        dirs.add(playDir);
        return dirs;
    }

    private static String expandHome(String p) {
        return p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
    }

    /** {@code namespace.collection.role}: a role of a collection. */
    static final java.util.regex.Pattern FQCR =
            java.util.regex.Pattern.compile("[A-Za-z_]\\w*\\.[A-Za-z_]\\w*\\.[A-Za-z_]\\w*");

    /**
     * Where collections are, as Ansible 2.14 searches them: {@code collections/} beside the
     * playbook, {@code ANSIBLE_COLLECTIONS_PATH} (or {@code _PATHS}; default
     * {@code ~/.ansible/collections:/usr/share/ansible/collections}), then Python's
     * dist-packages (where Debian's {@code ansible} package puts the community collections).
     */
    static List<Path> collectionRoots(Path playDir) {
        List<Path> roots = new ArrayList<>();
        roots.add(playDir.resolve("collections"));
        // collections_path(s) of ansible.cfg / ANSIBLE_COLLECTIONS_PATH(S)
        for (String p : dev.drover.config.Settings.current().collectionsPath()) {
            if (!p.isBlank()) {
                roots.add(Path.of(p));
            }
        }
        roots.add(Path.of("/usr/lib/python3/dist-packages"));
        return roots;
    }

    /** A collection's role ({@code ns.coll.role}), or null. */
    static Path collectionRole(String name, Path playDir) {
        if (!FQCR.matcher(name).matches()) {
            return null;
        }
        String[] p = name.split("\\.");
        for (Path root : collectionRoots(playDir)) {
            Path c = root.resolve("ansible_collections").resolve(p[0]).resolve(p[1]).resolve("roles").resolve(p[2]);
            if (Files.isDirectory(c)) {
                return c.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /** The role's name as Ansible shows it: as written, or the base name of a role given as a path. */
    static String roleName(String name, Path playDir, Path roleBaseDir, Path found) {
        if (found.equals(collectionRole(name, playDir))) {
            return name;
        }
        for (Path d : searchPath(playDir, roleBaseDir)) {
            if (Files.isDirectory(d.resolve(name))) {
                return name;
            }
        }
        return found.getFileName().toString();
    }

    /** The role's directory, or an error naming where drover looked, with a did-you-mean. */
    public static Path find(String name, Path playDir, Path roleBaseDir, Location where) throws PlaybookException {
        try {
            return search(name, playDir, roleBaseDir, where);
        } catch (java.nio.file.InvalidPathException e) {
            throw new PlaybookException(where, "the role name '" + name + "' is not a valid path: " + e.getReason());
        }
    }

    private static Path search(String name, Path playDir, Path roleBaseDir, Location where) throws PlaybookException {
        Path inCollection = collectionRole(name, playDir);
        if (inCollection != null) {
            return inCollection;
        }
        List<Path> dirs = searchPath(playDir, roleBaseDir);
        for (Path d : dirs) {
            Path c = d.resolve(name).normalize();
            if (Files.isDirectory(c)) {
                return c.toAbsolutePath().normalize();
            }
        }
        Path asPath = Path.of(expandHome(name));
        if (Files.isDirectory(asPath)) {
            return asPath.toAbsolutePath().normalize();
        }
        Set<String> known = new LinkedHashSet<>();
        for (Path d : dirs) {
            if (!d.equals(playDir) && Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(Files::isDirectory).forEach(p -> known.add(p.getFileName().toString()));
                } catch (IOException | RuntimeException e) {
                    // unreadable: nothing to suggest from it
                }
            }
        }
        throw new PlaybookException(where, "the role '" + name + "' was not found in "
                + String.join(":", dirs.stream().map(Path::toString).toList()) + Suggestions.didYouMean(name, known));
    }
}
