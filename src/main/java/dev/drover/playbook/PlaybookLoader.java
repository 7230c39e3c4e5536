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
        List<TaskNode> pre = tasks(keys.get("pre_tasks"), play, file, false);
        List<TaskNode> tasks = new ArrayList<>();
        List<Task> handlers = new ArrayList<>();
        if (keys.containsKey("roles")) {
            SequenceNode roles = sequence(keys.get("roles"), "roles");
            for (Node r : roles.getValue()) {
                loadRole(r, play, dir, tasks, handlers);
            }
        }
        tasks.addAll(tasks(keys.get("tasks"), play, file, false));
        List<TaskNode> post = tasks(keys.get("post_tasks"), play, file, false);
        for (TaskNode h : tasks(keys.get("handlers"), play, file, true)) {
            flattenHandlers(h, handlers);
        }
        return new Play(name, hosts, play, varsFiles, pre, tasks, post, handlers, dir, YamlLoader.location(m));
    }

    private void flattenHandlers(TaskNode n, List<Task> out) {
        if (n instanceof Task t) {
            out.add(t);
        } else if (n instanceof Block b) {
            for (TaskNode c : b.block()) {
                flattenHandlers(c, out);
            }
        }
    }

    private void loadRole(Node entry, Scope play, Path playDir, List<TaskNode> tasks, List<Task> handlers)
            throws PlaybookException {
        String roleName;
        Map<String, Object> kw = new LinkedHashMap<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (entry instanceof ScalarNode s) {
            roleName = s.getValue();
        } else {
            MappingNode m = mapping(entry, "a role");
            Map<String, Node> keys = keys(m);
            Node rn = keys.containsKey("role") ? keys.get("role") : keys.get("name");
            if (rn == null) {
                throw new PlaybookException(YamlLoader.location(m), "a role entry needs 'role: NAME'");
            }
            roleName = scalarText(rn, "role");
            for (Map.Entry<String, Node> e : keys.entrySet()) {
                if (e.getKey().equals("role") || e.getKey().equals("name")) {
                    continue;
                }
                if (Keywords.ROLE_ENTRY.contains(e.getKey())) {
                    kw.put(e.getKey(), e.getKey().equals("vars") ? varsData(e.getValue()) : YamlLoader.toData(e.getValue()));
                } else {
                    params.put(e.getKey(), YamlLoader.toData(e.getValue()));
                }
            }
        }
        Location where = YamlLoader.location(entry);
        Path rolePath = findRole(roleName, playDir, where);
        Map<String, Object> defaults = varsFile(rolePath.resolve("defaults"));
        Map<String, Object> vars = varsFile(rolePath.resolve("vars"));
        Role role = new Role(roleName, rolePath, defaults, vars, params);
        Map<String, Object> merged = new LinkedHashMap<>(kw);
        Scope scope = play.childForRole(merged, role);
        Path tasksMain = mainFile(rolePath.resolve("tasks"));
        List<TaskNode> body = tasksMain == null ? List.of() : tasksFile(tasksMain, scope, false);
        tasks.add(new Block("role " + roleName, body, List.of(), List.of(), scope, where));
        Path handlersMain = mainFile(rolePath.resolve("handlers"));
        if (handlersMain != null) {
            for (TaskNode h : tasksFile(handlersMain, scope, true)) {
                flattenHandlers(h, handlers);
            }
        }
    }

    private static Path findRole(String name, Path playDir, Location where) throws PlaybookException {
        List<Path> candidates = new ArrayList<>();
        Path direct = playDir.resolve(name);
        if (name.contains("/")) {
            candidates.add(direct);
        }
        candidates.add(playDir.resolve("roles").resolve(name));
        String env = System.getenv("ANSIBLE_ROLES_PATH");
        if (env != null) {
            for (String p : env.split(":")) {
                if (!p.isBlank()) {
                    candidates.add(Path.of(p).resolve(name));
                }
            }
        }
        candidates.add(direct);
        for (Path c : candidates) {
            if (Files.isDirectory(c)) {
                return c.toAbsolutePath().normalize();
            }
        }
        throw new PlaybookException(where, "the role '" + name + "' was not found in " + candidates);
    }

    private static Path mainFile(Path dir) {
        for (String n : List.of("main.yml", "main.yaml", "main")) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> varsFile(Path dir) throws PlaybookException {
        Path main = mainFile(dir);
        if (main == null) {
            return Map.of();
        }
        Object data;
        try {
            data = YamlLoader.loadData(main);
        } catch (YamlException e) {
            throw new PlaybookException(e.location(), e.getMessage());
        }
        if (data == null) {
            return Map.of();
        }
        if (!(data instanceof Map)) {
            throw new PlaybookException(Location.of(main.toString()), "a vars file must be a mapping");
        }
        return (Map<String, Object>) data;
    }

    /** Reads a task file (for import_tasks, include_tasks, roles) with the given enclosing scope. */
    public List<TaskNode> tasksFile(Path file, Scope parent, boolean handlers) throws PlaybookException {
        Node root = compose(file, Location.of(file.toString()));
        if (root == null) {
            return List.of();
        }
        return tasks(root, parent, file, handlers);
    }

    private List<TaskNode> tasks(Node node, Scope parent, Path file, boolean handlers) throws PlaybookException {
        List<TaskNode> out = new ArrayList<>();
        if (node == null || (node instanceof ScalarNode s && s.getValue().isEmpty())) {
            return out;
        }
        SequenceNode seq = sequence(node, "a list of tasks");
        for (Node n : seq.getValue()) {
            out.addAll(taskOrBlock(mapping(n, "a task"), parent, file, handlers));
        }
        return out;
    }

    private List<TaskNode> taskOrBlock(MappingNode m, Scope parent, Path file, boolean handlers)
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
            return List.of(new Block(name, tasks(keys.get("block"), scope, file, handlers),
                    tasks(keys.get("rescue"), scope, file, handlers), tasks(keys.get("always"), scope, file, handlers),
                    scope, YamlLoader.location(m)));
        }
        return List.of(task(m, keys, parent, file, handlers));
    }

    private TaskNode task(MappingNode m, Map<String, Node> keys, Scope parent, Path file, boolean handler)
            throws PlaybookException {
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
            List<TaskNode> imported = tasksFile(target, scope, handler);
            return new Block(name, imported, List.of(), List.of(), scope, location);
        }
        return new Task(name, action, args, argLocations, scope, location, actionLocation, file, handler);
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
