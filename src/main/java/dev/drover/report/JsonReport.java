package dev.drover.report;

import dev.drover.engine.HostStats;
import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import dev.drover.engine.TaskResult;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The run as one JSON document, in the shape of Ansible's {@code ansible.posix.json} callback:
 * {@code plays[].play{name,id,path,duration{start,end}}}, {@code plays[].tasks[].task{...}} with
 * {@code hosts{HOST: result}} (the result's values, {@code action}, {@code failed}/{@code skipped}
 * as the callback adds them), {@code stats{HOST: {changed, failures, ignored, ok, rescued, skipped,
 * unreachable}}}, {@code custom_stats} and {@code global_custom_stats} (always empty: drover has no
 * {@code set_stats}). Keys sorted, 4-space indent (the callback's default {@code json_indent}).
 * Written once, when the run ends, to {@code sink}; every string is masked first. A {@code no_log}
 * result arrives censored from the engine, as the callback receives it from Ansible.
 */
public final class JsonReport implements RunListener {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private final Consumer<String> sink;
    private final UnaryOperator<String> mask;
    private final Clock clock;
    private final List<Map<String, Object>> plays = new ArrayList<>();
    private Map<String, Object> play;
    private final Map<RunEvent.TaskStarted, Map<String, Object>> tasks = new IdentityHashMap<>();
    private final Set<RunEvent.TaskStarted> thisPlay = Collections.newSetFromMap(new IdentityHashMap<>());
    private RunEvent.TaskStarted last;
    private final ThreadLocal<RunEvent.TaskStarted> threadTask = new ThreadLocal<>();

    /** @param sink receives the document (ending with a newline) when the run ends */
    public JsonReport(Consumer<String> sink, UnaryOperator<String> mask) {
        this(sink, mask, Clock.systemUTC());
    }

    JsonReport(Consumer<String> sink, UnaryOperator<String> mask, Clock clock) {
        this.sink = sink;
        this.mask = mask;
        this.clock = clock;
    }

    private String now() {
        return LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).format(ISO) + "Z";
    }

    @Override
    public synchronized void on(RunEvent event) {
        if (event instanceof RunEvent.PlayStarted p) {
            Map<String, Object> info = info(p.name(), p.location());
            play = new LinkedHashMap<>();
            play.put("play", info);
            play.put("tasks", new ArrayList<Map<String, Object>>());
            plays.add(play);
            thisPlay.clear();
            last = null;
        } else if (event instanceof RunEvent.TaskStarted t && play != null) {
            Map<String, Object> info = info(t.name(), t.location());
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("task", info);
            task.put("hosts", new LinkedHashMap<String, Object>());
            tasks(play).add(task);
            tasks.put(t, task);
            thisPlay.add(t);
            last = t;
            threadTask.set(t);
        } else if (event instanceof RunEvent.HostDone h && play != null) {
            record(h.result(), h.noLog());
        } else if (event instanceof RunEvent.PlaybookFinished f) {
            sink.accept(PyJson.dumpsIndented(document(f.recap())) + "\n");
        }
    }

    /** A play's or task's header: name, a fresh id, its path when known, the start time. */
    private Map<String, Object> info(String name, dev.drover.yaml.Location location) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("id", UUID.randomUUID().toString());
        if (location != null) {
            info.put("path", path(location));
        }
        info.put("duration", new LinkedHashMap<>(Map.of("start", now())));
        return info;
    }

    private static String path(dev.drover.yaml.Location l) {
        return l.line() > 0 ? l.file() + ":" + l.line() : l.file();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tasks(Map<String, Object> play) {
        return (List<Map<String, Object>>) play.get("tasks");
    }

    @SuppressWarnings("unchecked")
    private void record(TaskResult r, boolean noLog) {
        RunEvent.TaskStarted mine = threadTask.get();
        RunEvent.TaskStarted t = mine != null && thisPlay.contains(mine) ? mine : last;
        if (t == null) {
            return; // a result before any task (none in practice)
        }
        Map<String, Object> task = tasks.get(t);
        Map<String, Object> result = new LinkedHashMap<>();
        r.values().forEach((k, v) -> {
            if (!k.startsWith("_ansible")) {
                result.put(k, v);
            }
        });
        result.put("_ansible_no_log", noLog);
        switch (r.status()) {
            case FAILED -> result.put("failed", true);
            case SKIPPED -> result.put("skipped", true);
            case UNREACHABLE -> result.put("unreachable", true);
            default -> { }
        }
        result.put("action", t.action());
        ((Map<String, Object>) task.get("hosts")).put(mask.apply(r.host()), Masks.deep(result, mask));
        String end = now();
        ((Map<String, Object>) ((Map<String, Object>) task.get("task")).get("duration")).put("end", end);
        ((Map<String, Object>) ((Map<String, Object>) play.get("play")).get("duration")).put("end", end);
    }

    private Map<String, Object> document(List<HostStats> recap) {
        Map<String, Object> stats = new LinkedHashMap<>();
        for (HostStats s : recap) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("changed", s.changed());
            one.put("failures", s.failed());
            one.put("ignored", s.ignored());
            one.put("ok", s.ok());
            one.put("rescued", s.rescued());
            one.put("skipped", s.skipped());
            one.put("unreachable", s.unreachable());
            stats.put(mask.apply(s.host()), one);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("custom_stats", Map.of());
        doc.put("global_custom_stats", Map.of());
        doc.put("plays", Masks.deep(plays, mask));
        doc.put("stats", stats);
        return doc;
    }
}
