package dev.drover.cli;

import dev.drover.config.ConfigException;
import dev.drover.config.Settings;
import dev.drover.engine.ExitCodes;
import dev.drover.journal.Journal;
import dev.drover.journal.JournalException;
import dev.drover.journal.RunHistory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code drover history}: the runs the journal recorded, one run in full, what differs between two. */
@Command(name = "history", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lists the real runs recorded in the journal (newest first); 'show RUN' prints one,"
                + " 'diff RUN1 RUN2' what differs between two. RUN is a run's number or 'last'.",
        subcommands = {HistoryCommand.Show.class, HistoryCommand.Diff.class})
public final class HistoryCommand implements Callable<Integer> {

    @Option(names = "--journal", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The journal to read (default: ansible.cfg's [drover] journal, DROVER_JOURNAL,"
                    + " else $XDG_STATE_HOME/drover/journal.db).")
    Path journal;

    @Option(names = "--host", paramLabel = "HOST", description = "Only runs that worked on this host; its counts only.")
    String host;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Only runs started since WHEN: a date (2026-12-01), a time (2026-12-01T14:00, local)"
                    + " or an age (30m, 2h, 3d, 1w).")
    String since;

    @Option(names = "--changed", description = "Only runs that changed something (on --host, if given).")
    boolean changed;

    @Option(names = {"-n", "--max-count"}, paramLabel = "N", description = "At most N runs (default 20; 0: all).")
    int max = 20;

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        return withJournal(main, journal, (j, out) -> {
            String from = since == null ? null : Journal.timestamp(RunHistory.since(since, java.time.Instant.now()));
            List<Journal.RunSummary> runs = j.runs(new Journal.Filter(host, from, changed, max));
            RunHistory.list(runs, out);
            return ExitCodes.OK;
        });
    }

    /** {@code drover history show RUN}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints one run: who ran what, and per task"
            + " and host its status, what it touched and how long it took.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN", defaultValue = "last", description = "The run's number, or 'last'.")
        String run;

        @Option(names = "--host", paramLabel = "HOST", description = "Only this host's results.")
        String host;

        @Option(names = "--changed", description = "Only results that changed something or failed.")
        boolean changed;

        @ParentCommand
        HistoryCommand parent;

        @Override
        public Integer call() {
            return withJournal(parent.main, parent.journal, (j, out) -> {
                Journal.RunSummary r = find(j, run);
                RunHistory.show(r, j.results(r.id()), host, changed, out);
                return ExitCodes.OK;
            });
        }
    }

    /** {@code drover history diff RUN1 RUN2}. */
    @Command(name = "diff", mixinStandardHelpOptions = true, description = "What differs between two runs: the playbook's"
            + " commit, and per host the tasks whose status or touched things differ, and the recap.")
    static final class Diff implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN1", description = "The earlier run's number, or 'last'.")
        String first;

        @Parameters(index = "1", paramLabel = "RUN2", defaultValue = "last", description = "The later run (default: last).")
        String second;

        @ParentCommand
        HistoryCommand parent;

        @Override
        public Integer call() {
            return withJournal(parent.main, parent.journal, (j, out) -> {
                Journal.RunSummary a = find(j, first);
                Journal.RunSummary b = find(j, second);
                RunHistory.diff(a, j.results(a.id()), b, j.results(b.id()), out);
                return ExitCodes.OK;
            });
        }
    }

    static final class NoSuchRun extends Exception {
        NoSuchRun(String message) {
            super(message);
        }
    }

    static Journal.RunSummary find(Journal j, String run) throws JournalException, NoSuchRun {
        long id;
        if (run.equals("last")) {
            id = j.lastRun();
            if (id == 0) {
                throw new NoSuchRun("the journal " + j.file() + " has no run yet");
            }
        } else {
            try {
                id = Long.parseLong(run);
            } catch (NumberFormatException e) {
                throw new NoSuchRun("'" + run + "' is not a run: give its number (drover history lists them) or 'last'");
            }
        }
        Journal.RunSummary r = j.run(id);
        if (r == null) {
            throw new NoSuchRun("the journal " + j.file() + " has no run " + id + " (the last is " + j.lastRun() + ")");
        }
        return r;
    }

    @FunctionalInterface
    interface JournalWork {
        int run(Journal j, PrintStream out) throws JournalException, NoSuchRun;
    }

    static int withJournal(Main main, Path option, JournalWork work) {
        Main m = main == null ? new Main() : main;
        Settings cfg;
        try {
            cfg = m.settings();
        } catch (ConfigException e) {
            System.err.println("ERROR! " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        }
        Path file = option != null ? option : cfg.journal() != null ? cfg.journal() : Journal.defaultPath(m.env, m.home);
        if (!file.isAbsolute()) {
            file = m.cwd.resolve(file);
        }
        if (!Files.exists(file)) {
            System.err.println("ERROR! no journal at " + file + " (real runs are recorded there; --journal FILE reads another)");
            return ExitCodes.ERROR;
        }
        try (Journal j = Journal.open(file)) {
            return work.run(j, System.out);
        } catch (JournalException | NoSuchRun e) {
            System.err.println("ERROR! " + e.getMessage());
            return ExitCodes.ERROR;
        } catch (IllegalArgumentException e) {
            System.err.println("ERROR! " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        }
    }
}
