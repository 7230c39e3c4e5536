package dev.drover.modules.packages;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Diff;
import dev.drover.module.Exec;
import dev.drover.module.HostView;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ResultMapper;
import dev.drover.module.ShellCommand;
import dev.drover.modules.files.FileSupport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ansible.builtin.apt with apt-get and dpkg (no python3-apt on the host): one probe reads dpkg's
 * status, {@code apt-cache policy} and the cache's age for every named package; the plan is
 * Ansible's decision (install what is missing, upgrade for latest, remove what is installed) and
 * the commands are the ones Ansible's module runs, under {@code DEBIAN_FRONTEND=noninteractive}
 * and the C locale. In check mode the forecast comes from that probe and from what earlier steps
 * of the run installed or removed (recorded as {@code apt}/NAME in the simulated state).
 */
public final class AptModule implements Module {
    static final String RECORD = "apt";
    static final String CACHE = "apt-cache";
    static final String DPKG_OPTIONS = "force-confdef,force-confold";
    static final String ENV = "export DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical LANG=C LC_ALL=C"
            + " LC_MESSAGES=C LC_CTYPE=C\n";
    private static final String APT_GET_ZERO = "\n0 upgraded, 0 newly installed";
    private static final String TIME_MARK = "DROVER-APT-TIME ";

    private static final ModuleSpec SPEC = new ModuleSpec("apt", List.of(), List.of(
            Param.of("name", ParamType.LIST).withAliases("package", "pkg"),
            Param.of("state", ParamType.STR).withDefault("present")
                    .withChoices("absent", "build-dep", "fixed", "latest", "present"),
            Param.of("update_cache", ParamType.BOOL).withAliases("update-cache"),
            Param.of("update_cache_retries", ParamType.INT).withDefault(5),
            Param.of("update_cache_retry_max_delay", ParamType.INT).withDefault(12),
            Param.of("cache_valid_time", ParamType.INT).withDefault(0),
            Param.of("purge", ParamType.BOOL).withDefault(false),
            Param.of("deb", ParamType.PATH),
            Param.of("default_release", ParamType.STR).withAliases("default-release"),
            Param.of("install_recommends", ParamType.BOOL).withAliases("install-recommends"),
            Param.of("force", ParamType.BOOL).withDefault(false),
            Param.of("upgrade", ParamType.STR).withDefault("no").withChoices("dist", "full", "no", "safe", "yes"),
            Param.of("dpkg_options", ParamType.STR).withDefault(DPKG_OPTIONS),
            Param.of("autoremove", ParamType.BOOL).withDefault(false),
            Param.of("autoclean", ParamType.BOOL).withDefault(false),
            Param.of("fail_on_autoremove", ParamType.BOOL).withDefault(false),
            Param.of("policy_rc_d", ParamType.INT),
            Param.of("only_upgrade", ParamType.BOOL).withDefault(false),
            Param.of("force_apt_get", ParamType.BOOL).withDefault(false),
            Param.of("clean", ParamType.BOOL).withDefault(false),
            Param.of("allow_unauthenticated", ParamType.BOOL).withDefault(false).withAliases("allow-unauthenticated"),
            Param.of("allow_downgrade", ParamType.BOOL).withDefault(false)
                    .withAliases("allow-downgrade", "allow_downgrades", "allow-downgrades"),
            Param.of("allow_change_held_packages", ParamType.BOOL).withDefault(false),
            Param.of("lock_timeout", ParamType.INT).withDefault(60)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    /** One named package: name, comparison (null, "=", ">=") and version. */
    record Spec(String text, String name, String cmp, String version) {
        static Spec parse(String text) {
            String t = text.trim();
            int ge = t.indexOf(">=");
            int eq = t.indexOf('=');
            if (ge >= 0 && ge < eq) {
                return new Spec(t, t.substring(0, ge), ">=", t.substring(ge + 2));
            }
            if (eq >= 0) {
                return new Spec(t, t.substring(0, eq), "=", t.substring(eq + 1));
            }
            return new Spec(t, t, null, null);
        }
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        List<String> names = new ArrayList<>();
        for (String n : a.strings("name")) {
            names.add(n.trim());
        }
        String deb = a.has("deb") ? FileSupport.expand(ctx, a.str("deb")) : null;
        String upgrade = a.str("upgrade").equals("no") ? null : a.str("upgrade");
        String state = a.str("state");
        int given = (names.isEmpty() ? 0 : 1) + (deb == null ? 0 : 1) + (upgrade == null ? 0 : 1);
        if (given > 1) {
            throw new ModuleException("parameters are mutually exclusive: deb|package|upgrade");
        }
        if (given == 0 && !a.bool("autoremove") && !a.has("update_cache") && !a.bool("clean")) {
            throw new ModuleException("one of the following is required: autoremove, deb, package, update_cache, upgrade");
        }
        if (state.equals("build-dep") || state.equals("fixed")) {
            throw new ModuleException("state=" + state + " is not supported by drover's apt module");
        }
        if (a.bool("autoclean")) {
            throw new ModuleException("autoclean is not supported by drover's apt module");
        }
        if (a.has("policy_rc_d")) {
            throw new ModuleException("policy_rc_d is not supported by drover's apt module");
        }
        if (deb != null && !state.equals("present")) {
            throw new ModuleException("deb only supports state=present");
        }
        boolean all = names.contains("*");
        List<String> packages = names.stream().filter(n -> !n.equals("*")).toList();
        if (all && state.equals("latest")) {
            if (!packages.isEmpty()) {
                throw new ModuleException("unable to install additional packages when upgrading all installed packages");
            }
            upgrade = "yes";
        }
        List<Spec> specs = new ArrayList<>();
        for (String p : packages) {
            if (p.chars().filter(c -> c == '=').count() > 1) {
                throw new ModuleException("invalid package spec: " + p);
            }
            if (Spec.parse(p).name().matches(".*[*?\\[\\]!].*")) {
                throw new ModuleException("package name patterns (" + p + ") are not supported by drover's apt module:"
                        + " name the packages");
            }
            specs.add(Spec.parse(p));
        }

        boolean purge = a.bool("purge");
        String dpkgOptions = expandDpkgOptions(a.str("dpkg_options"));
        String simulate = null;
        if (upgrade != null) {
            simulate = upgradeCommand(upgrade, a.bool("autoremove")) + " " + dpkgOptions;
        } else if (specs.isEmpty() && deb == null && a.bool("autoremove")) {
            simulate = (purge ? "--purge " : "") + "autoremove";
        }
        String debPath = deb != null && deb.contains("://") ? null : deb;
        AptProbe.Result probe = AptProbe.parse(host.probe(AptProbe.script(
                specs.stream().map(Spec::name).distinct().toList(), a.str("default_release"), debPath, simulate)).out());
        String aptGet = probe.aptGet();
        String env = ENV;

        Plan.Builder plan = Plan.builder();
        List<String> reasons = new ArrayList<>();
        boolean clean = a.bool("clean");
        if (clean) {
            plan.change(new Exec("apt-get clean", ShellCommand.of(env + "apt-get clean"), null, true));
            reasons.add("apt-get clean");
        }

        // the cache: updated when asked and older than cache_valid_time
        long cacheTime = host.recorded(CACHE, "time").flatMap(o -> o).map(o -> ((Number) o).longValue())
                .orElse(probe.cacheTime());
        boolean updating = false;
        int validTime = a.integer("cache_valid_time");
        if ((a.bool("update_cache") || validTime != 0) && !(cacheTime + validTime >= probe.now())) {
            updating = true;
            long now = probe.now();
            int retries = Math.max(1, a.integer("update_cache_retries"));
            int maxDelay = a.integer("update_cache_retry_max_delay");
            String script = env + "i=0; d=1; while :; do i=$((i+1)); e=$(apt-get update -q 2>&1 >/dev/null) && break; "
                    + "[ $i -ge " + retries + " ] && { printf '%s\\n' \"$e\" >&2; exit 1; }; "
                    + "sleep $d; d=$((d*2)); [ $d -gt " + maxDelay + " ] && d=" + maxDelay + "; done\n"
                    + "if [ -e " + AptProbe.STAMP + " ]; then m=$(stat -c %Y " + AptProbe.STAMP + "); else "
                    + "eval \"$(apt-config shell L Dir::State::Lists/d 2>/dev/null)\"; "
                    + "m=$(stat -c %Y \"${L:-/var/lib/apt/lists/}\" 2>/dev/null || echo 0); fi; echo \"" + TIME_MARK + "$m\"";
            plan.change(new Exec("update the apt cache", ShellCommand.of(script),
                    (s, u) -> s.putRecord(CACHE, "time", now), true));
            reasons.add("update the apt cache");
        }
        final long oldCacheTime = cacheTime;
        Map<String, Object> values = new LinkedHashMap<>();

        if (upgrade != null) {
            String out = probe.simulated() == null ? "" : probe.simulated();
            if (out.contains(APT_GET_ZERO)) {
                values.put("msg", "");
            } else {
                String cmd = aptGet + " -y " + dpkgOptions + " " + (a.bool("force") ? "--force-yes " : "")
                        + (a.bool("fail_on_autoremove") ? "--no-remove " : "")
                        + (a.bool("allow_unauthenticated") ? "--allow-unauthenticated " : "")
                        + (a.bool("allow_downgrade") ? "--allow-downgrades " : "")
                        + (a.has("default_release") ? "-t " + ShellQuote.quote(a.str("default_release")) + " " : "")
                        + upgradeCommand(upgrade, a.bool("autoremove"));
                plan.change(new Exec(upgradeCommand(upgrade, false).trim(), ShellCommand.of(env + cmd), null, true));
                reasons.add(upgradeCommand(upgrade, false).trim());
                if (ctx.wantsDiff()) {
                    plan.diff(new Diff("apt", "apt", "", prepared(out)));
                }
            }
            return finish(plan, values, reasons, updating, oldCacheTime, probe.now(), "upgrade", cmd(aptGet, upgrade));
        }

        if (deb != null) {
            return planDeb(ctx, plan, probe, deb, env, reasons, updating, oldCacheTime);
        }

        if (specs.isEmpty()) {
            if (simulate != null && probe.simulated() != null
                    && probe.simulated().contains("The following packages will be REMOVED")) {
                String cmd = aptGet + " -y " + dpkgOptions + " " + (purge ? "--purge " : "")
                        + (a.bool("force") ? "--force-yes " : "") + "autoremove";
                plan.change(new Exec("apt-get autoremove", ShellCommand.of(env + cmd), null, true));
                reasons.add("apt-get autoremove");
                if (ctx.wantsDiff()) {
                    plan.diff(new Diff("apt", "apt", "", prepared(probe.simulated())));
                }
                return finish(plan, values, reasons, updating, oldCacheTime, probe.now(), "autoremove",
                        "'apt-get autoremove' failed");
            }
            if (!plan.hasChanges()) {
                return Plan.nothing("the apt cache is valid", Map.of("cache_updated", false,
                        "cache_update_time", oldCacheTime));
            }
            return finish(plan, values, reasons, updating, oldCacheTime, probe.now(), "cache", null);
        }

        if (state.equals("absent")) {
            List<String> remove = new ArrayList<>();
            for (Spec s : specs) {
                AptProbe.Pkg p = current(host, probe, s.name());
                boolean versionInstalled = p.isInstalled() && (s.cmp() == null
                        || (s.cmp().equals("=") ? DebVersion.fnmatch(p.installed(), s.version())
                        : DebVersion.compare(p.installed(), s.version()) >= 0));
                if (versionInstalled || (p.hasFiles() && purge)) {
                    remove.add(s.text());
                }
            }
            if (remove.isEmpty()) {
                if (!plan.hasChanges()) {
                    return Plan.nothing("not installed: " + String.join(", ", names), Map.of());
                }
                return finish(plan, values, reasons, updating, oldCacheTime, probe.now(), "cache", null);
            }
            String list = quotedList(remove, false);
            String cmd = aptGet + " -o DPkg::Lock::Timeout=" + a.integer("lock_timeout") + " -q -y "
                    + shellDpkgOptions(a.str("dpkg_options")) + (purge ? " --purge" : "")
                    + (a.bool("force") ? " --force-yes" : "") + (a.bool("autoremove") ? " --auto-remove" : "")
                    + " remove " + quotedList(remove, true);
            List<Spec> removed = specs.stream().filter(s -> remove.contains(s.text())).toList();
            plan.change(new Exec((purge ? "purge " : "remove ") + String.join(" ", remove), ShellCommand.of(env + cmd),
                    (st, u) -> removed.forEach(s -> st.putRecord(RECORD, s.name(), purge ? null : "rc|")), true));
            reasons.add((purge ? "purge " : "remove ") + String.join(", ", remove));
            if (ctx.wantsDiff()) {
                plan.diff(new Diff("apt", "apt", String.join("\n", remove) + "\n", ""));
            }
            // Ansible's remove() reports neither cache_updated nor cache_update_time
            return finish(plan, values, reasons, updating, oldCacheTime, probe.now(), "remove",
                    "'apt-get remove " + list + "' failed");
        }

        // present / latest
        boolean latest = state.equals("latest");
        boolean onlyUpgrade = a.bool("only_upgrade");
        List<String> install = new ArrayList<>();
        Map<String, String> installs = new LinkedHashMap<>();
        // lists this task (or an earlier step of a check run) refreshes before the install: a package
        // the lists on the host do not know yet is left to apt after the update (it fails there if
        // the update does not bring it either)
        boolean listsRefreshed = updating || host.recorded(CACHE, "time").isPresent();
        for (Spec s : specs) {
            AptProbe.Pkg p = current(host, probe, s.name());
            if (listsRefreshed && s.cmp() == null && !p.isInstalled() && p.providers().isEmpty() && best(p, s) == null) {
                install.add(s.name());
                installs.put(s.name(), "");
                continue;
            }
            if (!p.known() && !p.isInstalled() && p.providers().isEmpty()) {
                throw new ModuleException("No package matching '" + s.name() + "' is available");
            }
            boolean installed = p.isInstalled() || !p.providers().isEmpty();
            boolean versionInstalled;
            Object installable; // a version string, TRUE (let apt decide: a virtual package), or null
            String best = best(p, s);
            if (p.isInstalled()) {
                String iv = p.installed();
                if ("=".equals(s.cmp())) {
                    versionInstalled = DebVersion.fnmatch(iv, s.version());
                    installable = best != null && !iv.equals(best) && DebVersion.fnmatch(best, s.version()) ? best : null;
                } else if (">=".equals(s.cmp())) {
                    versionInstalled = DebVersion.compare(iv, s.version()) >= 0;
                    installable = best != null && !iv.equals(best) && DebVersion.compare(best, s.version()) >= 0 ? best : null;
                } else {
                    versionInstalled = true;
                    installable = best != null && !iv.equals(best) ? best : null;
                }
            } else if (installed) { // a virtual package an installed package provides
                versionInstalled = true;
                installable = null;
            } else {
                versionInstalled = false;
                installable = p.versions().isEmpty() && p.known() ? Boolean.TRUE : best;
            }
            if (!installed && onlyUpgrade) {
                continue;
            }
            if (!versionInstalled && installable == null) {
                throw new ModuleException("no available installation candidate for " + s.text());
            }
            if (installable != null && ((!installed && !onlyUpgrade) || latest || !versionInstalled)) {
                String arg = installable instanceof String v ? s.name() + "=" + v
                        : s.version() != null ? s.name() + "=" + s.version() : s.name();
                install.add(arg);
                installs.put(s.name(), installable instanceof String v ? v : s.version() != null ? s.version() : "");
            } else if (p.isInstalled() && versionInstalled && installable != null && "=".equals(s.cmp())) {
                install.add(s.name() + "=" + s.version());
                installs.put(s.name(), s.version());
            }
        }
        if (install.isEmpty()) {
            values.put("cache_updated", false);
            values.put("cache_update_time", oldCacheTime);
            if (!plan.hasChanges()) {
                return Plan.nothing("installed: " + String.join(", ", names), values);
            }
            return finish(plan, values, reasons, updating, oldCacheTime, probe.now(), "cache", null);
        }
        String shown = installCommand(a, aptGet, install, false);
        String marks = specs.stream().map(s -> ShellQuote.quote(s.name())).distinct()
                .reduce("", (x, y) -> x + " " + y);
        String script = env + installCommand(a, aptGet, install, true)
                + "\nrc=$?; [ $rc -eq 0 ] && apt-mark manual" + marks + " >/dev/null 2>&1; exit $rc";
        plan.change(new Exec("install " + String.join(" ", install), ShellCommand.of(script),
                (st, u) -> installs.forEach((n, v) -> st.putRecord(RECORD, n, "ii|" + v)), true));
        reasons.add("install " + String.join(", ", install));
        if (ctx.wantsDiff()) {
            plan.diff(new Diff("apt", "apt", "", String.join("\n", install) + "\n"));
        }
        return finish(plan, values, reasons, updating, oldCacheTime, probe.now(), "install",
                "'" + shown + "' failed");
    }

    /**
     * Ansible's install command line: as Ansible prints it in its failure message ({@code shell}
     * false), or for the host's shell, every argument quoted, with apt's lock timeout.
     */
    private static String installCommand(Args a, String aptGet, List<String> install, boolean shell)
            throws ModuleException {
        StringBuilder cmd = new StringBuilder(aptGet);
        if (shell) {
            cmd.append(" -o DPkg::Lock::Timeout=").append(a.integer("lock_timeout")).append(" -y ")
                    .append(shellDpkgOptions(a.str("dpkg_options")));
            cmd.append(a.bool("only_upgrade") ? " --only-upgrade" : "").append(a.bool("force") ? " --force-yes" : "")
                    .append(a.bool("autoremove") ? " --auto-remove" : "")
                    .append(a.bool("fail_on_autoremove") ? " --no-remove" : "").append(" install ")
                    .append(quotedList(install, true));
        } else {
            cmd.append(" -y ").append(expandDpkgOptions(a.str("dpkg_options"))).append(' ')
                    .append(a.bool("only_upgrade") ? "--only-upgrade" : "").append("  ")
                    .append(a.bool("force") ? "--force-yes" : "").append(' ')
                    .append(a.bool("autoremove") ? "--auto-remove" : "").append(' ')
                    .append(a.bool("fail_on_autoremove") ? "--no-remove" : "").append("  install ")
                    .append(quotedList(install, false));
        }
        if (a.has("default_release")) {
            cmd.append(" -t ").append(shell ? ShellQuote.quote(a.str("default_release")) : "'" + a.str("default_release") + "'");
        }
        if (a.has("install_recommends")) {
            cmd.append(a.bool("install_recommends") ? " -o APT::Install-Recommends=yes" : " -o APT::Install-Recommends=no");
        }
        if (a.bool("allow_unauthenticated")) {
            cmd.append(" --allow-unauthenticated");
        }
        if (a.bool("allow_downgrade")) {
            cmd.append(" --allow-downgrades");
        }
        if (a.bool("allow_change_held_packages")) {
            cmd.append(" --allow-change-held-packages");
        }
        return cmd.toString();
    }

    /** dpkg_options as quoted -o arguments for the shell. */
    static String shellDpkgOptions(String compressed) {
        StringBuilder s = new StringBuilder();
        for (String o : compressed.split(",")) {
            s.append(s.length() == 0 ? "" : " ").append("-o ").append(ShellQuote.quote("Dpkg::Options::=--" + o));
        }
        return s.toString();
    }

    private Plan planDeb(ModuleContext ctx, Plan.Builder plan, AptProbe.Result probe, String deb, String env,
                         List<String> reasons, boolean updating, long oldCacheTime)
            throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String local = deb;
        String fetch = "";
        if (deb.contains("://")) {
            // as Ansible's fetch_file: the .deb is downloaded (here: on the host) before it can be compared
            CommandResult r = ctx.host().probe("t=$(mktemp -d) && trap 'rm -rf \"$t\"' EXIT && f=\"$t/p.deb\" && "
                    + "{ curl -fsSL -o \"$f\" " + ShellQuote.quote(deb) + " 2>&1 || python3 -c 'import sys,urllib.request;"
                    + "urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' " + ShellQuote.quote(deb) + " \"$f\" 2>&1; } && "
                    + AptProbe.script(List.of(), null, "$f", null).replace("'$f'", "\"$f\""));
            AptProbe.Result fetched = AptProbe.parse(r.out().substring(Math.max(0, r.out().indexOf(AptProbe.MARK))));
            if (fetched.deb() == null) {
                throw new ModuleException("Failure downloading " + deb + ", " + r.out().trim());
            }
            probe = new AptProbe.Result(probe.aptGet(), probe.now(), probe.cacheTime(), probe.packages(), fetched.deb(),
                    null);
            local = null;
            fetch = "t=$(mktemp -d) && trap 'rm -rf \"$t\"' EXIT && f=\"$t/\"" + ShellQuote.quote(FileSupport.basename(deb))
                    + " && { curl -fsSL -o \"$f\" " + ShellQuote.quote(deb) + " || python3 -c 'import sys,urllib.request;"
                    + "urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' " + ShellQuote.quote(deb) + " \"$f\"; } || exit 1\n";
        }
        String name = null;
        String version = null;
        String status = "";
        for (String line : probe.deb().split("\n")) {
            if (line.startsWith("Error: ")) {
                throw new ModuleException("Unable to install package: " + line.substring(7).trim());
            }
            if (line.startsWith("Package: ")) {
                name = line.substring(9).trim();
            } else if (line.startsWith("Version: ")) {
                version = line.substring(9).trim();
            } else if (line.startsWith("Status: ")) {
                status = line.substring(8);
            }
        }
        if (name == null || version == null) {
            throw new ModuleException("Unable to install package: " + deb + " is not a Debian package");
        }
        Optional<Optional<Object>> rec = ctx.host().recorded(RECORD, name);
        if (rec.isPresent()) {
            status = rec.get().map(String::valueOf).orElse("");
        }
        String[] f = status.split("\\|", -1);
        boolean installed = f[0].length() > 1 && f[0].charAt(1) == 'i';
        String iv = f.length > 1 ? f[1] : "";
        Map<String, Object> values = new LinkedHashMap<>();
        if (installed && DebVersion.compare(iv, version) == 0) {
            values.put("stdout", "");
            values.put("stderr", "");
            values.put("diff", "");
            if (!plan.hasChanges()) {
                return Plan.nothing(name + " " + version + " is installed", values);
            }
            return finish(plan, values, reasons, updating, oldCacheTime, probe.now(), "deb", null);
        }
        // apt-get installs the file with its dependencies from the repositories (Ansible: python-apt, then dpkg -i)
        String target = local != null ? (local.startsWith("/") ? local : "./" + local) : "\"$f\"";
        String cmd = "apt-get -y " + expandDpkgOptions(a.str("dpkg_options")) + " "
                + (a.bool("force") ? "--force-yes " : "")
                + (a.has("install_recommends") ? (a.bool("install_recommends") ? "-o APT::Install-Recommends=yes "
                : "-o APT::Install-Recommends=no ") : "")
                + (a.bool("allow_downgrade") || a.bool("force") ? "--allow-downgrades " : "")
                + (a.bool("allow_unauthenticated") ? "--allow-unauthenticated " : "")
                + "install " + (local != null ? ShellQuote.quote(target) : target);
        String n = name;
        String ver = version;
        plan.change(new Exec("install " + FileSupport.basename(deb) + " (" + name + " " + version + ")",
                ShellCommand.of(env + fetch + cmd), (st, u) -> st.putRecord(RECORD, n, "ii|" + ver), true));
        reasons.add("install " + name + " " + version);
        return finish(plan, values, reasons, updating, oldCacheTime, probe.now(), "deb",
                "dpkg --" + String.join(" --", a.str("dpkg_options").split(",")) + " -i " + deb + " failed");
    }

    /** A package's state: what earlier steps of this check run left, else what the probe saw. */
    private static AptProbe.Pkg current(HostView host, AptProbe.Result probe, String name) {
        AptProbe.Pkg p = probe.packages().get(name);
        Optional<Optional<Object>> rec = host.recorded(RECORD, name);
        if (rec.isEmpty()) {
            return p;
        }
        String[] f = rec.get().map(String::valueOf).orElse("un|").split("\\|", -1);
        String abbrev = f[0];
        String version = f.length > 1 && !f[1].isEmpty() ? f[1] : null;
        if (abbrev.equals("ii") && version != null && version.isEmpty()) {
            version = p.candidate();
        }
        if (abbrev.equals("ii") && version == null) {
            version = p.candidate();
        }
        return new AptProbe.Pkg(name, abbrev, abbrev.equals("ii") ? version : null, p.candidate(), p.versions(),
                p.known(), List.of());
    }

    /** Ansible's package_best_match: the candidate, or for name=pattern the newest version matching it. */
    private static String best(AptProbe.Pkg p, Spec s) {
        if ("=".equals(s.cmp())) {
            for (String v : p.versions()) {
                if (DebVersion.fnmatch(v, s.version())) {
                    return v;
                }
            }
            return null;
        }
        return p.candidate();
    }

    private static Plan finish(Plan.Builder plan, Map<String, Object> values, List<String> reasons, boolean updating,
                               long oldCacheTime, long now, String what, String failure) {
        boolean changesPackages = what.equals("install") || what.equals("remove") || what.equals("upgrade")
                || what.equals("autoremove") || (what.equals("deb") && failure != null);
        if (!what.equals("remove")) { // Ansible's remove() reports neither
            values.put("cache_updated", updating);
            values.put("cache_update_time", updating ? now : oldCacheTime);
        }
        plan.values(values).reason(String.join("; ", reasons));
        List<String> described = plan.build().changes().stream().map(dev.drover.module.Change::describe).toList();
        return plan.mapper((planned, results) -> {
            Map<String, Object> out = new LinkedHashMap<>(planned);
            boolean changed = false;
            int i = 0;
            for (CommandResult r : results) {
                String change = described.get(i++);
                if (change.equals("update the apt cache")) {
                    if (r.exitCode() != 0) {
                        throw new ModuleException("Failed to update apt cache: "
                                + (r.err().isBlank() ? "unknown reason" : r.err().trim()));
                    }
                    long t = oldCacheTime;
                    for (String line : r.out().split("\n")) {
                        if (line.startsWith(TIME_MARK)) {
                            t = Long.parseLong(line.substring(TIME_MARK.length()).trim());
                        }
                    }
                    if (!what.equals("remove")) {
                        out.put("cache_updated", t != oldCacheTime);
                        out.put("cache_update_time", t);
                    }
                    changed |= t != oldCacheTime;
                } else if (change.equals("apt-get clean")) {
                    if (r.exitCode() != 0 || !r.err().isEmpty()) {
                        throw new ModuleException("apt-get clean failed" + (r.err().isEmpty() ? "" : ": " + r.err()),
                                Map.of("stdout", r.out(), "rc", r.exitCode()));
                    }
                    out.put("msg", r.out());
                    out.put("stdout", r.out());
                    out.put("stderr", r.err());
                    changed = true;
                } else {
                    Map<String, Object> fail = new LinkedHashMap<>();
                    fail.put("stdout", r.out());
                    fail.put("stderr", r.err());
                    if (r.exitCode() != 0) {
                        fail.put("rc", r.exitCode());
                        throw new ModuleException(failure.endsWith(" failed") && !failure.startsWith("'")
                                ? failure : failure + ": " + r.err(), fail);
                    }
                    out.put("stdout", r.out());
                    out.put("stderr", r.err());
                    if (what.equals("upgrade")) {
                        out.put("msg", r.out());
                    }
                    changed = changesPackages;
                }
            }
            out.put("changed", changed);
            return out;
        }).build();
    }

    private static String cmd(String aptGet, String upgrade) {
        return "'" + aptGet + " " + upgradeCommand(upgrade, false).trim() + "' failed";
    }

    /** Ansible's upgrade() with apt-get: dist → dist-upgrade, yes/safe/full → upgrade --with-new-pkgs. */
    static String upgradeCommand(String mode, boolean autoremove) {
        String auto = autoremove ? "--auto-remove" : "";
        if (mode.equals("dist") || mode.equals("full")) {
            return "dist-upgrade " + auto;
        }
        return "upgrade --with-new-pkgs " + auto;
    }

    /** Ansible's expand_dpkg_options: force-confdef,force-confold → -o "Dpkg::Options::=--force-confdef" -o … */
    static String expandDpkgOptions(String compressed) {
        StringBuilder s = new StringBuilder();
        for (String o : compressed.split(",")) {
            s.append(" -o \"Dpkg::Options::=--").append(o).append('"');
        }
        return s.toString().trim();
    }

    private static String quotedList(List<String> items, boolean shell) {
        StringBuilder s = new StringBuilder();
        for (String i : items) {
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(shell ? ShellQuote.quote(i) : "'" + i + "'");
        }
        return s.toString();
    }

    /** Ansible's parse_diff: the part of apt-get's output between "Reading state information..." and "N upgraded". */
    static String prepared(String out) {
        String[] lines = out.split("\n");
        int start = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals("Reading state information...")) {
                start = i;
                break;
            }
        }
        int end = lines.length;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].matches("[0-9]+ (packages )?upgraded.*")) {
                end = i;
                break;
            }
        }
        start += 1;
        end = Math.min(end + 1, lines.length);
        return start >= end ? "" : String.join("\n", java.util.Arrays.asList(lines).subList(start, end));
    }
}
