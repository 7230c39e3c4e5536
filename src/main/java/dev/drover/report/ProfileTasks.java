package dev.drover.report;

import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Ansible's {@code ansible.posix.profile_tasks} callback: after each task banner a line with the
 * date, the time since the previous task and since the start; when the run ends the same line, a
 * rule of {@code =}, then each task's time ({@code NAME ------ 1.23s}), longest first, the first 20
 * ({@code PROFILE_TASKS_SORT_ORDER}: descending/ascending/none, {@code
 * PROFILE_TASKS_TASK_OUTPUT_LIMIT}: a number or {@code all}, as the callback reads them). A task
 * run again in a later serial batch adds to its time; at -vv its path follows its line.
 */
public final class ProfileTasks implements RunListener {
    private static final int COLUMNS = 79; // Ansible's display width off a terminal
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("EEEE dd MMMM yyyy  HH:mm:ss Z", Locale.ENGLISH);

    private final PrintStream out;
    private final int verbosity;
    private final LongSupplier nanos;
    private final Supplier<ZonedDateTime> clock;
    private final String sortOrder;
    private final Integer limit;
    private final long t0;
    private long tn;
    private final Map<Object, Stat> stats = new LinkedHashMap<>();
    private Stat current;

    private static final class Stat {
        final String name;
        final String path;
        long started;
        long elapsed;

        Stat(String name, String path, long started) {
            this.name = name;
            this.path = path;
            this.started = started;
        }
    }

    public ProfileTasks(PrintStream out, int verbosity, Map<String, String> env) {
        this(out, verbosity, env, System::nanoTime, ZonedDateTime::now);
    }

    ProfileTasks(PrintStream out, int verbosity, Map<String, String> env, LongSupplier nanos, Supplier<ZonedDateTime> clock) {
        this.out = out;
        this.verbosity = verbosity;
        this.nanos = nanos;
        this.clock = clock;
        this.sortOrder = env.getOrDefault("PROFILE_TASKS_SORT_ORDER", "descending");
        String l = env.getOrDefault("PROFILE_TASKS_TASK_OUTPUT_LIMIT", "20");
        this.limit = l.equals("all") ? null : Integer.valueOf(l.trim());
        this.t0 = nanos.getAsLong();
        this.tn = t0;
    }

    /** Python's {@code secondsToStr}: H:MM:SS.mmm. */
    static String secondsToStr(long nanos) {
        long ms = nanos / 1_000_000;
        return String.format(Locale.ROOT, "%d:%02d:%02d.%03d", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60, ms % 1000);
    }

    /** The callback's {@code filled}: the text, a space, stars to column 79 (at least 3), a space. */
    static String filled(String msg, char fill) {
        int width;
        if (msg.isEmpty()) {
            width = COLUMNS;
        } else {
            msg = msg + " ";
            width = COLUMNS - msg.length();
        }
        return msg + String.valueOf(fill).repeat(Math.max(3, width)) + " ";
    }

    private String tasktime() {
        long now = nanos.getAsLong();
        String line = filled(clock.get().format(STAMP) + " (" + secondsToStr(now - tn) + ")" + " ".repeat(7)
                + secondsToStr(now - t0), '*');
        tn = now;
        return line;
    }

    private void timestamp() {
        if (current != null) {
            current.elapsed += nanos.getAsLong() - current.started;
        }
    }

    @Override
    public synchronized void on(RunEvent event) {
        if (event instanceof RunEvent.TaskStarted t) {
            out.println(tasktime());
            timestamp();
            Object key = t.location() == null ? new Object() : List.of(t.location(), t.name(), t.handler());
            String path = t.location() == null ? null
                    : t.location().line() > 0 ? t.location().file() + ":" + t.location().line() : t.location().file();
            Stat s = stats.get(key);
            if (s == null) {
                s = new Stat(t.name(), path, nanos.getAsLong());
                stats.put(key, s);
            } else {
                s.started = nanos.getAsLong();
            }
            current = s;
            out.flush();
        } else if (event instanceof RunEvent.PlaybookFinished) {
            out.println(tasktime());
            out.println(filled("", '='));
            timestamp();
            current = null;
            List<Stat> results = new ArrayList<>(stats.values());
            if (sortOrder.equals("descending")) {
                results.sort(Comparator.comparingLong((Stat s) -> s.elapsed).reversed());
            } else if (sortOrder.equals("ascending")) {
                results.sort(Comparator.comparingLong((Stat s) -> s.elapsed));
            }
            if (limit != null && results.size() > limit) {
                results = results.subList(0, Math.max(0, limit));
            }
            for (Stat s : results) {
                String time = String.format(Locale.ROOT, " %.2fs", s.elapsed / 1e9);
                StringBuilder msg = new StringBuilder(pad(s.name + " ", COLUMNS - 9, true)).append(pad(time, 9, false));
                if (verbosity >= 2 && s.path != null) {
                    msg.append('\n').append(pad(s.path + " ", COLUMNS, true));
                }
                out.println(msg);
            }
            out.flush();
        }
    }

    /** Python's {@code {:-<N}} (left) or {@code {:->N}} (right). */
    private static String pad(String s, int width, boolean left) {
        if (s.length() >= width) {
            return s;
        }
        String fill = "-".repeat(width - s.length());
        return left ? s + fill : fill + s;
    }
}
