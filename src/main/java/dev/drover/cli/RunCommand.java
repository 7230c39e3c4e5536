package dev.drover.cli;

import dev.drover.config.ConfigException;
import dev.drover.config.Settings;
import dev.drover.engine.ConnectionDefaults;
import dev.drover.engine.ConnectionTypes;
import dev.drover.engine.ExitCodes;
import dev.drover.engine.RunException;
import dev.drover.engine.RunOptions;
import dev.drover.engine.Runner;
import dev.drover.git.GitState;
import dev.drover.journal.Journal;
import dev.drover.journal.Provenance;
import dev.drover.journal.RunRecorder;
import dev.drover.report.Callbacks;
import dev.drover.report.ConsoleListener;
import dev.drover.report.MaskingPrintStream;
import dev.drover.report.ProgressListener;
import dev.drover.vault.Keyring;
import dev.drover.vault.VaultException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code drover run PLAYBOOK}: ansible-playbook's options, same exit codes. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs a playbook on the hosts of an inventory (localhost without -i).")
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook file.")
    Path playbook;

    @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
            description = "Inventory file, directory or comma-separated host list (repeatable). Default: localhost only.")
    List<String> inventory = new ArrayList<>();

    @Option(names = {"-C", "--check"}, description = "Change nothing; forecast what a real run would change.")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show before/after of files and attributes that change.")
    boolean diff;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only hosts matching this pattern.")
    String limit;

    @Option(names = {"-t", "--tags"}, paramLabel = "TAGS", split = ",", description = "Only tasks with these tags.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--skip-tags", paramLabel = "TAGS", split = ",", description = "Skip tasks with these tags.")
    List<String> skipTags = new ArrayList<>();

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "Extra variables: 'k=v k2=v2', JSON/YAML text, or @file (repeatable; highest precedence).")
    List<String> extraVars = new ArrayList<>();

    @Option(names = {"-f", "--forks"}, paramLabel = "N",
            description = "Hosts worked on at once (default: forks of ansible.cfg / ANSIBLE_FORKS, else 50).")
    Integer forks;

    @Option(names = "-v", description = "More output (-v, -vv, -vvv: debug log with stack traces).")
    boolean[] verbose = new boolean[0];

    @Option(names = "--syntax-check", description = "Check the playbook (syntax, modules, parameters) and stop.")
    boolean syntaxCheck;

    @Option(names = "--list-tasks", description = "List the tasks that would run and stop.")
    boolean listTasks;

    @Option(names = "--list-hosts", description = "List the hosts each play would run on and stop.")
    boolean listHosts;

    @Option(names = {"-u", "--user"}, paramLabel = "REMOTE_USER",
            description = "Connect as this user (below remote_user keywords and ansible_user, as in Ansible).")
    String user;

    @Option(names = {"-c", "--connection"}, paramLabel = "TYPE",
            description = "Connection type: local or ssh (smart and paramiko are ssh). Below the connection keyword"
                    + " and ansible_connection, as in Ansible; default: ansible.cfg's transport, else local for"
                    + " localhost and ssh for the rest.")
    String connection;

    @Option(names = {"--private-key", "--key-file"}, paramLabel = "FILE",
            description = "Private key file (below ansible_ssh_private_key_file). Encrypted keys: the passphrase is asked.")
    Path privateKey;

    @Option(names = {"-k", "--ask-pass"}, description = "Ask for the SSH login password (once, used for all hosts).")
    boolean askPass;

    @Option(names = {"-K", "--ask-become-pass"}, description = "Ask for the become (sudo/su) password (once).")
    boolean askBecomePass;

    @Option(names = "--force-handlers", description = "Run handlers even if a task fails (a play's force_handlers wins).")
    boolean forceHandlers;

    @Option(names = "--report", paramLabel = "KIND=FILE",
            description = "Also write a machine-readable report when the run ends: json=FILE (the shape of Ansible's json"
                    + " callback) or junit=FILE (its junit callback's XML); repeatable.")
    List<String> reports = new ArrayList<>();

    @Option(names = "--callback", paramLabel = "NAME",
            description = "An output callback by its Ansible name (repeatable): a stdout one (default, minimal, json:"
                    + " the last given wins) or one more (timer, profile_tasks, junit).")
    List<String> callbacks = new ArrayList<>();

    @Option(names = "--journal", paramLabel = "FILE",
            description = "The journal this real run is recorded in (default: ansible.cfg's [drover] journal,"
                    + " DROVER_JOURNAL, else $XDG_STATE_HOME/drover/journal.db); see drover history.")
    Path journal;

    @Option(names = "--no-journal", description = "Record nothing of this run in the journal.")
    boolean noJournal;

    @Option(names = "--plan-out", paramLabel = "FILE",
            description = "With --check: write the forecast as a plan to FILE, for review and drover apply FILE.")
    Path planOut;

    @Option(names = "--require-clean",
            description = "Refuse to run unless the playbook is in a git repository without uncommitted changes.")
    boolean requireClean;

    @Mixin
    VaultPasswords vault;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ParentCommand
    Main main;

    /** drover apply: per host, the reads the plan was made against (null: not applying a plan). */
    java.util.Map<String, java.util.Map<String, String>> expectedReads;

    /** drover apply: listeners of its own (how the run follows the plan). */
    List<dev.drover.engine.RunListener> extraListeners = new ArrayList<>();

    /** Records this run in the journal, when it is a real run and journalling is on; null otherwise. */
    private RunRecorder recorder;

    private Path journalFile(Main m, Settings cfg) {
        Path j = journal != null ? journal : cfg.journal();
        if (j == null) {
            return Journal.defaultPath(m.env, m.home);
        }
        return j.isAbsolute() ? j : m.cwd.resolve(j);
    }

    /** Completes the run's journal record (once) and says so when it could not be written. */
    private void finishJournal(int code, String error, PrintStream stderr) {
        RunRecorder r = recorder;
        if (r == null) {
            return;
        }
        recorder = null;
        r.finish(code, error);
        if (r.problem() != null) {
            stderr.println("[WARNING]: this run is not in the journal: " + r.problem());
        }
    }

    List<String> originalArgsForPlan() {
        return originalArgs();
    }

    private List<String> originalArgs() {
        if (spec == null) {
            return List.of("run", playbook.toString());
        }
        CommandLine root = spec.commandLine();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root.getParseResult() == null ? List.of("run", playbook.toString()) : root.getParseResult().originalArgs();
    }

    @Override
    public Integer call() {
        int verbosity = verbose.length;
        Logging.configure(verbosity);
        Runnable uninstallKeyring = () -> { };
        // every line drover prints goes through the run's vault masking (vault values -> ********)
        PrintStream stdout = new MaskingPrintStream(System.out, s -> Keyring.current().mask(s));
        PrintStream stderr = new MaskingPrintStream(System.err, s -> Keyring.current().mask(s));
        Main m = main == null ? new Main() : main;
        Runnable uninstallSettings = () -> { };
        try {
            Settings cfg;
            try {
                cfg = m.settings();
            } catch (ConfigException e) {
                stderr.println("ERROR! " + e.getMessage());
                return ExitCodes.BAD_OPTIONS; // ansible-playbook 2.14 exits 5 on a bad configuration value
            }
            uninstallSettings = Settings.install(cfg);
            for (String w : cfg.warnings()) {
                stderr.println("[WARNING]: " + w);
            }
            if (verbosity > 0) {
                if (cfg.file() != null) {
                    stdout.println("Using " + cfg.file() + " as config file");
                }
                for (String n : cfg.notes()) {
                    stdout.println("[NOTE]: " + n);
                }
            }
            Path playbook = this.playbook.isAbsolute() || m.cwd.equals(Path.of("").toAbsolutePath()) ? this.playbook
                    : m.cwd.resolve(this.playbook);
            if (!Files.isRegularFile(playbook)) {
                stderr.println("ERROR! the playbook: " + playbook + " could not be found");
                return ExitCodes.ERROR; // ansible-playbook 2.14 exits 1 here, not 5
            }
            String type = connection != null ? connection : cfg.transport();
            if (type != null && ConnectionTypes.normalize(type) == null) {
                String source = connection != null ? "-c" : "ansible.cfg's transport";
                stderr.println("ERROR! " + ConnectionTypes.notFound(type, source));
                return ExitCodes.BAD_OPTIONS;
            }
            List<Callbacks.Report> wanted = new ArrayList<>();
            for (String r : reports) {
                wanted.add(Callbacks.Report.parse(r));
            }
            Prompter.install();
            Map<String, String> vaultEnv = new java.util.HashMap<>(m.env);
            vaultEnv.remove("ANSIBLE_VAULT_PASSWORD_FILE"); // read through the settings (file or environment)
            if (cfg.vaultPasswordFile() != null) {
                vaultEnv.put("ANSIBLE_VAULT_PASSWORD_FILE", cfg.vaultPasswordFile().toString());
            }
            vault.configuredIds = cfg.vaultIdentityList();
            Keyring keyring = new Keyring(vault.secrets(false, false, vaultEnv, Prompter::ask));
            uninstallKeyring = Keyring.install(keyring);
            Map<String, Object> extra = ExtraVars.parse(extraVars);
            String password = askPass ? Prompter.ask("SSH password: ") : null;
            String becomePassword = null;
            if (askBecomePass || cfg.becomeAskPass()) {
                becomePassword = Prompter.ask(askPass ? "BECOME password[defaults to SSH password]: " : "BECOME password: ");
                if (askPass && becomePassword != null && becomePassword.isEmpty()) {
                    becomePassword = password;
                }
            }
            // the command line over ansible.cfg / ANSIBLE_* (which Settings already ranked)
            List<String> sources = inventory.isEmpty() ? cfg.inventory() : inventory;
            int hostsAtOnce = forks != null ? forks : cfg.forks();
            String remoteUser = user != null ? user : cfg.remoteUser();
            Path key = privateKey != null ? privateKey : cfg.privateKeyFile();
            RunOptions options = new RunOptions(playbook, sources, check, diff, extra, limit, tags, skipTags,
                    hostsAtOnce, verbosity, new ConnectionDefaults(remoteUser, key, password, becomePassword, null, type),
                    forceHandlers, Prompter.terminal());
            if (syntaxCheck || listTasks || listHosts) {
                return Listing.print(options, syntaxCheck, listTasks, listHosts, stdout);
            }
            java.util.Optional<GitState> git = null;
            if (planOut != null) {
                if (!check) {
                    stderr.println("ERROR! --plan-out writes the forecast of a check run: add --check");
                    return ExitCodes.BAD_OPTIONS;
                }
                for (String e : extraVars) {
                    if (!Provenance.maskExtraVarsOf(e).equals(e)) {
                        stderr.println("ERROR! --plan-out: an extra variable looks secret (-e " + Provenance.maskExtraVarsOf(e)
                                + "); a plan keeps its extra variables in clear: put secrets in a vault file");
                        return ExitCodes.BAD_OPTIONS;
                    }
                }
                git = GitState.of(playbook.toAbsolutePath().getParent());
            }
            if (requireClean) {
                git = GitState.of(playbook.toAbsolutePath().getParent());
                String refusal = git.isEmpty() ? "the playbook " + playbook + " is not in a git repository"
                        : git.get().dirty() ? "the playbook's repository " + git.get().root() + " has uncommitted changes:\n  "
                                + String.join("\n  ", git.get().changes().subList(0, Math.min(20, git.get().changes().size())))
                                + (git.get().changes().size() > 20 ? "\n  … and " + (git.get().changes().size() - 20) + " more" : "")
                        : null;
                if (refusal != null) {
                    stderr.println("ERROR! --require-clean: " + refusal);
                    return ExitCodes.ERROR;
                }
            }
            // ansible.cfg's stdout_callback / callbacks_enabled (ANSIBLE_STDOUT_CALLBACK, ANSIBLE_CALLBACKS_ENABLED),
            // then --callback: the command line's stdout callback wins, its others add to the config's
            String stdoutCallback = null;
            String configured = cfg.stdoutCallback();
            if (configured != null && !configured.isBlank()) {
                if (Callbacks.isStdout(configured)) {
                    stdoutCallback = configured;
                } else {
                    stdout.println("[WARNING]: stdout_callback '" + configured + "' is not one drover has (default, minimal,"
                            + " json): using default");
                }
            }
            List<String> enabled = new ArrayList<>();
            for (String c : cfg.callbacksEnabled()) {
                if (Callbacks.AGGREGATE.contains(Callbacks.shortName(c))) {
                    enabled.add(c); // the others are named in the config's warnings
                }
            }
            for (String c : callbacks) {
                if (Callbacks.isStdout(c)) {
                    stdoutCallback = c;
                } else {
                    enabled.add(c);
                }
            }
            Callbacks.Settings settings = new Callbacks.Settings(System.out, System.err, verbosity,
                    ConsoleListener.colorWanted() && !cfg.nocolor(), keyring::mask, System.getenv(), playbook);
            List<dev.drover.engine.RunListener> listeners = new ArrayList<>(Callbacks.listeners(stdoutCallback, enabled,
                    wanted, settings, ProgressListener.wanted() && !cfg.nocolor()));
            if (!check && !noJournal && cfg.journalEnabled()) {
                java.util.Optional<GitState> known = git;
                recorder = new RunRecorder(journalFile(m, cfg), new RunRecorder.RunInfo(System.getProperty("user.name"),
                        Provenance.controllerName(), Served.pid(), Provenance.commandLine(originalArgs()),
                        playbook.toAbsolutePath().normalize(), sources, limit),
                        () -> known != null ? known : GitState.of(playbook.toAbsolutePath().getParent()), keyring::mask);
                listeners.add(recorder);
            }
            dev.drover.report.PlanWriter planWriter = null;
            if (planOut != null) {
                Path out = planOut.isAbsolute() ? planOut : m.cwd.resolve(planOut);
                dev.drover.plan.PlanBuilder builder;
                try {
                    builder = Plans.builder(this, m, cfg, playbook, sources, git.orElse(null), out);
                } catch (java.io.IOException e) {
                    stderr.println("ERROR! --plan-out: cannot read the run's files: " + e.getMessage());
                    return ExitCodes.ERROR;
                }
                planWriter = new dev.drover.report.PlanWriter(builder, out, keyring::mask);
                listeners.add(planWriter);
                options = options.withPlan(new dev.drover.engine.RunOptions.PlanMode(true, null));
            }
            if (expectedReads != null) {
                options = options.withPlan(new dev.drover.engine.RunOptions.PlanMode(false, expectedReads));
            }
            listeners.addAll(extraListeners);
            Runner runner = new Runner(listeners);
            Runnable restore = Interrupts.onSigint(runner::interrupt);
            try {
                int code = runner.run(options);
                finishJournal(code, null, stderr);
                if (planWriter != null) {
                    if (planWriter.problem() != null) {
                        stderr.println("ERROR! " + planWriter.problem());
                        return code == ExitCodes.OK ? ExitCodes.ERROR : code;
                    }
                    stdout.println("plan written to " + planOut + " (drover plan show " + planOut + "; drover apply "
                            + planOut + ")");
                }
                return code;
            } finally {
                restore.run();
            }
        } catch (RunException e) {
            for (RunException.Problem p : e.problems()) {
                stderr.println("ERROR! " + p);
            }
            finishJournal(e.exitCode(), e.problems().isEmpty() ? "error" : e.problems().get(0).toString(), stderr);
            return e.exitCode();
        } catch (Callbacks.UnknownCallback e) {
            stderr.println("ERROR! " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        } catch (ExtraVars.BadExtraVars e) {
            stderr.println("ERROR! " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        } catch (VaultException e) {
            stderr.println("ERROR! " + e.getMessage());
            return ExitCodes.ERROR; // ansible-playbook 2.14 exits 1 on vault errors
        } finally {
            finishJournal(ExitCodes.ERROR, "drover stopped on an unexpected error", stderr);
            Prompter.uninstall();
            uninstallKeyring.run();
            uninstallSettings.run();
        }
    }
}
