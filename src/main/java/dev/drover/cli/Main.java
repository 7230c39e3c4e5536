package dev.drover.cli;

import dev.drover.engine.ExitCodes;
import java.nio.file.Path;
import java.util.Map;
import dev.drover.template.Templar;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code drover} command: parses options, runs a subcommand, maps errors to exit codes. */
@Command(name = "drover", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs Ansible playbooks, fast, with a check mode that forecasts exactly.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all hosts ok", "1:other errors", "2:a host failed",
                "4:a host was unreachable, or the playbook/inventory does not parse or validate",
                "5:bad command-line options or configuration (ansible.cfg, ANSIBLE_*)", "99:interrupted"})
public final class Main implements Runnable {

    public static void main(String[] args) {
        Templar.warmUpAsync();
        System.exit(execute(args));
    }

    /** The environment and the directories configuration is resolved in (ansible.cfg, ANSIBLE_*). */
    final Map<String, String> env;
    final Path cwd;
    final Path home;

    public Main() {
        this(System.getenv(), Path.of("").toAbsolutePath(), home(System.getenv()));
    }

    /** ~ as Python's expanduser reads it for Ansible: $HOME, else the account's home. */
    private static Path home(Map<String, String> env) {
        String h = env.get("HOME");
        return Path.of(h == null || h.isEmpty() ? System.getProperty("user.home") : h);
    }

    private Main(Map<String, String> env, Path cwd, Path home) {
        this.env = env;
        this.cwd = cwd;
        this.home = home;
    }

    /** Runs drover with these arguments and returns the exit code (for tests). */
    public static int execute(String... args) {
        return execute(new Main(), args);
    }

    /**
     * Runs drover as if started in {@code cwd} with environment {@code env} (ansible.cfg and the
     * ANSIBLE_* settings are read from them; a relative playbook path is taken in {@code cwd}).
     */
    public static int executeIn(Map<String, String> env, Path cwd, String... args) {
        return execute(new Main(Map.copyOf(env), cwd.toAbsolutePath(), home(env)), args);
    }

    /** The same environment, started in {@code dir} (drover apply runs where the plan was made). */
    Main in(Path dir) {
        return new Main(env, dir.toAbsolutePath(), home);
    }

    /** The settings of a run: ansible.cfg, then the ANSIBLE_* variables. */
    dev.drover.config.Settings settings() {
        return dev.drover.config.Settings.resolve(env, cwd, home);
    }

    /**
     * The subcommands, in the order help lists them. Building a command's model is picocli's biggest
     * start-up cost (reflection over its annotated fields, ≈ 60 % of it for the commands a run does not
     * use), so a command line is given only the subcommand its arguments name; {@link #commandLine}
     * gives all (help, man pages, completion).
     */
    private static final Map<String, java.util.function.Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, java.util.function.Supplier<Object>> subcommands() {
        Map<String, java.util.function.Supplier<Object>> m = new java.util.LinkedHashMap<>();
        m.put("run", RunCommand::new);
        m.put("modules", ModulesCommand::new);
        m.put("vault", VaultCommand::new);
        m.put("config", ConfigCommand::new);
        m.put("history", HistoryCommand::new);
        m.put("pull", PullCommand::new);
        m.put("apply", ApplyCommand::new);
        m.put("plan", PlanCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
    }

    /** drover's whole command line: every subcommand (for help, the man pages and shell completion). */
    public static CommandLine commandLine() {
        return commandLine(new Main(), null);
    }

    /** The command line a run with these arguments builds (see below; bench/Phases.java times it). */
    public static CommandLine commandLineFor(String... args) {
        return commandLine(new Main(), args);
    }

    /**
     * The command line for these arguments: only the subcommand named by the first word that is not
     * an option (drover's own options take no value), or all when that names none (help, a typo's
     * did-you-mean, no subcommand).
     */
    static CommandLine commandLine(Main main, String[] args) {
        String named = null;
        if (args != null) {
            for (String a : args) {
                if (!a.startsWith("-")) {
                    named = a;
                    break;
                }
            }
        }
        boolean one = named != null && !named.equals("help") && SUBCOMMANDS.containsKey(named);
        CommandLine cl = new CommandLine(main);
        for (Map.Entry<String, java.util.function.Supplier<Object>> e : SUBCOMMANDS.entrySet()) {
            if (!one || e.getKey().equals(named)) {
                cl.addSubcommand(e.getKey(), e.getValue().get());
            }
        }
        return cl;
    }

    private static int execute(Main main, String... args) {
        CommandLine cl = commandLine(main, args);
        // "@file" is Ansible's extra-vars file (-e @vars.yml), not picocli's argument file
        cl.setExpandAtFiles(false);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("ERROR! " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.BAD_OPTIONS;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof dev.drover.vault.VaultException) {
                c.getErr().println("ERROR! " + dev.drover.vault.Keyring.current().mask(ex.getMessage()));
                return ExitCodes.ERROR;
            }
            org.slf4j.LoggerFactory.getLogger(Main.class).debug("internal error", ex);
            c.getErr().println("ERROR! unexpected error: " + ex + " (run with -vvv for the stack trace)");
            return ExitCodes.ERROR;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        commandLine(this, null).usage(System.out);
    }

    /**
     * drover's version (the jar's manifest), the Java runtime running it, and the ansible-core whose
     * modules drover runs (found as on a run: ansible-playbook's Python; that costs a Python start,
     * paid only by --version).
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = projectVersion();
            String ansible = dev.drover.modules.ansible.AnsibleInstall.find()
                    .map(a -> "ansible-core " + a.version() + " (modules from " + a.ansible() + ", python " + a.python() + ")")
                    .orElse("ansible-core not found (only drover's native modules run; see `drover modules`)");
            return new String[] {"drover " + (v == null ? "dev" : v),
                    "speaks the playbook language of ansible-core 2.14",
                    "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
                            + ", " + System.getProperty("java.vm.name") + ", " + System.getProperty("java.home") + ")",
                    ansible};
        }

        /** The pom's version, from a resource filtered at build time (also without the jar: tests, docs). */
        static String projectVersion() {
            try (var in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    var p = new java.util.Properties();
                    p.load(in);
                    String v = p.getProperty("version", "");
                    if (!v.isEmpty() && !v.startsWith("$")) {
                        return v;
                    }
                }
            } catch (java.io.IOException e) {
                // fall through
            }
            return Main.class.getPackage().getImplementationVersion();
        }
    }
}
