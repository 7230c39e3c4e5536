package dev.drover.modules.system;

import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Diff;
import dev.drover.module.Exec;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.MakeDirectory;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.RemovePath;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;
import dev.drover.module.UnitState;
import dev.drover.module.WriteFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * drover's own {@code quadlet}: installs a set of podman quadlet files ({@code .container},
 * {@code .network}, {@code .volume}, {@code .pod}, {@code .image}, {@code .build}, {@code .kube})
 * into the quadlet directory of the become user ({@code scope: user}:
 * {@code ~/.config/containers/systemd}) or of the system ({@code /etc/containers/systemd}), then
 * one daemon-reload for the set, restarts the running units whose files changed and, with
 * {@code state: started}, starts the set tier by tier in the dependency order read from the files
 * ({@link Quadlets}), waiting for each tier to be active.
 *
 * <p>One probe reads everything: the set's files as they are on the host, podman's version and
 * where its quadlet generator is, the generator's dry-run over the new set (staged in a
 * {@code mktemp -d} directory with the directory's other files, passed as
 * {@code QUADLET_UNIT_DIRS}, removed afterwards), the user's manager (as systemd_service finds it:
 * {@link UserManager}) and each unit's state. A generator that rejects the set fails the task
 * before anything is written — in check mode too.
 */
public final class QuadletModule implements Module {
    /** Where podman installs its quadlet generator, searched in this order. */
    static final List<String> GENERATORS = List.of("/usr/libexec/podman/quadlet", "/usr/lib/podman/quadlet");

    /** What {@code restart_on} can name: the inputs a unit reads at start, besides its quadlet file. */
    static final List<String> RESTART_ON = List.of("environment_files", "secrets", "mounts");

    private static final ModuleSpec SPEC = new ModuleSpec("quadlet", List.of(), List.of(
            Param.required("files", ParamType.LIST),
            Param.of("scope", ParamType.STR).withDefault("system").withChoices("system", "user"),
            Param.of("dest", ParamType.PATH),
            Param.of("state", ParamType.STR).withDefault("present").withChoices("present", "started", "absent"),
            Param.of("daemon_reload", ParamType.BOOL).withDefault(true),
            Param.of("restart_changed", ParamType.BOOL).withDefault(true),
            Param.of("restart_on", ParamType.RAW).withDefault(RESTART_ON),
            Param.of("wait_timeout", ParamType.INT).withDefault(120),
            Param.of("wait_healthy", ParamType.BOOL).withDefault(true),
            Param.of("validate", ParamType.BOOL).withDefault(true),
            Param.of("generator", ParamType.PATH)), null, false);

    private static final Pattern PODMAN_VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    /** One file of the set: its name in the quadlet directory, its content (null for state absent without one). */
    /**
     * A {@code HealthCmd=} that ends with a double quote: podman 5.4's quadlet drops that closing
     * quote ({@code python -c "…"} reached {@code /bin/sh -c} as an unterminated string on the
     * lab's Debian 13), so the container never turns healthy. Said before anything starts.
     */
    static List<String> healthCmdWarnings(List<Item> items) {
        List<String> out = new ArrayList<>();
        for (Item it : items) {
            if (it.content() == null || !"container".equals(Quadlets.kind(it.name()))) {
                continue;
            }
            String text = new String(it.content(), java.nio.charset.StandardCharsets.UTF_8);
            for (String v : Quadlets.sections(text).getOrDefault("Container", Map.of()).getOrDefault("HealthCmd", List.of())) {
                if (v.strip().endsWith("\"")) {
                    out.add(it.name() + ": HealthCmd= ends with a double quote, which podman's quadlet (5.4) drops: "
                            + "/bin/sh then gets an unterminated string and the container never turns healthy; "
                            + "use the exec form HealthCmd=[\"cmd\", \"arg\"] or single quotes");
                }
            }
        }
        return out;
    }

    record Item(String name, byte[] content, Quadlets.Parsed parsed) {
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        String state = a.str("state");
        boolean user = a.str("scope").equals("user");
        int waitTimeout = a.integer("wait_timeout");
        if (waitTimeout <= 0) {
            throw new ModuleException("wait_timeout must be a positive number of seconds, got " + waitTimeout);
        }
        List<Item> items = items(ctx, a, state.equals("absent"));
        Set<String> restartOn = restartOn(a.raw("restart_on"));
        String who = host.user();
        String home = host.home();
        String dest = a.has("dest") ? stripSlash(a.str("dest"))
                : user ? home + "/.config/containers/systemd" : "/etc/containers/systemd";
        Map<String, Quadlets.Inputs> inputs = new LinkedHashMap<>();
        if (!state.equals("absent")) {
            for (Item it : items) {
                inputs.put(it.parsed().unit(), Quadlets.inputs(it.name(), text(it.content()), it.parsed().unit(), dest, home));
            }
        }
        String manager = user ? "user:" + who : "system";
        String systemctl = (user ? UserManager.ENV : "") + "systemctl" + (user ? " --user" : "");
        boolean validate = a.bool("validate") && !state.equals("absent");

        // the one round trip
        QuadletProbe probe = QuadletProbe.parse(host.probe(QuadletProbe.script(items, dest, user, validate, a.str("generator"),
                unitsOf(items), inputPaths(inputs, restartOn), inputSecrets(inputs, restartOn))));
        // a check run whose earlier step installs podman: the generator comes with it (validated by the real run)
        boolean podmanPending = validate && probe.podmanVersion == null && probe.generator == null
                && host.installedByRun("podman");
        if (validate && !podmanPending) {
            requireGenerator(probe, a.str("generator"));
            probe.requireValid(items);
        }

        // the files: as earlier steps of a check run left them, else as the host has them
        Map<String, Object> v = new LinkedHashMap<>();
        Plan.Builder plan = Plan.builder();
        FileState dir = host.recordedFile(dest).orElse(null);
        boolean dirExists = dir != null ? dir.isDirectory() : probe.dirExists;
        List<String> changedFiles = new ArrayList<>();
        Set<String> changedUnits = new LinkedHashSet<>();
        List<Change> fileChanges = new ArrayList<>();
        Map<String, byte[]> current = new HashMap<>();
        for (Item it : items) {
            String path = dest + "/" + it.name();
            Optional<byte[]> now = currentContent(host, path, probe);
            now.ifPresent(b -> current.put(it.name(), b));
            if (state.equals("absent")) {
                if (now.isPresent()) {
                    changedFiles.add(path);
                    fileChanges.add(new RemovePath(path));
                    if (ctx.wantsDiff()) {
                        plan.diff(new Diff(path, path, text(now.get()), ""));
                    }
                }
            } else if (now.isEmpty() || !Arrays.equals(now.get(), it.content())) {
                changedFiles.add(path);
                changedUnits.add(it.parsed().unit());
                fileChanges.add(new WriteFile(path, it.content(), null, null, null));
                if (ctx.wantsDiff()) {
                    plan.diff(new Diff(path, path, now.map(QuadletModule::text).orElse(""), text(it.content())));
                }
            }
        }
        if (state.equals("absent")) {
            // units come from the files on the host (their ServiceName=), where the task gave no content
            List<Item> parsed = new ArrayList<>();
            for (Item it : items) {
                byte[] c = it.content() != null ? it.content() : current.get(it.name());
                parsed.add(new Item(it.name(), c, Quadlets.parse(it.name(), c == null ? "" : text(c))));
            }
            items = parsed;
        }
        List<List<String>> tiers = state.equals("absent") ? List.of() : Quadlets.tiers(parsedOf(items));
        v.put("dest", dest);
        v.put("scope", user ? "user" : "system");
        v.put("state", state);
        v.put("units", unitMap(items));

        // the manager: there, fresh (linger enabled by an earlier step of this check run), or missing
        boolean freshManager = false;
        boolean managerMissing = false;
        if (user && !probe.manager.managerUp()) {
            if (probe.manager.linger()) {
                throw UserManager.notStarted(who, probe.manager.uid());
            }
            if (host.file("/var/lib/systemd/linger/" + who).exists()) {
                freshManager = true;
            } else {
                managerMissing = true;
            }
        } else if (!probe.systemctlOk && !state.equals("present")) {
            throw new ModuleException("systemctl cannot talk to the service manager: " + probe.systemctlError);
        } else if (!probe.systemctlOk) {
            managerMissing = true;
        }
        Map<String, UnitState> units = new LinkedHashMap<>();
        Map<String, String> needReload = new LinkedHashMap<>();
        for (Item it : items) {
            String u = it.parsed().unit();
            Optional<UnitState> rec = host.recordedUnit(manager, u);
            if (rec.isPresent()) {
                units.put(u, rec.get());
            } else if (freshManager || managerMissing || !probe.units.containsKey(u)) {
                units.put(u, new UnitState("not-found", "inactive", "", false));
            } else {
                Map<String, String> show = probe.units.get(u);
                // a unit that sits in auto-restart is not up: state started starts it (and says why it fails)
                String active = "auto-restart".equals(show.get("SubState")) ? "failed" : show.getOrDefault("ActiveState", "inactive");
                units.put(u, new UnitState(show.getOrDefault("LoadState", "not-found"), active, "generated", false));
                if ("yes".equals(show.get("NeedDaemonReload")) || "not-found".equals(show.get("LoadState"))
                        && current.containsKey(it.name())) {
                    needReload.put(u, it.name()); // a file the manager has not loaded yet (an earlier run stopped half way)
                }
            }
        }
        if (state.equals("started") && managerMissing) {
            throw UserManager.missing(who, probe.manager.uid());
        }
        Optional<Boolean> recordedReload = host.recordedReloadNeeded(manager, List.of(dest));
        boolean reloadDue = !fileChanges.isEmpty() || recordedReload.orElse(!needReload.isEmpty());
        if (freshManager && fileChanges.isEmpty()) {
            reloadDue = false; // a manager that starts after this loads the files as they are
        }

        List<String> restarted = new ArrayList<>();
        List<String> started = new ArrayList<>();
        List<String> warnings = new ArrayList<>(healthCmdWarnings(items));

        if (state.equals("absent")) {
            List<String> stop = new ArrayList<>();
            for (Item it : items) {
                String u = it.parsed().unit();
                if (current.containsKey(it.name()) && isRunning(units.get(u)) && !managerMissing) {
                    stop.add(u);
                }
            }
            if (!stop.isEmpty()) {
                plan.change(exec(systemctl, "stop", stop,
                        (s, who2) -> stop.forEach(u -> s.putUnit(manager, u, units.get(u).withActive("inactive")))));
            }
            fileChanges.forEach(plan::change);
            if (!fileChanges.isEmpty() && a.bool("daemon_reload") && !managerMissing) {
                List<String> gone = items.stream().filter(it -> current.containsKey(it.name()))
                        .map(it -> it.parsed().unit()).toList();
                plan.change(exec(systemctl, "daemon-reload", List.of(), (s, w) -> {
                    s.markReloaded(manager);
                    gone.forEach(u -> s.putUnit(manager, u, new UnitState("not-found", "inactive", "", false)));
                }));
            }
            v.put("stopped", stop);
        } else {
            if (!fileChanges.isEmpty() && !dirExists) {
                plan.change(new MakeDirectory(dest, null, null, null));
            }
            fileChanges.forEach(plan::change);
            boolean reload = reloadDue && a.bool("daemon_reload") && !managerMissing;
            if (reload) {
                Map<String, Boolean> install = new HashMap<>();
                for (Item it : items) {
                    install.put(it.parsed().unit(), SystemdServiceModule.hasInstallSection(it.content()));
                }
                Map<String, UnitState> before = new LinkedHashMap<>(units);
                plan.change(exec(systemctl, "daemon-reload", List.of(), (s, w) -> {
                    s.markReloaded(manager);
                    before.forEach((u, st) -> s.putUnit(manager, u, new UnitState("loaded", st.activeState(),
                            "generated", install.get(u))));
                }));
            }
            if (managerMissing && (!fileChanges.isEmpty() || reloadDue)) {
                warnings.add("no service manager to reload" + (user ? " for " + who : "")
                        + ": the units load when it starts (enable linger for " + who + ")");
            }
            // why each running unit is due a restart: its file changed, or an input it read at start
            Map<String, List<String>> due = new LinkedHashMap<>();
            if (!managerMissing) {
                for (List<String> tier : tiers) {
                    for (String u : tier) {
                        if (!isRunning(units.get(u))) {
                            continue;
                        }
                        List<String> why = new ArrayList<>();
                        if (changedUnits.contains(u)) {
                            why.add(fileOf(items, u) + " changed");
                        }
                        if (!freshManager && host.recordedUnit(manager, u).isEmpty()) {
                            why.addAll(inputsChanged(host, inputs.get(u), restartOn, probe,
                                    probe.activeSince(u)));
                        }
                        if (!why.isEmpty()) {
                            due.put(u, why);
                        }
                    }
                }
            }
            Map<String, String> reasons = new LinkedHashMap<>();
            due.forEach((u, why) -> reasons.put(u, String.join(", ", why)));
            v.put("restart_due", reasons);
            if (a.bool("restart_changed") && !managerMissing) {
                for (List<String> tier : tiers) {
                    List<String> restart = tier.stream().filter(due::containsKey).toList();
                    if (!restart.isEmpty()) {
                        plan.change(tierStep(systemctl, "restart", restart, waitTimeout, manager, units,
                                health(inputs, restart, a.bool("wait_healthy")), reasons));
                        restarted.addAll(restart);
                    }
                }
            }
            if (state.equals("started")) {
                for (List<String> tier : tiers) {
                    List<String> start = tier.stream().filter(u -> !isRunning(units.get(u))
                            && !restarted.contains(u)).toList();
                    if (!start.isEmpty()) {
                        plan.change(tierStep(systemctl, "start", start, waitTimeout, manager, units,
                                health(inputs, start, a.bool("wait_healthy")), Map.of()));
                        started.addAll(start);
                    }
                }
            }
        }
        v.put("changed_files", changedFiles);
        v.put("restarted", restarted);
        v.put("started", started);
        v.put("tiers", tiers);
        if (!warnings.isEmpty()) {
            v.put("warnings", warnings);
        }
        plan.values(v);
        if (plan.hasChanges()) {
            return plan.reason(changedFiles.size() + " file(s) changed, " + restarted.size() + " restarted, "
                    + started.size() + " started").build();
        }
        return plan.reason("the quadlet set is as asked").build();
    }

    private static boolean isRunning(UnitState u) {
        return u != null && (u.activeState().equals("active") || u.activeState().equals("activating")
                || u.activeState().equals("reloading"));
    }

    /** The set's files from the task: rendered / read on the controller, named, parsed. */
    @SuppressWarnings("unchecked")
    private static List<Item> items(ModuleContext ctx, Args a, boolean absent) throws ModuleException {
        List<Item> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        List<Object> files = a.list("files");
        if (files.isEmpty()) {
            throw new ModuleException("files must list at least one quadlet file");
        }
        for (Object o : files) {
            Map<String, Object> f;
            if (o instanceof Map<?, ?> m) {
                f = (Map<String, Object>) m;
            } else if (absent) {
                f = Map.of("name", String.valueOf(o));
            } else {
                throw new ModuleException("each item of files needs src, template or content (with name): got " + o);
            }
            for (String key : f.keySet()) {
                if (!List.of("src", "template", "content", "name", "vars").contains(key)) {
                    throw new ModuleException("unsupported key in a files item: " + key
                            + " (supported: src, template, content, name, vars)");
                }
            }
            int sources = (f.get("src") != null ? 1 : 0) + (f.get("template") != null ? 1 : 0)
                    + (f.containsKey("content") ? 1 : 0);
            if (sources > 1) {
                throw new ModuleException("a files item takes one of src, template or content: " + f.keySet());
            }
            if (f.get("vars") != null && f.get("template") == null) {
                throw new ModuleException("vars in a files item only go with template: " + f.keySet());
            }
            String name = f.get("name") == null ? null : String.valueOf(f.get("name"));
            byte[] content = null;
            if (f.get("src") != null) {
                String src = String.valueOf(f.get("src"));
                Path local = ctx.findLocalFile(src, "files");
                try {
                    content = Files.readAllBytes(local);
                } catch (IOException e) {
                    throw new ModuleException("could not read source " + local + ": " + e.getMessage());
                }
                name = name != null ? name : local.getFileName().toString();
            } else if (f.get("template") != null) {
                String src = String.valueOf(f.get("template"));
                Path local = ctx.findLocalFile(src, "templates");
                Object extra = f.get("vars");
                if (extra != null && !(extra instanceof Map<?, ?>)) {
                    throw new ModuleException("vars of a files item must be a dict, got " + extra);
                }
                content = ctx.renderTemplate(local, true, false,
                        extra == null ? Map.of() : (Map<String, Object>) extra).getBytes(StandardCharsets.UTF_8);
                String base = local.getFileName().toString();
                name = name != null ? name : base.endsWith(".j2") ? base.substring(0, base.length() - 3) : base;
            } else if (f.containsKey("content")) {
                Object c = f.get("content");
                content = (c == null ? "" : c instanceof String s ? s : Args.stringOf(c)).getBytes(StandardCharsets.UTF_8);
                if (name == null) {
                    throw new ModuleException("a files item with content needs a name (e.g. app.container)");
                }
            } else if (!absent) {
                throw new ModuleException("a files item needs src, template or content: " + f.keySet());
            }
            if (name == null) {
                throw new ModuleException("a files item needs a name: " + f.keySet());
            }
            if (name.contains("/") || name.startsWith(".")) {
                throw new ModuleException("a quadlet file name is a plain file name, not a path: " + name);
            }
            if (!names.add(name)) {
                throw new ModuleException(name + " is listed twice in files");
            }
            Quadlets.Parsed parsed = content == null ? null : Quadlets.parse(name, text(content));
            if (parsed == null && Quadlets.kind(name) == null) {
                Quadlets.parse(name, ""); // the error naming the extensions
            }
            out.add(new Item(name, content, parsed));
        }
        return out;
    }

    private static List<Quadlets.Parsed> parsedOf(List<Item> items) {
        return items.stream().map(Item::parsed).toList();
    }

    /** The units the probe asks the manager about (absent items without content: by file name). */
    private static List<String> unitsOf(List<Item> items) {
        return items.stream().map(it -> it.parsed() != null ? it.parsed().unit() : Quadlets.unitOf(it.name()))
                .toList();
    }

    private static Map<String, String> unitMap(List<Item> items) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Item it : items) {
            m.put(it.name(), it.parsed().unit());
        }
        return m;
    }

    private static Optional<byte[]> currentContent(HostView host, String path, QuadletProbe probe) throws ConnectionException {
        Optional<FileState> rec = host.recordedFile(path);
        if (rec.isPresent()) {
            return rec.get().isFile() ? host.read(path) : Optional.empty();
        }
        return Optional.ofNullable(probe.files.get(path));
    }

    private static void requireGenerator(QuadletProbe p, String given) throws ModuleException {
        if (p.generator != null) {
            return;
        }
        if (given != null) {
            throw new ModuleException("no quadlet generator at " + given + " (not an executable file)");
        }
        if (p.podmanVersion == null) {
            throw new ModuleException("quadlet needs podman >= 4.4; podman is not installed on this host");
        }
        Matcher m = PODMAN_VERSION.matcher(p.podmanVersion);
        String version = m.find() ? m.group() : p.podmanVersion;
        boolean old = m.reset().find() && (Integer.parseInt(m.group(1)) < 4
                || Integer.parseInt(m.group(1)) == 4 && Integer.parseInt(m.group(2)) < 4);
        if (old) {
            throw new ModuleException("quadlet needs podman >= 4.4; this host has podman " + version
                    + " (no quadlet generator at " + String.join(" or ", GENERATORS) + ")");
        }
        throw new ModuleException("no quadlet generator on this host (podman " + version + "): looked for "
                + String.join(" and ", GENERATORS) + "; name it with generator: PATH, or set validate: false");
    }

    /**
     * {@code systemctl VERB} the units of one tier together, then wait until each is up
     * ({@link UnitWait}: a unit that fails, sits in auto-restart or whose start job failed fails
     * the task at once with its journal lines; one still starting after {@code timeout} seconds
     * too); {@code health}: the units whose container must also be healthy. The description names
     * why each unit restarts ({@code reasons}).
     */
    private static Exec tierStep(String systemctl, String verb, List<String> tier, int timeout, String manager,
                                 Map<String, UnitState> units, Map<String, String> health,
                                 Map<String, String> reasons) {
        String env = systemctl.startsWith(UserManager.ENV) ? UserManager.ENV : "";
        systemctl = systemctl.substring(env.length());
        String script = UnitWait.script(env, systemctl, verb, tier, timeout, health);
        StringBuilder shown = new StringBuilder(systemctl + " " + verb + " " + String.join(" ", tier));
        List<String> why = tier.stream().filter(reasons::containsKey).map(u -> u + ": " + reasons.get(u)).toList();
        if (!why.isEmpty()) {
            shown.append(" (").append(String.join("; ", why)).append(')');
        }
        if (!health.isEmpty()) {
            shown.append(", then wait until healthy: ").append(String.join(" ", health.values()));
        }
        return new Exec(shown.toString(), ShellCommand.of(script), (s, u) -> tier.forEach(unit -> s.putUnit(manager, unit,
                units.get(unit).withActive("active"))), false);
    }

    /** The containers of {@code tier} to wait for (unit → container name), when wait_healthy. */
    private static Map<String, String> health(Map<String, Quadlets.Inputs> inputs, List<String> tier, boolean wait) {
        Map<String, String> m = new LinkedHashMap<>();
        if (wait) {
            for (String u : tier) {
                Quadlets.Inputs in = inputs.get(u);
                if (in != null && in.healthContainer() != null) {
                    m.put(u, in.healthContainer());
                }
            }
        }
        return m;
    }

    /** restart_on as given: a list of {@link #RESTART_ON} names (or a comma-separated string), true (all) or false (none). */
    static Set<String> restartOn(Object raw) throws ModuleException {
        if (raw == null || raw instanceof Boolean b && !b) {
            return Set.of();
        }
        if (raw instanceof Boolean) {
            return new LinkedHashSet<>(RESTART_ON);
        }
        List<String> given = new ArrayList<>();
        if (raw instanceof List<?> l) {
            l.forEach(x -> given.add(String.valueOf(x).strip()));
        } else {
            String str = String.valueOf(raw).strip();
            Boolean b = List.of("true", "yes", "on").contains(str.toLowerCase()) ? Boolean.TRUE
                    : List.of("false", "no", "off", "").contains(str.toLowerCase()) ? Boolean.FALSE : null;
            if (b != null) {
                return restartOn(b);
            }
            for (String x : str.split(",")) {
                given.add(x.strip());
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String x : given) {
            if (!RESTART_ON.contains(x)) {
                throw new ModuleException("restart_on: value of each item must be one of: " + String.join(", ", RESTART_ON)
                        + " (or true / false for all / none), got: " + x);
            }
            out.add(x);
        }
        return out;
    }

    /** The host files the probe stats: the environment files and mounts that restart_on watches. */
    private static List<String> inputPaths(Map<String, Quadlets.Inputs> inputs, Set<String> on) {
        Set<String> paths = new LinkedHashSet<>();
        for (Quadlets.Inputs in : inputs.values()) {
            if (on.contains("environment_files")) {
                paths.addAll(in.environmentFiles());
            }
            if (on.contains("mounts")) {
                paths.addAll(in.mounts());
            }
        }
        return new ArrayList<>(paths);
    }

    private static List<String> inputSecrets(Map<String, Quadlets.Inputs> inputs, Set<String> on) {
        Set<String> names = new LinkedHashSet<>();
        if (on.contains("secrets")) {
            inputs.values().forEach(in -> names.addAll(in.secrets()));
        }
        return new ArrayList<>(names);
    }

    /**
     * The inputs of a running unit that changed since it started: a file written (or a secret
     * made) by an earlier step of this check run, or, on the host, a file modified / a secret
     * created or updated after the unit became active. Stateless: what counts is whether the
     * running unit could have read the input as it is now.
     */
    private static List<String> inputsChanged(HostView host, Quadlets.Inputs in, Set<String> on, QuadletProbe probe,
                                              Long activeSinceNanos) {
        List<String> why = new ArrayList<>();
        if (in == null) {
            return why;
        }
        List<String> files = new ArrayList<>();
        if (on.contains("environment_files")) {
            files.addAll(in.environmentFiles());
        }
        if (on.contains("mounts")) {
            files.addAll(in.mounts());
        }
        for (String f : files) {
            Optional<FileState> rec = host.recordedFile(f);
            if (rec.isPresent()) {
                if (rec.get().isFile()) {
                    why.add(f + " changed");
                }
                continue;
            }
            Long mtime = probe.mtimes.get(f);
            if (mtime != null && activeSinceNanos != null && mtime > activeSinceNanos) {
                why.add(f + " changed");
            }
        }
        if (on.contains("secrets")) {
            for (String name : in.secrets()) {
                Optional<Optional<dev.drover.module.PodmanObject>> rec = host.recordedPodman(
                        dev.drover.module.PodmanObject.SECRET, name);
                if (rec.isPresent()) {
                    if (rec.get().isPresent()) {
                        why.add("secret " + name + " changed");
                    }
                    continue;
                }
                Long at = probe.secrets.get(name);
                if (at != null && activeSinceNanos != null && at > activeSinceNanos) {
                    why.add("secret " + name + " changed");
                }
            }
        }
        return why;
    }

    private static String fileOf(List<Item> items, String unit) {
        return items.stream().filter(it -> it.parsed().unit().equals(unit)).map(Item::name).findFirst().orElse(unit);
    }

    /** {@code systemctl VERB [-- UNITS]}, described without the environment drover sets. */
    private static Exec exec(String systemctl, String verb, List<String> units,
                             BiConsumer<SimulatedState, String> effect) {
        String shown = systemctl.replace(UserManager.ENV, "") + " " + verb
                + (units.isEmpty() ? "" : " " + String.join(" ", units));
        return new Exec(shown, ShellCommand.of(systemctl + " " + verb + (units.isEmpty() ? "" : " -- " + quoteAll(units))),
                effect, false);
    }

    static String quoteAll(List<String> units) {
        return String.join(" ", units.stream().map(ShellQuote::quote).toList());
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String stripSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
