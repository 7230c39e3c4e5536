package dev.drover.engine;

import dev.drover.connection.ConnectionException;
import dev.drover.inventory.Host;
import dev.drover.inventory.InventoryException;
import dev.drover.playbook.Block;
import dev.drover.playbook.FreeForm;
import dev.drover.playbook.Keywords;
import dev.drover.playbook.Play;
import dev.drover.playbook.PlaybookException;
import dev.drover.playbook.PlaybookLoader;
import dev.drover.playbook.Scope;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskNode;
import dev.drover.template.TemplateException;
import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * One play, run with Ansible's linear strategy: each task runs on every active host in parallel
 * (up to forks), and the next task starts when all are done. A host that fails drops out of the
 * rest of the play; block/rescue/always and handlers follow Ansible's rules.
 */
final class PlayRun {
    private final RunContext rc;
    private final Play play;
    private final Map<String, Object> varsFilesVars = new LinkedHashMap<>();
    private List<String> hostNames = List.of();

    PlayRun(RunContext rc, Play play) {
        this.rc = rc;
        this.play = play;
        this.handlers.addAll(play.handlers());
    }

    Play play() {
        return play;
    }

    Scope playScope() {
        return play.scope();
    }

    Map<String, Object> varsFilesVars() {
        return varsFilesVars;
    }

    /** The answers to the play's vars_prompt (play variables). */
    Map<String, Object> promptVars() {
        return promptVars;
    }

    private final Map<String, Object> promptVars = new LinkedHashMap<>();

    List<String> hostNames() {
        return hostNames;
    }

    /** The hosts of the serial batch being run (all the play's hosts without serial). */
    java.util.Set<String> batchNames() {
        return batchNames;
    }

    private volatile java.util.Set<String> batchNames = java.util.Set.of();

    /**
     * The roles whose defaults and vars are play-wide, as in Ansible: {@code roles:}, import_role,
     * include_role with {@code public: true} (once included), each with its meta dependencies.
     */
    List<dev.drover.playbook.Role> roles() {
        return play.roles().exported();
    }

    private final RoleRuns roleRuns = new RoleRuns();

    /** Which roles ran on which hosts (each role once per play and host). */
    RoleRuns roleRuns() {
        return roleRuns;
    }

    /** The play's handlers: its own and its roles', then those of roles included at run time. */
    private final List<Task> handlers = java.util.Collections.synchronizedList(new ArrayList<>());

    List<Task> handlers() {
        return handlers;
    }

    /** What loading task files at run time needs: the play's roles, directory and handlers. */
    PlaybookLoader.Context loadContext() {
        return new PlaybookLoader.Context(play.roles(), play.baseDir(), handlers);
    }

    void run() throws RunException {
        promptVars.putAll(VarsPrompt.ask(rc, play));
        List<HostState> hosts = selectHosts();
        hostNames = hosts.stream().map(HostState::name).toList();
        hosts = hosts.stream().filter(HostState::active).toList();
        if (hosts.isEmpty()) {
            rc.events.emit(new RunEvent.PlayStarted(play.name(), hostNames, play.location()));
            rc.events.emit(new RunEvent.NoHostsMatched(play.name()));
            return;
        }
        List<List<HostState>> batches = batches(play.scope().keywords().get("serial"), hosts);
        for (int i = 0; i < batches.size() && !rc.interrupted; i++) {
            List<HostState> batch = batches.get(i);
            rc.events.emit(new RunEvent.PlayStarted(play.name(), hostNames, play.location()));
            if (i == 0) {
                loadVarsFiles(batch.get(0));
            }
            runBatch(batch);
            // Ansible: a batch whose hosts all failed (or any_errors_fatal / max_fail_percentage
            // tripped) ends the rollout and the playbook
            if (aborted || batch.stream().allMatch(h -> h.failed || h.unreachable)) {
                rc.stopPlaybook = true;
                return;
            }
        }
    }

    private volatile boolean aborted;
    private List<HostState> batch = List.of();

    private boolean free() {
        return "free".equals(String.valueOf(play.scope().keywords().getOrDefault("strategy", "linear")));
    }

    private void runBatch(List<HostState> hosts) {
        batch = hosts;
        batchNames = hosts.stream().map(HostState::name).collect(java.util.stream.Collectors.toUnmodifiableSet());
        if (free()) {
            // each host goes through the play at its own pace, on its own worker
            parallel(hosts, h -> {
                runSections(List.of(h));
                return null;
            });
        } else {
            runSections(hosts);
        }
    }

    private void runSections(List<HostState> hosts) {
        List<HostState> gather = factsToGather(hosts);
        if (!gather.isEmpty()) {
            gatherFacts(gather);
        }
        for (List<TaskNode> section : List.of(play.preTasks(), play.tasks(), play.postTasks())) {
            // a host that failed in an earlier section (pre_tasks, roles and tasks) is done with this play
            List<HostState> live = hosts.stream().filter(h -> !h.failed && !h.unreachable && !h.ended).toList();
            runNodes(section, live, false);
            flushHandlers(live);
            if (forceHandlers()) {
                // force_handlers: Ansible wraps each section in a block whose always flushes the
                // handlers, so a host that failed in it still runs what it was notified of
                flushHandlers(live.stream().filter(h -> h.failed && !h.unreachable && !h.ended).toList(), true);
            }
        }
    }

    /** Ansible's serial: a number, a percentage or a list of them (the last one repeats); at least one host a batch. */
    static List<List<HostState>> batches(Object serial, List<HostState> hosts) {
        List<Object> sizes = serial == null ? List.of() : serial instanceof List<?> l ? new ArrayList<>(l) : List.of(serial);
        if (sizes.isEmpty()) {
            return List.of(hosts);
        }
        List<List<HostState>> out = new ArrayList<>();
        int at = 0;
        int i = 0;
        while (at < hosts.size()) {
            Object s = sizes.get(Math.min(i++, sizes.size() - 1));
            String text = String.valueOf(s).trim();
            int n;
            if (text.endsWith("%")) {
                n = (int) (Double.parseDouble(text.substring(0, text.length() - 1)) / 100.0 * hosts.size());
            } else {
                n = (int) Double.parseDouble(text);
            }
            if (n <= 0) {
                n = text.endsWith("%") ? 1 : hosts.size();
            }
            int end = Math.min(hosts.size(), at + n);
            out.add(hosts.subList(at, end));
            at = end;
        }
        return out;
    }

    /** After a task: any_errors_fatal or max_fail_percentage may end the play for every host of the batch. */
    private void checkFatal(Task task, List<HostState> ran, Map<HostState, Integer> before, boolean rescuable) {
        if (aborted) {
            return;
        }
        boolean anyFailed = ran.stream().anyMatch(h -> h.unreachable || h.failures != before.get(h));
        if (!anyFailed) {
            return;
        }
        boolean fatal = !rescuable && Boolean.TRUE.equals(Keywords.toBool(task.scope().get("any_errors_fatal")
                .orElse(dev.drover.config.Settings.current().anyErrorsFatal())));
        if (fatal && free()) {
            fatal = false;
        }
        Object mfp = play.scope().keywords().get("max_fail_percentage");
        if (!fatal && mfp != null && !batch.isEmpty()) {
            long failed = batch.stream().filter(h -> h.failed || h.unreachable).count();
            fatal = (double) failed / batch.size() > Double.parseDouble(String.valueOf(mfp)) / 100.0;
        }
        if (fatal) {
            aborted = true;
            rc.events.emit(new RunEvent.NoMoreHosts());
        }
    }

    private List<HostState> selectHosts() throws RunException {
        try {
            List<Host> selected = rc.inventory.select(play.hosts());
            if (rc.options.limit() != null) {
                List<String> allowed = rc.inventory.select(rc.options.limit()).stream().map(Host::name).toList();
                selected = selected.stream().filter(h -> allowed.contains(h.name())).toList();
            }
            selected = ordered(selected, play.scope().keywords().get("order"));
            List<HostState> out = new ArrayList<>();
            for (Host h : selected) {
                HostState s = rc.hosts.get(h.name());
                if (s == null) {
                    s = new HostState(h, new LinkedHashMap<>(rc.inventory.varsFor(h, rc.playbookDir)));
                    rc.hosts.put(h.name(), s);
                }
                out.add(s);
            }
            return out;
        } catch (InventoryException e) {
            throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, e.location(), e.getMessage());
        }
    }

    /** The play's {@code order}: inventory (default), reverse_inventory, sorted, reverse_sorted, shuffle. */
    static List<Host> ordered(List<Host> hosts, Object order) {
        List<Host> out = new ArrayList<>(hosts);
        switch (order == null ? "inventory" : String.valueOf(order)) {
            case "sorted" -> out.sort(java.util.Comparator.comparing(Host::name));
            case "reverse_sorted" -> out.sort(java.util.Comparator.comparing(Host::name).reversed());
            case "reverse_inventory" -> java.util.Collections.reverse(out);
            case "shuffle" -> java.util.Collections.shuffle(out);
            default -> {
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private void loadVarsFiles(HostState first) throws RunException {
        for (String f : play.varsFiles()) {
            String name = f;
            try {
                Object rendered = rc.templar.render(f, VarsBuilder.build(rc, this, first, play.scope(), null));
                name = String.valueOf(rendered);
                Path p = play.baseDir().resolve(name);
                Object data = YamlLoader.loadData(p);
                if (data instanceof Map<?, ?> m) {
                    varsFilesVars.putAll((Map<String, Object>) m);
                } else if (data != null) {
                    throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, play.location(),
                            "vars file " + p + " must be a mapping");
                }
            } catch (TemplateException e) {
                throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, play.location(),
                        "vars_files entry '" + f + "': " + e.getMessage());
            } catch (YamlException e) {
                throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, e.location(),
                        "vars_files entry '" + name + "': " + e.getMessage());
            } catch (dev.drover.vault.VaultException e) {
                throw new RunException(ExitCodes.ERROR, play.location(), "vars_files entry '" + name + "': " + e.getMessage());
            }
        }
    }

    /**
     * The hosts whose facts the play gathers: its gather_facts keyword, else the configuration's
     * {@code gathering} (implicit: all; explicit: none; smart: the hosts not gathered yet in this run).
     */
    private List<HostState> factsToGather(List<HostState> hosts) {
        String gathering = dev.drover.config.Settings.current().gathering();
        if (play.scope().keywords().get("gather_facts") == null && gathering.equals("explicit")) {
            return List.of();
        }
        if (!play.gatherFacts()) {
            return List.of();
        }
        if (gathering.equals("smart")) {
            return hosts.stream().filter(h -> !h.facts.containsKey("module_setup")).toList();
        }
        return hosts;
    }

    private void gatherFacts(List<HostState> hosts) {
        rc.events.emit(new RunEvent.TaskStarted("Gathering Facts", false, play.location(), "gather_facts"));
        parallel(hosts, h -> {
            TaskResult r;
            try {
                Map<String, Object> keywords = TaskRun.connectionKeywords(rc, play.scope(),
                        VarsBuilder.build(rc, this, h, play.scope(), null));
                Map<String, Object> facts = Facts.gather(h.connection(keywords).shell(), play.scope().keywords());
                h.facts.putAll(facts);
                r = new TaskResult(h.name(), Status.OK, Map.of("changed", false), null, List.of(), List.of(), false, null);
            } catch (ConnectionException e) {
                r = TaskRun.unreachable(h, e);
                if (Boolean.TRUE.equals(Keywords.toBool(play.scope().keywords().get("ignore_unreachable")))) {
                    h.unreachable = false;
                    r = new TaskResult(r.host(), Status.UNREACHABLE, r.values(), null, List.of(), List.of(), true, null);
                }
            } catch (TemplateException | dev.drover.module.ModuleException e) {
                r = TaskRun.failure(h.name(), play.location() + ": " + e.getMessage());
                h.failures++;
                h.failed = true;
            }
            h.stats.count(r, false);
            rc.events.emit(new RunEvent.HostDone(r, false, false, false));
            return r;
        });
    }

    /** Runs task nodes on hosts; a host that fails (unignored) drops out of the rest of the list. */
    void runNodes(List<TaskNode> nodes, List<HostState> hosts, boolean rescuable) {
        runNodes(nodes, hosts, rescuable, List.of());
    }

    /** As above; {@code after}: the tasks that follow the list (for {@link ReadAhead}). */
    private void runNodes(List<TaskNode> nodes, List<HostState> hosts, boolean rescuable, List<Task> after) {
        List<HostState> live = new ArrayList<>(hosts);
        for (int i = 0; i < nodes.size(); i++) {
            TaskNode node = nodes.get(i);
            if (aborted || rc.interrupted) {
                return;
            }
            live.removeIf(h -> h.unreachable || h.ended);
            if (live.isEmpty()) {
                return;
            }
            Map<HostState, Integer> before = new LinkedHashMap<>();
            for (HostState h : live) {
                before.put(h, h.failures);
            }
            if (node instanceof Task t) {
                runTask(t, live, rescuable, ReadAhead.upcoming(nodes, i, after));
            } else if (node instanceof Block b) {
                runBlock(b, live, rescuable, ReadAhead.upcoming(nodes, i, after));
            }
            live.removeIf(h -> h.failures != before.get(h));
        }
    }

    private void runBlock(Block b, List<HostState> hosts, boolean rescuable, List<Task> after) {
        Map<HostState, Integer> before = new LinkedHashMap<>();
        for (HostState h : hosts) {
            before.put(h, h.failures);
        }
        Map<HostState, Integer> atStart = new LinkedHashMap<>(before);
        boolean hasRescue = !b.rescue().isEmpty();
        runNodes(b.block(), hosts, rescuable || hasRescue, after);
        if (dev.drover.playbook.RoleLoader.isRoleBlock(b)) {
            roleRuns.useDone(b.scope().role(), hosts);
        }
        if (hasRescue) {
            List<HostState> toRescue = hosts.stream()
                    .filter(h -> h.failures != before.get(h) && !h.unreachable).toList();
            if (!toRescue.isEmpty()) {
                for (HostState h : toRescue) {
                    h.failed = false;
                    h.stats.rescued();
                    before.put(h, h.failures);
                    if (h.lastFailedTask != null) {
                        h.hostVars.put("ansible_failed_task", h.lastFailedTask);
                        h.hostVars.put("ansible_failed_result", h.lastFailedResult);
                    }
                }
                runNodes(b.rescue(), toRescue, rescuable);
            }
        }
        if (!b.always().isEmpty()) {
            List<HostState> all = hosts.stream().filter(h -> !h.unreachable && !h.ended).toList();
            Map<HostState, Boolean> wasFailed = new LinkedHashMap<>();
            for (HostState h : all) {
                wasFailed.put(h, h.failed);
                h.failed = false;
            }
            runNodes(b.always(), all, rescuable);
            for (HostState h : all) {
                h.failed = h.failed || wasFailed.get(h);
            }
        }
        // a host whose failure was rescued must not drop out of the enclosing list
        for (HostState h : hosts) {
            if (!h.failed && h.failures != atStart.get(h) && hasRescue) {
                h.failures = atStart.get(h);
            }
        }
    }

    /** Runs a task on hosts; {@code upcoming}: the tasks after it, whose paths it may read ahead ({@link ReadAhead}). */
    private void runTask(Task task, List<HostState> hosts, boolean rescuable, List<Task> upcoming) {
        if (!Tags.shouldRun(task.scope().tags(), rc.options.tags(), rc.options.skipTags())) {
            return;
        }
        if (task.scope().role() != null) { // a role that already ran on a host runs once (no banner if on none)
            hosts = hosts.stream().filter(h -> !roleRuns.skip(task, h.name())).toList();
            if (hosts.isEmpty()) {
                return;
            }
        }
        switch (task.action()) {
            case "meta" -> {
                runMeta(task, hosts);
                return;
            }
            case "include_tasks" -> {
                runInclude(task, hosts, rescuable);
                return;
            }
            case "include_role" -> {
                new RoleIncludes(rc, this).run(task, hosts, rescuable);
                return;
            }
            default -> {
            }
        }
        rc.events.emit(new RunEvent.TaskStarted(taskName(task, hosts.get(0)), task.handler(), task.location(), task.action()));
        if (free() && Boolean.TRUE.equals(Keywords.toBool(task.scope().get("any_errors_fatal")
                .orElse(dev.drover.config.Settings.current().anyErrorsFatal())))) {
            rc.events.emit(new RunEvent.Warning("Using any_errors_fatal with the free strategy is not supported, as tasks"
                    + " are executed independently on each host"));
        }
        Map<HostState, Integer> before = new LinkedHashMap<>();
        for (HostState h : hosts) {
            before.put(h, h.failures);
        }
        runTaskOnHosts(task, hosts, rescuable, upcoming);
        checkFatal(task, hosts, before, rescuable);
    }

    private final Map<Task, java.util.concurrent.Semaphore> throttles = new java.util.concurrent.ConcurrentHashMap<>();

    private void runTaskOnHosts(Task task, List<HostState> hosts, boolean rescuable, List<Task> upcoming) {
        Object runOnce = task.scope().get("run_once").orElse(false);
        if (Boolean.TRUE.equals(Keywords.toBool(runOnce)) || ControlActions.ONCE_PER_PLAY.contains(task.action())) {
            HostState first = hosts.get(0);
            TaskResult r = new TaskRun(rc, this, task, first, rescuable, upcoming).run();
            for (HostState other : hosts.subList(1, hosts.size())) {
                TaskRun.registerCopy(task, other, r);
            }
            return;
        }
        int throttle = throttle(task);
        if (throttle <= 0) {
            parallel(hosts, h -> new TaskRun(rc, this, task, h, rescuable, upcoming).run());
            return;
        }
        // throttle: at most N hosts run this task at once (shared by the hosts of a free play)
        java.util.concurrent.Semaphore gate = throttles.computeIfAbsent(task, t -> new java.util.concurrent.Semaphore(throttle));
        parallel(hosts, h -> {
            gate.acquireUninterruptibly();
            try {
                return new TaskRun(rc, this, task, h, rescuable, upcoming).run();
            } finally {
                gate.release();
            }
        });
    }

    private static int throttle(Task task) {
        Object t = task.scope().get("throttle").orElse(null);
        if (t == null) {
            return 0;
        }
        try {
            return (int) Double.parseDouble(String.valueOf(t).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String taskName(Task task, HostState h) {
        if (task.name() == null || !dev.drover.template.Templar.isTemplated(task.name())) {
            return task.displayName();
        }
        try {
            Map<String, Object> vars = VarsBuilder.build(rc, this, h, task.scope(), null);
            String rendered = String.valueOf(rc.templar.render(task.name(), vars));
            return task.scope().role() != null ? task.scope().role().name() + " : " + rendered : rendered;
        } catch (TemplateException | RuntimeException e) {
            return task.displayName();
        }
    }

    private void runMeta(Task task, List<HostState> hosts) {
        String what = String.valueOf(task.args().getOrDefault(FreeForm.RAW, task.args().get("_raw_params")));
        switch (what) {
            case "flush_handlers" -> flushHandlers(hosts);
            case "end_play" -> hosts.forEach(h -> h.ended = true);
            case "end_host" -> hosts.forEach(h -> h.ended = true);
            case "clear_host_errors" -> rc.hosts.values().forEach(h -> h.failed = false);
            case "reset_connection" -> hosts.forEach(HostState::resetConnections);
            default -> {
            }
        }
    }

    private void runInclude(Task task, List<HostState> hosts, boolean rescuable) {
        // one run of the included file per file and loop item, with the hosts that asked for it
        Map<String, List<HostState>> byFile = new LinkedHashMap<>();
        Map<String, Map<String, Object>> loopVarsOf = new LinkedHashMap<>();
        Map<String, String> fileOf = new LinkedHashMap<>();
        for (HostState h : hosts) {
            if (!h.active()) {
                continue;
            }
            try {
                Map<String, Object> vars = VarsBuilder.build(rc, this, h, task.scope(), null);
                List<Object> items;
                try {
                    items = Loops.items(rc, task, vars);
                } catch (TemplateException e) {
                    if (LoopErrors.skipsWithoutItem(e, task, vars, rc.templar)) {
                        // as a task: the loop's error only counts when the condition holds
                        h.stats.count(TaskRun.skipped(h.name(), null), rescuable);
                        continue;
                    }
                    throw e;
                }
                List<Map<String, Object>> perItem = new ArrayList<>();
                if (items == null) {
                    perItem.add(null);
                } else {
                    perItem.addAll(Loops.includeItemVars(task, items));
                }
                boolean included = false;
                for (Map<String, Object> loopVars : perItem) {
                    Map<String, Object> v = loopVars == null ? vars : VarsBuilder.build(rc, this, h, task.scope(), loopVars);
                    if (!rc.templar.isTrue(task.scope().conditions(), v)) {
                        continue;
                    }
                    included = true;
                    Object file = rc.templar.render(task.args().getOrDefault("file", task.args().get(FreeForm.RAW)), v);
                    String key = file + "\u0000" + (loopVars == null ? "" : String.valueOf(loopVars));
                    byFile.computeIfAbsent(key, k -> new ArrayList<>()).add(h);
                    fileOf.put(key, String.valueOf(file));
                    loopVarsOf.put(key, loopVars);
                }
                if (!included) { // Ansible counts a skipped include (a false when, no items) as skipped
                    h.stats.count(TaskRun.skipped(h.name(), null), rescuable);
                }
            } catch (TemplateException e) {
                TaskResult r = TaskRun.failure(h.name(), e.getMessage() + " (" + task.location() + ")");
                h.failures++;
                h.failed = true;
                h.stats.count(r, rescuable);
                rc.events.emit(new RunEvent.HostDone(r, false, false, false));
            }
        }
        for (Map.Entry<String, List<HostState>> e : byFile.entrySet()) {
            try {
                Path p = PlaybookLoader.resolveTaskFile(Map.of("file", fileOf.get(e.getKey())), task.file(),
                        task.scope(), task.location());
                Map<String, Object> loopVars = loopVarsOf.get(e.getKey());
                Scope parent = includedScope(task, loopVars);
                List<TaskNode> nodes = rc.loader.tasksFile(p, parent, task.handler(), loadContext());
                roleRuns.included(task.scope().role(), e.getValue());
                List<RunException.Problem> refused = Validator.validateIncluded(nodes, handlerNames(play), rc.ansible);
                if (!refused.isEmpty()) { // ansible-playbook: a parser error in an included file ends the run
                    throw new RunAbort(new RunException(ExitCodes.UNREACHABLE_OR_PARSE, refused));
                }
                rc.events.emit(new RunEvent.Included(p.toString(), e.getValue().stream().map(HostState::name).toList()));
                for (HostState h : e.getValue()) { // Ansible counts each include (per item) as ok
                    h.stats.count(new TaskResult(h.name(), Status.OK, Map.of("changed", false), null, List.of(),
                            List.of(), false, null), rescuable);
                }
                runNodes(nodes, e.getValue(), rescuable);
            } catch (PlaybookException | dev.drover.vault.VaultException | IllegalArgumentException | ClassCastException ex) {
                String why = ex instanceof PlaybookException pe ? pe.describe() : ex instanceof RuntimeException
                        ? task.location() + ": drover could not load this file (" + ex + "); this is a defect of drover"
                        : ex.getMessage();
                for (HostState h : e.getValue()) {
                    TaskResult r = TaskRun.failure(h.name(), why);
                    h.failures++;
                    h.failed = true;
                    h.stats.count(r, rescuable);
                    rc.events.emit(new RunEvent.HostDone(r, false, false, false));
                }
            }
        }
    }

    /**
     * The scope of dynamically included tasks: the include's own keywords (when, tags, become…)
     * apply to the include only, as in Ansible (which needs {@code apply:} to pass them on); its
     * {@code vars} and loop variables reach the included tasks.
     */
    @SuppressWarnings("unchecked")
    static Scope includedScope(Task include, Map<String, Object> loopVars) {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (include.own("vars") instanceof Map<?, ?> m) {
            vars.putAll((Map<String, Object>) m);
        }
        if (loopVars != null) {
            vars.putAll(loopVars);
        }
        Scope enclosing = include.scope().parent();
        return enclosing == null ? Scope.root(Map.of("vars", vars)) : enclosing.child(Map.of("vars", vars));
    }

    /** force_handlers: the play's keyword, else --force-handlers. */
    boolean forceHandlers() {
        Object f = play.scope().keywords().get("force_handlers");
        Boolean b = f == null ? null : Keywords.toBool(f);
        return b == null ? rc.options.forceHandlers() : b;
    }

    /** Runs notified handlers, in the order they are defined, until none is notified. */
    void flushHandlers(List<HostState> hosts) {
        flushHandlers(hosts, false);
    }

    /** As {@link #flushHandlers(List)}; with {@code failedToo}, for hosts that failed (force_handlers). */
    private void flushHandlers(List<HostState> hosts, boolean failedToo) {
        java.util.function.Predicate<HostState> takes = failedToo ? h -> !h.unreachable && !h.ended : HostState::active;
        boolean ran = !aborted && !rc.interrupted;
        while (ran) {
            ran = false;
            // every handler named or listening to a notification runs, so take them all first
            Map<HostState, Set<String>> pending = new LinkedHashMap<>();
            for (HostState h : hosts) {
                if (takes.test(h) && !h.notified.isEmpty()) {
                    pending.put(h, new java.util.LinkedHashSet<>(h.notified));
                    h.notified.clear();
                }
            }
            List<Task> all = List.copyOf(handlers);
            for (Task handler : all) {
                List<HostState> notified = new ArrayList<>();
                for (HostState h : hosts) {
                    Set<String> p = pending.get(h);
                    if (takes.test(h) && p != null && p.stream().anyMatch(n -> notifies(all, handler, n))) {
                        notified.add(h);
                    }
                }
                if (!notified.isEmpty()) {
                    ran = true;
                    runNodes(List.of(handler), notified, false);
                }
            }
        }
    }

    /**
     * A notification runs the first handler of that name (a role used twice with other parameters
     * has its handlers twice) and every handler listening to it, as Ansible 2.14.
     */
    private static boolean notifies(List<Task> all, Task handler, String notification) {
        if (Keywords.stringList(handler.own("listen")).contains(notification)) {
            return true;
        }
        for (Task h : all) {
            if (notification.equals(h.name()) || notification.equals(h.displayName())) {
                return h == handler;
            }
        }
        return false;
    }

    /** Known notification names, for the validator's check of {@code notify}. */
    static Set<String> handlerNames(Play play) {
        Set<String> names = new java.util.HashSet<>();
        for (Task h : play.handlers()) {
            if (h.name() != null) {
                names.add(h.name());
                names.add(h.displayName());
            }
            names.addAll(Keywords.stringList(h.own("listen")));
        }
        return names;
    }

    interface HostJob {
        TaskResult run(HostState h);
    }

    private void parallel(List<HostState> hosts, HostJob job) {
        if (hosts.size() == 1) {
            job.run(hosts.get(0));
            return;
        }
        List<Future<TaskResult>> futures = new ArrayList<>();
        for (HostState h : hosts) {
            futures.add(rc.pool.submit(() -> job.run(h)));
        }
        for (Future<TaskResult> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re; // a RunAbort ends the run; anything else is reported by Runner as it is
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
