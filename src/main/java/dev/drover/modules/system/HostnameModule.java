package dev.drover.modules.system;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Diff;
import dev.drover.module.Exec;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.module.WriteFile;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ansible.builtin.hostname on Linux with Ansible 2.14's strategies: {@code systemd} (also
 * {@code use: debian}, and the automatic choice where systemd runs: {@code hostnamectl
 * --static/--transient}) and, on Debian-like hosts without systemd, Ansible's file strategy
 * ({@code /etc/hostname} only: Ansible does not change the running name there). Returns the
 * hostname facts (ansible_hostname, _nodename, _fqdn, _domain), which become the host's facts.
 * The other strategies (redhat, alpine, sles, openrc, BSDs, macOS) are not ported.
 */
public final class HostnameModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("hostname", List.of(), List.of(
            Param.required("name", ParamType.STR),
            Param.of("use", ParamType.STR).withChoices("alpine", "debian", "freebsd", "generic", "macos", "macosx",
                    "darwin", "openbsd", "openrc", "redhat", "sles", "solaris", "systemd")), null, false);
    /** Distributions whose Hostname class uses Ansible's FileStrategy. */
    private static final Set<String> FILE_DISTROS = Set.of("debian", "ubuntu", "kali", "parrot", "linuxmint", "devuan",
            "raspbian", "linaro");
    static final String FILE = "/etc/hostname";
    /** socket.getfqdn() on the host: the first name with a dot among the reverse names of the hostname's address. */
    private static final String FQDN = "n=$(uname -n); a=$(getent ahosts \"$n\" 2>/dev/null | awk 'NR==1{print $1}'); "
            + "f=; if [ -n \"$a\" ]; then f=$(getent hosts \"$a\" 2>/dev/null | head -n 1); fi; echo \"fqdn=$n $f\"";

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String name = a.requireStr("name");
        String use = a.str("use");
        HostView host = ctx.host();
        CommandResult probe = host.probe("sd=no; if command -v systemctl >/dev/null 2>&1 && { [ -e /run/systemd/system/ ] "
                + "|| [ -e /dev/.run/systemd/ ] || [ -e /dev/.systemd/ ]; }; then sd=yes; fi; echo \"sd=$sd\"; "
                + "id=$(. /etc/os-release 2>/dev/null; echo \"$ID\"); echo \"id=$id\"; " + FQDN + "; "
                + "if command -v hostnamectl >/dev/null 2>&1; then echo hostnamectl=yes; "
                + "o=$(hostnamectl --transient status 2>/dev/null); r=$?; printf 'trc=%s\\ntransient=%s\\n' \"$r\" \"$o\"; "
                + "o=$(hostnamectl --static status 2>&1 >/dev/null); printf 'serr=%s\\n' \"$o\" | head -n 1; "
                + "o=$(hostnamectl --static status 2>/dev/null); r=$?; printf 'src=%s\\nstatic=%s\\n' \"$r\" \"$o\"; fi");
        Map<String, String> p = new LinkedHashMap<>();
        for (String line : probe.out().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                p.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        String strategy;
        if (use != null) {
            strategy = switch (use) {
                case "systemd", "debian" -> "systemd";
                default -> throw new ModuleException("drover's hostname module does not implement use: " + use
                        + " (it does systemd and debian, and Ansible's file strategy on Debian-like hosts without systemd)");
            };
        } else if ("yes".equals(p.get("sd"))) {
            strategy = "systemd";
        } else if (FILE_DISTROS.contains(p.getOrDefault("id", ""))) {
            strategy = "file";
        } else {
            throw new ModuleException("hostname module cannot be used on platform Linux ("
                    + capitalize(p.getOrDefault("id", "")) + ")");
        }
        String current;
        String permanent;
        FileState file = host.fileFollow(FILE);
        if (strategy.equals("systemd")) {
            if (!"yes".equals(p.get("hostnamectl"))) {
                throw new ModuleException("Failed to find required executable \"hostnamectl\" in paths: "
                        + "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            }
            if (!"0".equals(p.getOrDefault("src", "0")) || !"0".equals(p.getOrDefault("trc", "0"))) {
                String rc = !"0".equals(p.getOrDefault("src", "0")) ? p.get("src") : p.get("trc");
                throw new ModuleException("Command failed rc=" + rc + ", out=, err=" + p.getOrDefault("serr", "") + "\n");
            }
            current = p.getOrDefault("transient", "").strip();
            permanent = p.getOrDefault("static", "").strip();
        } else {
            permanent = file.isFile() ? host.read(file.path()).map(b -> new String(b, StandardCharsets.UTF_8).strip())
                    .orElse("") : "";
            current = permanent;
        }
        Plan.Builder plan = Plan.builder();
        boolean changed = false;
        if (strategy.equals("systemd")) {
            if (name.length() > 64 && (!permanent.equals(name) || !current.equals(name))) {
                throw new ModuleException("name cannot be longer than 64 characters on systemd servers, try a shorter name");
            }
            if (!permanent.equals(name)) {
                plan.change(Exec.of("set the static hostname " + name, "hostnamectl --pretty --static set-hostname "
                        + ShellQuote.quote(name), null));
                changed = true;
            }
            if (!current.equals(name)) {
                plan.change(Exec.of("set the transient hostname " + name, "hostnamectl --transient set-hostname "
                        + ShellQuote.quote(name), null));
                changed = true;
            }
        } else if (!permanent.equals(name)) {
            // in place, as Ansible's open(FILE, 'w+'): /etc/hostname is often a bind mount (containers), which a rename cannot replace
            byte[] content = (name + "\n").getBytes(StandardCharsets.UTF_8);
            String path = file.exists() ? file.path() : FILE;
            FileState was = file;
            plan.change(new Exec("write " + path, new ShellCommand("umask 022; cat > " + ShellQuote.quote(path), content),
                    (state, as) -> state.putFile(new FileState(path, FileState.Kind.FILE, was.exists() ? was.mode() : "0644",
                            was.exists() ? was.owner() : as, was.exists() ? was.group() : as, content.length,
                            WriteFile.sha1(content), null), content), false));
            changed = true;
        }
        String before = !name.equals(current) ? current : permanent;
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("ansible_facts", facts(name, p.getOrDefault("fqdn", "")));
        if (!changed) {
            return Plan.nothing("hostname already " + name, values);
        }
        if (ctx.wantsDiff()) {
            plan.diff(new Diff("before", "after", "hostname = " + before + "\n", "hostname = " + name + "\n"));
        }
        if (strategy.equals("systemd")) {
            // the running name changed: the fqdn is read again afterwards, as Ansible's getfqdn() sees it
            plan.change(Exec.of("read the fqdn", FQDN, null));
            plan.mapper((planned, results) -> {
                Map<String, Object> v = new LinkedHashMap<>(planned);
                String out = results.get(results.size() - 1).out().strip();
                v.put("ansible_facts", facts(name, out.startsWith("fqdn=") ? out.substring(5) : ""));
                return v;
            });
        }
        return plan.values(values).reason("hostname set to " + name).build();
    }

    private static Map<String, Object> facts(String name, String fqdnLine) {
        String[] w = fqdnLine.strip().split("\\s+");
        String fqdn = w.length > 0 ? w[0] : "";
        if (w.length > 2) {
            fqdn = w[2];
            for (int i = 2; i < w.length; i++) {
                if (w[i].contains(".")) {
                    fqdn = w[i];
                    break;
                }
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("ansible_hostname", name.split("\\.")[0]);
        f.put("ansible_nodename", name);
        f.put("ansible_fqdn", fqdn);
        int dot = fqdn.indexOf('.');
        f.put("ansible_domain", dot < 0 ? "" : fqdn.substring(dot + 1));
        return f;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
