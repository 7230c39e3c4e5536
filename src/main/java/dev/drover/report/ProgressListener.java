package dev.drover.report;

import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Live status lines on a terminal, around the listeners that print: once a host's step has run
 * for {@value #THRESHOLD_MS} ms, a line {@code   [HOST] 12s: building web:1 (step 3/7)} (what the
 * step last reported through {@link RunEvent.Progress}) stays under the output, redrawn every half
 * second, and is erased before anything else is printed, then drawn again. Off a terminal (or with
 * NO_COLOR, TERM=dumb) it only passes the events on: the output is byte for byte what the wrapped
 * listeners print.
 */
public final class ProgressListener implements RunListener {
    static final long THRESHOLD_MS = 2000;

    private final List<RunListener> inner;
    private final PrintStream out;
    private final boolean tty;
    private final UnaryOperator<String> mask;
    private final LongSupplier nanos;
    private final int columns;
    private final long thresholdMs;
    private final Map<String, Running> running = new TreeMap<>();
    private long taskStart;
    private int shown;
    private ScheduledExecutorService ticker;

    private record Running(long since, String text) {
    }

    /**
     * @param tty true when {@code out} is a terminal that takes cursor moves ({@link #wanted()});
     *            false: events only pass through
     */
    public ProgressListener(List<RunListener> inner, PrintStream out, boolean tty, UnaryOperator<String> mask) {
        this(inner, out, tty, mask, System::nanoTime, columns(), threshold());
    }

    /** {@code DROVER_PROGRESS_AFTER_MS} (for tests of a real terminal), else {@value #THRESHOLD_MS}. */
    private static long threshold() {
        try {
            return Long.parseLong(System.getenv().getOrDefault("DROVER_PROGRESS_AFTER_MS", "" + THRESHOLD_MS).trim());
        } catch (NumberFormatException e) {
            return THRESHOLD_MS;
        }
    }

    ProgressListener(List<RunListener> inner, PrintStream out, boolean tty, UnaryOperator<String> mask, LongSupplier nanos,
                     int columns) {
        this(inner, out, tty, mask, nanos, columns, THRESHOLD_MS);
    }

    ProgressListener(List<RunListener> inner, PrintStream out, boolean tty, UnaryOperator<String> mask, LongSupplier nanos,
                     int columns, long thresholdMs) {
        this.thresholdMs = thresholdMs;
        this.inner = List.copyOf(inner);
        this.out = out;
        this.tty = tty;
        this.mask = mask;
        this.nanos = nanos;
        this.columns = columns;
        this.taskStart = nanos.getAsLong();
    }

    /** A terminal on stdout, and neither NO_COLOR nor TERM=dumb. */
    public static boolean wanted() {
        return Terminal.interactive() && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
    }

    private static int columns() {
        try {
            return Math.max(20, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim()));
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    @Override
    public synchronized void on(RunEvent event) {
        if (!tty) {
            inner.forEach(l -> l.on(event));
            return;
        }
        if (event instanceof RunEvent.Progress p) {
            Running was = running.get(p.host());
            running.put(p.host(), new Running(was == null ? taskStart : was.since, p.text()));
            if (ticker == null) {
                ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "drover-progress");
                    t.setDaemon(true);
                    return t;
                });
                ticker.scheduleAtFixedRate(this::redraw, 500, 500, TimeUnit.MILLISECONDS);
            }
            redraw();
            return;
        }
        erase();
        if (event instanceof RunEvent.TaskStarted) {
            taskStart = nanos.getAsLong();
        } else if (event instanceof RunEvent.HostDone h) {
            running.remove(h.result().host());
        } else if (event instanceof RunEvent.PlayStarted || event instanceof RunEvent.PlaybookFinished) {
            running.clear();
        }
        inner.forEach(l -> l.on(event));
        if (event instanceof RunEvent.PlaybookFinished && ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        draw();
    }

    /** Redraws the status lines (the ticker's half-second beat). */
    synchronized void redraw() {
        erase();
        draw();
    }

    private void erase() {
        if (shown > 0) {
            out.print("\033[" + shown + "A\033[J");
            out.flush();
            shown = 0;
        }
    }

    private void draw() {
        long now = nanos.getAsLong();
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Map.Entry<String, Running> e : running.entrySet()) {
            long ms = (now - e.getValue().since) / 1_000_000;
            if (ms < thresholdMs) {
                continue;
            }
            String text = e.getValue().text;
            String line = "  [" + e.getKey() + "] " + ms / 1000 + "s" + (text == null || text.isBlank() ? "" : ": " + text);
            line = mask.apply(line);
            if (line.length() > columns - 1) {
                line = line.substring(0, columns - 2) + "…";
            }
            sb.append("\033[2m").append(line).append("\033[0m\n");
            n++;
        }
        if (n > 0) {
            out.print(sb);
            out.flush();
            shown = n;
        }
    }
}
