package dev.drover.modules.ansible;

import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A module drover has no native version of, run as Ansible runs it: its pack (built once per
 * module per run by {@link Packer}) goes to the host's Python through the host's persistent shell
 * with the task's arguments and Ansible's {@code _ansible_*} keys, and its JSON answer is the
 * result. The plan is one change whose check-mode invocation passes {@code _ansible_check_mode}:
 * the module forecasts itself ({@link Plan.CheckBehaviour#SELF_FORECAST}). Its parameters are the
 * module's own business: any are accepted here, the module checks them on the host.
 */
public final class RemoteModule implements Module {
    /** C.DEFAULT_SELINUX_SPECIAL_FS */
    private static final List<String> SELINUX_SPECIAL_FS = List.of("fuse", "nfs", "vboxsf", "ramfs", "9p", "vfat");
    private final Resolution.Found found;
    private final Packer packer;
    private final String ansibleVersion;
    private final ModuleSpec spec;

    RemoteModule(Resolution.Found found, Packer packer, String ansibleVersion) {
        this.found = found;
        this.packer = packer;
        this.ansibleVersion = ansibleVersion;
        this.spec = ModuleSpec.of(found.name()).acceptingAnyParam();
    }

    public Resolution.Found found() {
        return found;
    }

    @Override
    public ModuleSpec spec() {
        return spec;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Pack pack = packer.pack(found);
        if (pack.error() != null) {
            throw new ModuleException("could not pack the module " + found.fqcn() + " (" + found.path() + "): " + pack.error());
        }
        Map<String, Object> planned = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>(found.warnings());
        String shebang = pack.shebang();
        if (shebang == null && pack.style().equals("new")) {
            shebang = "/usr/bin/python"; // module_common's default for a new-style module without one
        }
        String interpreter = null;
        if (shebang != null && !pack.style().equals("binary")) {
            // as module_common._get_shebang: 'python' is the task's interpreter (discovered), any other
            // NAME may be overridden by ansible_NAME_interpreter
            String name = interpreterName(shebang);
            Object override = ctx.variable("ansible_" + name + "_interpreter");
            interpreter = name.equals("python") ? python(ctx, planned, warnings)
                    : override != null ? String.valueOf(override) : shebang.split("\\s+")[0];
        }
        if (!warnings.isEmpty()) {
            planned.put("warnings", warnings);
        }
        Map<String, Object> args = new LinkedHashMap<>(ctx.args().asMap());
        ShellCommand real = invocation(pack, interpreter, shebang, withInternalKeys(args, ctx, false));
        ShellCommand check = invocation(pack, interpreter, shebang, withInternalKeys(args, ctx, true));
        String used = interpreter;
        return Plan.builder()
                .change(new ModuleInvocation(found.fqcn(), real, check))
                .values(planned)
                .check(Plan.CheckBehaviour.SELF_FORECAST)
                .reason("run " + found.fqcn() + " through Ansible")
                .mapper((p, results) -> AnsibleResult.read(results.get(0), used, p))
                .build();
    }

    private ShellCommand invocation(Pack pack, String interpreter, String shebang, Map<String, Object> args) {
        String leaf = found.fqcn().substring(found.fqcn().lastIndexOf('.') + 1);
        switch (pack.style()) {
            case "new" -> {
                return ModuleInvocation.piped(command(interpreter, shebang), pack.withArgs(Json.write(args)));
            }
            case "jsonargs" -> { // the module's own placeholders, as module_common substitutes them
                String json = Json.write(args);
                String text = new String(pack.data(), StandardCharsets.UTF_8)
                        .replace("\"<<ANSIBLE_VERSION>>\"", Json.pythonLiteral(ansibleVersion))
                        .replace("\"<<INCLUDE_ANSIBLE_MODULE_COMPLEX_ARGS>>\"", Json.pythonLiteral(json))
                        .replace("<<SELINUX_SPECIAL_FILESYSTEMS>>", String.join(",", SELINUX_SPECIAL_FS))
                        .replace("<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>", json);
                String cmd = command(interpreter, shebang);
                return ModuleInvocation.piped(cmd == null ? "/bin/sh" : cmd, utf8(text));
            }
            case "old" -> {
                StringBuilder kv = new StringBuilder();
                for (Map.Entry<String, Object> e : args.entrySet()) {
                    kv.append(e.getKey()).append('=').append(pyQuote(pyStr(e.getValue()))).append(' ');
                }
                return ModuleInvocation.withArgsFile(leaf, command(interpreter, shebang), pack.data(), kv.toString());
            }
            default -> { // non_native_want_json, binary
                return ModuleInvocation.withArgsFile(leaf, pack.style().equals("binary") ? null : command(interpreter, shebang),
                        pack.data(), Json.write(args));
            }
        }
    }

    /** The shebang's command with the task's Python in place of a python interpreter, as Ansible's _get_shebang. */
    private static String command(String interpreter, String shebang) {
        if (shebang == null) {
            return null;
        }
        List<String> words = List.of(shebang.split("\\s+"));
        List<String> out = new ArrayList<>();
        out.add(interpreter != null ? interpreter : words.get(0));
        out.addAll(words.subList(1, words.size()));
        return ShellQuote.join(out);
    }

    private static String interpreterName(String shebang) {
        String first = shebang.split("\\s+")[0];
        return first.substring(first.lastIndexOf('/') + 1);
    }

    /**
     * {@code ansible_python_interpreter} when set to a path; else {@code discovered_interpreter_python}
     * (a fact of an earlier task on this host); else discovery, whose result goes back as that fact.
     */
    private static String python(ModuleContext ctx, Map<String, Object> planned, List<String> warnings)
            throws ConnectionException {
        Object configured = ctx.variable("ansible_python_interpreter");
        if (configured == null) {
            configured = dev.drover.config.Settings.current().interpreterPython(); // ansible.cfg interpreter_python
        }
        String mode = configured == null ? "auto" : String.valueOf(configured).trim();
        if (!mode.isEmpty() && !List.of("auto", "auto_legacy", "auto_silent", "auto_legacy_silent").contains(mode)) {
            return mode;
        }
        Object known = ctx.variable("discovered_interpreter_python");
        if (known != null) {
            return String.valueOf(known);
        }
        List<String> fallback = Interpreter.FALLBACK;
        if (ctx.variable("ansible_interpreter_python_fallback") instanceof List<?> l) {
            fallback = l.stream().map(String::valueOf).toList();
        }
        Interpreter.Discovered d = Interpreter.discover(ctx.host(), ctx.hostName(), mode.isEmpty() ? "auto" : mode, fallback);
        warnings.addAll(d.warnings());
        planned.put("ansible_facts", Map.of("discovered_interpreter_python", d.python()));
        return d.python();
    }

    private Map<String, Object> withInternalKeys(Map<String, Object> args, ModuleContext ctx, boolean check) {
        Map<String, Object> a = new LinkedHashMap<>(args);
        a.put("_ansible_check_mode", check);
        a.put("_ansible_no_log", ctx.noLog());
        a.put("_ansible_debug", false);
        a.put("_ansible_diff", ctx.wantsDiff());
        a.put("_ansible_verbosity", ctx.verbosity());
        a.put("_ansible_version", ansibleVersion);
        a.put("_ansible_module_name", found.name());
        Object facility = ctx.variable("ansible_syslog_facility");
        a.put("_ansible_syslog_facility", facility == null ? "LOG_USER" : String.valueOf(facility));
        a.put("_ansible_selinux_special_fs", SELINUX_SPECIAL_FS);
        a.put("_ansible_string_conversion_action", "warn");
        a.put("_ansible_socket", ctx.variable("ansible_socket"));
        a.put("_ansible_shell_executable", "/bin/sh");
        a.put("_ansible_keep_remote_files", false);
        a.put("_ansible_tmpdir", null);
        a.put("_ansible_remote_tmp", "~/.ansible/tmp");
        return a;
    }

    /** Python's str() of an argument value, for old-style key=value files. */
    private static String pyStr(Object v) {
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return v == null ? "None" : v instanceof String s ? s : dev.drover.module.Args.stringOf(v);
    }

    /** shlex.quote */
    private static String pyQuote(String s) {
        if (!s.isEmpty() && s.matches("[\\w@%+=:,./-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
