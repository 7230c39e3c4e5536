package dev.drover.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Assembles a plan's body as the check run goes (the report package's PlanWriter feeds it). */
public final class PlanBuilder {
    private final Map<String, Object> header = new LinkedHashMap<>();
    private final List<Map<String, Object>> tasks = new ArrayList<>();
    private final Map<String, Map<String, Object>> hosts = new LinkedHashMap<>();
    private Map<String, Object> current;

    /**
     * @param run    the run's options: playbook, inventory, limit, tags, skip_tags, extra_vars, forks, diff
     * @param git    the playbook repository's state (root, commit, branch, changes), or null
     * @param roots  the input roots; {@code inputs} their files' hashes
     */
    public PlanBuilder(String created, String user, String controller, String command, Map<String, Object> run,
                       Map<String, Object> git, List<Path> roots, Map<String, String> inputs) {
        header.put("drover_plan", Plan.VERSION);
        header.put("created", created);
        header.put("user", user);
        header.put("controller", controller);
        header.put("command", command);
        header.put("run", run);
        header.put("git", git);
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("roots", roots.stream().map(Path::toString).toList());
        in.put("files", inputs);
        header.put("inputs", in);
    }

    public void task(String play, String name, String location, String action, boolean handler) {
        current = new LinkedHashMap<>();
        current.put("play", play);
        current.put("task", name);
        current.put("location", location);
        current.put("action", action);
        current.put("handler", handler);
        current.put("results", new ArrayList<Map<String, Object>>());
        tasks.add(current);
    }

    /** One diff of a result: headers, hashes of both sides, the (masked) unified diff text. */
    public record DiffEntry(String beforeHeader, String afterHeader, String beforeSha256, String afterSha256, String text) {
    }

    @SuppressWarnings("unchecked")
    public void result(String host, String status, String unknown, String message, List<DiffEntry> diffs) {
        if (current == null) {
            return;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("host", host);
        r.put("status", status);
        if (unknown != null) {
            r.put("unknown", unknown);
        }
        if (message != null) {
            r.put("msg", message);
        }
        List<Map<String, Object>> ds = new ArrayList<>();
        for (DiffEntry d : diffs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("before_header", d.beforeHeader());
            m.put("after_header", d.afterHeader());
            m.put("before_sha256", d.beforeSha256());
            m.put("after_sha256", d.afterSha256());
            m.put("diff", d.text());
            ds.add(m);
        }
        if (!ds.isEmpty()) {
            r.put("diffs", ds);
        }
        ((List<Map<String, Object>>) current.get("results")).add(r);
    }

    /** What the forecast read of {@code host}: key → digest, with what each read is. */
    public void reads(String host, Map<String, String[]> reads) {
        List<Map<String, Object>> list = new ArrayList<>();
        reads.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", e.getKey());
            m.put("what", e.getValue()[1]);
            m.put("digest", e.getValue()[0]);
            list.add(m);
        });
        hosts.computeIfAbsent(host, h -> new LinkedHashMap<>()).put("reads", list);
    }

    public void recap(String host, Map<String, Object> counts) {
        hosts.computeIfAbsent(host, h -> new LinkedHashMap<>()).put("recap", counts);
    }

    public Plan build() {
        Map<String, Object> body = new LinkedHashMap<>(header);
        body.put("tasks", tasks);
        for (Map<String, Object> h : hosts.values()) {
            h.putIfAbsent("reads", List.of());
        }
        body.put("hosts", hosts);
        return Plan.of(body);
    }
}
