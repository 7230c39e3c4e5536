package dev.drover.modules.net;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Exec;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.modules.files.FileSupport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * ansible.builtin.wait_for: waits on the target host for a TCP port to accept (or refuse)
 * connections, or for a path to appear (optionally with content matching {@code search_regex})
 * or disappear, or simply for {@code timeout} seconds.
 *
 * <p>The whole wait is ONE POSIX sh loop run on the host ({@code sleep} between polls), not one
 * round trip per poll. A TCP connect is tried with {@code timeout N bash -c 'exec 3<>/dev/tcp/H/P'}
 * (bash and coreutils are Essential on Debian, while /bin/sh is dash without /dev/tcp), else
 * {@code python3}, else {@code nc -z}; a port with {@code search_regex} needs python3 (it reads
 * from the socket and matches with Python's {@code re}, as Ansible). A file's content is matched
 * with {@code grep -Pzo} (PCRE, the whole file as one record, {@code (?m)} as Python's
 * re.MULTILINE); the match groups are then computed here from the matched text.
 *
 * <p>Never {@code changed}. Like Ansible 2.14 (whose wait_for does not support check mode), the
 * plan is skipped in check mode with Ansible's message: in a forecast, the thing waited for
 * (a service the simulation "started") would not really be there.
 */
public final class WaitForModule implements Module {
    private static final String MARK = "DROVER-WAIT ";
    private static final ModuleSpec SPEC = new ModuleSpec("wait_for", List.of(), List.of(
            Param.of("host", ParamType.STR).withDefault("127.0.0.1"),
            Param.of("timeout", ParamType.INT).withDefault(300),
            Param.of("connect_timeout", ParamType.INT).withDefault(5),
            Param.of("delay", ParamType.INT).withDefault(0),
            Param.of("port", ParamType.INT),
            Param.of("active_connection_states", ParamType.LIST),
            Param.of("path", ParamType.PATH),
            Param.of("search_regex", ParamType.STR),
            Param.of("state", ParamType.STR).withDefault("started")
                    .withChoices("absent", "drained", "present", "started", "stopped"),
            Param.of("exclude_hosts", ParamType.LIST),
            Param.of("sleep", ParamType.INT).withDefault(1),
            Param.of("msg", ParamType.STR)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String host = a.str("host");
        int timeout = a.integer("timeout");
        int connectTimeout = a.integer("connect_timeout");
        int delay = a.integer("delay");
        int sleep = a.integer("sleep");
        Integer port = a.integer("port");
        if (port != null && port == 0) {
            port = null; // Ansible tests `if port`
        }
        String state = a.str("state");
        String path = a.has("path") ? FileSupport.expand(ctx, a.str("path")) : null;
        String regex = a.str("search_regex");
        String msg = a.str("msg");

        Pattern compiled = null;
        List<String> groupNames = new ArrayList<>();
        if (regex != null) {
            try {
                compiled = Pattern.compile(javaRegex(regex, groupNames), Pattern.MULTILINE);
            } catch (PatternSyntaxException e) {
                throw new ModuleException("Invalid regular expression: " + e.getDescription(), Map.of("changed", false));
            }
        }
        Map<String, Object> zero = Map.of("elapsed", 0, "changed", false);
        if (port != null && path != null) {
            throw new ModuleException("port and path parameter can not both be passed to wait_for", zero);
        }
        if (path != null && state.equals("stopped")) {
            throw new ModuleException("state=stopped should only be used for checking a port in the wait_for module", zero);
        }
        if (path != null && state.equals("drained")) {
            throw new ModuleException("state=drained should only be used for checking a port in the wait_for module", zero);
        }
        if (a.has("exclude_hosts") && !state.equals("drained")) {
            throw new ModuleException("exclude_hosts should only be with state=drained", zero);
        }
        if (state.equals("drained")) {
            throw new ModuleException("wait_for: state=drained is not supported by drover yet", zero);
        }

        String script = script(host, port, path, state, regex, timeout, connectTimeout, delay, sleep);
        Integer finalPort = port;
        Pattern re = compiled;
        Exec wait = new Exec("wait for " + what(host, finalPort, path, state), ShellCommand.of(script), null, true);
        return Plan.builder()
                .change(wait)
                .value("msg", "remote module (wait_for) does not support check mode")
                .check(Plan.CheckBehaviour.SKIP)
                .reason("wait for " + what(host, port, path, state))
                .mapper((planned, results) -> result(results.get(0), host, finalPort, path, state, regex, re, groupNames, msg))
                .build();
    }

    private static String what(String host, Integer port, String path, String state) {
        String target = port != null ? host + ":" + port : path != null ? path : "timeout";
        return target + (port != null || path != null ? " (" + state + ")" : "");
    }

    /** The host-side loop; prints {@code DROVER-WAIT ok|timeout|...} and what the result needs. */
    static String script(String host, Integer port, String path, String state, String regex, int timeout,
                         int connectTimeout, int delay, int sleep) {
        StringBuilder s = new StringBuilder();
        s.append("H=").append(ShellQuote.quote(host)).append("; ");
        s.append("P=").append(port == null ? "''" : port.toString()).append("; ");
        s.append("F=").append(path == null ? "''" : ShellQuote.quote(path)).append("; ");
        s.append("RX=").append(regex == null ? "''" : ShellQuote.quote("(?m)" + regex)).append('\n');
        // centiseconds since boot (Linux), else seconds from date; read without forking on Linux
        s.append("now() { if [ -r /proc/uptime ]; then read u r < /proc/uptime; echo \"${u%.*}${u#*.}\"; "
                + "else echo \"$(date +%s)00\"; fi; }\n");
        s.append("start=$(now); end=$((start + ").append(Math.max(0, timeout)).append(" * 100))\n");
        s.append("done_() { e=$(( ($(now) - start) / 100 )); echo \"" + MARK + "$1 $e\"; }\n");
        boolean started = state.equals("started") || state.equals("present");
        if (port != null) {
            if (regex != null && started) {
                s.append("command -v python3 >/dev/null 2>&1 || { echo '" + MARK
                        + "notool python3 (to read from a port for search_regex)'; exit 0; }\n");
                s.append("conn() { python3 -c ").append(ShellQuote.quote(PY_SEARCH))
                        .append(" \"$H\" \"$P\" \"$1\" \"$RX\" \"$(( (end - $(now) + 99) / 100 ))\"; }\n");
            } else {
                s.append("if command -v bash >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then "
                        + "conn() { timeout \"$1\" bash -c 'exec 3<>\"/dev/tcp/$0/$1\"' \"$H\" \"$P\" 2>/dev/null; }\n"
                        + "elif command -v python3 >/dev/null 2>&1; then "
                        + "conn() { python3 -c 'import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), "
                        + "float(sys.argv[3])).close()' \"$H\" \"$P\" \"$1\" 2>/dev/null; }\n"
                        + "elif command -v nc >/dev/null 2>&1; then conn() { nc -z -w \"$1\" \"$H\" \"$P\" 2>/dev/null; }\n"
                        + "else echo '" + MARK + "notool bash (with timeout), python3 or nc (to connect to a TCP port)'; exit 0; fi\n");
            }
        }
        if (path != null && regex != null) {
            s.append("echo | grep -Pzq '' 2>/dev/null || { echo '" + MARK
                    + "notool grep with -P (PCRE, for search_regex)'; exit 0; }\n");
        }
        if (delay > 0) {
            s.append("sleep ").append(delay).append('\n');
        }
        if (port == null && path == null) {
            s.append("sleep ").append(Math.max(0, timeout)).append("; done_ ok; exit 0\n");
            return s.toString();
        }
        String ct = Integer.toString(Math.max(1, connectTimeout));
        String what = (path != null ? path : host + ":" + port) + (started ? (regex != null ? " to match " + regex : " to be there")
                : " to be gone");
        s.append(dev.drover.connection.Shell.PROGRESS_FUNCTION).append(' ')
                .append(ShellQuote.quote("waiting for " + what)).append(" 2>/dev/null\n"); // the live status line
        s.append("while [ \"$(now)\" -lt \"$end\" ]; do\n");
        if (!started) { // absent / stopped: wait until the path is gone or the port refuses
            if (path != null) {
                s.append("  [ -e \"$F\" ] || { done_ ok; exit 0; }\n");
            } else {
                s.append("  conn ").append(ct).append(" || { done_ ok; exit 0; }\n");
            }
        } else if (path != null) {
            s.append("  if [ -e \"$F\" ]; then\n");
            if (regex == null) {
                s.append("    ok=1; break\n");
            } else {
                s.append("    if grep -Pzq -- \"$RX\" \"$F\" 2>/dev/null; then ok=1; break; fi\n");
            }
            s.append("  else e=$(LC_ALL=C stat -L -- \"$F\" 2>&1 >/dev/null); case $e in ''|*'No such file'*) ;; "
                    + "*) echo \"" + MARK + "staterr ${e##*: }\"; exit 0;; esac\n  fi\n");
        } else {
            // connect timeout: connect_timeout, at most the time left (rounded up), as Ansible
            s.append("  left=$(( (end - $(now) + 99) / 100 )); c=").append(ct)
                    .append("; [ \"$left\" -lt \"$c\" ] && c=$left; [ \"$c\" -lt 1 ] && c=1\n");
            s.append("  if conn \"$c\"; then ok=1; break; fi\n");
        }
        s.append("  sleep ").append(Math.max(0, sleep)).append('\n');
        s.append("done\n");
        if (!started) {
            s.append("done_ timeout; exit 0\n");
            return s.toString();
        }
        s.append("[ -n \"${ok-}\" ] || { done_ timeout; exit 0; }\n");
        if (path != null) {
            s.append("done_ ok\n");
            s.append("if [ -e \"$F\" ]; then if [ -L \"$F\" ]; then k=link; elif [ -d \"$F\" ]; then k=directory; "
                    + "elif [ \"$(stat -L -c %h -- \"$F\")\" -gt 1 ]; then k=hard; else k=file; fi; "
                    + "printf 'STAT\\t%s\\t' \"$k\"; stat --printf '%u\\t%g\\t%U\\t%G\\t%a\\t%s\\n' -- \"$F\"; fi\n");
            if (regex != null) {
                s.append("echo MATCH; grep -Pzo -- \"$RX\" \"$F\" 2>/dev/null | head -c 1048576\n");
            }
        } else {
            s.append("done_ ok\n");
        }
        s.append("exit 0\n");
        return s.toString();
    }

    /** Reads from the port until the regex matches or the time left runs out; prints the match. */
    private static final String PY_SEARCH = String.join("\n",
            "import re, select, socket, sys, time",
            "h, p, ct, rx, left = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], float(sys.argv[5])",
            "end = time.time() + left",
            "try:",
            "    s = socket.create_connection((h, p), ct)",
            "except Exception:",
            "    sys.exit(1)",
            "data = b''",
            "pat = re.compile(rx.encode())",
            "while time.time() < end:",
            "    if not select.select([s], [], [], max(0, end - time.time()))[0]:",
            "        continue",
            "    d = s.recv(1024)",
            "    if not d:",
            "        break",
            "    data += d",
            "    m = pat.search(data)",
            "    if m:",
            "        s.close()",
            "        sys.exit(0)",
            "s.close()",
            "sys.exit(1)");

    private static Map<String, Object> result(CommandResult r, String host, Integer port, String path, String state,
                                              String regex, Pattern re, List<String> groupNames, String msg)
            throws ModuleException {
        byte[] out = r.stdout();
        int nl = indexOf(out, (byte) '\n', 0);
        String first = new String(out, 0, nl < 0 ? out.length : nl, StandardCharsets.UTF_8);
        if (!first.startsWith(MARK)) {
            throw new ModuleException("wait_for: the wait loop on the host failed: "
                    + (r.err().isBlank() ? r.out() : r.err()).trim(), Map.of("changed", false, "rc", r.exitCode()));
        }
        String[] f = first.substring(MARK.length()).split(" ", 2);
        String kind = f[0];
        switch (kind) {
            case "notool" -> throw new ModuleException("wait_for needs " + f[1] + " on the host, and none was found",
                    Map.of("changed", false, "elapsed", 0));
            case "staterr" -> throw new ModuleException(msg != null ? msg : "Failed to stat " + path + ", " + f[1],
                    Map.of("changed", false, "elapsed", 0));
            default -> { }
        }
        int elapsed = Integer.parseInt(f[1].trim());
        if (kind.equals("timeout")) {
            String m;
            if (state.equals("absent") || state.equals("stopped")) {
                m = port != null ? "Timeout when waiting for " + host + ":" + port + " to stop."
                        : "Timeout when waiting for " + path + " to be absent.";
            } else if (port != null) {
                m = regex != null ? "Timeout when waiting for search string " + regex + " in " + host + ":" + port
                        : "Timeout when waiting for " + host + ":" + port;
            } else {
                m = regex != null ? "Timeout when waiting for search string " + regex + " in " + path
                        : "Timeout when waiting for file " + path;
            }
            throw new ModuleException(msg != null ? msg : m, Map.of("changed", false, "elapsed", elapsed));
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("changed", false);
        v.put("elapsed", elapsed);
        v.put("match_groupdict", new LinkedHashMap<String, Object>());
        v.put("match_groups", new ArrayList<Object>());
        v.put("path", path);
        v.put("port", port);
        v.put("search_regex", regex);
        v.put("state", state);
        String rest = nl < 0 ? "" : new String(out, nl + 1, out.length - nl - 1, StandardCharsets.UTF_8);
        int matchAt = rest.indexOf("MATCH\n");
        String statPart = matchAt < 0 ? rest : rest.substring(0, matchAt);
        for (String line : statPart.split("\n")) {
            String[] s = line.split("\t");
            if (s.length == 8 && s[0].equals("STAT")) {
                // what AnsibleModule.add_path_info adds for an existing path (state becomes its kind)
                v.put("gid", Integer.parseInt(s[3]));
                v.put("group", s[5]);
                v.put("mode", String.format("0%03o", Integer.parseInt(s[6], 8)));
                v.put("owner", s[4]);
                v.put("size", Long.parseLong(s[7]));
                v.put("state", s[1]);
                v.put("uid", Integer.parseInt(s[2]));
            }
        }
        if (matchAt >= 0 && re != null) {
            String matched = rest.substring(matchAt + 6);
            int nul = matched.indexOf('\0');
            if (nul >= 0) {
                matched = matched.substring(0, nul);
            }
            Matcher m = re.matcher(matched);
            if (m.find()) {
                List<Object> groups = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    groups.add(m.group(i));
                }
                Map<String, Object> named = new LinkedHashMap<>();
                for (int i = 0; i < groupNames.size(); i++) {
                    named.put(groupNames.get(i), m.group("dg" + i));
                }
                v.put("match_groupdict", named);
                v.put("match_groups", groups);
            }
        }
        return v;
    }

    private static final Pattern GROUP = Pattern.compile("\\(\\?P<([A-Za-z_][A-Za-z0-9_]*)>|\\(\\?P=([A-Za-z_][A-Za-z0-9_]*)\\)");

    /**
     * Python's regex as Java's: {@code (?P<name>…)} becomes {@code (?<dgN>…)} (Java names take no
     * underscore), {@code (?P=name)} becomes {@code \k<dgN>}; {@code names} receives the Python names.
     */
    static String javaRegex(String python, List<String> names) {
        Matcher m = GROUP.matcher(python);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(1) != null) {
                names.add(m.group(1));
                m.appendReplacement(out, "(?<dg" + (names.size() - 1) + ">");
            } else {
                int i = names.indexOf(m.group(2));
                m.appendReplacement(out, Matcher.quoteReplacement(i < 0 ? m.group() : "\\k<dg" + i + ">"));
            }
        }
        m.appendTail(out);
        return out.toString();
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
