package dev.drover.engine;

import dev.drover.inventory.Inventory;
import dev.drover.modules.BuiltinModules;
import dev.drover.module.Module;
import dev.drover.playbook.PlaybookLoader;
import dev.drover.template.Templar;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/** What every part of one run shares: options, inventory, templar, hosts, the event stream. */
final class RunContext {
    final RunOptions options;
    final Inventory inventory;
    final Templar templar;
    final Map<String, HostState> hosts;
    final Events events;
    final ExecutorService pool;
    final Path playbookDir;
    final PlaybookLoader loader = new PlaybookLoader();
    /** Ctrl-C: no new task starts, running commands are abandoned, results no longer count. */
    volatile boolean interrupted;
    /** A play ended the playbook (a batch whose hosts all failed, any_errors_fatal, max_fail_percentage). */
    volatile boolean stopPlaybook;
    /** Counts the plans that ran commands on any host: what was read of a host before may be stale ({@link ReadAhead}). */
    final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    /** An async job was started: it may change its host at any time, so nothing is read ahead any more. */
    volatile boolean asyncLaunched;

    RunContext(RunOptions options, Inventory inventory, Templar templar, Map<String, HostState> hosts, Events events,
               ExecutorService pool, Path playbookDir) {
        this.options = options;
        this.inventory = inventory;
        this.templar = templar;
        this.hosts = hosts;
        this.events = events;
        this.pool = pool;
        this.playbookDir = playbookDir;
    }

    private dev.drover.connection.Connection local;

    /** The controller itself, for delegate_to: localhost on a host that is not in the inventory. */
    synchronized dev.drover.connection.Connection localConnection() throws dev.drover.connection.ConnectionException {
        if (local == null) {
            local = dev.drover.connection.Connections.open(dev.drover.connection.ConnectionSpec.local("localhost"));
        }
        return local;
    }

    synchronized void closeLocal() {
        if (local != null) {
            local.close();
        }
    }

    /** The modules of this run that go through Ansible (set by the Runner for the playbook's search path). */
    volatile dev.drover.modules.ansible.AnsibleModules ansible =
            dev.drover.modules.ansible.AnsibleModules.forRun(null, List.of(), Map.of());

    /** A native module, else Ansible's module of that name (run through Ansible). */
    Optional<Module> module(String action) {
        return module(action, List.of());
    }

    /** As {@link #module(String)}, with the task's {@code collections:} keyword for short names. */
    Optional<Module> module(String action, List<String> collections) {
        Optional<Module> m = BuiltinModules.find(action);
        return m.isPresent() ? m : ansible.find(action, collections);
    }

    /** A task's {@code collections:} keyword (inherited from its play, role or block). */
    static List<String> collections(dev.drover.playbook.Task task) {
        return dev.drover.playbook.Keywords.stringList(task.scope().get("collections").orElse(null));
    }

    /** Events go to every listener, one event at a time. */
    static final class Events {
        private final List<RunListener> listeners;

        Events(List<RunListener> listeners) {
            this.listeners = List.copyOf(listeners);
        }

        synchronized void emit(RunEvent e) {
            for (RunListener l : listeners) {
                l.on(e);
            }
        }
    }
}
