package dev.drover.journal;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How {@code drover history} shows the journal: the list of runs, one run, two runs' differences. */
public final class RunHistory {
    private RunHistory() {
    }

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final Pattern AGE = Pattern.compile("(\\d+)\\s*(s|m|min|h|d|w)");

    /** {@code --since}: a date or local time, or an age back from {@code now}. */
    public static Instant since(String text, Instant now) {
        String t = text.strip();
        Matcher m = AGE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return now.minus(d);
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            // not a date alone
        }
        try {
            return LocalDateTime.parse(t.replace(' ', 'T')).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            // not a local time
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since '" + text + "': give a date (2026-12-01), a time"
                    + " (2026-12-01T14:00) or an age (30m, 2h, 3d, 1w)");
        }
    }

    // ---------------------------------------------------------------- the list

    public static void list(List<Journal.RunSummary> runs, PrintStream out) {
        if (runs.isEmpty()) {
            out.println("no runs recorded (that match)");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUN", "STARTED", "USER", "PLAYBOOK", "COMMIT", "HOSTS", "OK", "CHANGED", "FAILED",
            "UNREACHABLE", "STATUS"});
        for (Journal.RunSummary r : runs) {
            rows.add(new String[] {String.valueOf(r.id()), local(r.started()), r.user(), playbookName(r), commit(r),
                String.valueOf(r.recap().size()), String.valueOf(r.total(Journal.Recap::ok)),
                String.valueOf(r.total(Journal.Recap::changed)), String.valueOf(r.total(Journal.Recap::failed)),
                String.valueOf(r.total(Journal.Recap::unreachable)), status(r)});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i] == null ? 0 : row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = row[i] == null ? "" : row[i];
                boolean number = i == 0 || (i >= 5 && i <= 9);
                b.append(number ? " ".repeat(width[i] - cell.length()) + cell : i == row.length - 1 ? cell
                        : cell + " ".repeat(width[i] - cell.length()));
                if (i < row.length - 1) {
                    b.append("  ");
                }
            }
            out.println(b.toString().stripTrailing());
        }
    }

    /** How a run ended: {@code finished, exit 0, 1.4 s}; a run still marked running whose process is gone: died. */
    static String status(Journal.RunSummary r) {
        String s = r.status();
        if (s.equals("running")) {
            boolean here = Objects.equals(r.controller(), Provenance.controllerName());
            boolean alive = here && ProcessHandle.of(r.pid()).map(ProcessHandle::isAlive).orElse(false);
            return alive || !here ? "running" : "died (its process " + r.pid() + " is gone; the record ends there)";
        }
        StringBuilder b = new StringBuilder(s);
        if (r.exitCode() != null) {
            b.append(", exit ").append(r.exitCode());
        }
        if (r.finished() != null) {
            b.append(", ").append(seconds(Duration.between(Journal.instant(r.started()), Journal.instant(r.finished()))
                    .toMillis()));
        }
        return b.toString();
    }

    private static String playbookName(Journal.RunSummary r) {
        if (r.gitRoot() != null && r.playbook().startsWith(r.gitRoot() + "/")) {
            return r.playbook().substring(r.gitRoot().length() + 1);
        }
        return r.playbook();
    }

    private static String commit(Journal.RunSummary r) {
        if (r.gitRoot() == null) {
            return "-";
        }
        String c = r.gitCommit() == null ? "(none)" : r.gitCommit().substring(0, Math.min(12, r.gitCommit().length()));
        return r.gitChanges().isEmpty() ? c : c + "+dirty";
    }

    private static String local(String stamp) {
        return stamp == null ? "" : LOCAL.format(Journal.instant(stamp));
    }

    private static String seconds(long ms) {
        return ms < 10_000 ? String.format(java.util.Locale.ROOT, "%.2f s", ms / 1000.0)
                : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    // ---------------------------------------------------------------- one run

    public static void show(Journal.RunSummary r, List<Journal.Result> results, String host, boolean changedOnly,
                            PrintStream out) {
        out.println("run " + r.id() + ": " + status(r));
        out.println("  started    " + local(r.started()) + " by " + r.user() + " on " + r.controller() + " (pid " + r.pid() + ")");
        out.println("  command    " + r.command());
        out.println("  playbook   " + r.playbook());
        if (r.gitRoot() != null) {
            out.println("  git        " + r.gitRoot() + " at " + (r.gitCommit() == null ? "(no commit)" : r.gitCommit())
                    + (r.gitBranch() == null ? "" : " (" + r.gitBranch() + ")")
                    + (r.gitChanges().isEmpty() ? ", clean" : ", uncommitted changes:"));
            for (String c : r.gitChanges()) {
                out.println("               " + c);
            }
        } else {
            out.println("  git        (the playbook is not in a git repository)");
        }
        out.println("  inventory  " + (r.inventory() == null || r.inventory().isEmpty() ? "(localhost only)"
                : String.join(", ", r.inventory().split("\n"))) + (r.limit() == null ? "" : ", limit " + r.limit()));
        if (r.error() != null) {
            out.println("  error      " + r.error());
        }
        String play = null;
        String taskKey = null;
        for (Journal.Result x : results) {
            if (host != null && !host.equals(x.host())) {
                continue;
            }
            if (changedOnly && !x.status().equals("changed") && !(x.status().equals("failed") || x.status().equals("unreachable"))) {
                continue;
            }
            if (!Objects.equals(play, x.play())) {
                play = x.play();
                taskKey = null;
                out.println();
                out.println("PLAY [" + (play == null ? "" : play) + "]");
            }
            String key = x.task() + "\u0000" + x.location() + "\u0000" + x.handler();
            if (!key.equals(taskKey)) {
                taskKey = key;
                out.println((x.handler() ? "RUNNING HANDLER [" : "TASK [") + x.task() + "]"
                        + (x.location() == null ? "" : " " + x.location()) + (x.action() == null ? "" : " " + x.action()));
            }
            out.println("  " + line(x));
        }
        if (host == null || r.recap().stream().anyMatch(x -> x.host().equals(host))) {
            out.println();
            out.println("PLAY RECAP");
            for (Journal.Recap x : r.recap()) {
                if (host == null || host.equals(x.host())) {
                    out.println(recapLine(x));
                }
            }
        }
    }

    private static String line(Journal.Result x) {
        StringBuilder b = new StringBuilder(x.status()).append(": [").append(x.host()).append(']');
        if (x.ignored()) {
            b.append(" (ignored)");
        }
        if (!x.touched().isEmpty()) {
            b.append(' ').append(String.join(", ", x.touched()));
        }
        if (x.message() != null) {
            b.append(" — ").append(x.message().replace('\n', ' '));
        }
        return b.append(" (").append(seconds(x.durationMs())).append(')').toString();
    }

    static String recapLine(Journal.Recap x) {
        return String.format(java.util.Locale.ROOT, "%-26s : ok=%-4d changed=%-4d unreachable=%-4d failed=%-4d"
                + " skipped=%-4d rescued=%-4d ignored=%d", x.host(), x.ok(), x.changed(), x.unreachable(), x.failed(),
                x.skipped(), x.rescued(), x.ignored()).stripTrailing();
    }

    // ---------------------------------------------------------------- two runs

    /** A task's place in a run: play, task and how many times it ran before on that host (loops of includes). */
    private record Key(String play, String task, boolean handler, int nth) {
        @Override
        public String toString() {
            return (handler ? "RUNNING HANDLER [" : "TASK [") + task + "]" + (nth > 0 ? " (#" + (nth + 1) + ")" : "");
        }
    }

    private static Map<String, Map<Key, Journal.Result>> byHost(List<Journal.Result> results) {
        Map<String, Map<Key, Journal.Result>> out = new LinkedHashMap<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (Journal.Result x : results) {
            String base = x.host() + "\u0000" + x.play() + "\u0000" + x.task() + "\u0000" + x.handler();
            int nth = seen.merge(base, 1, Integer::sum) - 1;
            out.computeIfAbsent(x.host(), h -> new LinkedHashMap<>()).put(new Key(x.play(), x.task(), x.handler(), nth), x);
        }
        return out;
    }

    public static void diff(Journal.RunSummary a, List<Journal.Result> ra, Journal.RunSummary b, List<Journal.Result> rb,
                            PrintStream out) {
        out.println("run " + a.id() + " (" + local(a.started()) + ") → run " + b.id() + " (" + local(b.started()) + ")");
        int differences = 0;
        if (!Objects.equals(a.playbook(), b.playbook())) {
            out.println("  playbook: " + a.playbook() + " → " + b.playbook());
            differences++;
        }
        if (!Objects.equals(commit(a), commit(b))) {
            out.println("  commit: " + commit(a) + " → " + commit(b));
            differences++;
        }
        if (!Objects.equals(a.inventory(), b.inventory()) || !Objects.equals(a.limit(), b.limit())) {
            out.println("  inventory: " + a.inventory() + (a.limit() == null ? "" : " (limit " + a.limit() + ")") + " → "
                    + b.inventory() + (b.limit() == null ? "" : " (limit " + b.limit() + ")"));
            differences++;
        }
        Map<String, Map<Key, Journal.Result>> ha = byHost(ra);
        Map<String, Map<Key, Journal.Result>> hb = byHost(rb);
        Set<String> hosts = new LinkedHashSet<>(ha.keySet());
        hosts.addAll(hb.keySet());
        for (String host : hosts) {
            Map<Key, Journal.Result> x = ha.getOrDefault(host, Map.of());
            Map<Key, Journal.Result> y = hb.getOrDefault(host, Map.of());
            if (x.isEmpty() || y.isEmpty()) {
                out.println(host + ": only in run " + (x.isEmpty() ? b.id() : a.id()));
                differences++;
                continue;
            }
            List<String> lines = new ArrayList<>();
            Set<Key> keys = new LinkedHashSet<>(x.keySet());
            keys.addAll(y.keySet());
            for (Key k : keys) {
                Journal.Result p = x.get(k);
                Journal.Result q = y.get(k);
                if (p == null || q == null) {
                    lines.add("  " + k + ": only in run " + (p == null ? b.id() : a.id()) + ": " + brief(p == null ? q : p));
                } else if (!p.status().equals(q.status()) || !p.touched().equals(q.touched())) {
                    lines.add("  " + k + ": " + brief(p) + " → " + brief(q));
                }
            }
            if (lines.isEmpty()) {
                out.println(host + ": the same tasks, statuses and changes");
            } else {
                out.println(host + ":");
                lines.forEach(out::println);
                differences += lines.size();
            }
        }
        Map<String, Journal.Recap> recapA = new LinkedHashMap<>();
        a.recap().forEach(r -> recapA.put(r.host(), r));
        boolean recapHeader = false;
        for (Journal.Recap r : b.recap()) {
            Journal.Recap before = recapA.get(r.host());
            if (before != null && !before.equals(r)) {
                if (!recapHeader) {
                    out.println("recap:");
                    recapHeader = true;
                }
                out.println("  - " + recapLine(before));
                out.println("  + " + recapLine(r));
            }
        }
        if (differences == 0 && !recapHeader) {
            out.println("no differences");
        }
    }

    private static String brief(Journal.Result r) {
        return r.touched().isEmpty() ? r.status() : r.status() + " (" + String.join(", ", r.touched()) + ")";
    }
}
