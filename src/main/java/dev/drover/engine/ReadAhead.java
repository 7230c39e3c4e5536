package dev.drover.engine;

import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import dev.drover.module.Module;
import dev.drover.module.PathPrefetch;
import dev.drover.playbook.Block;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskNode;
import dev.drover.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paths a host's next steps will read, read at once: when a file step (a module with a
 * {@link Module#pathProbe}) finds nothing read ahead for its path, and the host's previous step
 * changed nothing, it reads its own path(s) and those of the next {@value #TASKS} tasks of the
 * play ({@link PathPrefetch}: one {@code stat}, one {@code cat}, one round trip). The steps that
 * follow answer from it while nothing at all was changed anywhere in the run since the read
 * ({@link RunContext#changes}: any command a plan applied on any host, since two inventory
 * hosts can be one machine) and no async job was started (it may change the host at any time).
 * On a rerun that changes nothing, the 22 steps of bench/playbook.yml read one host in 2 round
 * trips instead of 20. A later step whose path renders otherwise when it runs (a fact set
 * meanwhile) finds no answer for it and probes as usual: answers are by path, never by step.
 */
final class ReadAhead {
    private static final Logger log = LoggerFactory.getLogger(ReadAhead.class);

    /** How many of the next tasks a read covers, and of their paths. */
    static final int TASKS = 32;
    private static final int PATHS = 256;

    private final PathPrefetch read;
    private final long changesAtRead;

    private ReadAhead(PathPrefetch read, long changesAtRead) {
        this.read = read;
        this.changesAtRead = changesAtRead;
    }

    /** What was read, or null when it may be stale or was read through another shell. */
    PathPrefetch valid(RunContext rc, Shell shell) {
        return rc.changes.get() == changesAtRead && !rc.asyncLaunched && read.covers(shell, List.of()) ? read : null;
    }

    /** True when it is valid and read each of {@code paths}. */
    boolean covers(RunContext rc, Shell shell, List<String> paths) {
        return valid(rc, shell) != null && read.covers(shell, paths);
    }

    /**
     * Reads {@code own} (the current step's paths; with their contents when {@code content})
     * and the paths of {@code upcoming} (as each would render now on host {@code h}) through
     * {@code shell}. Null when the read failed: each step then probes on its own, where the
     * trouble is handled.
     */
    static ReadAhead read(RunContext rc, PlayRun play, HostState h, Shell shell, List<String> own, boolean content,
                          List<Task> upcoming) {
        long at = rc.changes.get(); // before the read: a change made during it makes it stale
        Set<String> paths = new LinkedHashSet<>(own);
        Set<String> withContent = new LinkedHashSet<>(content ? own : List.of());
        for (Task t : upcoming) {
            if (paths.size() >= PATHS) {
                break;
            }
            Module m = rc.module(t.action(), RunContext.collections(t)).filter(x -> x.pathProbe() != null).orElse(null);
            if (m == null || !Tags.shouldRun(t.scope().tags(), rc.options.tags(), rc.options.skipTags())) {
                continue;
            }
            List<String> ps = LoopPrefetch.paths(t, m, rc.templar, varsEach(rc, play, h, t));
            if (ps != null) {
                paths.addAll(ps);
                if (m.pathProbe().content()) {
                    withContent.addAll(ps);
                }
            }
        }
        try {
            return new ReadAhead(PathPrefetch.read(shell, List.copyOf(paths), withContent), at);
        } catch (ConnectionException e) {
            log.debug("read ahead of {} paths failed: {}", paths.size(), e.getMessage());
            return null;
        }
    }

    /**
     * The variables task {@code t} would run with, one map per loop item: only for a plain
     * {@code loop:} that renders to a list now (a {@code with_*} loop is a lookup: not run ahead).
     */
    private static List<Map<String, Object>> varsEach(RunContext rc, PlayRun play, HostState h, Task t) {
        try {
            if (t.scope().keywords().keySet().stream().anyMatch(dev.drover.playbook.Keywords::isWithLoop)) {
                return List.of();
            }
            Object loop = t.own("loop");
            if (loop == null) {
                return List.of(VarsBuilder.build(rc, play, h, t.scope(), null));
            }
            if (loop instanceof String s && (s.contains("lookup") || s.contains("query") || s.contains("q("))) {
                return List.of();
            }
            Map<String, Object> vars = VarsBuilder.build(rc, play, h, t.scope(), null);
            if (!(rc.templar.render(loop, vars) instanceof List<?> items)) {
                return List.of();
            }
            Map<String, Object> control = Loops.control(t);
            String loopVar = String.valueOf(control.getOrDefault("loop_var", "item"));
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < items.size() && i < 64; i++) {
                out.add(VarsBuilder.build(rc, play, h, t.scope(), Loops.itemVars(loopVar, control.get("index_var"), items, i)));
            }
            return out;
        } catch (RuntimeException | TemplateException e) {
            return List.of(); // it says what is wrong when it runs
        }
    }

    /**
     * The tasks that run after {@code nodes[i]} in this list, then {@code after} (what follows the
     * list), at most {@value #TASKS}: a block's own tasks in order (not its rescue or always), no
     * include (what it includes is not known yet).
     */
    static List<Task> upcoming(List<TaskNode> nodes, int i, List<Task> after) {
        List<Task> out = new ArrayList<>();
        for (int j = i + 1; j < nodes.size() && out.size() < TASKS; j++) {
            add(nodes.get(j), out);
        }
        for (int j = 0; j < after.size() && out.size() < TASKS; j++) {
            out.add(after.get(j));
        }
        return out;
    }

    private static void add(TaskNode node, List<Task> out) {
        if (node instanceof Task t && out.size() < TASKS) {
            out.add(t);
        } else if (node instanceof Block b) {
            for (TaskNode n : b.block()) {
                add(n, out);
            }
        }
    }
}
