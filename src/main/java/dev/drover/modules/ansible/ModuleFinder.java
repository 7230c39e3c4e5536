package dev.drover.modules.ansible;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds an Ansible module by the name a task gives, as Ansible 2.14's module loader does: a short
 * or {@code ansible.legacy.} name in the library dirs, then in ansible.builtin; {@code ns.coll.mod}
 * in the first collection root that holds {@code ns/coll}; the routing of
 * {@code ansible_builtin_runtime.yml} and {@code meta/runtime.yml} (redirects, tombstones,
 * deprecations) on the way. A module whose controller side is an action plugin
 * ({@code plugins/action/NAME.py}) is refused: Ansible runs that part in its own process.
 */
public final class ModuleFinder {
    private static final int MAX_REDIRECTS = 10;
    private final AnsibleInstall install;
    private final SearchPath path;
    private final Routing routing = new Routing();

    public ModuleFinder(AnsibleInstall install, SearchPath path) {
        this.install = install;
        this.path = path;
    }

    public SearchPath searchPath() {
        return path;
    }

    public AnsibleInstall install() {
        return install;
    }

    public Resolution resolve(String name) {
        return resolve(name, name, new ArrayList<>(), 0);
    }

    private Resolution resolve(String asked, String name, List<String> warnings, int depth) {
        if (depth > MAX_REDIRECTS) {
            return new Resolution.Refused(asked, "its redirects loop (" + name + ")");
        }
        String[] parts = name.split("\\.", 3);
        if (parts.length < 3) {
            return legacy(asked, name, warnings, depth);
        }
        String collection = parts[0] + "." + parts[1];
        if (collection.equals("ansible.legacy")) {
            return legacy(asked, parts[2], warnings, depth);
        }
        if (collection.equals("ansible.builtin")) {
            return builtin(asked, parts[2], warnings, depth);
        }
        return inCollection(asked, parts[0], parts[1], parts[2], warnings, depth);
    }

    private Resolution legacy(String asked, String name, List<String> warnings, int depth) {
        for (Path lib : path.libraries()) {
            Optional<Path> f = moduleFile(lib, name);
            if (f.isPresent()) {
                return new Resolution.Found(asked, "ansible.legacy." + name, f.get(), "library " + lib, warnings);
            }
        }
        return builtin(asked, name, warnings, depth);
    }

    private Resolution builtin(String asked, String name, List<String> warnings, int depth) {
        String fqcn = "ansible.builtin." + name;
        Path action = install.builtinActions().resolve(name + ".py");
        if (!name.equals("normal") && Files.isRegularFile(action)) {
            return actionPlugin(asked, fqcn, action);
        }
        Path module = install.builtinModules().resolve(name + ".py");
        if (Files.isRegularFile(module) && !name.startsWith("_")) {
            return new Resolution.Found(asked, fqcn, module, "ansible.builtin", warnings);
        }
        return routed(asked, fqcn, install.builtinRuntime(), name, warnings, depth);
    }

    private Resolution inCollection(String asked, String ns, String coll, String name, List<String> warnings, int depth) {
        String fqcn = ns + "." + coll + "." + name;
        Optional<Path> dir = collectionDir(ns, coll);
        if (dir.isEmpty()) {
            return new Resolution.Missing(asked);
        }
        Path runtime = dir.get().resolve("meta").resolve("runtime.yml");
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        Path action = dir.get().resolve("plugins").resolve("action").resolve(leaf + ".py");
        if (Files.isRegularFile(action)) {
            return actionPlugin(asked, fqcn, action);
        }
        Path modules = dir.get().resolve("plugins").resolve("modules");
        Optional<Path> file = moduleFile(modules.resolve(name.replace('.', '/')).getParent(), leaf);
        if (file.isPresent()) {
            Optional<Routing.Route> actionRoute = routing.action(runtime, name);
            if (actionRoute.isPresent() && actionRoute.get().redirect() != null) {
                return new Resolution.Refused(asked, "its controller side is the action plugin "
                        + actionRoute.get().redirect() + " (Ansible runs it on the controller); drover has no native version");
            }
            return new Resolution.Found(asked, fqcn, file.get(), "collection " + ns + "." + coll + " in "
                    + dir.get().getParent().getParent(), warnings);
        }
        return routed(asked, fqcn, runtime, name, warnings, depth);
    }

    private Resolution routed(String asked, String fqcn, Path runtime, String name, List<String> warnings, int depth) {
        Optional<Routing.Route> route = routing.module(runtime, name);
        if (route.isEmpty()) {
            return new Resolution.Missing(asked);
        }
        Routing.Route r = route.get();
        if (r.tombstone() != null) {
            return new Resolution.Refused(asked, fqcn + " " + r.tombstone());
        }
        List<String> w = new ArrayList<>(warnings);
        if (r.deprecation() != null) {
            w.add(fqcn + " " + r.deprecation());
        }
        if (r.redirect() == null) {
            return new Resolution.Missing(asked);
        }
        return resolve(asked, r.redirect(), w, depth + 1);
    }

    private static Resolution actionPlugin(String asked, String fqcn, Path action) {
        return new Resolution.Refused(asked, "its controller side is an action plugin (" + action
                + "): Ansible runs it on the controller, and drover has no native version of " + fqcn);
    }

    /** The first collection root that holds {@code ns/coll}. */
    private Optional<Path> collectionDir(String ns, String coll) {
        for (Path root : path.collectionRoots()) {
            Path d = root.resolve(ns).resolve(coll);
            if (Files.isDirectory(d)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** {@code NAME.py}, {@code NAME} or {@code NAME.<ext>} in a directory, as Ansible's loader matches them. */
    static Optional<Path> moduleFile(Path dir, String name) {
        if (dir == null || !Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Path py = dir.resolve(name + ".py");
        if (Files.isRegularFile(py)) {
            return Optional.of(py);
        }
        Path bare = dir.resolve(name);
        if (Files.isRegularFile(bare)) {
            return Optional.of(bare);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && stem(p).equals(name) && !ignored(p)).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String stem(Path p) {
        String f = p.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot <= 0 ? f : f.substring(0, dot);
    }

    private static boolean ignored(Path p) {
        String f = p.getFileName().toString();
        return f.endsWith(".pyc") || f.endsWith(".pyo") || f.endsWith(".md") || f.endsWith(".txt")
                || f.endsWith(".yml") || f.endsWith(".yaml") || f.endsWith(".ps1") || f.startsWith("_");
    }

    /**
     * Every module name on the search path, with how it resolves (for {@code drover modules} and
     * did-you-mean): library modules by short name, ansible.builtin by short and full name,
     * collection modules by FQCN. Reads directories only.
     */
    public Map<String, Resolution> all() {
        // seconds of directory walking and routing files: once per search path per process (a
        // syntax check of many playbooks, a fuzz, asks it for every unknown name)
        return LISTINGS.computeIfAbsent(path, p -> java.util.Collections.unmodifiableMap(list()));
    }

    private static final Map<SearchPath, Map<String, Resolution>> LISTINGS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Forgets the listings (the resident drover, between runs: a library directory may have changed). */
    public static void forgetListings() {
        LISTINGS.clear();
    }

    private Map<String, Resolution> list() {
        Map<String, Resolution> out = new TreeMap<>();
        for (Path lib : path.libraries()) {
            for (Path f : files(lib, false)) {
                String n = stem(f);
                out.putIfAbsent(n, new Resolution.Found(n, "ansible.legacy." + n, f, "library " + lib, List.of()));
            }
        }
        for (Path f : files(install.builtinModules(), false)) {
            String n = stem(f);
            out.putIfAbsent(n, builtin(n, n, List.of(), 0));
            out.put("ansible.builtin." + n, builtin("ansible.builtin." + n, n, List.of(), 0));
        }
        for (Path f : files(install.builtinActions(), false)) {
            String n = stem(f);
            if (!n.equals("normal") && !n.startsWith("_")) {
                out.putIfAbsent(n, builtin(n, n, List.of(), 0));
                out.put("ansible.builtin." + n, builtin("ansible.builtin." + n, n, List.of(), 0));
            }
        }
        for (Path root : path.collectionRoots()) {
            for (Path ns : dirs(root)) {
                for (Path coll : dirs(ns)) {
                    String prefix = ns.getFileName() + "." + coll.getFileName() + ".";
                    Path modules = coll.resolve("plugins").resolve("modules");
                    for (Path f : files(modules, true)) {
                        String rel = modules.relativize(f.getParent()).toString().replace('/', '.');
                        String fqcn = prefix + (rel.isEmpty() ? "" : rel + ".") + stem(f);
                        if (!out.containsKey(fqcn)) {
                            out.put(fqcn, resolve(fqcn));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<Path> files(Path dir, boolean recursive) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = recursive ? Files.walk(dir) : Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && !ignored(p) && !p.getFileName().toString().equals("__init__.py"))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<Path> dirs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("_")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
