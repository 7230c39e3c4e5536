package dev.drover.report;

import dev.drover.engine.HostReads;
import dev.drover.engine.HostStats;
import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import dev.drover.engine.Status;
import dev.drover.engine.TaskResult;
import dev.drover.module.Diff;
import dev.drover.plan.PlanBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code --plan-out FILE}: the check run's forecast as a plan (see dev.drover.plan.Plan), written
 * when the run ends. Diff texts go through the run's masking (vault values); their content is kept
 * as SHA-256 hashes besides.
 */
public final class PlanWriter implements RunListener {
    private final PlanBuilder plan;
    private final Path file;
    private final UnaryOperator<String> mask;
    private String play;
    private String problem;
    private boolean written;

    public PlanWriter(PlanBuilder plan, Path file, UnaryOperator<String> mask) {
        this.plan = plan;
        this.file = file;
        this.mask = mask;
    }

    /** Why the plan could not be written (or the run did not end in a plan), or null. */
    public String problem() {
        return written ? problem : problem != null ? problem : "the run ended before its plan was complete";
    }

    @Override
    public void on(RunEvent event) {
        if (event instanceof RunEvent.PlayStarted p) {
            play = p.name();
        } else if (event instanceof RunEvent.TaskStarted t) {
            plan.task(play, t.name(), t.location() == null ? null : t.location().file() + ":" + t.location().line(),
                    t.action(), t.handler());
        } else if (event instanceof RunEvent.HostDone d && !d.retrying()) {
            TaskResult r = d.result();
            List<PlanBuilder.DiffEntry> diffs = new ArrayList<>();
            if (!d.noLog()) {
                collect(r, diffs);
            }
            Object unknown = r.values().get("unknown");
            if (r.status() == Status.SKIPPED && String.valueOf(r.values().get("msg")).contains("check mode")) {
                unknown = "not run in check mode"; // a command check mode skips: its outcome is known when applied
            }
            String msg = d.noLog() || (r.status() != Status.FAILED && r.status() != Status.UNREACHABLE) ? null : r.message();
            plan.result(r.host(), r.status().name().toLowerCase(java.util.Locale.ROOT),
                    unknown instanceof String u ? u : null, msg == null ? null : mask.apply(msg), diffs);
        } else if (event instanceof RunEvent.HostReadsRecorded h) {
            Map<String, String[]> reads = new LinkedHashMap<>();
            for (Map.Entry<String, HostReads.Read> e : h.reads().entrySet()) {
                // a read whose key holds a secret (a probe script with a vault value) is kept by hash only
                String key = mask.apply(e.getKey()).equals(e.getKey()) ? e.getKey() : HostReads.hashedKey(e.getKey());
                reads.put(key, new String[] {e.getValue().digest(), mask.apply(e.getValue().what())});
            }
            plan.reads(h.host(), reads);
        } else if (event instanceof RunEvent.PlaybookFinished f) {
            for (HostStats s : f.recap()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("ok", s.ok());
                c.put("changed", s.changed());
                c.put("unreachable", s.unreachable());
                c.put("failed", s.failed());
                c.put("skipped", s.skipped());
                c.put("rescued", s.rescued());
                c.put("ignored", s.ignored());
                c.put("unknown", s.unknown());
                plan.recap(s.host(), c);
            }
            if (f.interrupted()) {
                problem = "the check run was interrupted: no plan written";
                return;
            }
            try {
                plan.build().write(file);
                written = true;
            } catch (IOException e) {
                problem = "cannot write the plan " + file + ": " + e.getMessage();
            }
        }
    }

    private void collect(TaskResult r, List<PlanBuilder.DiffEntry> out) {
        for (Diff d : r.diffs()) {
            out.add(new PlanBuilder.DiffEntry(mask.apply(d.beforeHeader()), mask.apply(d.afterHeader()), dev.drover.plan.Plan.sha256(d.before()),
                    dev.drover.plan.Plan.sha256(d.after()), mask.apply(UnifiedDiff.diff(d.beforeHeader(), d.afterHeader(), d.before(), d.after()))));
        }
        // a loop's result carries its items' diffs already
    }
}
