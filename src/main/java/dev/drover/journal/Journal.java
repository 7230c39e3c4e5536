package dev.drover.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * drover's journal of real runs: an SQLite database (one file, by default
 * {@code $XDG_STATE_HOME/drover/journal.db}). A run is a row of {@code runs}, opened when the run
 * starts and completed when it ends (finished, interrupted or error); each task's result on each
 * host is a row of {@code results}, written as the run goes, in transactions. The database is in
 * WAL mode with a busy timeout, so runs at once on one journal all land. The file is the user's
 * alone (0600): it holds command lines (with secrets masked) and task names.
 */
public final class Journal implements AutoCloseable {

    /** The schema's version ({@code PRAGMA user_version}); a newer journal is refused, not rewritten. */
    static final int VERSION = 1;

    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          started TEXT NOT NULL, finished TEXT, user TEXT, controller TEXT, pid INTEGER,
          command TEXT, playbook TEXT, git_root TEXT, git_commit TEXT, git_branch TEXT, git_changes TEXT,
          inventory TEXT, host_limit TEXT,
          status TEXT NOT NULL, exit_code INTEGER, error TEXT)""",
        """
        CREATE TABLE IF NOT EXISTS results (
          run INTEGER NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL,
          play TEXT, task TEXT, action TEXT, location TEXT, handler INTEGER NOT NULL, host TEXT NOT NULL,
          status TEXT NOT NULL, ignored INTEGER NOT NULL, touched TEXT, message TEXT, duration_ms INTEGER,
          PRIMARY KEY (run, seq))""",
        """
        CREATE TABLE IF NOT EXISTS recaps (
          run INTEGER NOT NULL REFERENCES runs(id), host TEXT NOT NULL,
          ok INTEGER, changed INTEGER, unreachable INTEGER, failed INTEGER, skipped INTEGER, rescued INTEGER,
          ignored INTEGER, PRIMARY KEY (run, host))""",
        "CREATE INDEX IF NOT EXISTS results_host ON results(host, run)",
        "CREATE INDEX IF NOT EXISTS runs_started ON runs(started)",
    };

    private final Path file;
    private final Connection db;

    private Journal(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /** The default journal: {@code $XDG_STATE_HOME/drover/journal.db}, else {@code ~/.local/state/drover/journal.db}. */
    public static Path defaultPath(Map<String, String> env, Path home) {
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute() ? Path.of(state)
                : home.resolve(".local/state");
        return base.resolve("drover/journal.db");
    }

    /** Opens (creating when absent) the journal at {@code file}. */
    public static Journal open(Path file) throws JournalException {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // another run created it first
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new JournalException("cannot create the journal " + file + ": " + e.getMessage());
        }
        try {
            SqliteNative.prepare(System.getenv());
            // the driver directly: DriverManager would first look for every JDBC driver on the class path
            java.util.Properties props = new java.util.Properties();
            // a transaction takes the write lock when it begins: one that read first and wrote then could
            // not wait for another run's write (SQLITE_BUSY_SNAPSHOT), it would fail
            props.setProperty("transaction_mode", "IMMEDIATE");
            props.setProperty("busy_timeout", "30000");
            Connection db = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + file.toAbsolutePath(), props);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout = 30000"); // another run may be writing: wait for it
                int version;
                try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
                    version = r.next() ? r.getInt(1) : 0;
                }
                if (version > VERSION) {
                    db.close();
                    throw new JournalException("the journal " + file + " was written by a newer drover (schema "
                            + version + "; this drover knows " + VERSION + ")");
                }
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL"); // WAL: a crash loses at most the last commits, never the file
                s.execute("PRAGMA foreign_keys = ON");
                if (version < VERSION) {
                    db.setAutoCommit(false); // BEGIN IMMEDIATE: another run creating it at once waits, then finds it
                    for (String ddl : SCHEMA) {
                        s.execute(ddl);
                    }
                    s.execute("PRAGMA user_version = " + VERSION);
                    db.commit();
                    db.setAutoCommit(true);
                }
            }
            return new Journal(file, db);
        } catch (SQLException e) {
            throw new JournalException("cannot open the journal " + file + ": " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    private static final java.time.format.DateTimeFormatter STAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** How the journal writes a time: UTC, fixed width, so that text order is time order. */
    public static String timestamp(java.time.Instant t) {
        return STAMP.format(t);
    }

    public static java.time.Instant instant(String timestamp) {
        return java.time.Instant.from(STAMP.parse(timestamp));
    }

    /** Runs {@code work} in one transaction (rolled back when it throws). */
    void inTransaction(SqlWork work) throws SQLException {
        db.setAutoCommit(false);
        try {
            work.run(db);
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    @FunctionalInterface
    interface SqlWork {
        void run(Connection db) throws SQLException;
    }

    // ---------------------------------------------------------------- reading

    /** Which runs {@link #runs} lists. */
    public record Filter(String host, String since, boolean changedOnly, int limit) {
    }

    /** A run as {@code drover history} lists it; with a host filter the counts are that host's. */
    public record RunSummary(long id, String started, String finished, String user, String controller, long pid,
                             String command, String playbook, String gitRoot, String gitCommit, String gitBranch,
                             List<String> gitChanges, String inventory, String limit, String status, Integer exitCode,
                             String error, List<Recap> recap) {

        public int total(java.util.function.ToIntFunction<Recap> f) {
            return recap.stream().mapToInt(f).sum();
        }
    }

    /** One host's PLAY RECAP line of a run. */
    public record Recap(String host, int ok, int changed, int unreachable, int failed, int skipped, int rescued,
                        int ignored) {
    }

    /** One task's result on one host, as recorded. */
    public record Result(int seq, String play, String task, String action, String location, boolean handler,
                         String host, String status, boolean ignored, List<String> touched, String message,
                         long durationMs) {
    }

    /** The runs the filter selects, newest first. */
    public List<RunSummary> runs(Filter f) throws JournalException {
        StringBuilder sql = new StringBuilder("SELECT * FROM runs WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (f.host() != null) {
            sql.append(" AND id IN (SELECT run FROM results WHERE host = ?)");
            args.add(f.host());
        }
        if (f.since() != null) {
            sql.append(" AND started >= ?");
            args.add(f.since());
        }
        if (f.changedOnly()) {
            sql.append(" AND id IN (SELECT run FROM results WHERE status = 'changed'")
                    .append(f.host() != null ? " AND host = ?)" : ")");
            if (f.host() != null) {
                args.add(f.host());
            }
        }
        sql.append(" ORDER BY id DESC");
        if (f.limit() > 0) {
            sql.append(" LIMIT ").append(f.limit());
        }
        try (PreparedStatement p = db.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                p.setObject(i + 1, args.get(i));
            }
            List<RunSummary> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(summary(r));
                }
            }
            List<RunSummary> withRecaps = new ArrayList<>();
            for (RunSummary s : out) {
                List<Recap> recap = recap(s.id());
                if (f.host() != null) {
                    recap = recap.stream().filter(x -> x.host().equals(f.host())).toList();
                }
                withRecaps.add(withRecap(s, recap));
            }
            return withRecaps;
        } catch (SQLException e) {
            throw new JournalException("cannot read the journal " + file + ": " + e.getMessage());
        }
    }

    /** One run, or null when the journal has none with that id. */
    public RunSummary run(long id) throws JournalException {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM runs WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? withRecap(summary(r), recap(id)) : null;
            }
        } catch (SQLException e) {
            throw new JournalException("cannot read the journal " + file + ": " + e.getMessage());
        }
    }

    /** The id of the newest run, or 0 in an empty journal. */
    public long lastRun() throws JournalException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT max(id) FROM runs")) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw new JournalException("cannot read the journal " + file + ": " + e.getMessage());
        }
    }

    /** A run's results in the order they were recorded. */
    public List<Result> results(long run) throws JournalException {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM results WHERE run = ? ORDER BY seq")) {
            p.setLong(1, run);
            List<Result> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String touched = r.getString("touched");
                    out.add(new Result(r.getInt("seq"), r.getString("play"), r.getString("task"), r.getString("action"),
                            r.getString("location"), r.getInt("handler") != 0, r.getString("host"), r.getString("status"),
                            r.getInt("ignored") != 0, touched == null || touched.isEmpty() ? List.of()
                                    : List.of(touched.split("\n")), r.getString("message"), r.getLong("duration_ms")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new JournalException("cannot read the journal " + file + ": " + e.getMessage());
        }
    }

    private List<Recap> recap(long run) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM recaps WHERE run = ? ORDER BY host")) {
            p.setLong(1, run);
            List<Recap> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Recap(r.getString("host"), r.getInt("ok"), r.getInt("changed"), r.getInt("unreachable"),
                            r.getInt("failed"), r.getInt("skipped"), r.getInt("rescued"), r.getInt("ignored")));
                }
            }
            return out;
        }
    }

    private static RunSummary summary(ResultSet r) throws SQLException {
        String changes = r.getString("git_changes");
        int exit = r.getInt("exit_code");
        Integer exitCode = r.wasNull() ? null : exit;
        return new RunSummary(r.getLong("id"), r.getString("started"), r.getString("finished"), r.getString("user"),
                r.getString("controller"), r.getLong("pid"), r.getString("command"), r.getString("playbook"),
                r.getString("git_root"), r.getString("git_commit"), r.getString("git_branch"),
                changes == null || changes.isEmpty() ? List.of() : List.of(changes.split("\n")), r.getString("inventory"),
                r.getString("host_limit"), r.getString("status"), exitCode, r.getString("error"), List.of());
    }

    private static RunSummary withRecap(RunSummary s, List<Recap> recap) {
        return new RunSummary(s.id(), s.started(), s.finished(), s.user(), s.controller(), s.pid(), s.command(),
                s.playbook(), s.gitRoot(), s.gitCommit(), s.gitBranch(), s.gitChanges(), s.inventory(), s.limit(),
                s.status(), s.exitCode(), s.error(), List.copyOf(recap));
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // nothing left to write
        }
    }
}
