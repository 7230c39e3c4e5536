package dev.drover.modules.system;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
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
import dev.drover.module.WriteFile;
import dev.drover.modules.files.FileSupport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * ansible.posix.sysctl on Linux, following the collection's SysctlModule: the key's line in
 * {@code sysctl_file} (the file rewritten as Ansible writes it: one stripped line each, other
 * keys as {@code k=v}, repeats dropped), the kernel's value from {@code sysctl -e -n KEY} (one
 * probe), {@code sysctl_set} writes it with {@code sysctl -w}, {@code reload} runs
 * {@code sysctl -p FILE} whenever something changed. In check mode the kernel values that earlier
 * steps would set are simulated (as their /proc/sys files), so later steps forecast against them.
 */
public final class SysctlModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("sysctl", List.of("ansible.posix.sysctl"), List.of(
            Param.required("name", ParamType.STR).withAliases("key"),
            Param.of("value", ParamType.RAW).withAliases("val"),
            Param.of("state", ParamType.STR).withDefault("present").withChoices("present", "absent"),
            Param.of("reload", ParamType.BOOL).withDefault(true),
            Param.of("sysctl_set", ParamType.BOOL).withDefault(false),
            Param.of("ignoreerrors", ParamType.BOOL).withDefault(false),
            Param.of("sysctl_file", ParamType.PATH).withDefault("/etc/sysctl.conf")), null, false);
    private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t");
    private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f");

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String name = a.requireStr("name").strip();
        boolean present = a.str("state").equals("present");
        Object rawValue = a.raw("value");
        if (name.isEmpty()) {
            throw new ModuleException("name cannot be blank");
        }
        if (present && rawValue == null) {
            throw new ModuleException("state is present but all of the following are missing: value");
        }
        if (present && String.valueOf(rawValue).isEmpty()) {
            throw new ModuleException("value cannot be blank");
        }
        String value = parseValue(rawValue);
        String file = FileSupport.expand(ctx, a.str("sysctl_file"));
        boolean reload = a.bool("reload");
        boolean set = a.bool("sysctl_set");
        boolean ignore = a.bool("ignoreerrors");
        HostView host = ctx.host();
        CommandResult probe = host.probe("command -v sysctl >/dev/null 2>&1 || { echo 'no sysctl'; exit 3; }; "
                + "LANG=C LC_ALL=C LC_MESSAGES=C sysctl -e -n " + ShellQuote.quote(name));
        if (probe.exitCode() == 3 && probe.out().startsWith("no sysctl")) {
            throw new ModuleException("Failed to find required executable \"sysctl\" in paths: "
                    + "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        }
        String proc = probe.exitCode() == 0 ? probe.out() : null;
        if (host.recordedFile(procPath(name)).isPresent()) { // set by an earlier step of this check run
            proc = host.read(procPath(name)).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
        }

        FileState target = host.fileFollow(file);
        List<String> fileLines = new ArrayList<>();
        Map<String, String> fileValues = new LinkedHashMap<>();
        if (target.isFile()) {
            String text = host.read(target.path()).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
            for (String line : KnownHostsModule.splitKeepingEnds(text)) {
                String l = line.strip();
                fileLines.add(l);
                if (l.isEmpty() || l.startsWith("#") || l.startsWith(";") || !l.contains("=")) {
                    continue;
                }
                String[] kv = l.split("=", 2);
                fileValues.put(kv[0].strip(), kv[1].strip());
            }
        }
        String fileValue = fileValues.get(name);
        boolean changed = false;
        boolean writeFile = false;
        boolean setProc = false;
        if (fileValue == null && present) {
            changed = true;
            writeFile = true;
        } else if (fileValue == null) {
            changed = false;
        } else if (!fileValue.isEmpty() && !present) {
            changed = true;
            writeFile = true;
        } else if (!fileValue.equals(value)) {
            changed = true;
            writeFile = true;
        } else if (reload && (proc == null || !sameValues(proc, value))) {
            changed = true;
        }
        if (set && present) {
            if (proc == null) {
                changed = true;
            } else if (!sameValues(proc, value)) {
                changed = true;
                setProc = true;
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        if (!changed) {
            return Plan.nothing("sysctl already as asked", values);
        }
        Plan.Builder plan = Plan.builder().values(values);
        String env = "LANG=C LC_ALL=C LC_MESSAGES=C ";
        if (setProc) {
            // Ansible quotes the value and shlex-splits the command line: sysctl sees NAME=VALUE as one word
            plan.change(Exec.of("set " + name + " in the kernel", env + "o=$(sysctl " + (ignore ? "-e " : "") + "-w "
                    + ShellQuote.quote(name + "=" + value) + " 2>&1); rc=$?; " + failOnSysctlError("setting " + name + " failed: "),
                    (state, as) -> kernel(state, name, value)));
        }
        String rendered = render(fileLines, name, value, present);
        if (writeFile) {
            plan.change(new WriteFile(target.exists() ? target.path() : file, rendered.getBytes(StandardCharsets.UTF_8),
                    null, null, null, FileSupport.replaced(target)));
        }
        if (!setProc && !writeFile && !reload) {
            // as Ansible: a key the kernel does not know, with sysctl_set, reports a change every run and sets nothing
            plan.change(Exec.of("report " + name + " as changed (the kernel does not know it)", "true", null));
        }
        if (reload) {
            plan.change(Exec.of("reload " + file, env + "o=$(sysctl " + (ignore ? "-e " : "") + "-p "
                    + ShellQuote.quote(file) + " 2>&1); rc=$?; " + failOnSysctlError("Failed to reload sysctl: "),
                    (state, as) -> {
                        for (String line : rendered.split("\n")) {
                            int eq = line.indexOf('=');
                            if (eq > 0 && !line.startsWith("#") && !line.startsWith(";")) {
                                kernel(state, line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                            }
                        }
                    }));
        }
        return plan.reason(name + " changed").build();
    }

    /** The kernel's value of a key, as the simulation keeps it: the /proc/sys file sysctl reads. */
    static String procPath(String name) {
        return "/proc/sys/" + name.replace('.', '/');
    }

    private static void kernel(dev.drover.module.SimulatedState state, String name, String value) {
        byte[] b = (value + "\n").getBytes(StandardCharsets.UTF_8);
        state.putFile(new FileState(procPath(name), FileState.Kind.FILE, "0644", "root", "root", b.length,
                WriteFile.sha1(b), null), b);
    }

    /** Fails (with the message on stderr) when sysctl failed or printed one of the errors Ansible checks for. */
    private static String failOnSysctlError(String prefix) {
        return "if [ $rc -ne 0 ] || printf '%s\\n' \"$o\" | grep -Eq '^sysctl: setting key \"[^\"]+\": "
                + "(Invalid argument|Read-only file system)$'; then printf '%s%s\\n' " + ShellQuote.quote(prefix)
                + " \"$o\" >&2; exit 1; fi";
    }

    /** fix_lines + write_sysctl: the file as Ansible rewrites it. */
    static String render(List<String> fileLines, String name, String value, boolean present) {
        List<String> checked = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (String line : fileLines) {
            if (line.isBlank() || line.strip().startsWith("#") || line.strip().startsWith(";") || !line.contains("=")) {
                b.append(line.strip()).append('\n');
                continue;
            }
            String[] kv = line.strip().split("=", 2);
            String k = kv[0].strip();
            if (!checked.contains(k)) {
                checked.add(k);
                if (k.equals(name)) {
                    if (present) {
                        b.append(k).append('=').append(value).append('\n');
                    }
                } else {
                    b.append(k).append('=').append(kv[1].strip()).append('\n');
                }
            }
        }
        if (!checked.contains(name) && present) {
            b.append(name).append('=').append(value).append('\n');
        }
        return b.toString();
    }

    static String parseValue(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Boolean bool) {
            return bool ? "1" : "0";
        }
        String s = String.valueOf(v);
        String lower = s.toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) {
            return "1";
        }
        if (FALSE.contains(lower)) {
            return "0";
        }
        return s.strip();
    }

    static boolean sameValues(String a, String b) {
        String[] x = a.strip().split("\\s+");
        String[] y = b.strip().split("\\s+");
        return java.util.Arrays.equals(x, y);
    }
}
