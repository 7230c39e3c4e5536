package dev.drover.modules.commands;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.FileState;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;
import dev.drover.module.WriteFile;
import dev.drover.modules.files.FileSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * ansible.builtin.command and ansible.builtin.shell (one class, two specs): one {@link RunCommand}
 * whose exit code is the result. Without creates/removes the plan is skipped in check mode.
 */
public final class CommandModule implements Module {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private final boolean shell;
    private final ModuleSpec spec;

    private CommandModule(boolean shell) {
        this.shell = shell;
        List<Param> params = new ArrayList<>(List.of(
                Param.of("_raw_params", ParamType.STR),
                Param.of("cmd", ParamType.STR),
                Param.of("argv", ParamType.LIST),
                Param.of("chdir", ParamType.PATH),
                Param.of("creates", ParamType.PATH),
                Param.of("removes", ParamType.PATH),
                Param.of("stdin", ParamType.STR),
                Param.of("stdin_add_newline", ParamType.BOOL).withDefault(true),
                Param.of("strip_empty_ends", ParamType.BOOL).withDefault(true),
                Param.of("executable", ParamType.PATH),
                Param.of("_uses_shell", ParamType.BOOL).withDefault(shell)));
        this.spec = new ModuleSpec(shell ? "shell" : "command", List.of(), params, "_raw_params", false);
    }

    public static CommandModule command() {
        return new CommandModule(false);
    }

    public static CommandModule shell() {
        return new CommandModule(true);
    }

    @Override
    public ModuleSpec spec() {
        return spec;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String raw = a.has("_raw_params") ? a.str("_raw_params") : a.str("cmd");
        List<String> argv = a.strings("argv");
        if (raw != null && raw.isBlank()) {
            raw = null;
        }
        if (raw != null && !argv.isEmpty()) {
            throw new ModuleException("only command or argv can be given, not both");
        }
        if (raw == null && argv.isEmpty()) {
            throw new ModuleException("no command given", Map.of("rc", 256));
        }
        Object cmdValue;
        String run;
        if (shell) {
            String script = raw != null ? raw : ShellQuote.join(argv);
            String exe = a.has("executable") ? a.str("executable") : "/bin/sh";
            cmdValue = script;
            run = "exec " + ShellQuote.quote(exe) + " -c " + ShellQuote.quote(script);
        } else {
            if (a.has("executable")) {
                throw new ModuleException("executable is only for the shell module");
            }
            List<String> words = raw != null ? Shlex.split(raw) : argv;
            if (words.isEmpty()) {
                throw new ModuleException("no command given", Map.of("rc", 256));
            }
            cmdValue = words;
            run = execDirectly(words);
        }
        if (a.has("chdir")) {
            String dir = FileSupport.expand(ctx, a.str("chdir"));
            run = "cd -- " + ShellQuote.quote(dir) + " || exit 1; " + run;
        }

        Plan.Builder plan = Plan.builder().value("cmd", cmdValue);
        // Ansible checks creates/removes after changing to chdir
        String cwd = a.has("chdir") ? FileSupport.expand(ctx, a.str("chdir")) : null;
        String creates = underDir(cwd, FileSupport.expand(ctx, a.str("creates")));
        String removes = underDir(cwd, FileSupport.expand(ctx, a.str("removes")));
        if (creates != null && exists(ctx, creates)) {
            return skipped(plan, "Did not run command since '" + creates + "' exists",
                    "skipped, since " + creates + " exists");
        }
        if (removes != null && !exists(ctx, removes)) {
            return skipped(plan, "Did not run command since '" + removes + "' does not exist",
                    "skipped, since " + removes + " does not exist");
        }

        byte[] stdin = null;
        if (a.has("stdin")) {
            String in = a.str("stdin") + (a.bool("stdin_add_newline") ? "\n" : "");
            stdin = in.getBytes(StandardCharsets.UTF_8);
        }
        BiConsumer<SimulatedState, String> effect = (state, user) -> {
            if (creates != null && !isGlob(creates)) {
                state.putFile(new FileState(creates, FileState.Kind.FILE, "0644", user, user, 0,
                        WriteFile.sha1(new byte[0]), null), null);
            }
            if (removes != null && !isGlob(removes)) {
                state.remove(removes);
            }
        };
        RunCommand change = new RunCommand((shell ? "shell: " : "command: ") + describe(cmdValue),
                new ShellCommand(run, stdin), effect);
        boolean strip = a.bool("strip_empty_ends");
        plan.change(change)
                .value("rc", 0).value("stdout", "").value("stderr", "")
                .value("msg", "Command would have run if not in check mode")
                .check(creates == null && removes == null ? Plan.CheckBehaviour.SKIP : Plan.CheckBehaviour.FORECAST)
                .reason("run " + describe(cmdValue))
                .mapper((planned, results) -> result(planned, change, results.get(0), strip));
        return plan.build();
    }

    /** What the shell prints on stderr, alone, when the program cannot be executed (then: the errno). */
    private static final String EXEC_FAILED = "__drover_exec_failed__ ";

    /**
     * The command run as Ansible's command module runs it: the program executed directly (PATH
     * searched when it has no '/'), never a shell's "not found" (rc 127): a program that does not
     * exist or cannot be executed is reported with the errno Python's exec gives (rc 2, ENOENT;
     * rc 13, EACCES), which {@link #result} turns into the module's message. Only shell builtins
     * run (command -v, test): no extra process, no extra round trip.
     */
    static String execDirectly(List<String> words) {
        String fail = "{ printf '%s\\n' '" + EXEC_FAILED + "'ERRNO >&2; exit 127; }";
        String enoent = fail.replace("ERRNO", "2");
        String eacces = fail.replace("ERRNO", "13");
        // execvp: a name without '/' is searched on PATH (EACCES when only non-executable files match)
        return "p=" + ShellQuote.quote(words.get(0)) + "; case $p in */*) ;; *) f=; seen=; IFS=:; for d in $PATH; do"
                + " d=${d:-.}; if [ -e \"$d/$p\" ]; then seen=1; if [ -f \"$d/$p\" ] && [ -x \"$d/$p\" ]; then"
                + " f=$d/$p; break; fi; fi; done; unset IFS; if [ -z \"$f\" ]; then if [ -n \"$seen\" ]; then "
                + eacces + "; fi; " + enoent + "; fi; p=$f ;; esac; "
                + "[ -e \"$p\" ] || " + enoent + "; if [ -d \"$p\" ] || [ ! -x \"$p\" ]; then " + eacces + "; fi; "
                + "exec " + ShellQuote.join(words);
    }

    /** Python's repr of a bytes value (b'...'), as Ansible's messages print a program's name. */
    static String bytesRepr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        boolean dq = s.contains("'") && !s.contains("\"");
        char q = dq ? '"' : '\'';
        StringBuilder out = new StringBuilder("b").append(q);
        for (byte x : b) {
            int c = x & 0xff;
            if (c == '\\' || c == q) {
                out.append('\\').append((char) c);
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.append((char) c);
            }
        }
        return out.append(q).toString();
    }

    private static String describe(Object cmd) {
        return cmd instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : cmd.toString();
    }

    private static Plan skipped(Plan.Builder plan, String msg, String stdout) {
        plan.value("rc", 0).value("stdout", stdout).value("stderr", "")
                .value("stdout_lines", List.of(stdout)).value("stderr_lines", List.of())
                .value("start", null).value("end", null).value("delta", null).value("msg", msg);
        return Plan.nothing(msg, plan.build().values());
    }

    private static boolean isGlob(String path) {
        return path.contains("*") || path.contains("?") || path.contains("[");
    }

    /** os.path.exists for a plain path (through the view: simulation-aware); glob.glob for a pattern. */
    private static boolean exists(ModuleContext ctx, String path) throws ConnectionException {
        if (!isGlob(path)) {
            // Ansible's glob.glob: os.path.lexists for a plain path (a dangling link exists); a kind is no process
            return ctx.host().kind(path) != dev.drover.module.FileState.Kind.ABSENT;
        }
        // IFS empty: the unquoted expansion is globbed but never split on spaces
        CommandResult r = ctx.host().probe("IFS=; p=" + ShellQuote.quote(path)
                + "; for f in $p; do if [ -e \"$f\" ]; then exit 0; fi; done; exit 1");
        return r.succeeded();
    }

    static Map<String, Object> result(Map<String, Object> planned, RunCommand change, CommandResult r, boolean strip)
            throws ModuleException {
        if (r.exitCode() == 127 && r.err().startsWith(EXEC_FAILED) && planned.get("cmd") instanceof List<?> words) {
            // the program could not be executed: Ansible's run_command fails with the OSError
            int errno = Integer.parseInt(r.err().substring(EXEC_FAILED.length()).trim());
            String program = String.valueOf(words.get(0));
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("changed", false);
            v.put("cmd", ShellQuote.join(words.stream().map(String::valueOf).toList()));
            v.put("rc", errno);
            v.put("stdout", "");
            v.put("stderr", "");
            v.put("stdout_lines", List.of());
            v.put("stderr_lines", List.of());
            throw new ModuleException("[Errno " + errno + "] " + (errno == 2 ? "No such file or directory" : "Permission denied")
                    + ": " + bytesRepr(program), v);
        }
        LocalDateTime end = LocalDateTime.now();
        LocalDateTime start = change.started() != null ? change.started() : end;
        String out = r.out();
        String err = r.err();
        if (strip) {
            out = stripEnds(out);
            err = stripEnds(err);
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("cmd", planned.get("cmd"));
        v.put("rc", r.exitCode());
        v.put("stdout", out);
        v.put("stderr", err);
        v.put("stdout_lines", lines(out));
        v.put("stderr_lines", lines(err));
        v.put("start", TIME.format(start));
        v.put("end", TIME.format(end));
        v.put("delta", delta(Duration.between(start, end)));
        v.put("msg", r.exitCode() == 0 ? "" : "non-zero return code");
        if (r.exitCode() != 0) {
            throw new ModuleException("non-zero return code", v);
        }
        return v;
    }

    private static String stripEnds(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Python's str.splitlines(). */
    static List<String> lines(String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        List<String> l = new ArrayList<>(Arrays.asList(s.split("\r\n|\n|\r", -1)));
        if (l.get(l.size() - 1).isEmpty()) {
            l.remove(l.size() - 1);
        }
        return l;
    }

    private static String delta(Duration d) {
        long micros = d.toNanos() / 1000;
        long secs = micros / 1_000_000;
        return String.format("%d:%02d:%02d.%06d", secs / 3600, (secs / 60) % 60, secs % 60, micros % 1_000_000);
    }

    private static String underDir(String dir, String path) {
        return dir == null || path == null || path.startsWith("/") ? path : dir + "/" + path;
    }
}
