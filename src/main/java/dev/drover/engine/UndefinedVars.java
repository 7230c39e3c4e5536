package dev.drover.engine;

import dev.drover.inventory.Host;
import dev.drover.inventory.Inventory;
import dev.drover.inventory.InventoryException;
import dev.drover.playbook.Block;
import dev.drover.playbook.FreeForm;
import dev.drover.playbook.Keywords;
import dev.drover.playbook.Play;
import dev.drover.playbook.PlaybookException;
import dev.drover.playbook.PlaybookLoader;
import dev.drover.playbook.Playbook;
import dev.drover.playbook.Role;
import dev.drover.playbook.Scope;
import dev.drover.playbook.Suggestions;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskNode;
import dev.drover.template.Templar;
import dev.drover.yaml.Location;
import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reports the variables a task reads that nothing in the run could define, before any host is
 * touched: {@code 'app_nmae' is undefined. Did you mean 'app_name'?}.
 *
 * <p>Defined are: play vars and literal vars_files, role defaults/vars/params, block and task
 * vars (anywhere in the play), extra vars, every host's inventory vars (group_vars/host_vars
 * included) and magic variables, {@code register} and {@code set_fact} names of this and earlier
 * plays (literal include_tasks files are read for them), a task's loop variables, anything
 * {@code ansible_*}, and the magic variables the engine sets. A name guarded by
 * {@code is defined}/{@code | default} (or by an enclosing {@code when} that tests it) is never
 * reported. A meta dependency's, an import_role's and a literal include_role's defaults, vars and
 * parameters count as defined (an include_role's are read from its {@link RolePreviews preview});
 * a literal include_vars file is read for its names (see {@link IncludedVarNames}), add_host
 * arguments are the new host's variables, vars_prompt names are play variables. Where the run
 * could define names this check cannot see (a templated vars_files entry or set_fact key, a
 * templated include_tasks file or include_role, a templated include_vars file or a {@code dir})
 * it warns instead, for the play or (when such names persist across plays) for the rest of the
 * playbook.
 */
final class UndefinedVars {
    /** Magic variables drover (and Ansible) provide that do not start with {@code ansible_}. */
    static final Set<String> MAGIC = Set.of(
            "inventory_hostname", "inventory_hostname_short", "group_names", "groups", "hostvars",
            "playbook_dir", "role_path", "role_name", "role_names", "play_hosts", "omit", "inventory_dir",
            "inventory_file", "vars",
            // facts setup returns without the ansible_ prefix
            "gather_subset", "module_setup");

    private final List<RunException.Problem> problems = new ArrayList<>();
    private final List<RunException.Problem> warnings = new ArrayList<>();
    private final PlaybookLoader loader = new PlaybookLoader();
    private RolePreviews previews;
    private FailureGuards failureGuards = FailureGuards.none();
    /** Why the names of the play being checked may be defined at run time in ways not seen here (then: warnings). */
    private String uncertain;

    private UndefinedVars() {
    }

    /**
     * @param inventory the run's inventory (every host's vars count as defined)
     * @param extraVars {@code -e} values
     */
    static List<RunException.Problem> check(Playbook playbook, Inventory inventory, Map<String, Object> extraVars) {
        return findings(playbook, inventory, extraVars).errors();
    }

    /**
     * Errors, and warnings: a use in a task that may fail by design ({@link FailureGuards}), or
     * in a play where something at run time may define names this check cannot see (include_vars,
     * a templated set_fact key or include file, a module that returns facts), is only a warning.
     */
    static Findings findings(Playbook playbook, Inventory inventory, Map<String, Object> extraVars) {
        Set<String> base = new TreeSet<>(MAGIC);
        base.addAll(extraVars.keySet());
        Path dir = playbook.file().getParent();
        try {
            List<Host> hosts = new ArrayList<>(inventory.hosts());
            inventory.host("localhost").ifPresent(hosts::add);
            for (Host h : hosts) {
                base.addAll(inventory.varsFor(h, dir).keySet());
                base.addAll(inventory.magicVars(h).keySet());
                base.addAll(h.vars().keySet());
            }
        } catch (InventoryException | RuntimeException e) {
            return new Findings(List.of(), List.of()); // the run reports it; unsure here
        }
        UndefinedVars u = new UndefinedVars();
        u.failureGuards = FailureGuards.of(playbook);
        Set<String> persistent = new HashSet<>();
        String laterPlays = null; // later plays may read names an earlier play sets in ways not seen
        for (Play play : playbook.plays()) {
            Defs d = u.collect(play);
            persistent.addAll(d.persistent);
            if (d.unsurePersistent != null && laterPlays == null) {
                laterPlays = d.unsurePersistent;
            }
            u.uncertain = laterPlays != null ? laterPlays : d.unsure;
            Set<String> defined = new TreeSet<>(base);
            defined.addAll(persistent);
            defined.addAll(d.names);
            for (List<TaskNode> section : List.of(play.preTasks(), play.tasks(), play.postTasks())) {
                u.nodes(section, defined);
            }
            for (Task h : play.handlers()) {
                u.task(h, defined);
            }
        }
        return new Findings(u.problems, u.warnings);
    }

    // ------------------------------------------------------------------ what a play defines

    /** Names a play defines; persistent ones (register, set_fact) outlive it. */
    private static final class Defs {
        final Set<String> names = new HashSet<>();
        final Set<String> persistent = new HashSet<>();
        final Set<Path> included = new HashSet<>();
        /** What may define names for this play only that are not seen here (null: nothing). */
        String unsure;
        /** The same for names that outlive the play (set_fact, include_vars, facts). */
        String unsurePersistent;

        void unsure(String why) {
            if (unsure == null) {
                unsure = why;
            }
        }

        void unsurePersistent(String why) {
            if (unsurePersistent == null) {
                unsurePersistent = why;
            }
        }
    }

    private Defs collect(Play play) {
        previews = RolePreviews.of(play);
        Defs d = new Defs();
        d.names.addAll(play.scope().vars().keySet());
        if (play.scope().keywords().get("vars_prompt") instanceof List<?> prompts) {
            for (Object e : prompts) {
                if (e instanceof Map<?, ?> m && m.get("name") != null) {
                    d.names.add(String.valueOf(m.get("name")));
                }
            }
        }
        for (String f : play.varsFiles()) {
            if (Templar.isTemplated(f)) {
                d.unsure("the templated vars_files entry '" + f + "' (" + play.location() + ")");
                continue;
            }
            Path p = play.baseDir().resolve(f);
            try {
                Object data = Files.isRegularFile(p) ? YamlLoader.loadData(p) : null;
                if (data instanceof Map<?, ?> m) {
                    m.keySet().forEach(k -> d.names.add(String.valueOf(k)));
                } else {
                    d.unsure("the vars_files entry '" + f + "' (" + play.location() + ")");
                }
            } catch (YamlException | RuntimeException e) {
                d.unsure("the vars_files entry '" + f + "' (" + play.location() + ")");
            }
        }
        for (List<TaskNode> section : List.of(play.preTasks(), play.tasks(), play.postTasks())) {
            collectNodes(section, d);
        }
        for (Task h : play.handlers()) {
            collectNodes(List.of(h), d);
        }
        return d;
    }

    private void collectNodes(List<TaskNode> nodes, Defs d) {
        for (TaskNode n : nodes) {
            if (n instanceof Block b) {
                collectScope(b.scope(), d);
                collectNodes(b.block(), d);
                collectNodes(b.rescue(), d);
                collectNodes(b.always(), d);
            } else if (n instanceof Task t) {
                collectTask(t, d);
            }
        }
    }

    private static void collectScope(Scope s, Defs d) {
        Object vars = s.keywords().get("vars");
        if (vars instanceof Map<?, ?> m) {
            m.keySet().forEach(k -> d.names.add(String.valueOf(k)));
        }
        Role r = s.role();
        if (r != null) {
            d.names.addAll(r.defaults().keySet());
            d.names.addAll(r.vars().keySet());
            d.names.addAll(r.params().keySet());
        }
    }

    private void collectTask(Task t, Defs d) {
        collectScope(t.scope(), d);
        Object register = t.own("register");
        if (register != null) {
            d.persistent.add(String.valueOf(register));
        }
        switch (t.action()) {
            case "set_fact" -> {
                for (String k : t.args().keySet()) {
                    if (k.equals(FreeForm.RAW) || Templar.isTemplated(k)) {
                        d.unsurePersistent("the set_fact with a templated key at " + t.location());
                    } else if (!k.equals("cacheable")) {
                        d.persistent.add(k);
                    }
                }
            }
            case "include_tasks" -> {
                for (String k : t.args().keySet()) {
                    if (!Set.of("file", "apply", FreeForm.RAW).contains(k)) {
                        d.names.add(k);
                    }
                }
                Object file = t.args().containsKey("file") ? t.args().get("file") : t.args().get(FreeForm.RAW);
                if (!(file instanceof String f) || Templar.isTemplated(f)) {
                    d.unsurePersistent("the include_tasks of a templated file at " + t.location());
                    return;
                }
                try {
                    Path p = PlaybookLoader.resolveTaskFile(t.args(), t.file(), t.scope(), t.location());
                    if (d.included.add(p)) {
                        collectNodes(loader.tasksFile(p, t.scope(), t.handler()), d);
                    }
                } catch (PlaybookException | RuntimeException e) {
                    d.unsurePersistent("the include_tasks at " + t.location());
                }
            }
            case "include_role" -> { // what a literal include_role can define: its role's (and dependencies') vars
                RolePreviews.Preview p = previews == null ? null : previews.get(t);
                if (p == null || p.block() == null) {
                    d.unsurePersistent("the include_role at " + t.location());
                    return;
                }
                collectNodes(List.of(p.block()), d);
                collectNodes(new ArrayList<>(p.handlers()), d);
            }
            case "include_vars" -> IncludedVarNames.collect(t, d.persistent, () -> d.unsurePersistent("the include_vars at " + t.location()));
            case "import_role" -> d.unsurePersistent("the import_role at " + t.location());
            case "add_host" -> { // its other arguments are the new host's variables (later plays read them)
                for (String k : t.args().keySet()) {
                    if (k.equals(FreeForm.RAW) || Templar.isTemplated(k)) {
                        d.unsurePersistent("the add_host at " + t.location());
                    } else {
                        d.persistent.add(k);
                    }
                }
            }
            case "getent" -> { // sets the fact getent_<database>
                Object db = t.args().get("database");
                if (db instanceof String s && !Templar.isTemplated(s)) {
                    d.persistent.add("getent_" + s);
                } else {
                    d.unsurePersistent("the getent at " + t.location());
                }
            }
            default -> {
                if (t.action().equals("setup") || t.action().equals("gather_facts") || t.action().endsWith("_facts")
                        || (dev.drover.modules.BuiltinModules.find(t.action()).isEmpty()
                        && !Keywords.ENGINE_ACTIONS.contains(t.action()))) {
                    d.unsurePersistent("the facts of the " + t.action() + " task at " + t.location());
                }
            }
        }
    }

    // ------------------------------------------------------------------ what tasks read

    private void nodes(List<TaskNode> nodes, Set<String> defined) {
        for (TaskNode n : nodes) {
            if (n instanceof Task t) {
                task(t, defined);
            } else if (n instanceof Block b) {
                Set<String> guards = guards(b.scope().conditions());
                Map<String, Location> refs = new LinkedHashMap<>();
                conditions(b.scope().keywords().get("when"), b.location(), refs);
                report(refs, defined, Set.of(), guards);
                nodes(b.block(), defined);
                nodes(b.rescue(), defined);
                nodes(b.always(), defined);
            }
        }
    }

    private void task(Task t, Set<String> defined) {
        Set<String> local = new HashSet<>();
        boolean loops = t.own("loop") != null
                || t.scope().keywords().keySet().stream().anyMatch(Keywords::isWithLoop);
        if (loops) {
            Object lc = t.own("loop_control");
            Map<?, ?> control = lc instanceof Map<?, ?> m ? m : Map.of();
            Object loopVar = control.get("loop_var");
            if (loopVar instanceof String s && Templar.isTemplated(s)) {
                return; // unsure which name the loop binds
            }
            local.add(loopVar == null ? "item" : String.valueOf(loopVar));
            if (control.get("index_var") != null) {
                local.add(String.valueOf(control.get("index_var")));
            }
        }
        List<Object> conditions = new ArrayList<>(t.scope().conditions());
        for (String k : List.of("changed_when", "failed_when", "until")) {
            Object c = t.own(k);
            if (c != null) {
                conditions.add(c);
            }
        }
        Set<String> guards = guards(conditions);

        Map<String, Location> refs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : t.args().entrySet()) {
            Location where = t.argLocations().getOrDefault(e.getKey(), t.actionLocation());
            if (t.action().equals("debug") && e.getKey().equals("var")) {
                continue; // ansible prints "VARIABLE IS NOT DEFINED!" for it: not an error
            }
            if (t.action().equals("validate_argument_spec") && !e.getKey().equals("provided_arguments")) {
                continue; // a role's argument spec (descriptions, defaults) is data, not templates
            }
            boolean expression = t.action().equals("assert") && e.getKey().equals("that");
            if (expression) {
                conditions(e.getValue(), where, refs);
            } else {
                template(e.getKey(), where, refs);
                template(e.getValue(), where, refs);
            }
        }
        // Ansible evaluates when without the item when the loop does not template, and skips the
        // task if it is false: what only a conditional task's loop reads may be undefined by design
        boolean conditional = !t.scope().conditions().isEmpty();
        Map<String, Location> loopRefs = conditional ? new LinkedHashMap<>() : refs;
        for (Map.Entry<String, Object> e : t.scope().keywords().entrySet()) {
            if (e.getKey().equals("loop") || Keywords.isWithLoop(e.getKey())) {
                template(e.getValue(), t.location(), loopRefs);
            }
        }
        for (String k : List.of("changed_when", "failed_when", "until")) {
            conditions(t.own(k), t.location(), refs);
        }
        // the task's own when is evaluated whenever the task comes up, unless an inherited condition
        // (an import's, a block's, a role's) is evaluated first and may skip it
        Object ownWhen = t.own("when");
        int ownCount = ownWhen instanceof List<?> l ? l.size() : ownWhen == null ? 0 : 1;
        boolean inherited = t.scope().conditions().size() > ownCount;
        Map<String, Location> whenRefs = new LinkedHashMap<>();
        conditions(ownWhen, t.location(), inherited ? refs : whenRefs);
        refs.keySet().removeAll(whenRefs.keySet());
        // task names are not checked: ansible shows a name it cannot template as written
        int mark = problems.size();
        report(whenRefs, defined, local, guards);
        int argsMark = problems.size();
        report(refs, defined, local, guards);
        if (conditional && failureGuards.why(t) == null) {
            // what only a task its condition may skip reads (a role's branch for another OS family):
            // ansible-playbook runs the play and fails the task only if the condition holds
            demote(argsMark, "the task has a when; it fails at its turn if the condition holds");
        }
        if (conditional) {
            loopRefs.keySet().removeAll(refs.keySet());
            int loopMark = problems.size();
            report(loopRefs, defined, local, guards);
            demote(loopMark, "the task has a when, which Ansible evaluates without the loop first; a false"
                    + " condition skips the task");
        }
        String why = failureGuards.why(t);
        if (why != null) {
            demote(mark, "the task has " + why + "; it fails at its turn if so");
        }
    }

    /** Moves the problems found since {@code mark} to the warnings, saying why they are not refused. */
    private void demote(int mark, String why) {
        if (problems.size() <= mark) {
            return;
        }
        List<RunException.Problem> added = new ArrayList<>(problems.subList(mark, problems.size()));
        problems.subList(mark, problems.size()).clear();
        for (RunException.Problem p : added) {
            warnings.add(new RunException.Problem(p.location(), p.message() + " (not refused: " + why + ")"));
        }
    }

    private static Set<String> guards(List<Object> conditions) {
        Set<String> out = new HashSet<>();
        for (Object c : conditions) {
            if (c instanceof String s) {
                out.addAll(Templar.referencesInExpression(s).guarded());
            }
        }
        return out;
    }

    /** Names read by templated strings anywhere in {@code value} (keys too). */
    private static void template(Object value, Location where, Map<String, Location> refs) {
        if (value instanceof String s) {
            for (String n : Templar.referencedNames(s)) {
                refs.putIfAbsent(n, where);
            }
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                template(e.getKey(), where, refs);
                template(e.getValue(), where, refs);
            }
        } else if (value instanceof List<?> l) {
            for (Object o : l) {
                template(o, where, refs);
            }
        }
    }

    /** Names read by a condition (or a list of them): bare expressions, or templates. */
    private static void conditions(Object value, Location where, Map<String, Location> refs) {
        if (value instanceof String s) {
            for (String n : Templar.referencedNamesInExpression(s)) {
                refs.putIfAbsent(n, where);
            }
        } else if (value instanceof List<?> l) {
            for (Object o : l) {
                conditions(o, where, refs);
            }
        }
    }

    private void report(Map<String, Location> refs, Set<String> defined, Set<String> local, Set<String> guards) {
        for (Map.Entry<String, Location> e : refs.entrySet()) {
            String n = e.getKey();
            if (n.startsWith("ansible_") || defined.contains(n) || local.contains(n) || guards.contains(n)) {
                continue;
            }
            Set<String> candidates = new LinkedHashSet<>(defined);
            candidates.addAll(local);
            String hint = Suggestions.didYouMean(n, candidates);
            String message = "'" + n + "' is undefined" + (hint.isEmpty() ? "" : "." + hint);
            if (uncertain != null) {
                warnings.add(new RunException.Problem(e.getValue(), message + " (not refused: it may be defined at"
                        + " run time by " + uncertain + ")"));
            } else {
                problems.add(new RunException.Problem(e.getValue(), message));
            }
        }
    }
}
