package dev.drover.engine;

import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import dev.drover.module.Module;
import dev.drover.module.PathPrefetch;
import dev.drover.playbook.Task;
import dev.drover.template.Templar;
import dev.drover.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paths a loop's items will read (the module's {@link Module#pathProbe} parameter, rendered
 * for each item), read at once through the first item's shell ({@link PathPrefetch}) and used
 * until the task applies a change on the host: on a rerun that changes nothing, a loop of N files
 * costs one {@code stat} and one {@code cat} instead of N of each.
 */
final class LoopPrefetch {
    private static final Logger log = LoggerFactory.getLogger(LoopPrefetch.class);

    private final List<String> paths;
    private final boolean content;
    private PathPrefetch read;
    private int appliedAtRead;
    private boolean failed;

    private LoopPrefetch(List<String> paths, boolean content) {
        this.paths = paths;
        this.content = content;
    }

    /**
     * The paths of a loop's items ({@link #pathsEach}, rendered once by the caller), or null when
     * there is nothing to read at once: fewer than two items with a path, or none to read (null).
     */
    static LoopPrefetch plan(List<String> pathsEach, Module module) {
        List<String> paths = present(pathsEach);
        return paths == null || paths.size() < 2 ? null : new LoopPrefetch(paths, module.pathProbe().content());
    }

    /**
     * The absolute paths {@code task}'s module will read, rendered with each of {@code varsEach}
     * (one map per item, or the task's own variables), or null when they must not be read ahead:
     * a module without a path parameter, a delegated task, a path that calls a lookup (rendering
     * it twice could run it twice). One that does not render is left out: it fails, if it does,
     * when it runs.
     */
    static List<String> paths(Task task, Module module, Templar templar, List<Map<String, Object>> varsEach) {
        return present(pathsEach(task, module, templar, varsEach));
    }

    /** The paths of {@code each} that rendered (null for null). */
    static List<String> present(List<String> each) {
        return each == null ? null : each.stream().filter(java.util.Objects::nonNull).toList();
    }

    /**
     * As {@link #paths}, one entry per element of {@code varsEach}: null for one whose path does
     * not render to an absolute path.
     */
    static List<String> pathsEach(Task task, Module module, Templar templar, List<Map<String, Object>> varsEach) {
        Module.PathProbe probe = module == null ? null : module.pathProbe();
        if (probe == null || task.scope().get("delegate_to").isPresent()) {
            return null;
        }
        Object template = null;
        for (Map.Entry<String, Object> e : task.args().entrySet()) {
            if (module.spec().param(e.getKey()).map(p -> p.name().equals(probe.param())).orElse(false)) {
                template = e.getValue();
            }
        }
        if (!(template instanceof String t) || t.contains("lookup") || t.contains("query") || t.contains("q(")) {
            return null;
        }
        List<String> paths = new ArrayList<>();
        for (Map<String, Object> vars : varsEach) {
            String path = null;
            try {
                Object p = templar.render(t, vars);
                if (p instanceof String s && s.startsWith("/")) {
                    path = s;
                }
            } catch (RuntimeException | TemplateException e) {
                // this item's own run says what is wrong with it
            }
            paths.add(path);
        }
        return java.util.Collections.unmodifiableList(paths);
    }

    /**
     * What an item's change re-read of the next items' paths in the same round trip (see
     * {@link PlanApplier.FollowUp}), valid while {@code applied} stays as it is now.
     */
    static LoopPrefetch reread(PathPrefetch read, int applied) {
        LoopPrefetch p = new LoopPrefetch(List.copyOf(read.paths()), false);
        p.read = read;
        p.appliedAtRead = applied;
        return p;
    }

    /**
     * What was read through {@code shell}, reading it the first time; null once {@code applied}
     * (the task's count of changes applied on the host) moved since the read.
     */
    PathPrefetch forShell(Shell shell, int applied) {
        if (failed) {
            return null;
        }
        if (read == null) {
            appliedAtRead = applied;
            try {
                read = PathPrefetch.read(shell, paths, content);
            } catch (ConnectionException e) {
                log.debug("prefetch of {} paths failed: {}", paths.size(), e.getMessage());
                failed = true;
                return null; // the item's own probe meets the same trouble where it is handled
            }
        }
        return applied == appliedAtRead ? read : null;
    }
}
