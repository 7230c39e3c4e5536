package dev.drover.engine;

import dev.drover.inventory.Inventory;
import dev.drover.inventory.InventoryException;
import dev.drover.playbook.Play;
import dev.drover.playbook.Playbook;
import dev.drover.playbook.PlaybookException;
import dev.drover.playbook.PlaybookLoader;
import dev.drover.template.Templar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a playbook: load, validate the whole of it, then each play in turn; returns the exit code
 * ansible-playbook would. Never prints: everything goes to the listeners.
 */
public final class Runner {
    private final List<RunListener> listeners;

    public Runner(List<RunListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    private volatile RunContext current;
    private volatile boolean interruptRequested;

    /**
     * Ctrl-C: asks the run to stop. No new task starts; running commands are abandoned (their
     * connections and shells closed, which kills what they run); the recap so far is reported
     * with {@code interrupted=true} and {@link #run} returns 99. Safe to call from any thread.
     */
    public void interrupt() {
        interruptRequested = true;
        RunContext rc = current;
        if (rc == null) {
            return;
        }
        rc.interrupted = true;
        List<HostState> open;
        synchronized (rc.hosts) {
            open = new ArrayList<>(rc.hosts.values());
        }
        for (HostState h : open) {
            try {
                h.close();
            } catch (RuntimeException e) {
                // closing is best effort: the run is being abandoned
            }
        }
        rc.closeLocal();
    }

    /** Loads and validates without touching any host. */
    public static Playbook loadAndValidate(Path playbookFile) throws RunException {
        Playbook playbook;
        try {
            playbook = new PlaybookLoader().load(playbookFile);
        } catch (PlaybookException e) {
            throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, e.location(), e.getMessage());
        }
        List<RunException.Problem> problems = Validator.validate(playbook);
        if (!problems.isEmpty()) {
            throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, problems);
        }
        return playbook;
    }

    /**
     * Reports variables the playbook's tasks read that nothing in the run could define (see
     * {@link UndefinedVars}); needs the inventory, touches no host.
     */
    public static void checkVariables(Playbook playbook, Inventory inventory, Map<String, Object> extraVars)
            throws RunException {
        List<RunException.Problem> problems = UndefinedVars.check(playbook, inventory, extraVars);
        if (!problems.isEmpty()) {
            throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, problems);
        }
    }

    public static Inventory loadInventory(List<String> sources) throws RunException {
        try {
            return sources.isEmpty() ? Inventory.localhostOnly() : Inventory.load(sources);
        } catch (InventoryException e) {
            throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, e.location(), e.getMessage());
        }
    }

    /**
     * Runs the playbook; returns the exit code. Everything is checked (the playbook, the
     * inventory, then the variables tasks read) before any host is touched.
     */
    public int run(RunOptions options) throws RunException {
        Playbook playbook = loadAndValidate(options.playbook());
        Inventory inventory = loadInventory(options.inventory());
        checkVariables(playbook, inventory, options.extraVars());
        Templar templar = Templar.create();
        RunContext.Events events = new RunContext.Events(listeners);
        Map<String, HostState> hosts = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.forks()), r -> {
            Thread t = new Thread(r, "drover-host");
            t.setDaemon(true);
            return t;
        });
        RunContext rc = new RunContext(options, inventory, templar, hosts, events, pool,
                playbook.file().getParent());
        current = rc;
        rc.interrupted = interruptRequested;
        events.emit(new RunEvent.PlaybookStarted(playbook.file(), options.check(), options.diff()));
        try {
            for (Play play : playbook.plays()) {
                if (rc.interrupted || rc.stopPlaybook) {
                    break;
                }
                new PlayRun(rc, play).run();
            }
        } finally {
            pool.shutdownNow();
            for (HostState h : hosts.values()) {
                h.close();
            }
            rc.closeLocal();
        }
        List<HostStats> recap = new ArrayList<>();
        boolean unreachable = false;
        boolean failed = false;
        synchronized (hosts) {
            for (HostState h : hosts.values()) {
                HostStats s = h.stats.snapshot();
                if (s.ok() + s.changed() + s.unreachable() + s.failed() + s.skipped() + s.rescued() + s.ignored() == 0) {
                    continue; // never reached (a later serial batch that did not run): Ansible leaves it out
                }
                recap.add(s);
                unreachable |= s.unreachable() > 0;
                failed |= s.failed() > 0;
            }
        }
        recap.sort(java.util.Comparator.comparing(HostStats::host));
        events.emit(new RunEvent.PlaybookFinished(recap, rc.interrupted));
        if (rc.interrupted) {
            return ExitCodes.INTERRUPTED;
        }
        if (unreachable) {
            return ExitCodes.UNREACHABLE_OR_PARSE;
        }
        return failed ? ExitCodes.HOST_FAILED : ExitCodes.OK;
    }
}
