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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a playbook: load, validate the whole of it, then each play in turn; returns the exit code
 * ansible-playbook would. Never prints: everything goes to the listeners.
 */
public final class Runner {
    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
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
                h.abandon();
            } catch (RuntimeException e) {
                // closing is best effort: the run is being abandoned
            }
        }
        rc.closeLocal();
    }

    /**
     * Closes the hosts' connections side by side: closing a shell waits for its channel to end
     * (an exchange with the host), which one host after the other would add up before the recap.
     */
    static void closeAll(List<HostState> hosts) {
        int threads = Math.min(hosts.size(), 16);
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable closer = () -> {
            for (int i = next.getAndIncrement(); i < hosts.size(); i = next.getAndIncrement()) {
                try {
                    hosts.get(i).close();
                } catch (RuntimeException e) {
                    LOG.debug("closing {}: {}", hosts.get(i).name(), e.toString());
                }
            }
        };
        List<Thread> started = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            Thread th = new Thread(closer, "drover-close");
            th.setDaemon(true);
            th.start();
            started.add(th);
        }
        closer.run();
        for (Thread th : started) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The actions no native module runs: those may go through Ansible. */
    private static List<String> nonNative(java.util.Set<String> actions) {
        return actions.stream().filter(a -> dev.drover.modules.BuiltinModules.find(a).isEmpty()
                && !dev.drover.playbook.Keywords.ENGINE_ACTIONS.contains(a) && !Templar.isTemplated(a)).toList();
    }

    /** Loads and validates without touching any host (warnings are dropped: see the other form). */
    public static Playbook loadAndValidate(Path playbookFile) throws RunException {
        return loadAndValidate(playbookFile, w -> { });
    }

    /** Loads and validates without touching any host; what only warns goes to {@code warnings}. */
    public static Playbook loadAndValidate(Path playbookFile, java.util.function.Consumer<RunException.Problem> warnings)
            throws RunException {
        Playbook playbook;
        try {
            playbook = new PlaybookLoader().load(playbookFile);
        } catch (PlaybookException e) {
            throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, e.location(), e.getMessage());
        }
        Findings found = Validator.check(playbook, ModuleSearch.ansibleModules(playbook));
        if (!found.errors().isEmpty()) {
            throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, found.errors());
        }
        found.warnings().forEach(warnings);
        return playbook;
    }

    /**
     * Reports variables the playbook's tasks read that nothing in the run could define (see
     * {@link UndefinedVars}); needs the inventory, touches no host.
     */
    public static List<RunException.Problem> checkVariables(Playbook playbook, Inventory inventory,
                                                            Map<String, Object> extraVars) throws RunException {
        Findings found = UndefinedVars.findings(playbook, inventory, extraVars);
        if (!found.errors().isEmpty()) {
            throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, found.errors());
        }
        return found.warnings();
    }

    /**
     * Starts opening the connections (and login shells) of the first play's hosts on the host
     * pool, so that they overlap the variable check and jinjava's warm-up; the first task takes
     * them (a failure turns the host unreachable there, as before). Skipped when the play's hosts
     * are templated or the play sets connection keywords (the spec is only known at run time).
     */
    private static void openEarly(Playbook playbook, Inventory inventory, RunOptions options,
                                  Map<String, HostState> hosts, ExecutorService pool) {
        if (playbook.plays().isEmpty()) {
            return;
        }
        Play first = playbook.plays().get(0);
        if (Templar.isTemplated(first.hosts())) {
            return;
        }
        for (String k : List.of("connection", "remote_user", "port")) {
            if (first.scope().get(k).isPresent()) {
                return;
            }
        }
        try {
            List<dev.drover.inventory.Host> selected = inventory.select(first.hosts());
            if (options.limit() != null) {
                java.util.Set<String> allowed = new java.util.HashSet<>();
                inventory.select(options.limit()).forEach(h -> allowed.add(h.name()));
                selected = selected.stream().filter(h -> allowed.contains(h.name())).toList();
            }
            Path dir = playbook.file().getParent();
            for (dev.drover.inventory.Host h : selected) {
                HostState s = new HostState(h, new LinkedHashMap<>(inventory.varsFor(h, dir)));
                hosts.put(h.name(), s);
                s.openEarly(pool, options.connection().under(new LinkedHashMap<>()));
            }
        } catch (InventoryException | RuntimeException e) {
            // PlayRun selects the hosts again and reports what is wrong
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
     * inventory, then the variables tasks read) before any host is touched; then the first play's
     * hosts are connected to in parallel while the templates warm up.
     */
    public int run(RunOptions options) throws RunException {
        List<RunException.Problem> warnings = new ArrayList<>();
        Playbook playbook = loadAndValidate(options.playbook(), warnings::add);
        Inventory inventory = loadInventory(options.inventory());
        Map<String, HostState> hosts = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.forks()), r -> {
            Thread t = new Thread(r, "drover-host");
            t.setDaemon(true);
            return t;
        });
        RunContext rc = null;
        // packing the playbook's Ansible modules (a Python process) overlaps the checks and connecting
        dev.drover.modules.ansible.AnsibleModules ansible = ModuleSearch.ansibleModules(playbook);
        ansible.prefetch(nonNative(ModuleSearch.actions(playbook)));
        try {
            VaultCheck.check(playbook, inventory, options.extraVars());
            warnings.addAll(checkVariables(playbook, inventory, options.extraVars()));
            openEarly(playbook, inventory, options, hosts, pool);
            // lookups (inventory_hostnames) match host patterns against the run's inventory
            Templar templar = Templar.create(pattern -> {
                try {
                    return inventory.select(pattern).stream().map(dev.drover.inventory.Host::name).toList();
                } catch (dev.drover.inventory.InventoryException e) {
                    throw new dev.drover.template.TemplateException(e.getMessage());
                }
            });
            RunContext.Events events = new RunContext.Events(listeners);
            rc = new RunContext(options, inventory, templar, hosts, events, pool, playbook.file().getParent());
            rc.ansible = ansible;
            current = rc;
            rc.interrupted = interruptRequested;
            for (RunException.Problem w : warnings) { // found before the run, printed as drover's other warnings
                events.emit(new RunEvent.Warning(w.toString()));
            }
            events.emit(new RunEvent.PlaybookStarted(playbook.file(), options.check(), options.diff()));
            for (Play play : playbook.plays()) {
                if (rc.interrupted || rc.stopPlaybook) {
                    break;
                }
                new PlayRun(rc, play).run();
            }
        } catch (RunAbort a) {
            throw a.reason();
        } finally {
            pool.shutdownNow();
            List<HostState> open;
            synchronized (hosts) {
                open = new ArrayList<>(hosts.values());
            }
            closeAll(open);
            if (rc != null) {
                rc.closeLocal();
            }
        }
        RunContext.Events events = rc.events;
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
        if (options.plan().record()) {
            synchronized (hosts) {
                for (HostState h : hosts.values()) {
                    events.emit(new RunEvent.HostReadsRecorded(h.name(), h.reads.snapshot()));
                }
            }
        }
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
