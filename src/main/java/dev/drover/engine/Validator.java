package dev.drover.engine;

import dev.drover.module.Module;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.modules.BuiltinModules;
import dev.drover.playbook.Block;
import dev.drover.playbook.FreeForm;
import dev.drover.playbook.Keywords;
import dev.drover.playbook.Play;
import dev.drover.playbook.Playbook;
import dev.drover.playbook.Suggestions;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskNode;
import dev.drover.template.Templar;
import dev.drover.yaml.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a whole playbook before any host is touched: every action is a known module or engine
 * action, every argument a parameter of that module (with a did-you-mean), required arguments
 * are there, literal values are among a parameter's choices, and every literal {@code notify}
 * names a handler.
 */
final class Validator {
    private final List<RunException.Problem> problems = new ArrayList<>();
    private RolePreviews previews;
    private final List<RunException.Problem> warnings = new ArrayList<>();
    private FailureGuards guards = FailureGuards.none();
    private final dev.drover.modules.ansible.AnsibleModules ansible;

    private Validator(dev.drover.modules.ansible.AnsibleModules ansible) {
        this.ansible = ansible;
    }

    static List<RunException.Problem> validate(Playbook playbook) {
        return check(playbook).errors();
    }

    static Findings check(Playbook playbook) {
        return check(playbook, ModuleSearch.ansibleModules(playbook));
    }

    /** Errors and warnings (argument problems of a task that may fail by design, see {@link FailureGuards}). */
    static Findings check(Playbook playbook, dev.drover.modules.ansible.AnsibleModules ansible) {
        Validator v = new Validator(ansible);
        v.guards = FailureGuards.of(playbook);
        v.inputs = StaticInputs.of(playbook);
        for (Play p : playbook.plays()) {
            v.previews = RolePreviews.of(p);
            Set<String> handlers = PlayRun.handlerNames(p);
            handlers.addAll(RoleValidation.handlerNames(v.previews.handlers()));
            v.unsupportedKeywords(p.scope().keywords(), p.location());
            VarsPrompt.validate(p.scope().keywords().get("vars_prompt"), p.location(), v.problems);
            v.fleetKeywords(p.scope().keywords(), p.location());
            for (List<TaskNode> section : List.of(p.preTasks(), p.tasks(), p.postTasks())) {
                v.nodes(section, handlers);
            }
            for (Task h : p.handlers()) {
                v.task(h, handlers);
            }
        }
        return new Findings(v.problems, v.warnings);
    }

    /**
     * A task file loaded at run time (include_tasks): what ansible-playbook refuses when it loads
     * such a file (an unknown module or keyword value) is an error; argument problems are left
     * to the task's turn, where the module fails with them.
     */
    static List<RunException.Problem> validateIncluded(List<TaskNode> nodes, Set<String> handlers,
                                                       dev.drover.modules.ansible.AnsibleModules ansible) {
        Validator v = new Validator(ansible);
        v.argumentsAtTheirTurn = true;
        v.nodes(nodes, handlers);
        return v.problems;
    }

    private boolean argumentsAtTheirTurn;
    private StaticInputs inputs;

    /**
     * Moves what {@code t}'s checks added since {@code mark} to the warnings when it may fail by
     * design or, with {@code orWhen} (its module and arguments, not its templates), may not run at
     * all (a {@code when}).
     */
    private void demote(Task t, int mark, boolean orWhen) {
        String why = argumentsAtTheirTurn ? "loaded at run time" : guards.why(t);
        if (why == null && orWhen && !argumentsAtTheirTurn && t.scope().get("when").isPresent()) {
            // ansible-playbook checks a module's arguments only when the task runs: a task its
            // condition may skip (an OS family's branch of a role) must not stop the play
            why = "a when condition";
        }
        if (why == null || problems.size() == mark) {
            return;
        }
        List<RunException.Problem> added = new ArrayList<>(problems.subList(mark, problems.size()));
        problems.subList(mark, problems.size()).clear();
        if (argumentsAtTheirTurn) {
            return;
        }
        for (RunException.Problem p : added) {
            warnings.add(new RunException.Problem(p.location(), p.message()
                    + " (not refused: the task has " + why + "; it fails at its turn)"));
        }
    }

    private void nodes(List<TaskNode> nodes, Set<String> handlers) {
        for (TaskNode n : nodes) {
            if (n instanceof Task t) {
                task(t, handlers);
            } else if (n instanceof Block b) {
                unsupportedKeywords(b.scope().keywords(), b.location());
                nodes(b.block(), handlers);
                nodes(b.rescue(), handlers);
                nodes(b.always(), handlers);
            }
        }
    }

    /**
     * Ansible keywords drover parses but does not implement, with the value that means "off" (a
     * keyword set to it is fine). Ignoring any other value would run the play differently from
     * ansible-playbook without a word, so it is refused before any host is touched.
     */
    private static final Map<String, Object> UNSUPPORTED_KEYWORDS = unsupported();

    private static Map<String, Object> unsupported() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("become_flags", null);
        m.put("become_exe", null);
        return m;
    }

    private void unsupportedKeywords(Map<String, Object> keywords, Location where) {
        ModuleDefaults.validate(keywords, where, problems);
        for (Map.Entry<String, Object> e : UNSUPPORTED_KEYWORDS.entrySet()) {
            if (!keywords.containsKey(e.getKey())) {
                continue;
            }
            Object given = keywords.get(e.getKey());
            if (given == null || isOff(given, e.getValue())) {
                continue;
            }
            String off = e.getValue() == null ? "" : " (only '" + e.getKey() + ": "
                    + (e.getValue() instanceof Boolean ? e.getValue() : dev.drover.module.Args.stringOf(e.getValue()))
                    + "' is accepted)";
            problems.add(new RunException.Problem(where, "'" + e.getKey() + "' is not supported by drover yet" + off
                    + "; remove it, or run this playbook with ansible-playbook."));
        }
    }

    /** strategy, serial, max_fail_percentage: the values drover runs (a templated value is not one yet). */
    private void fleetKeywords(Map<String, Object> keywords, Location where) {
        Object strategy = keywords.get("strategy");
        if (strategy != null && !Set.of("linear", "free").contains(String.valueOf(strategy))) {
            problems.add(new RunException.Problem(where, "strategy '" + strategy + "' is not supported by drover yet"
                    + " (only 'linear' and 'free'); remove it, or run this playbook with ansible-playbook."));
        }
        Object serial = keywords.get("serial");
        if (serial != null) {
            for (Object size : serial instanceof List<?> l ? l : List.of(serial)) {
                String text = String.valueOf(size).trim();
                if (!text.matches("\\d+(\\.\\d+)?%?")) {
                    problems.add(new RunException.Problem(where, "serial: '" + size + "' is not a number of hosts or a"
                            + " percentage (drover does not template serial)"));
                }
            }
        }
        Object order = keywords.get("order");
        if (order != null && !Set.of("inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle")
                .contains(String.valueOf(order))) {
            problems.add(new RunException.Problem(where, "Invalid 'order' specified for inventory hosts: " + order + "."
                    + Suggestions.didYouMean(String.valueOf(order),
                    Set.of("inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle"))));
        }
        Object mfp = keywords.get("max_fail_percentage");
        if (mfp != null && !String.valueOf(mfp).trim().matches("\\d+(\\.\\d+)?")) {
            problems.add(new RunException.Problem(where, "max_fail_percentage: '" + mfp + "' is not a number"
                    + " (drover does not template it)"));
        }
    }

    private static boolean isOff(Object given, Object off) {
        if (off == null) {
            return false;
        }
        if (off instanceof Boolean b) {
            return b.equals(Keywords.toBool(given));
        }
        if (off instanceof Number n) {
            return given instanceof Number g ? g.doubleValue() == n.doubleValue() : String.valueOf(n).equals(given);
        }
        if (off instanceof List<?> || off instanceof Map<?, ?>) {
            return (given instanceof List<?> l && l.isEmpty()) || (given instanceof Map<?, ?> m && m.isEmpty());
        }
        return off.equals(given);
    }

    private void task(Task t, Set<String> handlers) {
        unsupportedKeywords(t.scope().keywords(), t.location());
        for (String k : t.scope().keywords().keySet()) {
            if (Keywords.isWithLoop(k) && !WithLoops.SUPPORTED.contains(k)) {
                problems.add(new RunException.Problem(t.location(), "'" + k + "' is not supported by drover yet (supported: "
                        + String.join(", ", new TreeSet<>(WithLoops.SUPPORTED)) + "; or loop: with a filter)"
                        + Suggestions.didYouMean(k, WithLoops.SUPPORTED)));
            }
        }
        for (String n : Keywords.stringList(t.scope().keywords().get("notify"))) {
            if (!Templar.isTemplated(n) && !handlers.contains(n)) {
                problems.add(new RunException.Problem(t.location(), "the handler '" + n
                        + "' notified by this task is not defined in the play (neither a handler name nor a listen topic)."
                        + Suggestions.didYouMean(n, handlers)));
            }
        }
        if (Keywords.ENGINE_ACTIONS.contains(t.action())) {
            if (t.action().equals("meta")) {
                Object what = t.args().get(FreeForm.RAW);
                Set<String> known = Set.of("flush_handlers", "noop", "end_play", "end_host", "clear_host_errors",
                        "refresh_inventory", "reset_connection", "clear_facts", "end_batch");
                if (what == null || !known.contains(String.valueOf(what))) {
                    problems.add(new RunException.Problem(t.actionLocation(), "invalid meta action requested: " + what + "."
                            + Suggestions.didYouMean(String.valueOf(what), known)));
                }
            } else if (t.action().equals("include_role")) {
                RoleValidation.includeRole(t, previews, problems, n -> nodes(n, handlers));
            } else if (!Set.of("include_tasks", "import_tasks").contains(t.action())) {
                problems.add(new RunException.Problem(t.actionLocation(), "'" + t.action() + "' is not supported by drover yet"));
            }
            return;
        }
        Optional<Module> m = BuiltinModules.find(t.action());
        if (m.isEmpty() && !Templar.isTemplated(t.action())) {
            // no native version: Ansible's own module, run through Ansible (it checks its parameters on the host)
            dev.drover.modules.ansible.Resolution r = ansible.resolve(t.action(), RunContext.collections(t));
            if (r instanceof dev.drover.modules.ansible.Resolution.Found) {
                return;
            }
            if (r instanceof dev.drover.modules.ansible.Resolution.Refused refused) {
                int mark = problems.size();
                problems.add(new RunException.Problem(t.actionLocation(), "the module '" + t.action()
                        + "' cannot run in drover: " + refused.why() + "."));
                demote(t, mark, true); // Ansible has it: a task that may be skipped fails only if it runs
                return;
            }
        }
        if (m.isEmpty()) {
            Set<String> names = new TreeSet<>(BuiltinModules.all().keySet());
            names.addAll(Keywords.ENGINE_ACTIONS);
            ansible.all().forEach((name, how) -> {
                if (how instanceof dev.drover.modules.ansible.Resolution.Found) {
                    names.add(name);
                }
            });
            String hint = Suggestions.didYouMean(t.action(), names);
            if (hint.isEmpty()) {
                hint = Suggestions.didYouMean(t.action(), Keywords.TASK);
                if (!hint.isEmpty()) {
                    hint = " If it is a task keyword:" + hint;
                }
            }
            if (!ansible.available()) {
                hint += dev.drover.modules.ansible.AnsibleModules.MISSING_NOTE;
            }
            problems.add(new RunException.Problem(t.actionLocation(),
                    "couldn't resolve module/action '" + t.action() + "'." + hint));
            return;
        }
        ModuleSpec spec = m.get().spec();
        int mark = problems.size();
        for (Map.Entry<String, Object> e : t.args().entrySet()) {
            String name = e.getKey();
            Location where = t.argLocations().getOrDefault(name, t.actionLocation());
            if (name.equals(FreeForm.RAW)) {
                if (spec.freeForm() == null && !spec.acceptsAnyParam()) {
                    problems.add(new RunException.Problem(where, "the module '" + spec.name()
                            + "' takes key=value arguments, not free-form text: '" + e.getValue() + "'"));
                }
                continue;
            }
            if (spec.acceptsAnyParam()) {
                continue;
            }
            Optional<Param> p = spec.param(name);
            if (p.isEmpty()) {
                problems.add(new RunException.Problem(where, "Unsupported parameter for " + spec.name() + " module: "
                        + name + "." + Suggestions.didYouMean(name, spec.allParamNames())
                        + " Supported parameters include: " + String.join(", ", new TreeSet<>(spec.allParamNames())) + "."));
                continue;
            }
            Object v = e.getValue();
            if (!p.get().choices().isEmpty() && v != null && !(v instanceof String s && Templar.isTemplated(s))) {
                String text = dev.drover.module.Args.stringOf(v);
                if (!p.get().choices().contains(text)) {
                    problems.add(new RunException.Problem(where, "value of " + name + " must be one of: "
                            + String.join(", ", p.get().choices()) + ", got: " + text
                            + Suggestions.didYouMean(text, p.get().choices())));
                }
            }
        }
        Set<String> defaults = ModuleDefaults.literalNames(t.scope(), t.action());
        for (Param p : spec.params()) {
            if (!p.required() || defaults.contains("*")) {
                continue;
            }
            boolean given = t.args().containsKey(p.name()) || p.aliases().stream().anyMatch(t.args()::containsKey)
                    || defaults.contains(p.name()) || p.aliases().stream().anyMatch(defaults::contains)
                    || (spec.freeForm() != null && spec.freeForm().equals(p.name()) && t.args().containsKey(FreeForm.RAW));
            if (!given) {
                problems.add(new RunException.Problem(t.actionLocation(), "missing required arguments: " + p.name()));
            }
        }
        demote(t, mark, true);
        mark = problems.size();
        if (inputs != null) {
            inputs.check(t, problems, warnings);
        }
        demote(t, mark, false);
    }
}
