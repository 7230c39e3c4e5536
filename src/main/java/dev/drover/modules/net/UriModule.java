package dev.drover.modules.net;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
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
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ansible.builtin.uri: one HTTP request made ON THE TARGET HOST, with {@code curl} when the host
 * has it, else with {@code python3}'s urllib. Everything about the request (URL, method, headers,
 * body, credentials) goes to the tool as a curl config on stdin ({@code curl -K -}), never on a
 * command line nor in the script (which the debug log may show); response headers come back
 * through {@code -D}, the body through a file, then both on stdout.
 *
 * <p>Never {@code changed} (no {@code dest} support). Like Ansible 2.14, whose uri does not support
 * check mode, the request is skipped in check mode with Ansible's message, whatever the method.
 */
public final class UriModule implements Module {
    private static final String MARK = "DROVER-URI ";
    private static final String CHECK_MSG = "remote module (ansible.legacy.uri) does not support check mode";
    private static final ModuleSpec SPEC = new ModuleSpec("uri", List.of(), List.of(
            Param.required("url", ParamType.STR),
            Param.of("method", ParamType.STR).withDefault("GET"),
            Param.of("body", ParamType.RAW),
            Param.of("body_format", ParamType.STR).withDefault("raw").withChoices("form-urlencoded", "json", "raw"),
            Param.of("headers", ParamType.DICT),
            Param.of("status_code", ParamType.LIST).withDefault(List.of(200)),
            Param.of("return_content", ParamType.BOOL).withDefault(false),
            Param.of("timeout", ParamType.INT).withDefault(30),
            Param.of("validate_certs", ParamType.BOOL).withDefault(true),
            Param.of("url_username", ParamType.STR).withAliases("user"),
            Param.of("url_password", ParamType.STR).withAliases("password"),
            Param.of("force_basic_auth", ParamType.BOOL).withDefault(false),
            Param.of("follow_redirects", ParamType.STR).withDefault("safe")
                    .withChoices("all", "no", "none", "safe", "urllib2", "yes"),
            Param.of("http_agent", ParamType.STR).withDefault("ansible-httpget"),
            Param.of("use_proxy", ParamType.BOOL).withDefault(true),
            Param.of("ca_path", ParamType.PATH),
            Param.of("client_cert", ParamType.PATH),
            Param.of("client_key", ParamType.PATH),
            Param.of("unix_socket", ParamType.PATH),
            Param.of("creates", ParamType.PATH),
            Param.of("removes", ParamType.PATH)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String url = a.requireStr("url");
        String method = a.str("method").toUpperCase(Locale.ROOT);
        if (!method.matches("[A-Z]+")) {
            throw new ModuleException("Parameter 'method' needs to be a single word in uppercase, like GET or POST.");
        }
        List<Integer> statusCodes = new ArrayList<>();
        for (String s : a.strings("status_code")) {
            try {
                statusCodes.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new ModuleException("Elements value for option 'status_code' is of type str and we were unable"
                        + " to convert to int: invalid literal for int() with base 10: '" + s + "'");
            }
        }
        Map<String, Object> headers = new LinkedHashMap<>(a.map("headers"));
        String body = body(a, headers);

        Plan.Builder plan = Plan.builder().value("msg", CHECK_MSG).check(Plan.CheckBehaviour.SKIP);
        String creates = a.has("creates") ? FileSupport.expand(ctx, a.str("creates")) : null;
        String removes = a.has("removes") ? FileSupport.expand(ctx, a.str("removes")) : null;
        if (creates != null && ctx.host().fileFollow(creates).exists()) {
            return plan.value("msg", "").value("stdout", "skipped, since '" + creates + "' exists")
                    .value("changed", false).reason("skipped, since '" + creates + "' exists").build();
        }
        if (removes != null && !ctx.host().fileFollow(removes).exists()) {
            return plan.value("msg", "").value("stdout", "skipped, since '" + removes + "' does not exist")
                    .value("changed", false).reason("skipped, since '" + removes + "' does not exist").build();
        }

        String config = curlConfig(a, url, method, headers, body);
        Exec request = new Exec(method + " " + url, new ShellCommand(SCRIPT, config.getBytes(StandardCharsets.UTF_8)),
                null, true);
        boolean returnContent = a.bool("return_content");
        return plan.change(request)
                .reason(method + " " + url)
                .mapper((planned, results) -> result(results.get(0), url, statusCodes, returnContent))
                .build();
    }

    /** The body as Ansible sends it for body_format; sets Content-Type when the headers have none. */
    private static String body(Args a, Map<String, Object> headers) throws ModuleException {
        Object body = a.raw("body");
        String format = a.str("body_format").toLowerCase(Locale.ROOT);
        boolean hasType = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("content-type"));
        if (format.equals("json")) {
            if (!hasType) {
                headers.put("Content-Type", "application/json");
            }
            if (body == null || body instanceof String) {
                return (String) body;
            }
            try {
                return new ObjectMapper().writeValueAsString(body);
            } catch (Exception e) {
                throw new ModuleException("failed to encode body as json: " + e.getMessage());
            }
        }
        if (format.equals("form-urlencoded")) {
            if (!hasType) {
                headers.put("Content-Type", "application/x-www-form-urlencoded");
            }
            if (body == null || body instanceof String) {
                return (String) body;
            }
            List<Object[]> pairs = new ArrayList<>();
            if (body instanceof Map<?, ?> m) {
                m.forEach((k, v) -> pairs.add(new Object[] {k, v}));
            } else if (body instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof List<?> kv && kv.size() == 2) {
                        pairs.add(new Object[] {kv.get(0), kv.get(1)});
                    } else {
                        throw new ModuleException("failed to parse body as form_urlencoded: expected a list of pairs");
                    }
                }
            } else {
                throw new ModuleException("failed to parse body as form_urlencoded: cannot form-urlencode body, expect list or dict");
            }
            StringBuilder s = new StringBuilder();
            for (Object[] kv : pairs) {
                List<?> values = kv[1] instanceof List<?> l ? l : java.util.Collections.singletonList(kv[1]);
                for (Object v : values) {
                    if (v == null) {
                        continue;
                    }
                    if (s.length() > 0) {
                        s.append('&');
                    }
                    s.append(URLEncoder.encode(Args.stringOf(kv[0]), StandardCharsets.UTF_8)).append('=')
                            .append(URLEncoder.encode(Args.stringOf(v), StandardCharsets.UTF_8));
                }
            }
            return s.toString();
        }
        return body == null ? null : body instanceof String s ? s : Args.stringOf(body);
    }

    /** The request as a curl config file (fed on stdin: secrets never reach a command line). */
    static String curlConfig(Args a, String url, String method, Map<String, Object> headers, String body)
            throws ModuleException {
        StringBuilder c = new StringBuilder();
        opt(c, "url", url);
        c.append("globoff\nhttp1.1\nsilent\nshow-error\n");
        opt(c, "user-agent", a.str("http_agent"));
        if (method.equals("HEAD")) {
            c.append("head\n");
        } else if (!method.equals("GET") || body != null) {
            opt(c, "request", method);
        }
        for (Map.Entry<String, Object> h : headers.entrySet()) {
            String v = h.getValue() == null ? "" : Args.stringOf(h.getValue());
            opt(c, "header", v.isEmpty() ? h.getKey() + ";" : h.getKey() + ": " + v);
        }
        if (body != null) {
            opt(c, "data-raw", body);
        }
        if (a.has("url_username")) {
            opt(c, "user", a.str("url_username") + ":" + (a.has("url_password") ? a.str("url_password") : ""));
            c.append(a.bool("force_basic_auth") ? "basic\n" : "anyauth\n");
        }
        opt(c, "max-time", Integer.toString(a.integer("timeout")));
        if (!a.bool("validate_certs")) {
            c.append("insecure\n");
        }
        String follow = a.str("follow_redirects");
        boolean safe = method.equals("GET") || method.equals("HEAD");
        if (follow.equals("all") || follow.equals("yes") || ((follow.equals("safe") || follow.equals("urllib2")) && safe)) {
            c.append("location\n");
            opt(c, "max-redirs", "10"); // urllib's HTTPRedirectHandler.max_redirections
        }
        if (!a.bool("use_proxy")) {
            opt(c, "noproxy", "*");
        }
        if (a.has("ca_path")) {
            opt(c, "cacert", a.str("ca_path"));
        }
        if (a.has("client_cert")) {
            opt(c, "cert", a.str("client_cert"));
        }
        if (a.has("client_key")) {
            opt(c, "key", a.str("client_key"));
        }
        if (a.has("unix_socket")) {
            opt(c, "unix-socket", a.str("unix_socket"));
        }
        return c.toString();
    }

    private static void opt(StringBuilder c, String name, String value) {
        c.append(name).append(" = \"");
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '\\' -> c.append("\\\\");
                case '"' -> c.append("\\\"");
                case '\n' -> c.append("\\n");
                case '\r' -> c.append("\\r");
                case '\t' -> c.append("\\t");
                case '\u000b' -> c.append("\\v");
                default -> c.append(ch);
            }
        }
        c.append("\"\n");
    }

    /**
     * The python3 stand-in for curl: reads the same config from stdin, writes the same files
     * (h: status line + headers, b: body, w: code / final url / redirect count, e: the error).
     */
    private static final String PY = String.join("\n",
            "import sys, ssl, base64, urllib.request, urllib.error",
            "d = sys.argv[1]",
            "o = {}; hdrs = []",
            "for line in sys.stdin.read().split('\\n'):",
            "    if not line.strip(): continue",
            "    k, sep, v = line.partition(' = ')",
            "    if sep:",
            "        v = v[1:-1]; out = []; i = 0",
            "        while i < len(v):",
            "            if v[i] == '\\\\' and i + 1 < len(v):",
            "                i += 1; out.append({'n': '\\n', 't': '\\t', 'r': '\\r', 'v': '\\v'}.get(v[i], v[i]))",
            "            else: out.append(v[i])",
            "            i += 1",
            "        v = ''.join(out)",
            "    else: k = line.strip(); v = None",
            "    if k == 'header': hdrs.append(v)",
            "    else: o[k] = v",
            "if 'unix-socket' in o:",
            "    open(d + '/e', 'w').write('unix_socket needs curl on the host'); sys.exit(2)",
            "data = o['data-raw'].encode() if 'data-raw' in o else None",
            "method = o.get('request') or ('HEAD' if 'head' in o else 'POST' if data is not None else 'GET')",
            "ctx = ssl._create_unverified_context() if 'insecure' in o else ssl.create_default_context(cafile=o.get('cacert'))",
            "if 'cert' in o: ctx.load_cert_chain(o['cert'], o.get('key'))",
            "class NoRedirect(urllib.request.HTTPRedirectHandler):",
            "    def redirect_request(self, *a, **k): return None",
            "handlers = [urllib.request.HTTPSHandler(context=ctx)]",
            "if 'location' not in o: handlers.append(NoRedirect())",
            "if 'noproxy' in o: handlers.append(urllib.request.ProxyHandler({}))",
            "req = urllib.request.Request(o['url'], data=data, method=method)",
            "for h in hdrs:",
            "    n, _, val = h.partition(':')",
            "    req.add_header(n.strip().rstrip(';'), val.strip())",
            "req.add_header('User-Agent', o.get('user-agent', 'ansible-httpget'))",
            "if 'user' in o:",
            "    u, _, p = o['user'].partition(':')",
            "    if 'basic' in o:",
            "        req.add_header('Authorization', 'Basic ' + base64.b64encode((u + ':' + p).encode()).decode())",
            "    else:",
            "        pm = urllib.request.HTTPPasswordMgrWithDefaultRealm(); pm.add_password(None, o['url'], u, p)",
            "        handlers += [urllib.request.HTTPBasicAuthHandler(pm), urllib.request.HTTPDigestAuthHandler(pm)]",
            "opener = urllib.request.build_opener(*handlers)",
            "try:",
            "    r = opener.open(req, timeout=float(o.get('max-time', 30)))",
            "except urllib.error.HTTPError as e:",
            "    r = e",
            "except Exception as e:",
            "    open(d + '/e', 'w').write(str(e)); sys.exit(1)",
            "body = r.read()",
            "with open(d + '/h', 'w') as f:",
            "    f.write('HTTP/1.1 %d %s\\r\\n' % (r.status if hasattr(r, 'status') else r.code, r.reason))",
            "    for n, val in r.headers.items(): f.write('%s: %s\\r\\n' % (n, val))",
            "    f.write('\\r\\n')",
            "open(d + '/b', 'wb').write(body)",
            "final = r.geturl()",
            "open(d + '/w', 'w').write('%d\\n%s\\n%d\\n' % (r.code, final, 0 if final == o['url'] else 1))");

    private static final String SCRIPT = "if command -v curl >/dev/null 2>&1; then tool=curl; "
            + "elif command -v python3 >/dev/null 2>&1; then tool=python3; else echo '" + MARK + "notool'; exit 0; fi\n"
            + "t=$(mktemp -d) || exit 1; trap 'rm -rf \"$t\"' EXIT; : > \"$t/h\"; : > \"$t/b\"; : > \"$t/w\"; : > \"$t/e\"\n"
            + "if [ $tool = curl ]; then "
            + "curl -K - -D \"$t/h\" -o \"$t/b\" -w '%{http_code}\\n%{url_effective}\\n%{num_redirects}\\n' "
            + ">\"$t/w\" 2>\"$t/e\"; rc=$?\n"
            + "else python3 -c " + dev.drover.connection.ShellQuote.quote(PY) + " \"$t\" 2>>\"$t/e\"; rc=$?; fi\n"
            + "echo \"" + MARK + "$tool $rc $(wc -c <\"$t/w\") $(wc -c <\"$t/h\") $(wc -c <\"$t/e\")\"\n"
            + "cat \"$t/w\" \"$t/h\" \"$t/e\" \"$t/b\"\n";

    static Map<String, Object> result(CommandResult r, String url, List<Integer> statusCodes, boolean returnContent)
            throws ModuleException {
        byte[] out = r.stdout();
        int nl = indexOf(out, 0);
        String first = new String(out, 0, nl < 0 ? out.length : nl, StandardCharsets.UTF_8);
        if (!first.startsWith(MARK)) {
            throw new ModuleException("uri: the request script failed on the host: "
                    + (r.err().isBlank() ? r.out() : r.err()).trim(), Map.of("changed", false, "rc", r.exitCode()));
        }
        String[] f = first.substring(MARK.length()).trim().split(" ");
        if (f[0].equals("notool")) {
            throw new ModuleException("uri needs curl or python3 on the host, and neither was found"
                    + " (apt-get install curl)", Map.of("changed", false, "status", -1, "url", url));
        }
        String tool = f[0];
        int rc = Integer.parseInt(f[1]);
        int pos = nl + 1;
        String w = slice(out, pos, Integer.parseInt(f[2]));
        pos += Integer.parseInt(f[2]);
        String h = new String(out, pos, Integer.parseInt(f[3]), StandardCharsets.ISO_8859_1);
        pos += Integer.parseInt(f[3]);
        String err = slice(out, pos, Integer.parseInt(f[4])).trim();
        pos += Integer.parseInt(f[4]);
        byte[] body = java.util.Arrays.copyOfRange(out, pos, out.length);

        Map<String, Object> v = new LinkedHashMap<>();
        String block = lastHeaderBlock(h);
        if (rc != 0 || block.isEmpty()) {
            String msg;
            if (tool.equals("python3")) {
                msg = "Request failed: " + lastLine(err);
            } else if (err.contains("Connection refused") || err.contains("Couldn't connect")) {
                msg = "Request failed: <urlopen error [Errno 111] Connection refused>";
            } else if (rc == 28) {
                msg = "Request failed: <urlopen error timed out> (" + lastLine(err) + ")";
            } else {
                msg = "Request failed: " + lastLine(err);
            }
            v.put("changed", false);
            v.put("elapsed", 0);
            v.put("redirected", false);
            v.put("status", -1);
            v.put("url", url);
            throw new ModuleException("Status code was -1 and not " + statusCodes + ": " + msg, v);
        }
        String[] lines = block.split("\r?\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        String reason = statusLine.length > 2 ? statusLine[2].trim() : "";
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            headers.merge(name, value, (x, y) -> x + ", " + y); // Ansible joins repeated headers
            if (name.equals("set-cookie")) {
                cookies.add(value);
            }
        }
        String[] wl = w.split("\n");
        String finalUrl = wl.length > 1 && !wl[1].isEmpty() ? wl[1] : url;
        boolean httpError = status >= 400;
        String contentType = headers.getOrDefault("content-type", "");
        String charset = "utf-8";
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                charset = p.substring(8).replace("\"", "");
            }
        }
        String mime = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        String sub = mime.contains("/") ? mime.substring(mime.indexOf('/') + 1) : "";
        if (sub.contains("+")) {
            sub = sub.substring(sub.indexOf('+') + 1);
        }
        boolean maybeJson = !contentType.isEmpty() && (sub.equals("json") || sub.equals("javascript"));
        Charset cs;
        try {
            cs = Charset.forName(charset);
        } catch (RuntimeException e) {
            cs = StandardCharsets.UTF_8;
        }
        String content = new String(body, cs);

        v.put("changed", false);
        v.put("elapsed", 0);
        for (Map.Entry<String, String> e : headers.entrySet()) {
            v.put(e.getKey().replace('-', '_'), e.getValue());
        }
        if (!httpError) {
            Map<String, Object> cookieMap = new LinkedHashMap<>();
            for (String c : cookies) {
                String nv = c.split(";", 2)[0];
                int eq = nv.indexOf('=');
                if (eq > 0) {
                    cookieMap.put(nv.substring(0, eq).trim(), nv.substring(eq + 1).trim());
                }
            }
            List<String> pairs = new ArrayList<>();
            cookieMap.forEach((k, val) -> pairs.add(k + "=" + val));
            v.put("cookies_string", String.join("; ", pairs));
            v.put("cookies", cookieMap);
            v.put("msg", "OK (" + headers.getOrDefault("content-length", "unknown") + " bytes)");
            v.put("url", finalUrl);
        } else {
            v.put("msg", "HTTP Error " + status + ": " + reason);
            v.put("url", url);
        }
        v.put("redirected", !v.get("url").equals(url));
        v.put("status", status);
        if (v.get("location") instanceof String loc) {
            v.put("location", absoluteLocation(url, loc));
        }
        if (maybeJson) {
            try {
                v.put("json", new ObjectMapper().readValue(content, Object.class));
            } catch (Exception e) {
                // not JSON after all: Ansible leaves json out
            }
        }
        if (!statusCodes.contains(status)) {
            v.put("msg", "Status code was " + status + " and not " + statusCodes + ": " + v.get("msg"));
            if (returnContent) {
                v.put("content", content);
            }
            throw new ModuleException(String.valueOf(v.get("msg")), v);
        }
        if (returnContent) {
            v.put("content", content);
        }
        return v;
    }

    /** The last response's header block (curl -D writes one per response: redirects, 100 Continue). */
    private static String lastHeaderBlock(String h) {
        String last = "";
        for (String block : h.split("\r?\n\r?\n")) {
            if (block.startsWith("HTTP/")) {
                last = block;
            }
        }
        return last;
    }

    /** As Ansible's absolute_location. */
    static String absoluteLocation(String url, String location) {
        if (location.contains("://")) {
            return location;
        }
        if (location.startsWith("/")) {
            java.net.URI u = java.net.URI.create(url);
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            return (path.isEmpty() ? url : url.replace(path, "")) + location;
        }
        int slash = url.lastIndexOf('/');
        return (slash < 0 ? url : url.substring(0, slash)) + "/" + location;
    }

    private static String lastLine(String s) {
        String t = s.trim();
        int nl = t.lastIndexOf('\n');
        return nl < 0 ? t : t.substring(nl + 1);
    }

    private static String slice(byte[] b, int from, int len) {
        return new String(b, from, Math.min(len, b.length - from), StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
