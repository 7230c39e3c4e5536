package dev.drover.modules;

import dev.drover.module.Module;
import dev.drover.modules.commands.CommandModule;
import dev.drover.modules.commands.RawModule;
import dev.drover.modules.commands.ScriptModule;
import dev.drover.modules.control.AddHostModule;
import dev.drover.modules.control.AssertModule;
import dev.drover.modules.control.AsyncStatusModule;
import dev.drover.modules.control.DebugModule;
import dev.drover.modules.control.FailModule;
import dev.drover.modules.control.GroupByModule;
import dev.drover.modules.control.IncludeVarsModule;
import dev.drover.modules.control.PauseModule;
import dev.drover.modules.control.PingModule;
import dev.drover.modules.control.SetFactModule;
import dev.drover.modules.control.ValidateArgumentSpecModule;
import dev.drover.modules.facts.SetupModule;
import dev.drover.modules.files.AssembleModule;
import dev.drover.modules.files.BlockInFileModule;
import dev.drover.modules.files.CopyModule;
import dev.drover.modules.files.FetchModule;
import dev.drover.modules.files.FileModule;
import dev.drover.modules.files.FindModule;
import dev.drover.modules.files.GetentModule;
import dev.drover.modules.files.LineInFileModule;
import dev.drover.modules.files.ReplaceModule;
import dev.drover.modules.files.SlurpModule;
import dev.drover.modules.files.StatModule;
import dev.drover.modules.files.TempfileModule;
import dev.drover.modules.files.TemplateModule;
import dev.drover.modules.files.UnarchiveModule;
import dev.drover.modules.net.GetUrlModule;
import dev.drover.modules.net.UriModule;
import dev.drover.modules.net.WaitForModule;
import dev.drover.modules.packages.AptModule;
import dev.drover.modules.packages.AptRepositoryModule;
import dev.drover.modules.packages.DnfModule;
import dev.drover.modules.packages.PackageModule;
import dev.drover.modules.podman.PodmanImageModule;
import dev.drover.modules.podman.PodmanSecretModule;
import dev.drover.modules.source.GitModule;
import dev.drover.modules.system.AuthorizedKeyModule;
import dev.drover.modules.system.CronModule;
import dev.drover.modules.system.GroupModule;
import dev.drover.modules.system.HostnameModule;
import dev.drover.modules.system.KnownHostsModule;
import dev.drover.modules.system.LingerModule;
import dev.drover.modules.system.QuadletModule;
import dev.drover.modules.system.SysctlModule;
import dev.drover.modules.system.SystemdServiceModule;
import dev.drover.modules.system.UserModule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The modules drover ships, by short name and alias. Modules are stateless: one instance each. */
public final class BuiltinModules {
    private static final String[] PREFIXES = {"ansible.builtin.", "ansible.legacy."};
    private static final Map<String, Module> ALL;

    static {
        Map<String, Module> m = new LinkedHashMap<>();
        for (Module module : List.of(
                // commands
                CommandModule.command(), CommandModule.shell(), new ScriptModule(), new RawModule(),
                // files and text
                new FileModule(), new CopyModule(), new TemplateModule(), new LineInFileModule(),
                new BlockInFileModule(), new ReplaceModule(), new AssembleModule(), new FetchModule(),
                new FindModule(), new TempfileModule(), new StatModule(), new SlurpModule(), new UnarchiveModule(),
                // sources
                new GitModule(),
                // packages
                new AptModule(), new AptRepositoryModule(), new DnfModule(), new PackageModule(),
                // system
                new UserModule(), new GroupModule(), new GetentModule(), new AuthorizedKeyModule(),
                new KnownHostsModule(), new CronModule(), new SysctlModule(), new HostnameModule(),
                new SystemdServiceModule(), new LingerModule(), new QuadletModule(),
                // facts
                new SetupModule(),
                // network
                new WaitForModule(), new UriModule(), new GetUrlModule(),
                // podman
                new PodmanImageModule(), new PodmanSecretModule(),
                // control: run on the controller, or drive the run
                new DebugModule(), new SetFactModule(), new AssertModule(), new FailModule(), new PingModule(),
                new IncludeVarsModule(), new AsyncStatusModule(), new AddHostModule(), new GroupByModule(),
                new PauseModule(), new ValidateArgumentSpecModule())) {
            if (m.containsKey(module.spec().name())) {
                throw new IllegalStateException("two modules are called " + module.spec().name());
            }
            m.put(module.spec().name(), module);
            for (String alias : module.spec().aliases()) {
                m.put(alias, module);
            }
        }
        ALL = Collections.unmodifiableMap(m);
    }

    private BuiltinModules() {
    }

    /** Every module by short name and alias. */
    public static Map<String, Module> all() {
        return ALL;
    }

    /** The module called {@code name}: a short name, or one qualified with ansible.builtin / ansible.legacy. */
    public static Optional<Module> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return Optional.ofNullable(ALL.get(name.substring(prefix.length())));
            }
        }
        return Optional.ofNullable(ALL.get(name));
    }
}
