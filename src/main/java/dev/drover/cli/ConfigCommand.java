package dev.drover.cli;

import dev.drover.config.ConfigException;
import dev.drover.config.Settings;
import dev.drover.engine.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code drover config dump [--only-changed]}: the effective settings and where each came from, as ansible-config. */
@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Shows the settings drover reads from ansible.cfg and the ANSIBLE_* variables.",
        subcommands = {ConfigCommand.Dump.class})
public final class ConfigCommand implements Runnable {

    @ParentCommand
    Main main;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** {@code drover config dump}: {@code KEY(origin) = value} per setting, sorted, as {@code ansible-config dump}. */
    @Command(name = "dump", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Prints each setting as KEY(origin) = value: origin is default, the config file, or env: NAME.")
    static final class Dump implements Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Option(names = "--only-changed", description = "Only the settings not at their default.")
        boolean onlyChanged;

        @Option(names = "-v", description = "Also the keys of the file drover ignores.")
        boolean[] verbose = new boolean[0];

        @Override
        public Integer call() {
            Main m = config == null || config.main == null ? new Main() : config.main;
            Settings s;
            try {
                s = m.settings();
            } catch (ConfigException e) {
                System.err.println("ERROR! " + e.getMessage());
                return ExitCodes.BAD_OPTIONS;
            }
            for (String w : s.warnings()) {
                System.err.println("[WARNING]: " + w);
            }
            if (verbose.length > 0) {
                for (String n : s.notes()) {
                    System.err.println("[NOTE]: " + n);
                }
            }
            s.dump(onlyChanged).forEach(System.out::println);
            return ExitCodes.OK;
        }
    }
}
