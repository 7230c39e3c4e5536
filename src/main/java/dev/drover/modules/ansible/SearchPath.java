package dev.drover.modules.ansible;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where Ansible looks for modules, module_utils and collections, in its order (2.14):
 * library dirs ({@code ANSIBLE_LIBRARY}, the playbook's {@code library/}, each role's
 * {@code library/}); collection roots (the playbook's {@code collections/},
 * {@code ANSIBLE_COLLECTIONS_PATHS}/{@code ANSIBLE_COLLECTIONS_PATH} or
 * {@code ~/.ansible/collections:/usr/share/ansible/collections}, then the Python path that holds
 * ansible, e.g. Debian's {@code /usr/lib/python3/dist-packages/ansible_collections}); module_utils
 * dirs ({@code ANSIBLE_MODULE_UTILS}, the playbook's and each role's {@code module_utils/}).
 */
public record SearchPath(List<Path> libraries, List<Path> collectionRoots, List<Path> moduleUtils) {

    public SearchPath {
        libraries = List.copyOf(libraries);
        collectionRoots = List.copyOf(collectionRoots);
        moduleUtils = List.copyOf(moduleUtils);
    }

    /**
     * The search path of a run.
     *
     * @param playbookDir the playbook's directory
     * @param roleDirs    the directories of the roles the playbook uses (their library/ and module_utils/)
     */
    public static SearchPath of(Path playbookDir, List<Path> roleDirs, Map<String, String> env, AnsibleInstall install) {
        String home = System.getProperty("user.home");
        Set<Path> libs = new LinkedHashSet<>();
        for (String d : paths(env.get("ANSIBLE_LIBRARY"), "~/.ansible/plugins/modules:/usr/share/ansible/plugins/modules", home)) {
            libs.add(Path.of(d));
        }
        Set<Path> utils = new LinkedHashSet<>();
        for (String d : paths(env.get("ANSIBLE_MODULE_UTILS"),
                "~/.ansible/plugins/module_utils:/usr/share/ansible/plugins/module_utils", home)) {
            utils.add(Path.of(d));
        }
        if (playbookDir != null) {
            libs.add(playbookDir.resolve("library"));
            utils.add(playbookDir.resolve("module_utils"));
        }
        for (Path r : roleDirs) {
            libs.add(r.resolve("library"));
            utils.add(r.resolve("module_utils"));
        }
        Set<Path> roots = new LinkedHashSet<>();
        if (playbookDir != null) {
            roots.add(playbookDir.resolve("collections").resolve("ansible_collections"));
        }
        String configured = env.get("ANSIBLE_COLLECTIONS_PATHS") != null ? env.get("ANSIBLE_COLLECTIONS_PATHS")
                : env.get("ANSIBLE_COLLECTIONS_PATH");
        for (String d : paths(configured, "~/.ansible/collections:/usr/share/ansible/collections", home)) {
            Path p = Path.of(d);
            roots.add(p.getFileName() != null && p.getFileName().toString().equals("ansible_collections")
                    ? p : p.resolve("ansible_collections"));
        }
        if (install != null && !"false".equalsIgnoreCase(env.getOrDefault("ANSIBLE_COLLECTIONS_SCAN_SYS_PATH", "true"))) {
            roots.add(install.sitePackages().resolve("ansible_collections"));
        }
        return new SearchPath(existing(libs), existing(roots), existing(utils));
    }

    private static List<String> paths(String configured, String fallback, String home) {
        List<String> out = new ArrayList<>();
        for (String d : (configured == null ? fallback : configured).split(":")) {
            if (d.isBlank()) {
                continue;
            }
            out.add(d.startsWith("~/") ? home + d.substring(1) : d.equals("~") ? home : d);
        }
        return out;
    }

    private static List<Path> existing(Set<Path> dirs) {
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            Path abs = d.toAbsolutePath().normalize();
            if (Files.isDirectory(abs) && !out.contains(abs)) {
                out.add(abs);
            }
        }
        return out;
    }
}
