package dev.drover.modules.packages;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ansible.builtin.dnf with the dnf command line (no python3-dnf needed on the controller side):
 * one probe asks rpm what is installed, {@code dnf repoquery} what the repositories offer and
 * {@code dnf list --upgrades} what could be upgraded; install, upgrade and remove run as
 * {@code dnf -y install|upgrade|remove}. Check mode forecasts from that probe and from packages
 * earlier steps installed or removed ({@code dnf}/NAME in the simulated state).
 */
public final class DnfModule implements Module {
    static final String RECORD = "dnf";
    static final String MARK = "DROVER-DNF ";
    /** Parameters of Ansible's dnf that drover accepts but does not implement: a non-default value fails. */
    private static final Map<String, Object> UNSUPPORTED = Map.ofEntries(
            Map.entry("bugfix", false), Map.entry("cacheonly", false), Map.entry("disable_excludes", ""),
            Map.entry("download_only", false), Map.entry("download_dir", ""), Map.entry("installroot", "/"),
            Map.entry("list", ""), Map.entry("security", false), Map.entry("update_only", false),
            Map.entry("conf_file", ""), Map.entry("releasever", ""), Map.entry("exclude", List.of()),
            Map.entry("enable_plugin", List.of()), Map.entry("disable_plugin", List.of()),
            Map.entry("skip_broken", false), Map.entry("allowerasing", false), Map.entry("nobest", false),
            Map.entry("autoremove", false));

    private static final ModuleSpec SPEC = new ModuleSpec("dnf", List.of(), List.of(
            Param.of("name", ParamType.LIST).withAliases("pkg"),
            Param.of("state", ParamType.STR).withChoices("absent", "installed", "latest", "present", "removed"),
            Param.of("update_cache", ParamType.BOOL).withDefault(false).withAliases("expire-cache"),
            Param.of("install_weak_deps", ParamType.BOOL).withDefault(true),
            Param.of("enablerepo", ParamType.LIST), Param.of("disablerepo", ParamType.LIST),
            Param.of("disable_gpg_check", ParamType.BOOL).withDefault(false),
            Param.of("allow_downgrade", ParamType.BOOL).withDefault(false),
            Param.of("validate_certs", ParamType.BOOL).withDefault(true),
            Param.of("sslverify", ParamType.BOOL).withDefault(true),
            Param.of("lock_timeout", ParamType.INT).withDefault(30),
            Param.of("install_repoquery", ParamType.BOOL).withDefault(true),
            Param.of("bugfix", ParamType.BOOL), Param.of("cacheonly", ParamType.BOOL),
            Param.of("conf_file", ParamType.STR), Param.of("disable_excludes", ParamType.STR),
            Param.of("disable_plugin", ParamType.LIST), Param.of("enable_plugin", ParamType.LIST),
            Param.of("download_only", ParamType.BOOL), Param.of("download_dir", ParamType.STR),
            Param.of("exclude", ParamType.LIST), Param.of("installroot", ParamType.STR),
            Param.of("list", ParamType.STR), Param.of("releasever", ParamType.STR),
            Param.of("security", ParamType.BOOL), Param.of("skip_broken", ParamType.BOOL),
            Param.of("update_only", ParamType.BOOL), Param.of("allowerasing", ParamType.BOOL),
            Param.of("nobest", ParamType.BOOL), Param.of("autoremove", ParamType.BOOL)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        for (Map.Entry<String, Object> u : UNSUPPORTED.entrySet()) {
            Object given = a.raw(u.getKey());
            if (given != null && !Args.stringOf(given).equals(Args.stringOf(u.getValue()))
                    && !(given instanceof Boolean b && !b) && !(given instanceof List<?> l && l.isEmpty())) {
                throw new ModuleException(u.getKey() + " is not supported by drover's dnf module");
            }
        }
        List<String> names = a.strings("name");
        if (names.isEmpty() && !a.bool("update_cache")) {
            throw new ModuleException("one of the following is required: name, list, update_cache");
        }
        String state = a.has("state") ? a.str("state") : "present";
        boolean remove = state.equals("absent") || state.equals("removed");
        boolean latest = state.equals("latest");
        if (names.contains("*") && !latest) {
            throw new ModuleException("name '*' is only supported by drover's dnf module with state=latest");
        }

        String opts = options(a);
        String quoted = names.stream().map(ShellQuote::quote).reduce("", (x, y) -> x + " " + y);
        StringBuilder probe = new StringBuilder("export LC_ALL=C LANG=C\n")
                .append("command -v dnf >/dev/null 2>&1 || { echo '").append(MARK).append("nodnf'; exit 0; }\n");
        boolean all = names.contains("*");
        if (!names.isEmpty() && !all) {
            probe.append("for p in").append(quoted).append("; do echo \"").append(MARK).append("pkg $p\"; ")
                    .append("rpm -q --qf '").append(MARK).append("installed %{NAME}-%{EPOCHNUM}:%{VERSION}-%{RELEASE}.%{ARCH}\\n' ")
                    .append("--whatprovides -- \"$p\" 2>/dev/null; done\n");
            if (!remove) {
                probe.append("echo '").append(MARK).append("available'\n")
                        .append("dnf -q").append(opts).append(" repoquery --latest-limit=1 --qf '%{name}|%{epoch}:%{version}-%{release}.%{arch}' --")
                        .append(quoted).append(" 2>/dev/null\n");
            }
        }
        if (latest) {
            probe.append("echo '").append(MARK).append("upgrades'\n")
                    .append("dnf -q").append(opts).append(" list --upgrades").append(all ? "" : " --" + quoted)
                    .append(" 2>/dev/null | awk 'NF == 3 && $1 != \"Available\" { print $1 \"|\" $2 }'\n");
        }
        Probe found = parse(host.probe(probe.toString()).out(), names);

        Plan.Builder plan = Plan.builder();
        if (a.bool("update_cache")) {
            plan.change(new Exec("dnf makecache", ShellCommand.of("dnf -y" + opts + " makecache --refresh"), null, true));
        }
        List<String> results = new ArrayList<>();
        List<String> act = new ArrayList<>();
        List<String> upgrade = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String n : names) {
            if (n.equals("*")) {
                for (String u : found.upgrades()) {
                    act.add(u.split("\\|")[0]);
                    results.add("Installed: " + u.replace("|", "-"));
                }
                continue;
            }
            boolean installed = current(host, found, n);
            if (remove) {
                if (installed) {
                    act.add(n);
                    results.add("Removed: " + found.installed().getOrDefault(n, n));
                }
            } else if (!installed) {
                String avail = found.available().get(n);
                if (avail == null) {
                    failures.add("No package " + n + " available.");
                } else {
                    act.add(n);
                    results.add("Installed: " + avail);
                }
            } else if (latest && found.upgradable(n) && host.recorded(RECORD, n).isEmpty()) {
                act.add(n);
                upgrade.add(n);
                results.add("Installed: " + found.upgradeOf(n));
            }
        }
        if (!failures.isEmpty()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("failures", failures);
            v.put("results", List.of());
            v.put("rc", 1);
            throw new ModuleException("Failed to install some of the specified packages", v);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("msg", "");
        values.put("results", results);
        values.put("rc", 0);
        if (act.isEmpty()) {
            if (!plan.hasChanges()) {
                return Plan.nothing("Nothing to do", Map.of("msg", "Nothing to do", "results", List.of(), "rc", 0));
            }
            values.put("msg", "Nothing to do");
            values.put("results", List.of());
        } else {
            StringBuilder script = new StringBuilder("export LC_ALL=C LANG=C\n");
            List<String> install = act.stream().filter(n -> !upgrade.contains(n)).toList();
            if (all) {
                script.append("dnf -y").append(opts).append(" upgrade\n");
            } else if (remove) {
                script.append("dnf -y").append(opts).append(" remove --").append(quote(act)).append('\n');
            } else {
                if (!install.isEmpty()) {
                    script.append("dnf -y").append(opts).append(" install --").append(quote(install)).append(" || exit\n");
                }
                if (!upgrade.isEmpty()) {
                    script.append("dnf -y").append(opts).append(" upgrade --").append(quote(upgrade)).append('\n');
                }
            }
            List<String> acted = List.copyOf(act);
            plan.change(new Exec((remove ? "remove " : latest ? "upgrade " : "install ") + String.join(" ", act),
                    ShellCommand.of(script.toString()), (st, u) -> acted.forEach(n -> st.putRecord(RECORD, n, remove ? null : "installed")),
                    true));
        }
        return plan.values(values).reason(act.isEmpty() ? "update the cache" : String.join(", ", results))
                .mapper((planned, outs) -> {
                    for (CommandResult r : outs) {
                        if (r.exitCode() != 0) {
                            Map<String, Object> v = new LinkedHashMap<>();
                            v.put("rc", r.exitCode());
                            v.put("results", List.of());
                            v.put("failures", List.of(r.err().trim()));
                            throw new ModuleException("Unknown Error occurred: " + (r.err().isBlank() ? r.out() : r.err()).trim(), v);
                        }
                    }
                    Map<String, Object> out = new LinkedHashMap<>(planned);
                    if (act.isEmpty()) {
                        out.put("msg", "Cache updated"); // as Ansible's update_cache alone
                        out.put("changed", false);
                    }
                    return out;
                }).build();
    }

    private static String quote(List<String> names) {
        return names.stream().map(ShellQuote::quote).reduce("", (x, y) -> x + " " + y);
    }

    private static String options(Args a) throws ModuleException {
        StringBuilder s = new StringBuilder();
        for (String r : a.strings("disablerepo")) {
            s.append(" --disablerepo=").append(ShellQuote.quote(r));
        }
        for (String r : a.strings("enablerepo")) {
            s.append(" --enablerepo=").append(ShellQuote.quote(r));
        }
        if (a.bool("disable_gpg_check")) {
            s.append(" --nogpgcheck");
        }
        if (!a.bool("install_weak_deps")) {
            s.append(" --setopt=install_weak_deps=False");
        }
        if (!a.bool("sslverify") || !a.bool("validate_certs")) {
            s.append(" --setopt=sslverify=False");
        }
        return s.toString();
    }

    private static boolean current(HostView host, Probe found, String name) {
        Optional<Optional<Object>> rec = host.recorded(RECORD, name);
        return rec.map(Optional::isPresent).orElse(found.installed().containsKey(name));
    }

    record Probe(Map<String, String> installed, Map<String, String> available, List<String> upgrades) {
        boolean upgradable(String name) {
            return upgradeOf(name) != null;
        }

        String upgradeOf(String name) {
            String base = name.replaceAll("\\.(x86_64|noarch|aarch64|i686)$", "");
            for (String u : upgrades) {
                String n = u.split("\\|")[0];
                if (n.equals(name) || n.replaceAll("\\.[^.]+$", "").equals(base)) {
                    return u.replace("|", "-");
                }
            }
            return null;
        }
    }

    static Probe parse(String out, List<String> names) throws ModuleException {
        Map<String, String> installed = new LinkedHashMap<>();
        Map<String, String> available = new LinkedHashMap<>();
        List<String> upgrades = new ArrayList<>();
        String section = "";
        String current = null;
        for (String line : out.split("\n")) {
            if (line.startsWith(MARK)) {
                String rest = line.substring(MARK.length());
                if (rest.equals("nodnf")) {
                    throw new ModuleException("dnf not found on the host: the dnf module needs a Fedora/RHEL-family host"
                            + " (use apt, or package to pick the host's package manager)");
                } else if (rest.startsWith("pkg ")) {
                    current = rest.substring(4);
                    section = "pkg";
                } else if (rest.startsWith("installed ") && current != null) {
                    installed.putIfAbsent(current, rest.substring(10).replace("-0:", "-"));
                } else {
                    section = rest;
                }
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            if (section.equals("available")) {
                String[] f = line.split("\\|", 2);
                String evr = f.length > 1 ? f[1].replaceFirst("^0:", "") : "";
                for (String n : names) {
                    if (n.equals(f[0]) || n.startsWith(f[0] + "-") || n.startsWith(f[0] + ".")) {
                        available.putIfAbsent(n, f[0] + "-" + evr);
                    }
                }
            } else if (section.equals("upgrades")) {
                upgrades.add(line.trim());
            }
        }
        return new Probe(installed, available, upgrades);
    }
}
