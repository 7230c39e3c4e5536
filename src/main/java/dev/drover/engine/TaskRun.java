package dev.drover.engine;

import dev.drover.connection.Become;
import dev.drover.connection.CommandResult;
import dev.drover.connection.Connection;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.HostView;
import dev.drover.module.Module;
import dev.drover.module.ModuleException;
import dev.drover.module.Param;
import dev.drover.module.Plan;
import dev.drover.module.ShellHostView;
import dev.drover.module.SimulatedHostView;
import dev.drover.playbook.FreeForm;
import dev.drover.playbook.Keywords;
import dev.drover.playbook.Task;
import dev.drover.template.TemplateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task on one host: conditions, loop, arguments, the module's plan, then apply (or simulate
 * in check mode), changed_when/failed_when/until, register, notify, and the result event.
 */
final class TaskRun {
    static final String NO_LOG_MESSAGE =
            "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

    private final RunContext rc;
    private final PlayRun play;
    private final Task task;
    private final HostState h;
    private final boolean rescuable;
    /** The tasks that run after this one (for {@link ReadAhead}). */
    private final List<Task> upcoming;
    /** The task's async limit in seconds (0: not async) and poll interval, templated per run. */
    private int asyncLimit;
    private int asyncPoll;
    /** Fact gathering: its answers (uptime, time, addresses) change all the time; a plan does not depend on them. */
    private static final java.util.Set<String> FACT_ACTIONS = java.util.Set.of("setup", "gather_facts",
            "ansible.builtin.setup", "ansible.builtin.gather_facts");

    /** Check mode did not run this task's command (on some item): what it registers is unknown. */
    private boolean skippedForCheck;
    /** The paths of this task's loop items, read at once (null: none); see {@link LoopPrefetch}. */
    private LoopPrefetch loopPrefetch;
    /** Changes this task applied on the host so far: what was read before one may be stale. */
    private int applied;
    /** The paths of this task's loop items when they are read with the next tasks' ({@link ReadAhead}); else null. */
    private List<String> loopPaths;
    /**
     * Each loop item's path (null where none renders; null when the module reads none): an item's
     * change re-reads the next items' in the same round trip ({@link PlanApplier.FollowUp}).
     */
    private List<String> loopItemPaths;
    private boolean loopItemContent;
    /** The loop item running now (0 outside a loop). */
    private int itemIndex;
    /** The running item's re-read of the next items' paths, and what it read; null when none. */
    private dev.drover.module.PathPrefetch.Request rereadRequest;
    private CommandResult reread;

    TaskRun(RunContext rc, PlayRun play, Task task, HostState h, boolean rescuable) {
        this(rc, play, task, h, rescuable, List.of());
    }

    TaskRun(RunContext rc, PlayRun play, Task task, HostState h, boolean rescuable, List<Task> upcoming) {
        this.rc = rc;
        this.play = play;
        this.task = task;
        this.h = h;
        this.rescuable = rescuable;
        this.upcoming = upcoming;
    }

    /** Runs the task, records its outcome on the host and tells the listeners. */
    TaskResult run() {
        if (rc.interrupted) {
            return new TaskResult(h.name(), Status.SKIPPED, Map.of("changed", false), null, List.of(), List.of(), false, null);
        }
        TaskResult r;
        boolean noLog = false;
        Map<String, Object> vars = null;
        try {
            vars = VarsBuilder.build(rc, play, h, task.scope(), null);
            noLog = bool(task.scope().get("no_log").orElse(false), vars);
            if (rc.options.plan().expected() != null) {
                // applying a plan: before the host's first task, its state must be what the plan was made against
                String drift = PlanDrift.verifyOnce(rc, h, h.connection(connectionKeywords(rc, task.scope(), vars)),
                        become(vars));
                if (drift != null) {
                    TaskResult refused = unreachable(h, new ConnectionException(drift));
                    finish(refused, noLog);
                    return refused;
                }
            }
            java.util.Optional<String> unknown = rc.options.check() ? UnknownValues.dependency(task, h.unknown)
                    : java.util.Optional.empty();
            r = unknown.isPresent() ? UnknownValues.forecast(h.name(), task.action(), UnknownValues.reason(unknown.get(), h.unknown))
                    : execute(vars, noLog);
        } catch (ConnectionTypes.NotFound e) {
            // as Ansible's TaskExecutor: a connection plugin that is not there fails the task, the host is reachable
            r = TaskOutcomes.ignoredIf(failure(h.name(), e.getMessage()), task, vars, rc.templar);
        } catch (ConnectionException e) {
            r = unreachable(h, e);
            if (ignoreUnreachable()) { // the host stays in the play; Ansible counts the task ok and ignored
                h.unreachable = false;
                r = new TaskResult(r.host(), Status.UNREACHABLE, r.values(), null, List.of(), List.of(), true, null);
            }
        } catch (TemplateException e) {
            // a template error (in the arguments, the task's vars, a condition) fails the task as
            // Ansible's TaskExecutor does: ignore_errors and rescue still apply
            r = TaskOutcomes.ignoredIf(failure(h.name(), task.location() + ": " + e.getMessage()), task, vars, rc.templar);
        } catch (HostReads.Moved e) {
            // applying a plan: a read kept by hash answered otherwise; this host stops here
            r = unreachable(h, new ConnectionException("refused: the host moved since the plan was made: " + e.what
                    + " changed; make a new plan"));
        } catch (RuntimeException e) {
            // a defect in drover: this task fails on this host (the run goes on), never a crash of the run
            r = TaskOutcomes.internalError(h.name(), task, e);
        }
        finish(r, noLog);
        return r;
    }

    private boolean ignoreUnreachable() {
        try {
            return bool(task.scope().get("ignore_unreachable").orElse(false), VarsBuilder.build(rc, play, h, task.scope(), null));
        } catch (TemplateException | RuntimeException e) {
            return false;
        }
    }

    private void finish(TaskResult r, boolean noLog) {
        h.lastStepRan = applied > 0;
        if (rc.interrupted) {
            return; // abandoned by Ctrl-C: its connection was closed under it
        }
        if (r.status() == Status.UNREACHABLE && !r.ignored()) {
            h.unreachable = true;
        } else if (r.status() == Status.FAILED && !r.ignored()) {
            h.failures++;
            h.failed = true;
            Map<String, Object> failedTask = new LinkedHashMap<>();
            failedTask.put("name", task.name() == null ? "" : task.name());
            failedTask.put("action", task.action());
            failedTask.put("args", task.args());
            h.lastFailedTask = failedTask;
            h.lastFailedResult = noLog ? censor(r, true).values() : r.values();
        }
        Object register = task.own("register");
        if (register != null && r.status() != Status.UNREACHABLE) {
            h.hostVars.put(String.valueOf(register), r.values());
        }
        if (rc.options.check()) {
            trackUnknowns(r, register);
        }
        if (r.status() == Status.CHANGED) {
            for (String n : Keywords.stringList(task.scope().get("notify").orElse(null))) {
                h.notified.add(n);
            }
        }
        h.stats.count(r, rescuable);
        play.roleRuns().taskDone(task, h.name(), r.status());
        boolean showDiff = diffMode();
        rc.events.emit(new RunEvent.HostDone(censor(r, noLog), noLog, showDiff, false));
    }

    /**
     * Check mode: what this task registers (or sets, for set_fact) is unknown when check mode did not
     * run it or when it read an unknown itself; known again when it ran.
     */
    private void trackUnknowns(TaskResult r, Object register) {
        String why = UnknownValues.isUnknown(r) ? String.valueOf(r.values().get(UnknownValues.KEY))
                : skippedForCheck ? UnknownValues.NOT_RUN : null;
        java.util.List<String> names = new java.util.ArrayList<>();
        if (register != null) {
            names.add(String.valueOf(register));
        }
        if (task.action().equals("set_fact")) {
            task.args().keySet().stream().filter(k -> !k.equals("cacheable")).forEach(names::add);
        }
        for (String n : names) {
            if (why != null) {
                h.unknown.put(n, why);
            } else {
                h.unknown.remove(n);
            }
        }
    }

    /** Copies a run_once result to another host (register, notify, stats), as Ansible does. */
    static void registerCopy(Task task, HostState other, TaskResult r) {
        Object register = task.own("register");
        if (register != null) {
            other.hostVars.put(String.valueOf(register), r.values());
        }
        // include_vars with run_once defines its variables on every host of the play, as Ansible
        if (task.action().equals("include_vars") && !r.failed() && r.values().get("ansible_facts") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> other.includedVars.put(String.valueOf(k), v));
        }
    }

    private TaskResult execute(Map<String, Object> vars, boolean noLog) throws ConnectionException, TemplateException {
        Object loop;
        try {
            loop = Loops.items(rc, task, vars);
        } catch (TemplateException e) {
            if (LoopErrors.skipsWithoutItem(e, task, vars, rc.templar)) {
                return skipped(h.name(), null);
            }
            throw e;
        }
        if (loop == null) {
            if (!rc.templar.isTrue(task.scope().conditions(), vars)) {
                return skipped(h.name(), null);
            }
            return once(vars, null);
        }
        List<?> items = (List<?>) loop;
        Map<String, Object> control = Loops.control(task);
        String loopVar = String.valueOf(control.getOrDefault("loop_var", "item"));
        Object indexVar = control.get("index_var");
        List<TaskResult> results = new ArrayList<>();
        // a module that reads one path per item: all items' variables first, to read their paths at once
        // (its items set no facts, so each item's variables are what they would be when it runs)
        Module probing = rc.module(task.action(), RunContext.collections(task)).filter(m -> m.pathProbe() != null)
                .orElse(null);
        List<Map<String, Object>> prebuilt = probing == null || items.size() < 2 ? null : new ArrayList<>();
        for (int i = 0; prebuilt != null && i < items.size(); i++) {
            prebuilt.add(VarsBuilder.build(rc, play, h, task.scope(), Loops.itemVars(loopVar, indexVar, items, i)));
        }
        // each item's path rendered once: read ahead, read at once, re-read after an item's change
        loopItemPaths = prebuilt == null ? null : LoopPrefetch.pathsEach(task, probing, rc.templar, prebuilt);
        if (prebuilt != null && !h.lastStepRan && !upcoming.isEmpty()) {
            loopPaths = LoopPrefetch.present(loopItemPaths); // read with the next tasks' paths
        }
        loopPrefetch = prebuilt == null || loopPaths != null ? null : LoopPrefetch.plan(loopItemPaths, probing);
        loopItemContent = probing != null && probing.pathProbe().content();
        for (int i = 0; i < items.size(); i++) {
            itemIndex = i;
            Object item = items.get(i);
            Map<String, Object> itemVars = prebuilt != null ? prebuilt.get(i)
                    : VarsBuilder.build(rc, play, h, task.scope(), Loops.itemVars(loopVar, indexVar, items, i));
            String label = Loops.label(rc, control, itemVars, item);
            TaskResult ir;
            if (!rc.templar.isTrue(task.scope().conditions(), itemVars)) {
                ir = skipped(h.name(), label);
            } else {
                ir = once(itemVars, label);
            }
            Map<String, Object> v = new LinkedHashMap<>(ir.values());
            v.put(loopVar, item);
            v.put("ansible_loop_var", loopVar);
            ir = new TaskResult(ir.host(), ir.status(), v, label, List.of(), ir.diffs(), ir.ignored(), ir.delegatedTo());
            results.add(ir);
            rc.events.emit(new RunEvent.ItemDone(censor(ir, noLog), noLog, diffMode()));
        }
        return Loops.aggregate(h.name(), results);
    }

    /**
     * The shell died while the first attempt was still planning (only reading the host): nothing of
     * the task ran, so it is planned again once on a new shell (see {@link #once}).
     */
    private static final class LostWhilePlanning extends ConnectionException {
        LostWhilePlanning(ConnectionException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Runs the module once (one loop item, or the task), with until/retries. A shell can end
     * between two tasks for reasons outside drover (a process manager, the OOM killer, an admin's
     * kill): Ansible would not notice, starting a process per task. So when the shell is found
     * gone while the task is still planning, the task starts over once on a new shell (the
     * connection opens one); a shell lost while changing the host, or twice, leaves the host
     * unreachable as before.
     */
    private TaskResult once(Map<String, Object> vars, String label) throws ConnectionException, TemplateException {
        try {
            return onceOnShell(vars, label);
        } catch (LostWhilePlanning e) {
            rc.events.emit(new RunEvent.Warning(h.name() + ": " + e.getMessage() + "; planning the task again on a new shell"));
            try {
                return onceOnShell(vars, label);
            } catch (LostWhilePlanning again) {
                throw (ConnectionException) again.getCause();
            }
        }
    }

    private TaskResult onceOnShell(Map<String, Object> vars, String label) throws ConnectionException, TemplateException {
        Module module = rc.module(task.action(), RunContext.collections(task)).orElse(null);
        if (module == null) { // the validator refuses it first (for included files too); never a crash
            if (rc.ansible.resolve(task.action(), RunContext.collections(task))
                    instanceof dev.drover.modules.ansible.Resolution.Refused refused) { // warned before the run
                return failure(h.name(), task.actionLocation() + ": the module '" + task.action()
                        + "' cannot run in drover: " + refused.why() + ".");
            }
            return failure(h.name(), task.actionLocation() + ": couldn't resolve module/action '" + task.action() + "'");
        }
        if (task.action().equals("debug") && task.args().containsKey("verbosity")) {
            Object v = rc.templar.render(task.args().get("verbosity"), vars);
            if (Integer.parseInt(String.valueOf(v)) > rc.options.verbosity()) {
                // what ansible's debug action returns (no 'changed', its own reason)
                Map<String, Object> sv = new LinkedHashMap<>();
                sv.put("skipped_reason", "Verbosity threshold not met.");
                sv.put("skipped", true);
                return new TaskResult(h.name(), Status.SKIPPED, sv, label, List.of(), List.of(), false, null);
            }
        }
        Map<String, Object> args = renderArgs(module, vars);
        boolean check = checkMode(vars);
        asyncLimit = task.own("async") == null ? 0 : intValue(task.own("async"), vars);
        asyncPoll = task.own("poll") == null ? 15 : intValue(task.own("poll"), vars);
        if (asyncLimit > 0 && AsyncJobs.refusal(task.action(), check) != null) {
            TaskResult f = failure(h.name(), AsyncJobs.refusal(task.action(), check));
            return new TaskResult(h.name(), Status.FAILED, f.values(), label, List.of(), List.of(),
                    bool(task.scope().get("ignore_errors").orElse(false), vars), null);
        }
        Object delegate = task.scope().get("delegate_to").orElse(null);
        String delegateTo = delegate == null ? null : String.valueOf(rc.templar.render(delegate, vars));
        Map<String, Object> connKeywords = connectionKeywords(rc, task.scope(), vars);
        Become become = become(vars);
        dev.drover.module.UserState[] futureUser = new dev.drover.module.UserState[1];
        LazyShell.Opener open = () -> {
            Connection conn = Delegation.connection(rc, h, delegateTo, connKeywords);
            futureUser[0] = check && become != null ? userThisRunCreates(conn, become.user()) : null;
            if (become == null) {
                return conn.shell();
            } else if (futureUser[0] == null) {
                return conn.shell(become);
            }
            // check mode, becoming a user an earlier step would create: no shell can run as them
            // yet; plan as root against the simulation, which answers as that user
            return conn.shell(new Become("root", become.method(), become.password()));
        };
        // actions that run on the controller (debug, set_fact, …) never connect, as in Ansible:
        // an unreachable host still answers them (ignore_unreachable)
        Shell shell = LazyShell.CONTROLLER_ONLY.contains(task.action()) ? new LazyShell(open,
                become == null ? null : become.user()) : open.open();
        dev.drover.module.UserState future = futureUser[0];
        ShellHostView live = new ShellHostView(shell, delegateTo != null || shell instanceof LazyShell ? null
                : loopPrefetch != null ? loopPrefetch.forShell(shell, applied) : readAhead(shell, module, args));
        HostView view = live;
        if (check && rc.options.plan().record() && delegateTo == null && !FACT_ACTIONS.contains(task.action())) {
            // a plan records what it was made against (the facts' volatile values are not part of it)
            view = HostReads.recording(view, become == null ? "" : become.user() + "/" + become.method(), h.reads);
        }
        if (!check && rc.options.plan().expected() != null && delegateTo == null && !FACT_ACTIONS.contains(task.action())) {
            Map<String, String> expected = rc.options.plan().expected().getOrDefault(h.name(), Map.of());
            if (expected.keySet().stream().anyMatch(k -> k.startsWith("sha256:"))) {
                view = HostReads.verifying(view, become == null ? "" : become.user() + "/" + become.method(), expected);
            }
        }
        if (check) {
            view = new SimulatedHostView(view, h.simulated, future);
        }
        TaskContext ctx = new TaskContext(rc, task, h.name(), new Args(module.spec(), args), view, vars, diffMode());
        Map<String, Object> env = environment(vars);
        Duration timeout = timeout(vars);

        Object until = task.scope().get("until").orElse(null);
        int retries = until == null ? 1 : intValue(task.scope().get("retries").orElse(3), vars) + 1;
        int delay = intValue(task.scope().get("delay").orElse(5), vars);
        TaskResult r = null;
        for (int attempt = 1; attempt <= Math.max(1, retries); attempt++) {
            if (attempt > 1) {
                live.forget(); // the host may have changed since the last plan
            }
            r = attempt(module, ctx, view, shell, check, env, timeout, vars, label, delegateTo, attempt == 1);
            if (until == null || r.status() == Status.SKIPPED) {
                break;
            }
            // as in Ansible, the result's attempts count is visible to the until condition
            Map<String, Object> v = new LinkedHashMap<>(r.values());
            v.put("attempts", attempt);
            boolean done = rc.templar.isTrue(until, withRegistered(vars, v));
            if (done) {
                r = with(r, v, r.status());
                break;
            }
            if (attempt < retries) {
                rc.events.emit(new RunEvent.Retrying(h.name(), task.displayName(), retries - attempt, r));
                sleep(delay);
            } else {
                v.put("failed", true);
                v.putIfAbsent("msg", "Retries exhausted");
                boolean ignored = bool(task.scope().get("ignore_errors").orElse(false), vars);
                r = new TaskResult(r.host(), Status.FAILED, v, r.item(), r.items(), r.diffs(), ignored, r.delegatedTo());
            }
        }
        return r;
    }

    /**
     * The re-read of the next loop items' paths to run with this item's change, or null: not in a
     * loop, no item after this one with a path, or a delegated task. Only this host's own changes
     * matter within a task: other hosts run the same task at the same time, in no order.
     */
    private PlanApplier.FollowUp rereadAfter(Shell shell, String delegateTo) {
        reread = null;
        rereadRequest = null;
        if (loopItemPaths == null || delegateTo != null || itemIndex + 1 >= loopItemPaths.size()) {
            return null;
        }
        List<String> next = loopItemPaths.subList(itemIndex + 1, loopItemPaths.size()).stream()
                .filter(java.util.Objects::nonNull).toList();
        if (next.isEmpty()) {
            return null;
        }
        dev.drover.module.PathPrefetch.Request req = dev.drover.module.PathPrefetch.request(shell, next,
                loopItemContent ? java.util.Set.copyOf(next) : java.util.Set.of());
        if (req.script == null) {
            return null;
        }
        rereadRequest = req;
        return new PlanApplier.FollowUp(req.script, r -> reread = r);
    }

    /** What this item's change re-read, for the next items (see {@link #rereadAfter}). */
    private void takeReread() {
        CommandResult r = reread;
        dev.drover.module.PathPrefetch.Request req = rereadRequest;
        reread = null;
        rereadRequest = null;
        if (r == null || req == null) {
            return;
        }
        try {
            loopPrefetch = LoopPrefetch.reread(req.complete(r), applied);
        } catch (ConnectionException e) {
            org.slf4j.LoggerFactory.getLogger(TaskRun.class).debug("re-read of the next items' paths failed: {}", e.getMessage());
        }
    }

    /**
     * What was read ahead of the host's paths and is still valid, reading it now (this step's
     * paths and the next tasks') when this step reads a path not read yet and the host's previous
     * step ran no command; see {@link ReadAhead}.
     */
    private dev.drover.module.PathPrefetch readAhead(Shell shell, Module module, Map<String, Object> args) {
        ReadAhead ahead = h.readAhead;
        Module.PathProbe probe = module.pathProbe();
        List<String> own = probe == null ? List.of() : loopPaths != null ? loopPaths
                : args.get(probe.param()) instanceof String p && p.startsWith("/") ? List.of(p) : List.of();
        if (own.isEmpty() || (ahead != null && ahead.covers(rc, shell, own)) || h.lastStepRan || applied > 0
                || task.scope().get("delegate_to").isPresent()) {
            return ahead == null ? null : ahead.valid(rc, shell);
        }
        ahead = ReadAhead.read(rc, play, h, shell, own, probe.content(), upcoming);
        h.readAhead = ahead;
        return ahead == null ? null : ahead.valid(rc, shell);
    }

    private TaskResult attempt(Module module, TaskContext ctx, HostView view, Shell shell, boolean check,
                               Map<String, Object> env, Duration timeout, Map<String, Object> vars, String label,
                               String delegateTo, boolean firstAttempt) throws ConnectionException, TemplateException {
        Map<String, Object> values = new LinkedHashMap<>();
        boolean failed = false;
        boolean changed = false;
        List<dev.drover.module.Diff> diffs = List.of();
        PlanApplier applier = new PlanApplier(rc, h.name(), task.action(), task.displayName(), ctx.noLog(), shell, env,
                timeout);
        try {
            Plan plan;
            ArgumentCheck.check(module.spec(), task, ctx.args());
            try {
                plan = module.plan(ctx);
                if (task.action().equals("async_status")) {
                    plan = AsyncJobs.completed(plan, h.asyncJobs);
                }
                plan = ControlActions.apply(rc, h, play.hostNames(), task.action(), task.displayName(), plan);
            } catch (ConnectionException e) {
                if (firstAttempt && !(e instanceof dev.drover.connection.CommandTimeoutException)) {
                    throw new LostWhilePlanning(e);
                }
                throw e;
            }
            diffs = plan.diffs();
            if (check) {
                if (plan.check() == Plan.CheckBehaviour.SKIP) {
                    skippedForCheck = true;
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("changed", false);
                    v.put("skipped", true);
                    // the module's own wording when it gives one (wait_for, uri: "remote module (X) does not support check mode")
                    v.put("msg", String.valueOf(plan.values().getOrDefault("msg", "Command would have run if not in check mode")));
                    return new TaskResult(h.name(), Status.SKIPPED, v, label, List.of(), List.of(), false, delegateTo);
                }
                values.putAll(applier.forecast(plan, h.simulated, view));
            } else if (asyncLimit > 0) {
                rc.asyncLaunched = true;
                values.putAll(applier.applyAsync(plan, asyncLimit, asyncPoll, h.asyncJobs));
            } else {
                values.putAll(applier.apply(plan, rereadAfter(shell, delegateTo)));
            }
            // a mapper may say what ran changed nothing (wait_for, uri: probes that must not run in check mode)
            boolean answered = !check || plan.check() == Plan.CheckBehaviour.SELF_FORECAST;
            changed = answered && values.get("changed") instanceof Boolean b ? b : plan.changesSomething();
            if (diffs.isEmpty() && values.containsKey("diff")) { // a module run through Ansible says its diff
                diffs = dev.drover.module.Diff.fromResult(values.get("diff"));
            }
        } catch (ModuleException e) {
            values.putAll(e.values());
            if (!e.values().containsKey("message")) { // include_vars words its failures as 'message' only
                values.put("msg", e.getMessage());
            }
            failed = true;
            // a command that ran and then failed did change something, as Ansible reports it
            changed = e.values().containsKey("changed") ? Boolean.TRUE.equals(e.values().get("changed"))
                    : applier.commandsRun() > 0;
        } finally {
            applied += applier.commandsRun();
            if (applier.commandsRun() > 0) {
                rc.changes.incrementAndGet();
            }
            takeReread();
        }
        if (values.get("warnings") instanceof List<?> warnings) { // a module's warnings, printed as Ansible does
            warnings.forEach(w -> rc.events.emit(new RunEvent.Warning(String.valueOf(w))));
        }
        Object facts = values.get("ansible_facts");
        if (!failed && facts instanceof Map<?, ?> m) {
            // delegate_facts: the facts belong to the host the task was delegated to, as in Ansible
            HostState owner = delegateTo != null && !delegateTo.equals(h.name())
                    && bool(task.scope().get("delegate_facts").orElse(false), vars) ? Delegation.factsHost(rc, h, delegateTo) : h;
            synchronized (owner) {
                if (module.spec().name().equals("include_vars")) {
                    m.forEach((k, v) -> owner.includedVars.put(String.valueOf(k), v));
                } else if (module.spec().name().equals("set_fact")) {
                    m.forEach((k, v) -> owner.hostVars.put(String.valueOf(k), v));
                } else { // setup and any module returning facts: the host's facts, as Ansible's set_host_facts
                    owner.facts.putAll(Facts.namespace(m));
                    // a fact without the ansible_ prefix (getent's getent_passwd) is a variable by that name too
                    m.forEach((k, v) -> {
                        if (!String.valueOf(k).startsWith("ansible_")) {
                            owner.hostVars.put(String.valueOf(k), v);
                        }
                    });
                }
            }
        }
        values.put("changed", changed);
        Map<String, Object> withResult = withRegistered(vars, values);
        Object changedWhen = task.scope().get("changed_when").orElse(null);
        if (changedWhen != null) {
            changed = rc.templar.isTrue(changedWhen, withResult);
            values.put("changed", changed);
        }
        Object failedWhen = task.scope().get("failed_when").orElse(null);
        if (failedWhen != null) {
            failed = rc.templar.isTrue(failedWhen, withRegistered(vars, values));
            values.put("failed_when_result", failed);
        }
        if (failed) {
            values.put("failed", true);
        } else {
            values.remove("failed");
        }
        // a module's own answer may be "skipped": Ansible's module in check mode without check mode support,
        // or a plan with nothing to do (unarchive's creates, script's creates/removes: Ansible's AnsibleActionSkip)
        boolean skipped = !failed && !changed && Boolean.TRUE.equals(values.get("skipped"));
        Status status = failed ? Status.FAILED : skipped ? Status.SKIPPED : changed ? Status.CHANGED : Status.OK;
        boolean ignored = failed && bool(task.scope().get("ignore_errors").orElse(false), vars);
        return new TaskResult(h.name(), status, values, label, List.of(), diffs, ignored, delegateTo);
    }

    private Map<String, Object> withRegistered(Map<String, Object> vars, Map<String, Object> values) {
        Object register = task.own("register");
        if (register == null) {
            return vars;
        }
        Map<String, Object> v = new LinkedHashMap<>(vars);
        v.put(String.valueOf(register), values);
        return v;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> renderArgs(Module module, Map<String, Object> vars) throws TemplateException {
        Map<String, Object> out = new LinkedHashMap<>();
        ModuleDefaults.of(task.scope(), task.action(), module.spec(), task.args(), rc.templar, vars).forEach((k, v) -> {
            if (!VarsBuilder.OMIT.equals(v)) {
                out.put(k, v);
            }
        });
        String freeForm = module.spec().freeForm();
        for (Map.Entry<String, Object> e : task.args().entrySet()) {
            String key = e.getKey();
            if (key.equals(FreeForm.RAW) && freeForm != null) {
                key = freeForm;
            }
            Param p = module.spec().param(key).orElse(null);
            Object value = p != null && !p.templated() ? e.getValue() : rc.templar.render(e.getValue(), vars);
            if (VarsBuilder.OMIT.equals(value)) {
                continue;
            }
            if (value instanceof Map<?, ?> m) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
                copy.values().removeIf(VarsBuilder.OMIT::equals);
                value = copy;
            }
            out.put(key, value);
        }
        return out;
    }

    private boolean checkMode(Map<String, Object> vars) throws TemplateException {
        Object c = task.scope().get("check_mode").orElse(null);
        return c == null ? rc.options.check() : bool(c, vars);
    }

    private boolean diffMode() {
        Object d = task.scope().get("diff").orElse(null);
        Boolean b = d == null ? null : Keywords.toBool(d);
        return b == null ? rc.options.diff() : b;
    }

    /**
     * In check mode: the user {@code name} when an earlier step of this run would create it and the
     * host does not have it yet (so no shell can become it); null otherwise.
     */
    private dev.drover.module.UserState userThisRunCreates(Connection conn, String name) throws ConnectionException {
        java.util.Optional<dev.drover.module.UserState> simulated = h.simulated.user(name).flatMap(u -> u);
        if (simulated.isEmpty()) {
            return null;
        }
        // a check run changes no host: what the host said once stays true for the run
        Boolean onHost = h.checkedUsers.get(name);
        if (onHost == null) {
            onHost = conn.shell().query("getent passwd -- " + ShellQuote.quote(name) + " >/dev/null")
                    .succeeded();
            h.checkedUsers.put(name, onHost);
        }
        return onHost ? null : simulated.get();
    }

    /** The run's ansible.cfg / ANSIBLE_* settings (become, become_user, become_method below the keywords). */
    private static dev.drover.config.Settings CONFIG() {
        return dev.drover.config.Settings.current();
    }

    private Become become(Map<String, Object> vars) throws TemplateException {
        Object b = vars.containsKey("ansible_become") ? vars.get("ansible_become") : task.scope().get("become").orElse(CONFIG().become());
        if (!bool(b, vars)) {
            return null;
        }
        Object user = vars.containsKey("ansible_become_user") ? vars.get("ansible_become_user")
                : task.scope().get("become_user").orElse(CONFIG().becomeUser());
        Object method = vars.containsKey("ansible_become_method") ? vars.get("ansible_become_method")
                : task.scope().get("become_method").orElse(CONFIG().becomeMethod());
        Object password = vars.containsKey("ansible_become_password") ? vars.get("ansible_become_password")
                : vars.containsKey("ansible_become_pass") ? vars.get("ansible_become_pass")
                : rc.options.connection().becomePassword(); // -K
        return new Become(String.valueOf(rc.templar.render(user, vars)), String.valueOf(rc.templar.render(method, vars)),
                password == null ? null : String.valueOf(rc.templar.render(password, vars)));
    }

    /** The connection keywords (connection, remote_user, port) in force for a scope, templated. */
    static Map<String, Object> connectionKeywords(RunContext rc, dev.drover.playbook.Scope scope, Map<String, Object> vars)
            throws TemplateException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : List.of("connection", "remote_user", "port")) {
            Object v = scope.get(k).orElse(null);
            if (v != null) {
                out.put(k, rc.templar.render(v, vars));
            }
        }
        // the CLI's -c, -u, --private-key, -k: below play/task keywords and host variables, as in Ansible
        return rc.options.connection().under(out);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> environment(Map<String, Object> vars) throws TemplateException {
        Map<String, Object> env = new LinkedHashMap<>();
        // each scope's environment, outer first; a template string (environment: "{{ env }}") is
        // rendered to its dict here, as Ansible does
        for (Object layer : task.scope().environmentLayers()) {
            for (Object part : layer instanceof List<?> l ? l : List.of(layer)) {
                Object v = part instanceof String ? rc.templar.render(part, vars) : part;
                if (v instanceof Map<?, ?> m) {
                    env.putAll((Map<String, Object>) m);
                } else if (v != null && !(v instanceof String str && str.isEmpty())) {
                    throw new TemplateException("environment must be a dictionary, received " + v
                            + " (" + (v instanceof String ? "str" : v.getClass().getSimpleName()) + ")");
                }
            }
        }
        if (env.isEmpty()) {
            return env;
        }
        return (Map<String, Object>) rc.templar.render(env, vars);
    }

    private Duration timeout(Map<String, Object> vars) throws TemplateException {
        Object t = task.scope().get("timeout").orElse(null);
        if (t == null) {
            return null;
        }
        int s = intValue(t, vars);
        return s <= 0 ? null : Duration.ofSeconds(s);
    }

    private int intValue(Object v, Map<String, Object> vars) throws TemplateException {
        Object r = rc.templar.render(v, vars);
        if (r instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(r).trim());
        } catch (NumberFormatException e) {
            throw new TemplateException("expected a whole number, got '" + r + "'");
        }
    }

    private boolean bool(Object v, Map<String, Object> vars) throws TemplateException {
        Object r = v instanceof String s ? rc.templar.render(s, vars) : v;
        Boolean b = Keywords.toBool(r);
        return b != null && b;
    }

    private static void sleep(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TaskResult with(TaskResult r, Map<String, Object> values, Status s) {
        return new TaskResult(r.host(), s, values, r.item(), r.items(), r.diffs(), r.ignored(), r.delegatedTo());
    }

    static TaskResult skipped(String host, String label) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("changed", false);
        v.put("skip_reason", "Conditional result was False");
        v.put("skipped", true);
        return new TaskResult(host, Status.SKIPPED, v, label, List.of(), List.of(), false, null);
    }

    static TaskResult failure(String host, String message) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("changed", false);
        v.put("failed", true);
        v.put("msg", message);
        return new TaskResult(host, Status.FAILED, v, null, List.of(), List.of(), false, null);
    }

    static TaskResult unreachable(HostState h, ConnectionException e) {
        h.unreachable = true;
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("changed", false);
        v.put("msg", e.getMessage());
        v.put("unreachable", true);
        return new TaskResult(h.name(), Status.UNREACHABLE, v, null, List.of(), List.of(), false, null);
    }

    private static TaskResult censor(TaskResult r, boolean noLog) {
        if (!noLog) {
            return r;
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("censored", NO_LOG_MESSAGE);
        v.put("changed", r.values().getOrDefault("changed", false));
        if (r.failed()) {
            v.put("failed", true);
        }
        // ansible 2.14 shows a censored item as "(item=None)": its censored result has no label left
        return new TaskResult(r.host(), r.status(), v, r.item() == null ? null : "None", List.of(), List.of(),
                r.ignored(), r.delegatedTo());
    }
}
