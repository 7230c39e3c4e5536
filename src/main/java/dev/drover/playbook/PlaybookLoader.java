package dev.drover.playbook;

import dev.drover.yaml.Location;
import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads playbooks, task files and roles into the model, keeping file:line:column for every task
 * and argument. Structural problems (unknown keywords, a task with two actions, a missing file)
 * are reported here; module names and parameters are checked by the engine's validator, which
 * knows the modules.
 */
public final class PlaybookLoader {
    private final RoleLoader roleLoader = new RoleLoader(this);

    /**
     * What loading tasks needs to know of the play they belong to: its roles (import_role adds to
     * them), its directory (the role search starts there) and where the handlers of imported roles go.
     */
    public record Context(PlayRoles roles, Path playDir, List<Task> handlers) {
    }

    /** The role loader, for include_role at run time. */
    public RoleLoader roles() {
        return roleLoader;
    }

    /** Reads a playbook, expanding import_playbook, import_tasks and roles. */
    public Playbook load(Path playbook) throws PlaybookException {
        Path file = playbook.toAbsolutePath().normalize();
        return new Playbook(file, loadPlays(file, new HashSet<>()));
    }

    private List<Play> loadPlays(Path file, Set<Path> seen) throws PlaybookException {
        if (!seen.add(file)) {
            throw new PlaybookException(Location.of(file.toString()), "import_playbook loop: " + file + " imports itself");
        }
        Node root = compose(file, Location.of(file.toString()));
        List<Play> plays = new ArrayList<>();
        if (root == null) {
            return plays;
        }
        if (!(root instanceof SequenceNode seq)) {
            throw new PlaybookException(YamlLoader.location(root),
                    "a playbook must be a list of plays, got " + kind(root));
        }
        for (Node n : seq.getValue()) {
            MappingNode m = mapping(n, "a play");
            Map<String, Node> keys = keys(m);
            Node imp = keys.containsKey("import_playbook") ? keys.get("import_playbook")
                    : keys.get("ansible.builtin.import_playbook");
            if (imp != null) {
                String target = scalarText(imp, "import_playbook");
                Path p = file.getParent().resolve(target).normalize();
                if (!Files.isRegularFile(p)) {
                    throw new PlaybookException(YamlLoader.location(imp), "import_playbook: file not found: " + p);
                }
                plays.addAll(loadPlays(p, seen));
                continue;
            }
            plays.add(loadPlay(m, keys, file));
        }
        seen.remove(file);
        return plays;
    }

    private Play loadPlay(MappingNode m, Map<String, Node> keys, Path file) throws PlaybookException {
        checkKeywords(m, Keywords.PLAY, "play");
        if (!keys.containsKey("hosts")) {
            throw new PlaybookException(YamlLoader.location(m), "the field 'hosts' is required but was not set");
        }
        Object hostsValue = YamlLoader.toData(keys.get("hosts"));
        String hosts = hostsValue instanceof List<?> l
                ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(hostsValue);
        Map<String, Object> kw = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : keys.entrySet()) {
            switch (e.getKey()) {
                case "tasks", "pre_tasks", "post_tasks", "handlers", "roles", "vars_files" -> {
                }
                case "vars" -> kw.put("vars", varsData(e.getValue()));
                default -> kw.put(e.getKey(), YamlLoader.toData(e.getValue()));
            }
        }
        Scope play = Scope.root(kw);
        Path dir = file.getParent();
        String name = keys.containsKey("name") ? String.valueOf(YamlLoader.toData(keys.get("name"))) : hosts;

        List<String> varsFiles = new ArrayList<>();
        if (keys.containsKey("vars_files")) {
            Object vf = YamlLoader.toData(keys.get("vars_files"));
            for (Object o : vf instanceof List<?> l ? l : List.of(vf)) {
                varsFiles.add(String.valueOf(o));
            }
        }
        PlayRoles playRoles = new PlayRoles();
        List<Task> handlers = new ArrayList<>();
        List<TaskNode> roleBlocks = new ArrayList<>();
        // Ansible loads roles: first (their handlers come first), then handlers:, then the tasks
        // (whose import_role handlers are appended to the play's)
        if (keys.containsKey("roles")) {
            Node rolesNode = keys.get("roles");
            if (!(rolesNode instanceof ScalarNode s && s.getValue().isEmpty())) {
                SequenceNode roles = sequence(rolesNode, "roles");
                Context roleCtx = new Context(playRoles, dir, handlers);
                for (Node r : roles.getValue()) {
                    roleBlocks.add(loadRole(r, play, roleCtx));
                }
            }
        }
        Context ctx = new Context(playRoles, dir, new ArrayList<>());
        for (TaskNode h : tasks(keys.get("handlers"), play, file, true, ctx)) {
            flattenHandlers(h, handlers);
        }
        List<TaskNode> pre = tasks(keys.get("pre_tasks"), play, file, false, ctx);
        List<TaskNode> tasks = new ArrayList<>(roleBlocks);
        tasks.addAll(tasks(keys.get("tasks"), play, file, false, ctx));
        List<TaskNode> post = tasks(keys.get("post_tasks"), play, file, false, ctx);
        handlers.addAll(ctx.handlers());
        return new Play(name, hosts, play, varsFiles, pre, tasks, post, handlers, dir, YamlLoader.location(m), playRoles);
    }

    static void flattenHandlers(TaskNode n, List<Task> out) {
        if (n instanceof Task t) {
            out.add(t);
        } else if (n instanceof Block b) {
            for (TaskNode c : b.block()) {
                flattenHandlers(c, out);
            }
        }
    }

    private Block loadRole(Node entry, Scope play, Context ctx) throws PlaybookException {
        if (!(entry instanceof ScalarNode) && !(entry instanceof MappingNode)) {
            throw new PlaybookException(YamlLoader.location(entry), "a role must be a name or a mapping, got " + kind(entry));
        }
        Map<String, Node> keys = entry instanceof MappingNode m ? keys(m) : Map.of();
        if (entry instanceof MappingNode m && !keys.containsKey("role") && !keys.containsKey("name") && !keys.containsKey("src")) {
            throw new PlaybookException(YamlLoader.location(m), "a role entry needs 'role: NAME'");
        }
        Location where = YamlLoader.location(entry);
        Map<String, Object> kw = new LinkedHashMap<>();
        RoleLoader.Use use = RoleLoader.entry(YamlLoader.toData(entry), where, kw);
        if (keys.containsKey("vars")) {
            kw.put("vars", varsData(keys.get("vars")));
        }
        Role role = roleLoader.load(use, ctx.roles(), ctx.playDir(), null);
        ctx.roles().export(role);
        return roleLoader.block(role, play.childForRole(kw, role), where, ctx.roles(), ctx.handlers(), ctx);
    }

    /** Reads a task file (for import_tasks, include_tasks, roles) with the given enclosing scope. */
    public List<TaskNode> tasksFile(Path file, Scope parent, boolean handlers) throws PlaybookException {
        return tasksFile(file, parent, handlers, null);
    }

    /**
     * Reads a task file in a play's context (so an {@code import_role} in it loads the role into
     * the play's roles); {@code ctx} may be null outside a play (import_role is then refused).
     */
    public List<TaskNode> tasksFile(Path file, Scope parent, boolean handlers, Context ctx) throws PlaybookException {
        Node root = compose(file, Location.of(file.toString()));
        if (root == null) {
            return List.of();
        }
        return tasks(root, parent, file, handlers, ctx);
    }

    private List<TaskNode> tasks(Node node, Scope parent, Path file, boolean handlers, Context ctx)
            throws PlaybookException {
        List<TaskNode> out = new ArrayList<>();
        if (node == null || (node instanceof ScalarNode s && s.getValue().isEmpty())) {
            return out;
        }
        SequenceNode seq = sequence(node, "a list of tasks");
        for (Node n : seq.getValue()) {
            out.addAll(taskOrBlock(mapping(n, "a task"), parent, file, handlers, ctx));
        }
        return out;
    }

    private List<TaskNode> taskOrBlock(MappingNode m, Scope parent, Path file, boolean handlers, Context ctx)
            throws PlaybookException {
        Map<String, Node> keys = keys(m);
        if (keys.containsKey("block")) {
            checkKeywords(m, Keywords.BLOCK, "block");
            Map<String, Object> kw = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : keys.entrySet()) {
                if (!Set.of("block", "rescue", "always").contains(e.getKey())) {
                    kw.put(e.getKey(), e.getKey().equals("vars") ? varsData(e.getValue()) : YamlLoader.toData(e.getValue()));
                }
            }
            Scope scope = parent.child(kw);
            String name = kw.containsKey("name") ? String.valueOf(kw.get("name")) : null;
            return List.of(new Block(name, tasks(keys.get("block"), scope, file, handlers, ctx),
                    tasks(keys.get("rescue"), scope, file, handlers, ctx),
                    tasks(keys.get("always"), scope, file, handlers, ctx), scope, YamlLoader.location(m)));
        }
        return List.of(task(m, keys, parent, file, handlers, ctx));
    }

    private TaskNode task(MappingNode m, Map<String, Node> keys, Scope parent, Path file, boolean handler,
                          Context ctx) throws PlaybookException {
        String action = null;
        Node actionKey = null;
        Node actionValue = null;
        Map<String, Object> kw = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            if (Keywords.TASK.contains(key) && !key.equals("action") && !key.equals("local_action")) {
                kw.put(key, key.equals("vars") ? varsData(t.getValueNode()) : YamlLoader.toData(t.getValueNode()));
            } else if (Keywords.isWithLoop(key)) {
                kw.put(key, YamlLoader.toData(t.getValueNode()));
            } else if (key.equals("rescue") || key.equals("always")) {
                throw new PlaybookException(YamlLoader.location(t.getKeyNode()),
                        "'" + key + "' is only valid in a block, next to 'block:'");
            } else {
                if (action != null) {
                    // a misspelt keyword looks like a second action: say which, if it is a near typo
                    String hint = Suggestions.didYouMeanTypo(key, Keywords.TASK);
                    if (hint.isEmpty()) {
                        hint = Suggestions.didYouMeanTypo(action, Keywords.TASK);
                    }
                    throw new PlaybookException(YamlLoader.location(t.getKeyNode()),
                            "conflicting action statements: " + action + ", " + key + "." + hint);
                }
                action = key;
                actionKey = t.getKeyNode();
                actionValue = t.getValueNode();
            }
        }
        if (action == null) {
            throw new PlaybookException(YamlLoader.location(m),
                    "no module/action detected in task" + (kw.containsKey("name") ? " '" + kw.get("name") + "'" : ""));
        }
        Map<String, Object> args = new LinkedHashMap<>();
        Map<String, Location> argLocations = new LinkedHashMap<>();
        if (action.equals("action") || action.equals("local_action")) {
            if (action.equals("local_action")) {
                kw.put("delegate_to", "localhost");
            }
            Object v = YamlLoader.toData(actionValue);
            if (v instanceof Map<?, ?> map) {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((k, val) -> copy.put(String.valueOf(k), val));
                Object module = copy.remove("module");
                if (module == null) {
                    throw new PlaybookException(YamlLoader.location(actionValue), action + " needs 'module:'");
                }
                action = String.valueOf(module);
                args.putAll(copy);
            } else {
                String text = String.valueOf(v).trim();
                int sp = text.indexOf(' ');
                String module = sp < 0 ? text : text.substring(0, sp);
                args.putAll(FreeForm.parse(sp < 0 ? "" : text.substring(sp + 1), FreeForm.isCommandLine(module)));
                action = module;
            }
        } else {
            addArgs(action, actionValue, args, argLocations);
        }
        Node argsNode = keys.get("args");
        if (argsNode != null) {
            kw.remove("args");
            addArgs(action, argsNode, args, argLocations);
        }
        action = Keywords.shortName(action);
        Location location = YamlLoader.location(m);
        Location actionLocation = YamlLoader.location(actionKey);
        String name = kw.containsKey("name") && kw.get("name") != null ? String.valueOf(kw.get("name")) : null;
        Scope scope = parent.child(kw);

        if (action.equals("import_tasks")) {
            Path target = resolveTaskFile(args, file, scope, actionLocation);
            List<TaskNode> imported = tasksFile(target, scope, handler, ctx);
            return new Block(name, imported, List.of(), List.of(), scope, location);
        }
        if (action.equals("import_role")) {
            return importRole(args, kw, scope, name, location, actionLocation, ctx);
        }
        return new Task(name, action, args, argLocations, scope, location, actionLocation, file, handler);
    }

    /**
     * {@code import_role}, at load time as Ansible: the role (and its dependencies) is read now,
     * its tasks run where the import is, under the import's keywords (when, tags, become, vars…),
     * its defaults and vars are the play's from the start, its handlers join the play's.
     */
    private TaskNode importRole(Map<String, Object> args, Map<String, Object> kw, Scope scope, String name,
                                Location location, Location actionLocation, Context ctx) throws PlaybookException {
        if (kw.containsKey("loop") || kw.keySet().stream().anyMatch(Keywords::isWithLoop)) {
            throw new PlaybookException(location,
                    "You cannot use loops on 'import_role' statements. You should use 'include_role' instead.");
        }
        if (ctx == null) {
            throw new PlaybookException(actionLocation, "import_role is only valid in a play's tasks");
        }
        RoleLoader.Use use = RoleLoader.qualify(RoleLoader.includeUse("import_role", args, kw, actionLocation),
                scope.role() == null ? null : scope.role().path());
        Role role = roleLoader.load(use, ctx.roles(), ctx.playDir(), null);
        ctx.roles().export(role);
        Block body = roleLoader.block(role, scope.childForRole(Map.of(), role), location, ctx.roles(), ctx.handlers(), ctx);
        return new Block(name, List.of(body), List.of(), List.of(), scope, location);
    }

    /** Where an import_tasks/include_tasks file is, relative to the including file (or role's tasks/). */
    public static Path resolveTaskFile(Map<String, Object> args, Path includingFile, Scope scope, Location where)
            throws PlaybookException {
        Object f = args.containsKey("file") ? args.get("file") : args.get(FreeForm.RAW);
        if (f == null) {
            throw new PlaybookException(where, "no file given to include or import");
        }
        String name = String.valueOf(f);
        List<Path> candidates = new ArrayList<>();
        Path p = Path.of(name);
        if (p.isAbsolute()) {
            candidates.add(p);
        } else {
            if (scope.role() != null) {
                candidates.add(scope.role().path().resolve("tasks").resolve(name));
            }
            candidates.add(includingFile.getParent().resolve(name));
            candidates.add(includingFile.getParent().resolve("tasks").resolve(name));
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return c.normalize();
            }
        }
        throw new PlaybookException(where, "could not find the task file '" + name + "' (looked in " + candidates + ")");
    }

    private static void addArgs(String action, Node value, Map<String, Object> args, Map<String, Location> locs)
            throws PlaybookException {
        if (value instanceof MappingNode mn) {
            for (NodeTuple t : mn.getValue()) {
                String k = YamlLoader.keyString(YamlLoader.toData(t.getKeyNode()));
                args.put(k, YamlLoader.toData(t.getValueNode()));
                locs.put(k, YamlLoader.location(t.getKeyNode()));
            }
        } else if (value instanceof ScalarNode s) {
            Object data = YamlLoader.toData(s);
            if (data != null) {
                Map<String, Object> parsed = FreeForm.parse(String.valueOf(data), FreeForm.isCommandLine(action));
                for (String k : parsed.keySet()) {
                    locs.put(k, YamlLoader.location(s));
                }
                args.putAll(parsed);
            }
        } else {
            throw new PlaybookException(YamlLoader.location(value),
                    "the arguments of '" + action + "' must be a mapping or 'key=value' text, got a list");
        }
    }

    private static Object varsData(Node n) throws PlaybookException {
        Object v = YamlLoader.toData(n);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map) {
            return v;
        }
        if (v instanceof List<?> l) {
            Map<String, Object> merged = new LinkedHashMap<>();
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    m.forEach((k, val) -> merged.put(String.valueOf(k), val));
                } else {
                    throw new PlaybookException(YamlLoader.location(n), "vars must be a mapping or a list of mappings");
                }
            }
            return merged;
        }
        throw new PlaybookException(YamlLoader.location(n), "vars must be a mapping, got " + kind(n));
    }

    private static void checkKeywords(MappingNode m, Set<String> allowed, String what)
            throws PlaybookException {
        for (NodeTuple t : m.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            if (!allowed.contains(key)) {
                throw new PlaybookException(YamlLoader.location(t.getKeyNode()),
                        "'" + key + "' is not a valid attribute for a " + what + "."
                                + Suggestions.didYouMean(key, allowed));
            }
        }
    }

    private static Node compose(Path file, Location where) throws PlaybookException {
        if (!Files.isRegularFile(file)) {
            throw new PlaybookException(where, "file not found: " + file);
        }
        try {
            return YamlLoader.composeFile(file);
        } catch (YamlException e) {
            throw new PlaybookException(e.location(), e.getMessage());
        }
    }

    /** Keys of a mapping by name, with their value nodes; the value node carries the location. */
    private static Map<String, Node> keys(MappingNode m) throws PlaybookException {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new PlaybookException(YamlLoader.location(t.getKeyNode()), "a key must be a plain name");
            }
            out.put(k.getValue(), t.getValueNode());
        }
        return out;
    }

    private static MappingNode mapping(Node n, String what) throws PlaybookException {
        if (n instanceof MappingNode m) {
            return m;
        }
        throw new PlaybookException(YamlLoader.location(n), what + " must be a mapping, got " + kind(n));
    }

    private static SequenceNode sequence(Node n, String what) throws PlaybookException {
        if (n instanceof SequenceNode s) {
            return s;
        }
        throw new PlaybookException(YamlLoader.location(n), what + " must be a list, got " + kind(n));
    }

    private static String scalarText(Node n, String what) throws PlaybookException {
        if (n instanceof ScalarNode s) {
            return s.getValue();
        }
        throw new PlaybookException(YamlLoader.location(n), what + " must be text, got " + kind(n));
    }

    private static String kind(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) n).getValue() + "'";
    }
}
