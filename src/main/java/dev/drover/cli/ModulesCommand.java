package dev.drover.cli;

import dev.drover.modules.BuiltinModules;
import dev.drover.modules.ansible.AnsibleModules;
import dev.drover.modules.ansible.Resolution;
import dev.drover.playbook.Suggestions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drover modules [NAME]}: which modules are native, which run through Ansible (and where
 * they were found), which cannot run (action plugins, removed modules) and why; with a NAME, how
 * that name resolves.
 */
@Command(name = "modules", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lists drover's native modules, the Ansible modules it runs through Ansible, and those it cannot run.")
public final class ModulesCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Say how this module name resolves.")
    String name;

    @Option(names = "--playbook-dir", paramLabel = "DIR", description = "The playbook's directory: its library/, "
            + "collections/ and the library/ of the roles in its roles/ are searched too (default: the current directory).")
    Path playbookDir = Path.of(".");

    @picocli.CommandLine.ParentCommand
    Main main;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Main m = main == null ? new Main() : main;
        dev.drover.config.Settings cfg;
        try {
            cfg = m.settings(); // library, module_utils, collections_path of ansible.cfg / ANSIBLE_*
        } catch (dev.drover.config.ConfigException e) {
            System.err.println("ERROR! " + e.getMessage());
            return dev.drover.engine.ExitCodes.BAD_OPTIONS;
        }
        AnsibleModules ansible = AnsibleModules.forRun(playbookDir.toAbsolutePath().normalize(), roles(),
                cfg.withSearchPaths(m.env));
        return name == null ? list(out, ansible) : explain(out, ansible, name);
    }

    private List<Path> roles() {
        Path dir = playbookDir.resolve("roles");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static int explain(PrintStream out, AnsibleModules ansible, String name) {
        if (BuiltinModules.find(name).isPresent()) {
            out.println(name + ": native (drover's own module " + BuiltinModules.find(name).get().spec().name()
                    + "; needs only sh on the host)");
            return 0;
        }
        Resolution r = ansible.resolve(name);
        if (r instanceof Resolution.Found f) {
            out.println(name + ": runs through Ansible as " + f.fqcn() + " (" + f.origin() + ")");
            out.println("  file: " + f.path());
            f.warnings().forEach(w -> out.println("  deprecated: " + w));
            out.println("  needs Python on the host");
            return 0;
        }
        if (r instanceof Resolution.Refused refused) {
            out.println(name + ": cannot run in drover: " + refused.why());
            return 1;
        }
        TreeSet<String> names = new TreeSet<>(BuiltinModules.all().keySet());
        ansible.all().forEach((n, how) -> {
            if (!(how instanceof Resolution.Missing)) {
                names.add(n);
            }
        });
        out.println(name + ": not found" + (ansible.available() ? "" : AnsibleModules.MISSING_NOTE) + "."
                + Suggestions.didYouMean(name, names));
        return 1;
    }

    private static int list(PrintStream out, AnsibleModules ansible) {
        TreeSet<String> natives = new TreeSet<>(BuiltinModules.all().keySet());
        out.println("Native modules (" + natives.size() + ", need only sh on the host):");
        out.println("  " + String.join(", ", natives));
        if (!ansible.available()) {
            out.println();
            out.println("ansible-core is not installed on the controller: no module runs through Ansible.");
            return 0;
        }
        List<String> runs = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, Resolution> e : ansible.all().entrySet()) {
            if (BuiltinModules.find(e.getKey()).isPresent()) {
                continue; // the native version runs
            }
            if (e.getValue() instanceof Resolution.Found f) {
                runs.add("  " + e.getKey() + (f.fqcn().equals(e.getKey()) ? "" : " → " + f.fqcn()) + "  (" + f.origin() + ")");
            } else if (e.getValue() instanceof Resolution.Refused r) {
                refused.add("  " + e.getKey() + ": " + r.why());
            }
        }
        var install = ansible.install().orElseThrow();
        out.println();
        out.println("Run through Ansible (" + runs.size() + "; ansible-core " + install.version() + " at " + install.ansible()
                + "; need Python on the host):");
        runs.forEach(out::println);
        out.println();
        out.println("Cannot run in drover (" + refused.size() + "):");
        refused.forEach(out::println);
        return 0;
    }
}
