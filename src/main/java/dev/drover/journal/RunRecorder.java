package dev.drover.journal;

import dev.drover.engine.HostStats;
import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import dev.drover.engine.TaskResult;
import dev.drover.git.GitState;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Records one real run in the journal, as a listener of the engine's events. The database work is
 * done by one writer thread, off the run's path: the journal is opened (SQLite's native library
 * loaded) while the playbook is checked and the hosts connected; the run's row is written when the
 * playbook starts, each task's results when the next task begins, the recap when it ends. A run
 * that never starts (the playbook does not validate) leaves no record; a run Ctrl-C stops records
 * the task it stopped as {@code interrupted} on the hosts that had not finished it. Every text stored goes
 * through {@code mask} (vault values); a no_log task's results keep their status only.
 *
 * <p>A journal that cannot be written never fails the run: {@link #problem()} says why, for the
 * caller to warn.
 */
public final class RunRecorder implements RunListener {

    /** What the journal says of the run besides its results. */
    public record RunInfo(String user, String controller, long pid, String command, Path playbook,
                          List<String> inventory, String limit) {
    }

    private final Path file;
    private final RunInfo info;
    private final Supplier<Optional<GitState>> git;
    private final UnaryOperator<String> mask;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "drover-journal");
        t.setDaemon(true);
        return t;
    });
    private volatile Journal journal;
    private volatile String problem;
    private volatile long runId;
    private boolean started;
    private boolean finished;

    // the listener's state (one thread at a time, in event order)
    private String play;
    private String task;
    private String action;
    private String location;
    private boolean handler;
    private long taskStart;
    private int seq;
    private final List<Object[]> pending = new ArrayList<>();
    private List<String> playHosts = List.of();
    private final java.util.Set<String> doneThisTask = new java.util.HashSet<>();
    private final java.util.Set<String> stopped = new java.util.HashSet<>();

    /** Starts opening the journal at {@code file} at once (in the writer thread). */
    public RunRecorder(Path file, RunInfo info, Supplier<Optional<GitState>> git, UnaryOperator<String> mask) {
        this.file = file;
        this.info = info;
        this.git = git;
        this.mask = mask;
        writer.execute(() -> {
            try {
                journal = Journal.open(file);
            } catch (JournalException e) {
                problem = e.getMessage();
            }
        });
    }

    /** Why the journal could not be written, or null. */
    public String problem() {
        return problem;
    }

    public Path file() {
        return file;
    }

    /** The run's id in the journal, once its row is written (after {@link #finish}); 0 when none. */
    public long runId() {
        return runId;
    }

    @Override
    public void on(RunEvent event) {
        if (event instanceof RunEvent.PlaybookStarted) {
            started = true;
            String startedAt = Journal.timestamp(Instant.now());
            write(j -> insertRun(j, startedAt));
        } else if (event instanceof RunEvent.PlayStarted p) {
            flush();
            play = p.name();
            task = null;
            playHosts = p.hosts();
            stopped.clear();
        } else if (event instanceof RunEvent.TaskStarted t) {
            flush();
            doneThisTask.clear();
            task = t.name();
            action = t.action();
            location = t.location() == null ? null : t.location().file() + ":" + t.location().line();
            handler = t.handler();
            taskStart = System.nanoTime();
        } else if (event instanceof RunEvent.HostDone d) {
            if (!d.retrying()) {
                TaskResult r = d.result();
                pending.add(row(r, d.noLog()));
                doneThisTask.add(r.host());
                if (r.status() == dev.drover.engine.Status.UNREACHABLE || r.failed() && !r.ignored()) {
                    stopped.add(r.host());
                }
            }
        } else if (event instanceof RunEvent.PlaybookFinished f) {
            if (f.interrupted() && task != null) {
                // the task Ctrl-C stopped: its hosts that had not finished it
                long ms = (System.nanoTime() - taskStart) / 1_000_000;
                for (String h : playHosts) {
                    if (!doneThisTask.contains(h) && !stopped.contains(h)) {
                        pending.add(new Object[] {++seq, m(play), m(task), action, location, handler ? 1 : 0, h,
                            "interrupted", 0, null, null, ms});
                    }
                }
            }
            flush();
            List<HostStats> recap = f.recap();
            String status = f.interrupted() ? "interrupted" : "finished";
            write(j -> writeRecap(j, recap, status));
        }
    }

    private Object[] row(TaskResult r, boolean noLog) {
        long ms = (System.nanoTime() - taskStart) / 1_000_000;
        String status = r.status().name().toLowerCase(java.util.Locale.ROOT);
        List<String> touched = noLog ? List.of() : Touched.of(action, r);
        String message = noLog || (!r.failed() && r.status() != dev.drover.engine.Status.UNREACHABLE) ? null : r.message();
        return new Object[] {++seq, m(play), m(task), action, location, handler ? 1 : 0, r.host(), status,
            r.ignored() ? 1 : 0, touched.isEmpty() ? null : m(String.join("\n", touched)), m(message), ms};
    }

    private String m(String s) {
        return s == null ? null : mask.apply(s);
    }

    private void flush() {
        if (pending.isEmpty() || !started) {
            pending.clear();
            return;
        }
        List<Object[]> rows = List.copyOf(pending);
        pending.clear();
        write(j -> j.inTransaction(db -> {
            try (PreparedStatement p = db.prepareStatement("INSERT INTO results (run, seq, play, task, action, location,"
                    + " handler, host, status, ignored, touched, message, duration_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (Object[] row : rows) {
                    p.setLong(1, runId);
                    for (int i = 0; i < row.length; i++) {
                        p.setObject(i + 2, row[i]);
                    }
                    p.addBatch();
                }
                p.executeBatch();
            }
        }));
    }

    private void insertRun(Journal j, String startedAt) throws SQLException {
        Optional<GitState> g = git.get();
        j.inTransaction(db -> {
            try (PreparedStatement p = db.prepareStatement("INSERT INTO runs (started, user, controller, pid, command,"
                    + " playbook, git_root, git_commit, git_branch, git_changes, inventory, host_limit, status)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'running')", java.sql.Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, startedAt);
                p.setString(2, info.user());
                p.setString(3, info.controller());
                p.setLong(4, info.pid());
                p.setString(5, m(info.command()));
                p.setString(6, info.playbook().toString());
                p.setString(7, g.map(s -> s.root().toString()).orElse(null));
                p.setString(8, g.map(GitState::commit).orElse(null));
                p.setString(9, g.map(GitState::branch).orElse(null));
                p.setString(10, g.map(s -> String.join("\n", s.changes())).orElse(null));
                p.setString(11, String.join("\n", info.inventory()));
                p.setString(12, info.limit());
                p.executeUpdate();
                try (var keys = p.getGeneratedKeys()) {
                    keys.next();
                    runId = keys.getLong(1);
                }
            }
        });
    }

    private void writeRecap(Journal j, List<HostStats> recap, String status) throws SQLException {
        if (runId == 0) {
            return;
        }
        j.inTransaction(db -> {
            try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO recaps (run, host, ok, changed,"
                    + " unreachable, failed, skipped, rescued, ignored) VALUES (?,?,?,?,?,?,?,?,?)")) {
                for (HostStats s : recap) {
                    p.setLong(1, runId);
                    p.setString(2, s.host());
                    p.setInt(3, s.ok());
                    p.setInt(4, s.changed());
                    p.setInt(5, s.unreachable());
                    p.setInt(6, s.failed());
                    p.setInt(7, s.skipped());
                    p.setInt(8, s.rescued());
                    p.setInt(9, s.ignored());
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = db.prepareStatement("UPDATE runs SET status = ? WHERE id = ?")) {
                p.setString(1, status);
                p.setLong(2, runId);
                p.executeUpdate();
            }
        });
    }

    /**
     * The run is over with this exit code ({@code error}: why it stopped, for a run that ended in an
     * error after it started): completes the record and waits for the writer.
     */
    public void finish(int exitCode, String error) {
        if (finished) {
            return;
        }
        finished = true;
        flush();
        String finishedAt = Journal.timestamp(Instant.now());
        write(j -> {
            if (runId == 0) {
                return;
            }
            j.inTransaction(db -> {
                try (PreparedStatement p = db.prepareStatement("UPDATE runs SET finished = ?, exit_code = ?, error = ?,"
                        + " status = CASE WHEN status = 'running' THEN ? ELSE status END WHERE id = ?")) {
                    p.setString(1, finishedAt);
                    p.setInt(2, exitCode);
                    p.setString(3, m(error));
                    p.setString(4, error != null ? "error" : "finished");
                    p.setLong(5, runId);
                    p.executeUpdate();
                }
            });
        });
        writer.execute(() -> {
            if (journal != null) {
                journal.close();
            }
        });
        writer.shutdown();
        try {
            if (!writer.awaitTermination(60, TimeUnit.SECONDS)) {
                problem = "the journal " + file + " took more than 60 s to write; the record may lack the run's end";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface Write {
        void to(Journal j) throws SQLException;
    }

    private void write(Write w) {
        writer.execute(() -> {
            Journal j = journal;
            if (j == null || problem != null) {
                return;
            }
            try {
                w.to(j);
            } catch (SQLException e) {
                problem = "cannot write the journal " + file + ": " + e.getMessage();
            }
        });
    }
}
