package dev.drover.playbook;

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
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds and reads roles as Ansible 2.14 does: the search path, {@code meta/main.yml}
 * ({@code dependencies}, {@code allow_duplicates}; {@code galaxy_info} and other keys ignored),
 * defaults/vars (or {@code *_from} files), and the block a use of a role runs: its dependencies'
 * blocks, then its tasks, in the role's scope. One {@link Role} per role and parameters per play
 * ({@link PlayRoles} is the cache), so a role listed twice with the same parameters is one role.
 */
public final class RoleLoader {
    /** The arguments include_role/import_role accept (Ansible's IncludeRole.VALID_ARGS). */
    public static final Set<String> INCLUDE_ARGS = Set.of("name", "role", "tasks_from", "vars_from", "defaults_from",
            "handlers_from", "apply", "public", "allow_duplicates", "rolespec_validate");

    private final PlaybookLoader loader;

    RoleLoader(PlaybookLoader loader) {
        this.loader = loader;
    }

    /**
     * A use of a role, as written.
     *
     * @param keywords  the entry's keywords (when, tags, vars, become…), which scope the role
     * @param fromFiles {@code tasks}/{@code vars}/{@code defaults}/{@code handlers} → file name
     * @param allowDuplicates for include_role/import_role: its {@code allow_duplicates} (null: the role's meta)
     */
    public record Use(String name, Map<String, Object> params, Map<String, Object> keywords,
                      Map<String, String> fromFiles, boolean fromInclude, Boolean allowDuplicates, Location where,
                      boolean validateSpec) {
        public Use(String name, Map<String, Object> params, Map<String, Object> keywords, Map<String, String> fromFiles,
                   boolean fromInclude, Boolean allowDuplicates, Location where) {
            this(name, params, keywords, fromFiles, fromInclude, allowDuplicates, where, true);
        }
    }

    /** Loads a role (or takes it from the play's cache) with its dependencies. */
    public Role load(Use use, PlayRoles roles, Path playDir, Path roleBaseDir) throws PlaybookException {
        try {
            return load(use, roles, playDir, roleBaseDir, new ArrayList<>());
        } catch (java.nio.file.InvalidPathException e) {
            throw new PlaybookException(use.where(), "a role file name is not a valid path: " + e.getMessage());
        }
    }

    private Role load(Use use, PlayRoles roles, Path playDir, Path roleBaseDir, List<Role> loadingChain)
            throws PlaybookException {
        if (Templated.is(use.name())) {
            throw new PlaybookException(use.where(), "the role name '" + use.name()
                    + "' is templated; drover needs a literal role name here (or use include_role with a name"
                    + " known at run time)");
        }
        Path path = RoleSearch.find(use.name(), playDir, roleBaseDir, use.where());
        String name = RoleSearch.roleName(use.name(), playDir, roleBaseDir, path);
        String key = key(name, use); // Ansible's role cache is keyed by the role's name, not its path
        Role cached = roles.cached(key);
        if (cached != null) {
            return cached;
        }
        for (Role r : loadingChain) {
            if (r.path().equals(path)) {
                List<String> names = new ArrayList<>(loadingChain.stream().map(Role::name).toList());
                names.add(name);
                throw new PlaybookException(use.where(), "A recursion loop was detected with the roles specified."
                        + " Make sure child roles do not have dependencies on parent roles (" + String.join(" -> ", names) + ")");
            }
        }
        Map<String, String> from = use.fromFiles();
        Map<String, Object> defaults = vars(path, "defaults", from.get("defaults"), name, use.where());
        Map<String, Object> vars = vars(path, "vars", from.get("vars"), name, use.where());
        Map<String, Object> meta = meta(path, name);
        boolean allowDuplicates = use.allowDuplicates() != null ? use.allowDuplicates()
                : Boolean.TRUE.equals(Keywords.toBool(meta.get("allow_duplicates")));
        // a stand-in while the dependencies load, so a cycle is seen by path
        Map<String, Object> entryVars = entryVars(use.keywords().get("vars"));
        Role loading = new Role(name, path, defaults, vars, use.params(), List.of(), allowDuplicates,
                use.fromInclude(), from, entryVars, use.validateSpec());
        loadingChain.add(loading);
        List<Role.Dependency> deps = new ArrayList<>();
        Object depList = meta.get("dependencies");
        if (depList != null) {
            List<Location> where = dependencyLocations(metaFile(path));
            Location metaWhere = where.get(0);
            if (!(depList instanceof List<?> l)) {
                throw new PlaybookException(metaWhere, "Expected role dependencies to be a list.");
            }
            for (int i = 0; i < l.size(); i++) {
                Object entry = l.get(i);
                Use dep = qualify(dependency(entry, i + 1 < where.size() ? where.get(i + 1) : metaWhere), path);
                Role d = load(dep, roles, playDir, path.getParent(), loadingChain);
                deps.add(new Role.Dependency(d, dep.keywords(), dep.where()));
            }
        }
        loadingChain.remove(loadingChain.size() - 1);
        Role role = new Role(name, path, defaults, vars, use.params(), deps, allowDuplicates, use.fromInclude(), from,
                entryVars, use.validateSpec());
        roles.cache(key, role);
        return role;
    }

    /**
     * The block one use of a role runs, in {@code scope} (the entry's keywords over the enclosing
     * scope, with the role): each dependency's block (in a scope of its entry's keywords below this
     * one, so the role's when/tags reach its dependencies, as Ansible's dependency chain does),
     * then the role's tasks. The role's handlers (its dependencies' first) go to {@code handlers}
     * the first time the role is used in the play.
     */
    public Block block(Role role, Scope scope, Location where, PlayRoles roles, List<Task> handlers,
                       PlaybookLoader.Context ctx) throws PlaybookException {
        try {
            return roleBlock(role, scope, where, roles, handlers, ctx);
        } catch (java.nio.file.InvalidPathException e) {
            throw new PlaybookException(where, "a role file name is not a valid path: " + e.getMessage());
        }
    }

    private Block roleBlock(Role role, Scope scope, Location where, PlayRoles roles, List<Task> handlers,
                            PlaybookLoader.Context ctx) throws PlaybookException {
        List<TaskNode> body = new ArrayList<>();
        for (Role.Dependency d : role.dependencies()) {
            body.add(roleBlock(d.role(), scope.childForRole(d.keywords(), d.role()), d.location(), roles, handlers, ctx));
        }
        Task validation = role.validateSpec() ? specTask(role, scope) : null;
        if (validation != null) {
            body.add(validation);
        }
        Path tasks = file(role, "tasks", role.fromFiles().get("tasks"), where);
        if (tasks != null) {
            body.addAll(loader.tasksFile(tasks, scope, false, ctx));
        }
        if (roles.firstHandlers(role)) {
            Path h = file(role, "handlers", role.fromFiles().get("handlers"), where);
            if (h != null) {
                for (TaskNode n : loader.tasksFile(h, scope, true, ctx)) {
                    PlaybookLoader.flattenHandlers(n, handlers);
                }
            }
        }
        return new Block(ROLE_BLOCK + role.name(), body, List.of(), List.of(), scope, where);
    }

    /**
     * The task Ansible puts before a role's tasks when {@code meta/argument_specs.yml} (or
     * {@code argument_specs} in meta/main.yml) describes the role's entry point: a
     * validate_argument_spec of the role's parameters, tagged {@code always}. Null without one.
     */
    @SuppressWarnings("unchecked")
    private static Task specTask(Role role, Scope scope) throws PlaybookException {
        Path specFile = null;
        Object specs = null;
        for (String n : List.of("argument_specs.yml", "argument_specs.yaml")) {
            Path p = role.path().resolve("meta").resolve(n);
            if (Files.isRegularFile(p)) {
                specFile = p;
                specs = loadData(p) instanceof Map<?, ?> m ? m.get("argument_specs") : null;
                break;
            }
        }
        if (specFile == null) {
            specFile = metaFile(role.path());
            specs = meta(role.path(), role.name()).get("argument_specs");
        }
        String entry = role.fromFiles().getOrDefault("tasks", "main");
        if (!(specs instanceof Map<?, ?> all) || !(all.get(entry) instanceof Map<?, ?> spec)) {
            return null;
        }
        String name = "Validating arguments against arg spec '" + entry + "'"
                + (spec.get("short_description") != null ? " - " + spec.get("short_description") : "");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("argument_spec", spec.get("options") instanceof Map<?, ?> o ? o : Map.of());
        args.put("provided_arguments", role.params());
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("type", "role");
        context.put("name", role.name());
        context.put("argument_spec_name", entry);
        context.put("path", role.path().toString());
        args.put("validate_args_context", context);
        Location where = Location.of(specFile.toString());
        Map<String, Object> kw = new LinkedHashMap<>();
        kw.put("name", name);
        kw.put("tags", List.of("always"));
        return new Task(name, "validate_argument_spec", args, Map.of(), scope.child(kw), where, where, specFile, false);
    }

    /** The name prefix of the block a use of a role runs (the block whose scope brings the role). */
    public static final String ROLE_BLOCK = "role ";

    /** True for the block that runs one use of a role (its dependencies and its tasks). */
    public static boolean isRoleBlock(Block b) {
        Role r = b.scope().role();
        return r != null && b.name() != null && b.name().equals(ROLE_BLOCK + r.name())
                && (b.scope().parent() == null || b.scope().parent().role() != r);
    }

    /**
     * The include_role/import_role arguments as a {@link Use} (with the include's keywords); the
     * {@code *_from} values are taken as Ansible 2.14 does (their base name).
     */
    public static Use includeUse(String action, Map<String, Object> args, Map<String, Object> keywords,
                                 Location where) throws PlaybookException {
        for (String k : args.keySet()) {
            if (!INCLUDE_ARGS.contains(k)) {
                throw new PlaybookException(where, "Invalid options for " + action + ": " + k
                        + Suggestions.didYouMean(k, INCLUDE_ARGS));
            }
        }
        Object name = args.containsKey("name") ? args.get("name") : args.get("role");
        if (name == null) {
            throw new PlaybookException(where, "'name' is a required field for " + action + ".");
        }
        if (action.equals("import_role") && args.containsKey("public")) {
            throw new PlaybookException(where, "Invalid options for import_role: public");
        }
        if (action.equals("import_role") && args.get("apply") != null) {
            throw new PlaybookException(where, "Invalid options for import_role: apply");
        }
        if (args.get("apply") != null && !(args.get("apply") instanceof Map)) {
            throw new PlaybookException(where, "Expected a dict for apply but got " + pyType(args.get("apply")) + " instead");
        }
        Map<String, String> from = new LinkedHashMap<>();
        for (String k : List.of("tasks_from", "vars_from", "defaults_from", "handlers_from")) {
            Object v = args.get(k);
            if (v == null) {
                continue;
            }
            if (!(v instanceof String s)) {
                throw new PlaybookException(where, "Expected a string for " + k + " but got " + pyType(v) + " instead");
            }
            String base = s.endsWith("/") ? "" : s.substring(s.lastIndexOf('/') + 1); // Python's basename
            from.put(k.substring(0, k.length() - "_from".length()), base);
        }
        Object dup = args.get("allow_duplicates");
        Boolean allow = dup == null ? Boolean.TRUE : Keywords.toBool(dup);
        // Ansible's role cache keys an included role by its name, the include's vars and from-files
        Map<String, Object> kw = new LinkedHashMap<>();
        if (keywords.get("vars") != null) {
            kw.put("vars", keywords.get("vars"));
        }
        Object validate = args.get("rolespec_validate");
        boolean validateSpec = validate == null || !Boolean.FALSE.equals(Keywords.toBool(validate));
        return new Use(String.valueOf(name), Map.of(), kw, from, true, allow == null || allow, where, validateSpec);
    }

    /** An entry's {@code vars:} (a mapping, or a list of mappings merged) as a mapping. */
    private static Map<String, Object> entryVars(Object v) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object part : v instanceof List<?> l ? l : v == null ? List.of() : List.of(v)) {
            if (part instanceof Map<?, ?> m) {
                m.forEach((k, val) -> out.put(String.valueOf(k), val));
            }
        }
        return out;
    }

    private static String pyType(Object v) {
        return v instanceof List ? "<class 'list'>" : v instanceof Map ? "<class 'dict'>"
                : v instanceof Boolean ? "<class 'bool'>" : v instanceof Number ? "<class 'int'>" : "<class 'str'>";
    }

    /** A role entry of a play's {@code roles:} or a meta dependency: a name, or a mapping. */
    @SuppressWarnings("unchecked")
    static Use entry(Object entry, Location where, Map<String, Object> keywordsOut) throws PlaybookException {
        if (entry instanceof String || entry instanceof Number) {
            return new Use(String.valueOf(entry), Map.of(), Map.of(), Map.of(), false, null, where);
        }
        if (!(entry instanceof Map<?, ?> m)) {
            throw new PlaybookException(where, "a role must be a name or a mapping with 'role: NAME'");
        }
        Object rn = m.containsKey("role") ? m.get("role") : m.get("name");
        if (rn == null && m.get("src") != null) {
            rn = nameFromSrc(String.valueOf(m.get("src")));
        }
        if (rn == null) {
            throw new PlaybookException(where, "role definitions must contain a role name");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, Object> kw = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = String.valueOf(e.getKey());
            if (k.equals("role") || k.equals("name") || (k.equals("src") && !m.containsKey("role"))) {
                continue;
            }
            if (Keywords.ROLE_ENTRY.contains(k)) {
                kw.put(k, e.getValue());
            } else {
                params.put(k, e.getValue());
            }
        }
        keywordsOut.putAll(kw);
        return new Use(String.valueOf(rn), params, kw, Map.of(), false, null, where);
    }

    private static Use dependency(Object entry, Location where) throws PlaybookException {
        return entry(entry, where, new LinkedHashMap<>());
    }

    /** ansible-galaxy's name for a {@code src:} (a URL, {@code user.role}, or {@code src,version,name}). */
    private static String nameFromSrc(String src) {
        String[] parts = src.split(",");
        if (parts.length >= 3 && !parts[2].isBlank()) {
            return parts[2].trim();
        }
        String s = parts[0].trim();
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        s = s.substring(s.lastIndexOf('/') + 1);
        for (String ext : List.of(".git", ".tar.gz", ".tgz", ".tar")) {
            if (s.endsWith(ext)) {
                s = s.substring(0, s.length() - ext.length());
            }
        }
        return s;
    }

    private static String key(String name, Use use) {
        Map<String, Object> k = new TreeMap<>();
        k.put("params", canonical(use.params()));
        for (String kw : List.of("when", "tags", "vars")) {
            if (use.keywords().containsKey(kw)) {
                k.put(kw, canonical(use.keywords().get(kw)));
            }
        }
        k.put("from", canonical(use.fromFiles()));
        k.put("include", use.fromInclude());
        k.put("dup", String.valueOf(use.allowDuplicates()));
        return name + "\u0000" + k;
    }

    /** A text of a value that does not depend on the order of mapping keys (Ansible hashes frozensets). */
    private static String canonical(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, String> sorted = new TreeMap<>();
            m.forEach((a, b) -> sorted.put(String.valueOf(a), canonical(b)));
            return sorted.toString();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(RoleLoader::canonical).toList().toString();
        }
        return v == null ? "None" : v.getClass().getSimpleName() + ":" + v;
    }

    /**
     * A short role name used inside a collection's role means, first, a role of the same
     * collection (Ansible searches the owner's collection first).
     */
    public static Use qualify(Use use, Path ownerPath) {
        if (ownerPath == null || RoleSearch.FQCR.matcher(use.name()).matches()) {
            return use;
        }
        String coll = new Role("", ownerPath, Map.of(), Map.of(), Map.of()).collection();
        if (coll == null || !Files.isDirectory(ownerPath.getParent().resolve(use.name()))) {
            return use;
        }
        return new Use(coll + "." + use.name(), use.params(), use.keywords(), use.fromFiles(), use.fromInclude(),
                use.allowDuplicates(), use.where(), use.validateSpec());
    }

    // ------------------------------------------------------------------ files

    /** A role's file in {@code subdir}: main.yml/.yaml/.json/main, or the {@code *_from} name (with or without extension). */
    static Path file(Role role, String subdir, String from, Location where) throws PlaybookException {
        Path dir = role.path().resolve(subdir);
        List<String> names = new ArrayList<>();
        if (from == null) {
            for (String ext : List.of(".yml", ".yaml", ".json", "")) {
                names.add("main" + ext);
            }
        } else {
            for (String ext : List.of("", ".yml", ".yaml", ".json")) {
                names.add(from + ext);
            }
        }
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        if (from != null) {
            throw new PlaybookException(where != null ? where : Location.of(role.path().toString()),
                    "Could not find specified file in role: " + subdir + "/" + from);
        }
        return null;
    }

    private static Path metaFile(Path rolePath) {
        for (String ext : List.of(".yml", ".yaml", ".json", "")) {
            Path p = rolePath.resolve("meta").resolve("main" + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Where meta/main.yml's {@code dependencies} is (first), then where each of its entries is. */
    private static List<Location> dependencyLocations(Path metaFile) throws PlaybookException {
        List<Location> out = new ArrayList<>();
        out.add(Location.of(metaFile.toString()));
        org.snakeyaml.engine.v2.nodes.Node root;
        try {
            root = YamlLoader.composeFile(metaFile);
        } catch (YamlException e) {
            throw new PlaybookException(e.location(), e.getMessage());
        }
        if (root instanceof org.snakeyaml.engine.v2.nodes.MappingNode m) {
            for (org.snakeyaml.engine.v2.nodes.NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof org.snakeyaml.engine.v2.nodes.ScalarNode k && k.getValue().equals("dependencies")) {
                    out.set(0, YamlLoader.location(t.getValueNode()));
                    if (t.getValueNode() instanceof org.snakeyaml.engine.v2.nodes.SequenceNode seq) {
                        seq.getValue().forEach(n -> out.add(YamlLoader.location(n)));
                    }
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> meta(Path rolePath, String name) throws PlaybookException {
        Path p = metaFile(rolePath);
        if (p == null) {
            return Map.of();
        }
        Object data = loadData(p);
        if (data == null) {
            return Map.of();
        }
        if (!(data instanceof Map)) {
            throw new PlaybookException(Location.of(p.toString()), "the 'meta/main.yml' for role " + name + " is not a dictionary");
        }
        return (Map<String, Object>) data;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> vars(Path rolePath, String subdir, String from, String name, Location where)
            throws PlaybookException {
        Role probe = new Role(name, rolePath, Map.of(), Map.of(), Map.of());
        Path dir = rolePath.resolve(subdir);
        Map<String, Object> out = new LinkedHashMap<>();
        // vars/main/ (or defaults/main/) as a directory: its files merged, in name order
        Path asDir = dir.resolve(from == null ? "main" : from);
        if (Files.isDirectory(asDir)) {
            try (Stream<Path> s = Files.list(asDir)) {
                for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                    putVars(out, f, subdir, name);
                }
            } catch (IOException e) {
                throw new PlaybookException(Location.of(asDir.toString()), "cannot read " + asDir + ": " + e.getMessage());
            }
            return out;
        }
        Path f = file(probe, subdir, from, where);
        if (f != null) {
            putVars(out, f, subdir, name);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void putVars(Map<String, Object> out, Path f, String subdir, String name) throws PlaybookException {
        Object data = loadData(f);
        if (data == null) {
            return;
        }
        if (!(data instanceof Map)) {
            throw new PlaybookException(Location.of(f.toString()), "The " + subdir + "/main.yml file for role '" + name
                    + "' must contain a dictionary of variables");
        }
        out.putAll((Map<String, Object>) data);
    }

    private static Object loadData(Path p) throws PlaybookException {
        try {
            return YamlLoader.loadData(p);
        } catch (YamlException e) {
            throw new PlaybookException(e.location(), e.getMessage());
        }
    }

    /** Whether a text holds a Jinja expression (the playbook package has no templar). */
    static final class Templated {
        static boolean is(String s) {
            return s != null && (s.contains("{{") || s.contains("{%"));
        }
    }
}
