package dev.drover.modules.system;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Exec;
import dev.drover.module.HostView;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;
import dev.drover.module.UnitState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * ansible.builtin.systemd_service (aliases {@code systemd}, {@code service}): daemon-reload,
 * daemon-reexec, mask, enable, state — in Ansible's order, each only when the unit is not already
 * as asked.
 *
 * <p>One probe reads everything: for {@code scope: user}, whether the user's manager is there
 * (waiting up to {@link #MANAGER_WAIT_SECONDS} while linger is on and the manager comes up), then
 * {@code systemctl show} and {@code is-enabled} of the unit, and whether a unit or quadlet file is
 * newer than the manager's last load (UnitsLoadTimestamp), which is when a daemon-reload is due.
 * Every systemctl of {@code scope: user} runs with {@code XDG_RUNTIME_DIR=/run/user/UID} and
 * {@code DBUS_SESSION_BUS_ADDRESS} set by drover, so {@code become_user} works without a login
 * session.
 *
 * <p>In a check run, what earlier steps did is read back from the simulation: a unit started or
 * enabled there, unit files written there (a daemon-reload is then due), linger enabled there (a
 * fresh manager that would load the unit files: the unit is forecast from its file).
 */
public final class SystemdServiceModule implements Module {
    /** How long a probe waits for a user's manager while linger is enabled (logind starts it asynchronously). */
    static final int MANAGER_WAIT_SECONDS = UserManager.MANAGER_WAIT_SECONDS;

    private static final ModuleSpec SPEC = new ModuleSpec("systemd_service", List.of("systemd", "service"), List.of(
            Param.of("name", ParamType.STR).withAliases("service", "unit"),
            Param.of("state", ParamType.STR).withChoices("reloaded", "restarted", "started", "stopped"),
            Param.of("enabled", ParamType.BOOL),
            Param.of("force", ParamType.BOOL),
            Param.of("masked", ParamType.BOOL),
            Param.of("daemon_reload", ParamType.BOOL).withDefault(false).withAliases("daemon-reload"),
            Param.of("daemon_reexec", ParamType.BOOL).withDefault(false).withAliases("daemon-reexec"),
            Param.of("scope", ParamType.STR).withDefault("system").withChoices("system", "user", "global"),
            Param.of("no_block", ParamType.BOOL).withDefault(false)), null, false);

    /** The properties of {@code systemctl show} the module reads and returns as {@code status}. */
    static final List<String> PROPERTIES = List.of("Id", "Names", "Description", "LoadState", "LoadError",
            "ActiveState", "SubState", "UnitFileState", "UnitFilePreset", "FragmentPath", "SourcePath",
            "NeedDaemonReload", "WantedBy", "RequiredBy", "MainPID", "ExecMainStatus", "Result", "CanStart",
            "CanStop", "CanReload", "ActiveEnterTimestamp", "InactiveEnterTimestamp");

    private static final Set<String> UNIT_SUFFIXES = Set.of("service", "socket", "device", "mount", "automount",
            "swap", "target", "path", "timer", "slice", "scope");

    /** is-enabled answers with exit code 0 that Ansible counts as enabled ("indirect" and "alias" do not count). */
    private static final Set<String> ENABLED_STATES = Set.of("enabled", "enabled-runtime", "static", "generated",
            "transient");

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        String name = a.str("name");
        String state = a.str("state");
        boolean hasEnabled = a.has("enabled");
        boolean hasMasked = a.has("masked");
        boolean reload = a.bool("daemon_reload");
        boolean reexec = a.bool("daemon_reexec");
        String scope = a.str("scope");
        if (state == null && !hasEnabled && !hasMasked && !reload && !reexec) {
            throw new ModuleException("one of the following is required: state, enabled, masked, daemon_reload, daemon_reexec");
        }
        for (String needsName : List.of("state", "enabled", "masked")) {
            if (name == null && a.has(needsName)) {
                throw new ModuleException("missing parameter(s) required by '" + needsName + "': name");
            }
        }
        if (name != null) {
            for (String glob : List.of("*", "?", "[")) {
                if (name.contains(glob)) {
                    throw new ModuleException("This module does not currently support using glob patterns, found '"
                            + glob + "' in service name: " + name);
                }
            }
        }
        if (scope.equals("global") && (state != null || reload || reexec)) {
            throw new ModuleException("scope global only enables, disables or masks units for every user: "
                    + "state, daemon_reload and daemon_reexec need scope system or user");
        }
        boolean user = scope.equals("user");
        String who = host.user();
        String manager = user ? "user:" + who : scope;
        String unit = name == null ? null : unitName(name);

        StringBuilder sc = new StringBuilder("systemctl");
        if (!scope.equals("system")) {
            sc.append(" --").append(scope);
        }
        if (a.bool("no_block")) {
            sc.append(" --no-block");
        }
        if (a.bool("force")) {
            sc.append(" --force");
        }
        String systemctl = sc.toString();
        String env = user ? UserManager.ENV : "";
        String home = user ? host.home() : null;
        List<String> unitDirs = unitDirs(scope, home);
        List<String> reloadDirs = new ArrayList<>(unitDirs.subList(0, Math.min(2, unitDirs.size())));
        reloadDirs.addAll(quadletDirs(scope, home));

        Probe probe = Probe.parse(host.probe(probeScript(user, env, systemctl, unit, reloadDirs)));

        // the manager: there, coming (linger enabled by an earlier step of this check run), or missing
        boolean freshManager = false;
        if (user && !probe.managerUp) {
            boolean lingerHere = host.file("/var/lib/systemd/linger/" + who).exists();
            if (probe.linger) {
                throw UserManager.notStarted(who, probe.uid);
            }
            if (!lingerHere) {
                throw UserManager.missing(who, probe.uid);
            }
            freshManager = true;
        }
        if (!user || probe.managerUp) {
            probe.requireSystemctl(unit != null);
        }

        Map<String, Object> status = new LinkedHashMap<>(probe.show);
        boolean liveReloadDue = !freshManager && (probe.filesNewerThanLoad || "yes".equals(status.get("NeedDaemonReload")));
        Optional<Boolean> recordedReload = host.recordedReloadNeeded(manager, reloadDirs);
        boolean reloadDue = recordedReload.orElse(liveReloadDue);
        // the manager as this run left it: fresh after linger, or reloaded by an earlier step
        boolean managerAsSimulated = freshManager || recordedReload.isPresent();

        List<String> warnings = new ArrayList<>();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", name);
        Plan.Builder plan = Plan.builder();
        if (reload && reloadDue) {
            plan.change(exec(systemctl, "daemon-reload", null, env, (s, u) -> s.markReloaded(manager)));
        }
        if (reexec) {
            plan.change(exec(systemctl, "daemon-reexec", null, env, (s, u) -> s.markReloaded(manager)));
        }
        boolean reloadsFirst = plan.hasChanges();

        if (unit != null) {
            UnitState cur = current(host, manager, unit, probe, freshManager, managerAsSimulated, scope, home,
                    unitDirs, reloadDue, reloadsFirst, status);
            if (cur != null && (freshManager || !status.containsKey("LoadState") || "not-found".equals(status.get("LoadState")))) {
                // forecast from the unit's file: what systemctl show would say once the manager loads it
                status.put("Id", unit);
                status.put("LoadState", cur.loadState());
                status.put("ActiveState", cur.activeState());
                status.put("UnitFileState", cur.unitFileState());
            }
            Object load = status.get("LoadState");
            if (cur != null && load != null && !"not-found".equals(load) && !"masked".equals(load)
                    && status.get("LoadError") instanceof String err && !err.isBlank() && !reloadsFirst) {
                throw new ModuleException("Error loading unit file '" + name + "': " + err);
            }
            if (!reload && "yes".equals(status.get("NeedDaemonReload"))) {
                warnings.add(unit + " changed on disk since the manager last loaded it: set daemon_reload: true "
                        + "to use the new definition");
            }

            if (hasMasked) {
                boolean want = a.bool("masked");
                boolean masked = cur != null && "masked".equals(cur.unitFileState());
                if (masked != want) {
                    UnitState before = cur != null ? cur : new UnitState("not-found", "inactive", "disabled", false);
                    UnitState after = before.withUnitFileState(want ? "masked" : "disabled");
                    plan.change(exec(systemctl, want ? "mask" : "unmask", unit, env, (s, u) -> {
                        s.putUnit(manager, unit, after);
                        s.markReloaded(manager);
                    }));
                    cur = cur == null && !want ? null : after;
                }
            }

            if (hasEnabled) {
                boolean want = a.bool("enabled");
                if (cur == null) {
                    throw new ModuleException("Could not find the requested service " + name + ": host");
                }
                String ufs = cur.unitFileState();
                if (ufs.equals("generated") || ufs.equals("transient")) {
                    v.put("enabled", generatedEnabled(name, cur, want, sourceOf(status, unit)));
                    v.put("msg", ufs.equals("transient") ? name + " is a transient unit: it is never enabled at boot"
                            : name + " is generated from " + sourceOf(status, unit) + (cur.wanted()
                            ? ": that file's [Install] section enables it at boot (not systemctl enable)"
                            : ": it has no [Install] section, so nothing starts it at boot"));
                } else {
                    boolean enabled = ENABLED_STATES.contains(ufs);
                    if (ufs.equals("static") && !want) {
                        warnings.add(name + " is static (its unit file has no [Install] section): there is nothing "
                                + "to disable");
                        enabled = false;
                    }
                    if (enabled != want) {
                        UnitState after = cur.withUnitFileState(want ? "enabled" : "disabled");
                        plan.change(exec(systemctl, want ? "enable" : "disable", unit, env, (s, u) -> {
                            s.putUnit(manager, unit, after);
                            s.markReloaded(manager); // systemctl enable/disable reload the manager
                        }));
                        cur = after;
                        enabled = want;
                    }
                    v.put("enabled", enabled);
                }
            }

            if (state != null) {
                if (cur == null) {
                    throw new ModuleException("Could not find the requested service " + name + ": host");
                }
                String active = cur.activeState();
                // a unit that sits in auto-restart (its process failed, systemd retries) is not started:
                // start it now and report why it fails, instead of calling it running
                boolean retrying = host.recordedUnit(manager, unit).isEmpty() && "activating".equals(active)
                        && "auto-restart".equals(status.get("SubState"));
                boolean running = (active.equals("active") || active.equals("activating")) && !retrying;
                String action = switch (state) {
                    case "started" -> running ? null : "start";
                    case "stopped" -> running || active.equals("deactivating") ? "stop" : null;
                    default -> running ? state.substring(0, state.length() - 2) : "start";
                };
                v.put("state", state.equals("stopped") ? "stopped" : "started");
                if (action != null) {
                    UnitState after = cur.withActive(action.equals("stop") ? "inactive" : "active");
                    BiConsumer<SimulatedState, String> effect = (s, u) -> s.putUnit(manager, unit, after);
                    if ((action.equals("start") || action.equals("restart")) && !a.bool("no_block")) {
                        // then watch the unit: failed, auto-restart or a failed start job fail the task at
                        // once with its journal lines (UnitWait), in the same round trip
                        plan.change(new Exec(systemctl + " " + action + " " + unit, ShellCommand.of(
                                UnitWait.script(env, systemctl, action, List.of(unit), 0, Map.of())), effect, false));
                    } else {
                        plan.change(exec(systemctl, action, unit, env, effect));
                    }
                }
            }
        }
        v.put("status", status);
        if (!warnings.isEmpty()) {
            v.put("warnings", warnings);
        }
        plan.values(v);
        if (plan.hasChanges()) {
            return plan.reason("systemctl" + (user ? " --user" : "") + " for " + (name == null ? "the manager" : name)).build();
        }
        return plan.reason(name == null ? "nothing to reload" : name + " is as asked").build();
    }

    /** The unit's state: as an earlier step of a check run left it, as the manager reports it, or from its file. */
    private static UnitState current(HostView host, String manager, String unit, Probe probe, boolean freshManager,
                                     boolean managerAsSimulated, String scope, String home, List<String> unitDirs, boolean reloadDue,
                                     boolean reloadsFirst, Map<String, Object> status)
            throws ConnectionException, ModuleException {
        Optional<UnitState> recorded = host.recordedUnit(manager, unit);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        String load = String.valueOf(status.getOrDefault("LoadState", ""));
        if (!freshManager && !load.isEmpty() && !load.equals("not-found")) {
            String ufs = probe.enabled.isEmpty() ? String.valueOf(status.getOrDefault("UnitFileState", "")) : probe.enabled;
            if (load.equals("masked")) {
                ufs = "masked";
            }
            boolean wanted = !String.valueOf(status.getOrDefault("WantedBy", "")).isBlank()
                    || !String.valueOf(status.getOrDefault("RequiredBy", "")).isBlank();
            if (ufs.equals("generated") && (reloadsFirst || managerAsSimulated && !reloadDue)) {
                // the generator runs again at the daemon-reload this plan starts with (or one an earlier step of
                // this check run made): judge by the source as it is now, not by what the live manager generated
                Object source = status.get("SourcePath");
                if (source != null && !String.valueOf(source).isBlank()) {
                    Optional<byte[]> text = host.read(String.valueOf(source));
                    if (text.isPresent()) {
                        wanted = hasInstallSection(text.get());
                    }
                }
            }
            return new UnitState(load, String.valueOf(status.getOrDefault("ActiveState", "inactive")), ufs, wanted);
        }
        // the manager does not know the unit (or will start fresh): read its file as the manager would
        for (String dir : unitDirs) {
            Optional<byte[]> text = host.read(dir + "/" + unit);
            if (text.isPresent()) {
                boolean install = hasInstallSection(text.get());
                boolean wantsLink = host.file(dir + "/default.target.wants/" + unit).exists()
                        || host.file(dir + "/multi-user.target.wants/" + unit).exists();
                status.put("FragmentPath", dir + "/" + unit);
                return new UnitState("loaded", "inactive", wantsLink ? "enabled" : install ? "disabled" : "static",
                        wantsLink);
            }
        }
        for (String quadlet : quadletSources(unit)) {
            for (String dir : quadletDirs(scope, home)) {
                Optional<byte[]> text = host.read(dir + "/" + quadlet);
                if (text.isEmpty()) {
                    continue;
                }
                String source = dir + "/" + quadlet;
                if (reloadDue && !reloadsFirst) {
                    throw new ModuleException(unit + " is not loaded: its quadlet file " + source
                            + " changed since the last daemon-reload, which generates it; set daemon_reload: true");
                }
                if (!managerAsSimulated && !reloadsFirst) {
                    throw new ModuleException("the quadlet file " + source + " exists but the manager has no " + unit
                            + ": the quadlet generator did not produce it (podman older than 4.4 has no quadlet; "
                            + "'/usr/libexec/podman/quadlet -dryrun" + (scope.equals("user") ? " -user" : "")
                            + "' shows why)");
                }
                status.put("SourcePath", source);
                return new UnitState("loaded", "inactive", "generated", hasInstallSection(text.get()));
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern INSTALL = java.util.regex.Pattern.compile("(?m)^[ \\t]*\\[Install\\][ \\t]*$");

    /** A unit or quadlet file with an [Install] section header on a line of its own. */
    static boolean hasInstallSection(byte[] content) {
        return INSTALL.matcher(new String(content, StandardCharsets.UTF_8)).find();
    }

    /** The enabled value of a generated unit when it already is as asked; a failure a person can act on otherwise. */
    private static boolean generatedEnabled(String name, UnitState cur, boolean want, String source)
            throws ModuleException {
        if (cur.unitFileState().equals("transient")) {
            if (want) {
                throw new ModuleException(name + " is a transient unit: it cannot be enabled");
            }
            return false;
        }
        if (want && !cur.wanted()) {
            throw new ModuleException(name + " is generated from " + source + " and cannot be enabled with systemctl: "
                    + "add an [Install] section (e.g. WantedBy=default.target) to " + source + ", then daemon-reload");
        }
        if (!want && cur.wanted()) {
            throw new ModuleException(name + " is generated from " + source + ", whose [Install] section enables it at "
                    + "boot: remove that section to disable it (systemctl disable cannot)");
        }
        return want;
    }

    private static String sourceOf(Map<String, Object> status, String unit) {
        Object s = status.get("SourcePath");
        return s == null || String.valueOf(s).isBlank() ? "a generator (" + unit + ")" : String.valueOf(s);
    }

    /** {@code systemctl ARGS} (and the unit, quoted after {@code --}), described as a person would type it. */
    private static Exec exec(String systemctl, String verb, String unit, String env,
                             BiConsumer<SimulatedState, String> effect) {
        String describe = systemctl + " " + verb + (unit == null ? "" : " " + unit);
        String command = env + systemctl + " " + verb + (unit == null ? "" : " -- " + ShellQuote.quote(unit));
        return new Exec(describe, ShellCommand.of(command), effect, false);
    }

    /** {@code foo} is {@code foo.service}, as systemctl reads it. */
    static String unitName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot > 0 && UNIT_SUFFIXES.contains(name.substring(dot + 1))) {
            return name;
        }
        return name + ".service";
    }

    /** Where unit files live, searched in this order (the first two are where users write theirs). */
    static List<String> unitDirs(String scope, String home) {
        return switch (scope) {
            case "user" -> List.of(home + "/.config/systemd/user", "/etc/systemd/user", "/usr/lib/systemd/user",
                    "/lib/systemd/user");
            case "global" -> List.of("/etc/systemd/user", "/usr/lib/systemd/user", "/lib/systemd/user");
            default -> List.of("/etc/systemd/system", "/run/systemd/system", "/usr/lib/systemd/system",
                    "/lib/systemd/system");
        };
    }

    /** Where quadlet files live (podman's generator reads them at daemon-reload). */
    static List<String> quadletDirs(String scope, String home) {
        return switch (scope) {
            case "user" -> List.of(home + "/.config/containers/systemd", "/etc/containers/systemd/users");
            case "global" -> List.of();
            default -> List.of("/etc/containers/systemd", "/usr/share/containers/systemd");
        };
    }

    /** The quadlet files that generate {@code unit}: x.container → x.service, x.network → x-network.service, … */
    static List<String> quadletSources(String unit) {
        if (!unit.endsWith(".service")) {
            return List.of();
        }
        String base = unit.substring(0, unit.length() - ".service".length());
        List<String> out = new ArrayList<>(List.of(base + ".container", base + ".kube"));
        for (String kind : List.of("network", "volume", "pod", "image", "build")) {
            if (base.endsWith("-" + kind)) {
                out.add(base.substring(0, base.length() - kind.length() - 1) + "." + kind);
            }
        }
        return out;
    }

    /** The one read-only round trip. */
    static String probeScript(boolean user, String env, String systemctl, String unit, List<String> reloadDirs) {
        StringBuilder p = new StringBuilder(env);
        if (user) {
            p.append(UserManager.probeFragment());
        }
        if (unit != null) {
            String u = ShellQuote.quote(unit);
            p.append("echo @@show; ").append(systemctl).append(" show -p ").append(String.join(",", PROPERTIES))
                    .append(" -- ").append(u).append(" 2>&1; echo \"@@rc $?\"; ")
                    .append("echo @@enabled; ").append(systemctl).append(" is-enabled -- ").append(u)
                    .append(" 2>&1; echo \"@@rc $?\"; ");
        }
        if (!systemctl.contains("--global")) {
            p.append("echo @@reload; ts=$(").append(systemctl)
                    .append(" show --timestamp=us+utc -P UnitsLoadTimestamp 2>/dev/null); ")
                    .append("if [ -n \"$ts\" ]; then find");
            for (String d : reloadDirs) {
                p.append(' ').append(ShellQuote.quote(d));
            }
            p.append(" -newermt \"$ts\" -print 2>/dev/null | head -n 1; echo '@@rc 0'; else echo '@@rc 1'; fi; ");
        }
        p.append("exit 0");
        return p.toString();
    }

    /** What the probe printed. */
    static final class Probe {
        String uid = "?";
        boolean linger;
        boolean managerUp = true;
        final Map<String, Object> show = new LinkedHashMap<>();
        String showError;
        String enabled = "";
        boolean filesNewerThanLoad;

        static Probe parse(CommandResult r) {
            Probe p = new Probe();
            String section = "";
            StringBuilder text = new StringBuilder();
            for (String line : r.out().split("\n", -1)) {
                if (line.startsWith("@@rc ")) {
                    int rc = Integer.parseInt(line.substring(5).trim());
                    p.end(section, text.toString(), rc);
                    section = "";
                    text.setLength(0);
                } else if (line.startsWith("@@")) {
                    section = line.substring(2);
                    text.setLength(0);
                } else if (section.isEmpty()) {
                    if (line.startsWith("UID=")) {
                        p.uid = line.substring(4);
                    } else if (line.equals("LINGER=yes")) {
                        p.linger = true;
                    } else if (line.equals("MANAGER=absent")) {
                        p.managerUp = false;
                    }
                } else {
                    text.append(line).append('\n');
                }
            }
            return p;
        }

        private void end(String section, String text, int rc) {
            switch (section) {
                case "show" -> {
                    if (rc != 0) {
                        showError = text.trim();
                        return;
                    }
                    for (String l : text.split("\n")) {
                        int eq = l.indexOf('=');
                        if (eq > 0) {
                            show.put(l.substring(0, eq), l.substring(eq + 1));
                        }
                    }
                }
                case "enabled" -> {
                    String first = text.strip();
                    // "Failed to get unit file state for x: No such file or directory" is not a state
                    enabled = first.contains(" ") || first.contains("\n") ? "" : first;
                }
                case "reload" -> filesNewerThanLoad = rc != 0 || !text.isBlank();
                default -> {
                }
            }
        }

        /** systemctl itself failed (no systemd as PID 1, no bus): its words, and what to do. */
        void requireSystemctl(boolean hadUnit) throws ModuleException {
            if (hadUnit && showError != null) {
                throw new ModuleException("systemctl cannot talk to the service manager: " + showError);
            }
        }
    }
}
