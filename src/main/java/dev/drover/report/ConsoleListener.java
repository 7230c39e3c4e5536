package dev.drover.report;

import dev.drover.engine.HostStats;
import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import dev.drover.engine.Status;
import dev.drover.engine.TaskResult;
import dev.drover.module.Diff;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Prints a run as ansible-playbook's default callback does: banners, one line per host, the recap. */
public final class ConsoleListener implements RunListener {
    private static final int COLUMNS = 79;
    private static final Set<String> DEBUG_ALLOWED = Set.of("msg", "exception", "warnings", "deprecations");
    private static final Set<String> DEBUG_HIDDEN = Set.of("changed", "failed", "skipped", "invocation", "skip_reason");

    private final PrintStream out;
    private final int verbosity;
    private final boolean color;
    private final UnaryOperator<String> mask;
    private String action = "";
    private final PrintStream err;
    /** The banner printed last, and the task each thread last started (free strategy: one thread a host). */
    private RunEvent.TaskStarted lastBanner;
    private final ThreadLocal<RunEvent.TaskStarted> threadTask = new ThreadLocal<>();
    private final Set<RunEvent.TaskStarted> startedThisPlay = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    public ConsoleListener(PrintStream out, int verbosity, boolean color) {
        this(out, System.err, verbosity, color);
    }

    public ConsoleListener(PrintStream out, PrintStream err, int verbosity, boolean color) {
        this(out, err, verbosity, color, UnaryOperator.identity());
    }

    /**
     * @param mask applied to every string inside a result before it is dumped (vault values become
     *             {@code ********} before JSON escaping could hide them), and to every printed line
     */
    public ConsoleListener(PrintStream out, PrintStream err, int verbosity, boolean color, UnaryOperator<String> mask) {
        this.out = new MaskingPrintStream(out, mask);
        this.err = new MaskingPrintStream(err, mask);
        this.verbosity = verbosity;
        this.color = color;
        this.mask = mask;
    }

    /** Colours when stdout is a terminal and NO_COLOR is unset. */
    public static boolean colorWanted() {
        return Terminal.interactive() && System.getenv("NO_COLOR") == null
                && !"0".equals(System.getenv("ANSIBLE_FORCE_COLOR"));
    }

    @Override
    public synchronized void on(RunEvent event) {
        if (event instanceof RunEvent.ItemDone || event instanceof RunEvent.HostDone) {
            // free strategy: a result of another task than the last banner's gets its banner again, as Ansible prints it
            RunEvent.TaskStarted mine = threadTask.get();
            if (mine != null && mine != lastBanner && startedThisPlay.contains(mine)) {
                taskBanner(mine);
            }
        }
        if (event instanceof RunEvent.PlayStarted p) {
            lastBanner = null;
            startedThisPlay.clear();
            banner(p.name().isBlank() ? "PLAY" : "PLAY [" + p.name() + "]");
        } else if (event instanceof RunEvent.NoHostsMatched) {
            line("skipping: no hosts matched", Colour.SKIP);
        } else if (event instanceof RunEvent.TaskStarted t) {
            threadTask.set(t);
            startedThisPlay.add(t);
            taskBanner(t);
        } else if (event instanceof RunEvent.NoMoreHosts) {
            banner("NO MORE HOSTS LEFT");
        } else if (event instanceof RunEvent.ItemDone i) {
            item(i.item(), i.showDiff());
        } else if (event instanceof RunEvent.HostDone h) {
            host(h.result(), h.showDiff());
        } else if (event instanceof RunEvent.Retrying r) {
            line("FAILED - RETRYING: [" + r.host() + "]: " + r.task() + " (" + r.retriesLeft() + " retries left).",
                    Colour.FAIL);
        } else if (event instanceof RunEvent.Included i) {
            line("included: " + i.file() + " for " + String.join(", ", i.hosts()), Colour.SKIP);
        } else if (event instanceof RunEvent.Display d) {
            out.println(d.text());
            out.flush();
        } else if (event instanceof RunEvent.Warning w) {
            line("[WARNING]: " + w.message(), Colour.WARN);
        } else if (event instanceof RunEvent.PlaybookFinished f) {
            if (f.interrupted()) {
                err.println(color ? paint("[ERROR]: User interrupted execution", Colour.FAIL) : "[ERROR]: User interrupted execution");
                err.flush();
            }
            recap(f);
        }
    }

    private void taskBanner(RunEvent.TaskStarted t) {
        lastBanner = t;
        action = t.action();
        banner((t.handler() ? "RUNNING HANDLER [" : "TASK [") + t.name() + "]");
        if (verbosity >= 2 && t.location() != null) {
            out.println("task path: " + t.location());
        }
    }

    private void host(TaskResult r, boolean showDiff) {
        String who = who(r);
        if (showDiff && r.items().isEmpty()) {
            diffs(r);
        }
        switch (r.status()) {
            case UNREACHABLE -> {
                line("fatal: " + who + ": UNREACHABLE! => " + PyJson.dumps(clean(r.values())), Colour.FAIL);
                if (r.ignored()) {
                    line("...ignoring", Colour.SKIP);
                }
            }
            case FAILED -> {
                if (r.items().isEmpty()) {
                    line("fatal: " + who + ": FAILED! => " + dump(r.values()), Colour.FAIL);
                }
                if (r.ignored()) {
                    line("...ignoring", Colour.SKIP);
                }
            }
            case SKIPPED -> {
                // items were shown one by one: ansible's _process_items drops 'results'
                Map<String, Object> v = r.values().get("results") instanceof java.util.List<?>
                        ? withoutResults(r.values()) : r.values();
                line("skipping: " + who + verbose(v), Colour.SKIP);
            }
            case OK, CHANGED -> {
                if (!r.items().isEmpty()) {
                    return;
                }
                String lead = r.status() == Status.CHANGED ? "changed: " : "ok: ";
                // check mode's forecast that depends on a value it cannot know says so at every verbosity
                String unknown = r.values().get("unknown") instanceof String u && verbosity == 0 ? " (unknown: " + u + ")" : "";
                line(lead + who + unknown + verbose(r.values()), r.status() == Status.CHANGED ? Colour.CHANGED : Colour.OK);
            }
        }
    }

    private static Map<String, Object> withoutResults(Map<String, Object> values) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.remove("results");
        return v;
    }

    private void item(TaskResult r, boolean showDiff) {
        String who = who(r);
        String label = "(item=" + r.item() + ")";
        switch (r.status()) {
            case FAILED -> line("failed: " + who + " " + label + " => " + dump(r.values()), Colour.FAIL);
            case SKIPPED -> line("skipping: " + who + " => " + label + " " + verbose(r.values()), Colour.SKIP);
            case UNREACHABLE -> line("fatal: " + who + ": UNREACHABLE! => " + PyJson.dumps(clean(r.values())), Colour.FAIL);
            default -> {
                if (showDiff) {
                    diffs(r);
                }
                String lead = r.status() == Status.CHANGED ? "changed: " : "ok: ";
                line(lead + who + " => " + label + verbose(r.values()),
                        r.status() == Status.CHANGED ? Colour.CHANGED : Colour.OK);
            }
        }
    }

    private void diffs(TaskResult r) {
        for (Diff d : r.diffs()) {
            out.print(UnifiedDiff.diff(d.beforeHeader(), d.afterHeader(), d.before(), d.after()));
            out.println();
        }
    }

    private static String who(TaskResult r) {
        return r.delegatedTo() == null || r.delegatedTo().equals(r.host())
                ? "[" + r.host() + "]" : "[" + r.host() + " -> " + r.delegatedTo() + "]";
    }

    private boolean isDebug() {
        return action.equals("debug");
    }

    private String verbose(Map<String, Object> values) {
        if (verbosity > 0 || Boolean.TRUE.equals(values.get("_ansible_verbose_always"))) {
            return " => " + dump(values);
        }
        return "";
    }

    private String dump(Map<String, Object> values) {
        Map<String, Object> v = clean(values);
        boolean always = Boolean.TRUE.equals(values.get("_ansible_verbose_always"));
        return always || verbosity > 2 ? PyJson.dumpsIndented(v) : PyJson.dumps(v);
    }

    private Map<String, Object> clean(Map<String, Object> values) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        // ansible's TaskResult.clean_copy(): the status is in the line already
        v.remove("failed");
        v.remove("skipped");
        v.keySet().removeIf(k -> k.startsWith("_ansible"));
        if (isDebug()) {
            if (v.containsKey("msg")) {
                v.keySet().removeIf(k -> !DEBUG_ALLOWED.contains(k));
            } else {
                v.keySet().removeAll(DEBUG_HIDDEN);
            }
        }
        if (verbosity < 3) {
            v.remove("invocation");
            v.remove("diff");
        }
        v.remove("exception");
        return maskDeep(v);
    }

    @SuppressWarnings("unchecked")
    private <T> T maskDeep(T value) {
        if (value instanceof String s) {
            return (T) mask.apply(s);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(maskDeep(k), maskDeep(x)));
            return (T) out;
        }
        if (value instanceof java.util.List<?> l) {
            java.util.List<Object> out = new java.util.ArrayList<>(l.size());
            l.forEach(x -> out.add(maskDeep(x)));
            return (T) out;
        }
        if (value != null && !(value instanceof Number || value instanceof Boolean)) {
            String text = String.valueOf(value);
            String masked = mask.apply(text);
            if (!masked.equals(text)) {
                return (T) masked; // another type that would print a secret: dumped as its masked text
            }
        }
        return value;
    }

    private void recap(RunEvent.PlaybookFinished f) {
        banner("PLAY RECAP");
        for (HostStats s : f.recap()) {
            Colour hc = s.failed() > 0 || s.unreachable() > 0 ? Colour.FAIL : s.changed() > 0 ? Colour.CHANGED : Colour.OK;
            String host = color ? paint(String.format("%-26s", s.host()), hc) : String.format("%-26s", s.host());
            out.println(host + " : " + count("ok", s.ok(), Colour.OK) + " " + count("changed", s.changed(), Colour.CHANGED)
                    + " " + count("unreachable", s.unreachable(), Colour.FAIL) + " " + count("failed", s.failed(), Colour.FAIL)
                    + " " + count("skipped", s.skipped(), Colour.SKIP) + " " + count("rescued", s.rescued(), Colour.OK)
                    + " " + count("ignored", s.ignored(), Colour.WARN)
                    + (s.unknown() > 0 ? " " + count("unknown", s.unknown(), Colour.WARN) : ""));
        }
        out.println();
        out.flush();
    }

    private String count(String lead, int n, Colour c) {
        String s = String.format("%s=%-4s", lead, n);
        return color && n != 0 ? paint(s, c) : s;
    }

    private void banner(String msg) {
        int stars = Math.max(3, COLUMNS - msg.length());
        out.println();
        out.println(msg + " " + "*".repeat(stars));
        out.flush();
    }

    private void line(String s, Colour c) {
        out.println(color ? paint(s, c) : s);
        out.flush();
    }

    private enum Colour {
        OK("0;32"), CHANGED("0;33"), SKIP("0;36"), FAIL("0;31"), WARN("1;35");

        final String code;

        Colour(String code) {
            this.code = code;
        }
    }

    private static String paint(String s, Colour c) {
        return "\033[" + c.code + "m" + s + "\033[0m";
    }
}
