package dev.drover.engine;

import dev.drover.connection.Connection;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ConnectionSpec;
import dev.drover.connection.Connections;
import dev.drover.inventory.Host;
import dev.drover.module.SimulatedState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

/**
 * Everything the engine keeps about one host during a run: its connection, facts, variables set
 * by tasks, the simulated state of a check run, failure flags, notified handlers, recap counts.
 * Touched by one worker at a time (the linear strategy runs one task per host at a time).
 */
final class HostState {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HostState.class);
    final Host host;
    final Map<String, Object> inventoryVars;
    /** ansible_facts (keys without the ansible_ prefix). */
    final Map<String, Object> facts = new LinkedHashMap<>();
    /** set_fact, register. */
    final Map<String, Object> hostVars = new LinkedHashMap<>();
    /** Check mode: variables whose value the check cannot know, with why (see UnknownValues). */
    final Map<String, String> unknown = new java.util.concurrent.ConcurrentHashMap<>();
    /** What a check run that writes a plan read of this host (see HostReads). */
    final HostReads reads = new HostReads();
    /** Applying a plan: this host's reads were compared with the plan's (null: not yet), and what moved. */
    volatile String planDrift;
    volatile boolean planChecked;
    /** include_vars (Ansible's vars cache: above task vars, below set_fact and register). */
    final Map<String, Object> includedVars = new LinkedHashMap<>();
    final SimulatedState simulated = new SimulatedState();
    /** Check mode: whether the host has a user (asked once per user, since a check run changes nothing). */
    final Map<String, Boolean> checkedUsers = new java.util.concurrent.ConcurrentHashMap<>();
    final Set<String> notified = new LinkedHashSet<>();
    /** Async jobs this run started on the host, by job id (what async_status maps their outputs with). */
    final Map<String, AsyncJobs.Job> asyncJobs = new java.util.concurrent.ConcurrentHashMap<>();
    final StatsCounter stats;
    /** The paths the host's next steps read, read at once (null: none); see {@link ReadAhead}. */
    volatile ReadAhead readAhead;
    /** The host's previous step ran commands (changed it, or ran a command whose effect is unknown). */
    volatile boolean lastStepRan;
    /** Open connections by spec: a play or task keyword (connection, remote_user, port) may ask for another. */
    private final Map<ConnectionSpec, Connection> connections = new LinkedHashMap<>();
    boolean unreachable;
    /** Counts this host's unignored failures: a change tells a task list the host dropped out. */
    int failures;
    boolean failed;
    boolean ended;
    /** The last unignored failure: what a rescue section sees as ansible_failed_task/_result. */
    Map<String, Object> lastFailedTask;
    Map<String, Object> lastFailedResult;

    HostState(Host host, Map<String, Object> inventoryVars) {
        this.host = host;
        this.inventoryVars = inventoryVars;
        this.stats = new StatsCounter(host.name());
    }

    String name() {
        return host.name();
    }

    boolean active() {
        return !failed && !unreachable && !ended;
    }

    /** The connection for this host with no connection keywords in force. */
    Connection connection() throws ConnectionException {
        return connection(Map.of());
    }

    /**
     * The connection for this host given the connection keywords in force ({@code connection},
     * {@code remote_user}, {@code port}, already templated); as in Ansible, the host's
     * ansible_connection / ansible_user / ansible_port variables win over them.
     */
    Connection connection(Map<String, Object> keywords) throws ConnectionException {
        ConnectionSpec spec = spec(host.name(), inventoryVars, keywords);
        Connection c = connections.get(spec);
        if (c == null) {
            c = takeEarly(spec);
            if (c == null) {
                c = Connections.open(spec);
            }
            connections.put(spec, c);
        }
        return c;
    }

    /** The connection {@link #openEarly} started, if it was for this spec: waits for it (or opens it here). */
    private Connection takeEarly(ConnectionSpec spec) throws ConnectionException {
        FutureTask<Connection> t;
        synchronized (this) {
            if (early == null || !early.spec.equals(spec)) {
                return null;
            }
            t = early.task;
            early = null;
        }
        t.run(); // no-op when a pool thread has started it; opens here when none has yet
        try {
            return t.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConnectionException ce) {
                throw ce;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException("host " + host.name() + ": interrupted while connecting", e);
        }
    }

    private record Early(ConnectionSpec spec, FutureTask<Connection> task) {
    }

    /** A connection being opened ahead of the first task (null once taken or when none was started). */
    private Early early;
    private boolean closed;

    /**
     * Starts opening this host's connection and its login shell on {@code pool}, for the spec with
     * no connection keywords in force (the first task that asks for that spec takes it, waiting if
     * need be). A failure is kept and thrown to that task, so the host turns unreachable there,
     * as when the task opens it itself. A shell that cannot start now is retried by the task.
     */
    void openEarly(Executor pool, Map<String, Object> cliKeywords) {
        ConnectionSpec spec;
        try {
            spec = spec(host.name(), inventoryVars, cliKeywords);
        } catch (ConnectionTypes.NotFound e) {
            return; // the first task fails with it
        }
        FutureTask<Connection> t = new FutureTask<>(() -> {
            Connection c = Connections.open(spec);
            try {
                c.shell();
            } catch (ConnectionException e) {
                LOG.debug("{}: login shell not started ahead: {}", host.name(), e.getMessage());
            }
            synchronized (this) {
                if (closed) { // the run ended before any task took it
                    c.close();
                }
            }
            return c;
        });
        synchronized (this) {
            early = new Early(spec, t);
        }
        try {
            pool.execute(t);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the first task opens it itself
        }
    }

    void close() {
        close(Connection::close);
    }

    /** As {@link #close()} for a run abandoned by Ctrl-C: nothing is kept for a later run. */
    void abandon() {
        close(Connection::abandon);
    }

    /**
     * {@code meta: reset_connection}: closes this host's connections, kept SSH sessions included;
     * the next task logs in anew (and sees, say, the login user's new groups).
     */
    synchronized void resetConnections() {
        endConnections(Connection::reset);
    }

    private void endConnections(java.util.function.Consumer<Connection> how) {
        connections.values().forEach(how);
        connections.clear();
    }

    private void close(java.util.function.Consumer<Connection> how) {
        synchronized (this) {
            closed = true;
            if (early != null && early.task.isDone() && !early.task.isCancelled()) {
                try {
                    early.task.get().close();
                } catch (ExecutionException | InterruptedException e) {
                    // nothing opened
                }
            }
            early = null;
        }
        endConnections(how);
    }

    /** How to reach a host, from its ansible_* variables. */
    static ConnectionSpec spec(String name, Map<String, Object> vars) throws ConnectionTypes.NotFound {
        return spec(name, vars, Map.of());
    }

    /** How to reach a host, from its ansible_* variables, then the play/task keywords, then defaults. */
    static ConnectionSpec spec(String name, Map<String, Object> vars, Map<String, Object> keywords)
            throws ConnectionTypes.NotFound {
        Object type = vars.get("ansible_connection");
        if (type == null) {
            type = keywords.get("connection");
        }
        String known = type == null ? null : ConnectionTypes.normalize(String.valueOf(type));
        if (type != null && known == null) {
            throw new ConnectionTypes.NotFound(String.valueOf(type));
        }
        boolean local = known != null ? known.equals("local")
                : name.equals("localhost") || name.equals("127.0.0.1");
        if (local) {
            return ConnectionSpec.local(name);
        }
        String address = str(vars.get("ansible_host"), name);
        // port 0 / user null / key null: the ssh config's (~/.ssh/config), then ssh's defaults
        int port = Integer.parseInt(str(vars.get("ansible_port"), str(vars.get("ansible_ssh_port"),
                str(keywords.get("port"), "0"))));
        String user = str(vars.get("ansible_user"), str(vars.get("ansible_ssh_user"),
                str(keywords.get("remote_user"), null)));
        String key = str(vars.get("ansible_ssh_private_key_file"), str(vars.get("ansible_private_key_file"),
                str(keywords.get(CLI_PRIVATE_KEY), null)));
        String password = str(vars.get("ansible_password"), str(vars.get("ansible_ssh_pass"),
                str(vars.get("ansible_ssh_password"), str(keywords.get(CLI_PASSWORD), null))));
        // ansible's own way: -o UserKnownHostsFile=... / -o StrictHostKeyChecking=... in the ssh args
        Map<String, String> sshOptions = sshOptions(vars);
        String knownHosts = str(vars.get("drover_known_hosts"), sshOptions.get("userknownhostsfile"));
        Object strict = vars.get("ansible_host_key_checking");
        if (strict == null) {
            strict = vars.get("ansible_ssh_host_key_checking");
        }
        String policy = null;
        if (strict != null) {
            policy = Boolean.FALSE.equals(dev.drover.playbook.Keywords.toBool(strict)) ? "no" : "yes";
        }
        if (sshOptions.containsKey("stricthostkeychecking")) {
            policy = sshOptions.get("stricthostkeychecking").toLowerCase(java.util.Locale.ROOT);
            if (strict == null) {
                strict = policy.equals("accept-new") ? "yes" : policy;
            }
        }
        if (vars.get("drover_host_key_checking") != null) { // yes, no or accept-new
            policy = String.valueOf(vars.get("drover_host_key_checking")).toLowerCase(java.util.Locale.ROOT);
            strict = policy.equals("no") || policy.equals("false") ? "no" : "yes";
        }
        if (strict == null && policy == null
                && Boolean.FALSE.equals(dev.drover.config.Settings.current().hostKeyChecking())) {
            // ansible.cfg host_key_checking = False / ANSIBLE_HOST_KEY_CHECKING, below the host's variables
            strict = Boolean.FALSE;
            policy = "no";
        }
        boolean strictKeys = strict == null || !Boolean.FALSE.equals(dev.drover.playbook.Keywords.toBool(strict));
        int timeout = Integer.parseInt(str(vars.get("ansible_ssh_timeout"), str(vars.get("ansible_timeout"),
                String.valueOf(dev.drover.config.Settings.current().timeout()))));
        String sshConfig = str(vars.get("drover_ssh_config"), null);
        return new ConnectionSpec(name, "ssh", address, port, user,
                key == null ? null : Path.of(expandHome(key)),
                knownHosts == null ? null : Path.of(expandHome(knownHosts)), strictKeys, Duration.ofSeconds(timeout),
                policy, sshOptions.get("proxyjump"), sshConfig == null ? null : Path.of(expandHome(sshConfig)),
                password, str(keywords.get(CLI_KEY_PASSPHRASE), null));
    }

    /** Keys of the connection keyword map that carry CLI options (--private-key, -k). */
    static final String CLI_PRIVATE_KEY = "\u0000private_key_file";
    static final String CLI_PASSWORD = "\u0000password";
    static final String CLI_KEY_PASSPHRASE = "\u0000key_passphrase";

    /**
     * The {@code -o Name=value} options of ansible_ssh_common_args and ansible_ssh_extra_args
     * (names lower-cased; extra args win), for the ones drover honours.
     */
    static Map<String, String> sshOptions(Map<String, Object> vars) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String var : new String[] {"\u0000config", "ansible_ssh_common_args", "ansible_ssh_extra_args"}) {
            // the configuration's ssh_args/ssh_common_args/ssh_extra_args first: the host's variables win
            Object v = var.equals("\u0000config") ? dev.drover.config.Settings.current().sshArgs() : vars.get(var);
            if (v == null) {
                continue;
            }
            java.util.List<String> words = shellWords(String.valueOf(v));
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                String opt = null;
                if (w.equals("-J") && i + 1 < words.size()) {
                    out.put("proxyjump", words.get(++i));
                    continue;
                }
                if (w.startsWith("-J") && w.length() > 2) {
                    out.put("proxyjump", w.substring(2));
                    continue;
                }
                if (w.equals("-o") && i + 1 < words.size()) {
                    opt = words.get(++i);
                } else if (w.startsWith("-o") && w.length() > 2) {
                    opt = w.substring(2);
                }
                if (opt == null) {
                    continue;
                }
                int eq = opt.indexOf('=');
                int sp = opt.indexOf(' ');
                int cut = eq < 0 ? sp : sp < 0 ? eq : Math.min(eq, sp);
                if (cut > 0) {
                    String value = opt.substring(cut + 1).trim();
                    // UserKnownHostsFile may list several files: the first is where keys are looked up first
                    value = value.isEmpty() ? value : value.split("\\s+")[0];
                    out.put(opt.substring(0, cut).trim().toLowerCase(java.util.Locale.ROOT), value);
                }
            }
        }
        return out;
    }

    /** Splits text into words as a POSIX shell would (quotes and backslashes; no expansions). */
    static java.util.List<String> shellWords(String text) {
        return dev.drover.config.SshWords.split(text);
    }

    private static String expandHome(String p) {
        return p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
    }

    private static String str(Object v, String dflt) {
        return v == null ? dflt : String.valueOf(v);
    }
}
