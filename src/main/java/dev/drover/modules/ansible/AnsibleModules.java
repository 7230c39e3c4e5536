package dev.drover.modules.ansible;

import dev.drover.module.Module;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The modules of one run that go through Ansible: how names resolve ({@link ModuleFinder}) and
 * their packs ({@link Packer}, once per module per run). Empty when ansible-core is not installed
 * on the controller.
 */
public final class AnsibleModules {
    /** What a message about a module drover cannot find adds when ansible-core is missing. */
    public static final String MISSING_NOTE = " (ansible-core is not installed on the controller: only drover's native modules run)";

    private final Path playbookDir;
    private final List<Path> roleDirs;
    private final Map<String, String> env;
    private boolean initialised;
    private ModuleFinder finder;
    private Packer packer;
    private final Map<String, Resolution> resolved = new ConcurrentHashMap<>();
    private final Map<String, RemoteModule> modules = new ConcurrentHashMap<>();

    private AnsibleModules(Path playbookDir, List<Path> roleDirs, Map<String, String> env) {
        this.playbookDir = playbookDir;
        this.roleDirs = List.copyOf(roleDirs);
        this.env = Map.copyOf(env);
    }

    /** Looks for ansible-core on first use only: a playbook of native modules never asks Python. */
    private synchronized boolean init() {
        if (!initialised) {
            initialised = true;
            Optional<AnsibleInstall> install = AnsibleInstall.find();
            if (install.isPresent()) {
                SearchPath path = SearchPath.of(playbookDir, roleDirs, env, install.get());
                finder = new ModuleFinder(install.get(), path);
                packer = new Packer(install.get(), path);
            }
        }
        return finder != null;
    }

    /**
     * For a playbook in {@code playbookDir} using the roles in {@code roleDirs} (their
     * {@code library/} and {@code module_utils/}), with the environment's ANSIBLE_* paths.
     */
    public static AnsibleModules forRun(Path playbookDir, List<Path> roleDirs, Map<String, String> env) {
        return new AnsibleModules(playbookDir, roleDirs, env);
    }

    /** True when ansible-core is installed on the controller. */
    public boolean available() {
        return init();
    }

    /** How {@code name} resolves (Missing without ansible-core). */
    public Resolution resolve(String name) {
        if (!init()) {
            return new Resolution.Missing(name);
        }
        return resolved.computeIfAbsent(name, finder::resolve);
    }

    /**
     * How {@code name} resolves for a task whose {@code collections:} keyword lists
     * {@code collections}: a short name is looked for in each of them first, as Ansible does.
     */
    public Resolution resolve(String name, List<String> collections) {
        if (!name.contains(".")) {
            for (String c : collections) {
                if (c.equals("ansible.builtin") || c.equals("ansible.legacy")) {
                    continue;
                }
                Resolution r = resolve(c + "." + name);
                if (!(r instanceof Resolution.Missing)) {
                    return r;
                }
            }
        }
        return resolve(name);
    }

    /** The module that runs {@code name} through Ansible, if it resolves to one. */
    public Optional<Module> find(String name) {
        return find(name, List.of());
    }

    /** As {@link #find(String)} with the task's {@code collections:} keyword. */
    public Optional<Module> find(String name, List<String> collections) {
        if (resolve(name, collections) instanceof Resolution.Found f) {
            return Optional.of(modules.computeIfAbsent(f.fqcn() + "@" + f.path(),
                    n -> new RemoteModule(f, packer, finder.install().version())));
        }
        return Optional.empty();
    }

    /** Starts packing, in the background, every module these names resolve to (one Python process). */
    public void prefetch(Collection<String> names) {
        if (names.isEmpty() || !init()) { // finding ansible-core starts a Python: not for a playbook of native modules
            return;
        }
        List<Resolution.Found> found = new ArrayList<>();
        for (String n : names) {
            if (resolve(n) instanceof Resolution.Found f) {
                found.add(f);
            }
        }
        packer.prefetch(found);
    }

    /** Every module name on the search path and how it resolves (empty without ansible-core). */
    public Map<String, Resolution> all() {
        return init() ? finder.all() : Map.of();
    }

    /** The search path, or null without ansible-core. */
    public SearchPath searchPath() {
        return init() ? finder.searchPath() : null;
    }

    /** The installed ansible-core, if any. */
    public Optional<AnsibleInstall> install() {
        return init() ? Optional.of(finder.install()) : Optional.empty();
    }
}
