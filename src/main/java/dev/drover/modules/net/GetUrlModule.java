package dev.drover.modules.net;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Diff;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.Modes;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;
import dev.drover.modules.files.FileParams;
import dev.drover.modules.files.FileSupport;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * ansible.builtin.get_url: downloads a URL ON THE HOST (curl, else python3, as {@link UriModule};
 * the request, credentials included, reaches curl as a config on stdin) and installs it at
 * {@code dest} atomically when its content differs. As Ansible: an existing {@code dest} whose
 * digest equals {@code checksum} (and no {@code force}) is not downloaded at all; otherwise the
 * URL is fetched (with {@code If-Modified-Since} from dest's mtime) and the file replaced only
 * when the SHA-1 differs. The plan's probe downloads into a temp directory of the host that it
 * removes at once; the change downloads again beside {@code dest}, checks the checksum, then
 * renames: two downloads when the file changes, one when it does not.
 */
public final class GetUrlModule implements Module {
    private static final String MARK = "DROVER-GETURL ";
    private static final List<String> ALGORITHMS = List.of("md5", "sha1", "sha224", "sha256", "sha384", "sha512");
    private static final ModuleSpec SPEC = new ModuleSpec("get_url", List.of(), FileParams.with(
            Param.required("url", ParamType.STR),
            Param.required("dest", ParamType.PATH),
            Param.of("backup", ParamType.BOOL).withDefault(false),
            Param.of("checksum", ParamType.STR).withDefault(""),
            Param.of("timeout", ParamType.INT).withDefault(10),
            Param.of("headers", ParamType.DICT),
            Param.of("tmp_dest", ParamType.PATH),
            Param.of("unredirected_headers", ParamType.LIST),
            Param.of("decompress", ParamType.BOOL).withDefault(true),
            Param.of("ciphers", ParamType.LIST),
            Param.of("use_netrc", ParamType.BOOL).withDefault(true),
            Param.of("force", ParamType.BOOL).withDefault(false).withAliases("thirsty"),
            Param.of("http_agent", ParamType.STR).withDefault("ansible-httpget"),
            Param.of("use_proxy", ParamType.BOOL).withDefault(true),
            Param.of("validate_certs", ParamType.BOOL).withDefault(true),
            Param.of("url_username", ParamType.STR).withAliases("username"),
            Param.of("url_password", ParamType.STR).withAliases("password"),
            Param.of("force_basic_auth", ParamType.BOOL).withDefault(false),
            Param.of("client_cert", ParamType.PATH),
            Param.of("client_key", ParamType.PATH),
            Param.of("use_gssapi", ParamType.BOOL).withDefault(false),
            // not an Ansible parameter of get_url: what UriModule.curlConfig reads (get_url follows redirects)
            Param.of("follow_redirects", ParamType.STR).withDefault("safe")), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        String url = a.requireStr("url");
        String dest = FileSupport.expand(ctx, a.requireStr("dest"));
        boolean force = a.bool("force");
        String mode = a.mode("mode");
        String owner = a.str("owner");
        String group = a.str("group");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("checksum_dest", null);
        result.put("checksum_src", null);
        result.put("dest", dest);
        result.put("elapsed", 0);
        result.put("url", url);

        String algorithm = null;
        String checksum = a.str("checksum");
        if (!checksum.isEmpty()) {
            int colon = checksum.indexOf(':');
            if (colon < 0) {
                throw new ModuleException("The checksum parameter has to be in format <algorithm>:<checksum>", failure(result));
            }
            algorithm = checksum.substring(0, colon).toLowerCase(Locale.ROOT);
            checksum = checksum.substring(colon + 1);
            if (!ALGORITHMS.contains(algorithm)) {
                throw new ModuleException("Could not hash file '" + dest + "' with algorithm '" + algorithm
                        + "'. Available algorithms: " + String.join(", ", ALGORITHMS), result);
            }
            if (checksum.matches("(?i)(https?|ftp|file)://.*")) {
                checksum = checksumFromUrl(ctx, a, checksum, url);
            }
            checksum = checksum.replaceAll("\\W+", "").toLowerCase(Locale.ROOT);
            if (!checksum.matches("[0-9a-f]+")) {
                throw new ModuleException("The checksum format is invalid", failure(result));
            }
        }

        FileState destState = host.fileFollow(FileSupport.stripSlash(dest)); // the simulation keys paths without a slash
        boolean destIsDir = destState.isDirectory();
        if (!destIsDir && destState.exists() && !force && algorithm != null) {
            String digest = digest(host, dest, algorithm);
            if (checksum.equals(digest)) {
                Optional<Change> attrs = FileSupport.attributes(ctx, destState, mode, owner, group, false);
                FileState after = attrs.map(c -> FileSupport.after(destState, List.of(c), user(host), dest)).orElse(destState);
                result.putAll(FileSupport.fileValues(after));
                if (attrs.isEmpty()) {
                    result.put("msg", "file already exists");
                    return Plan.nothing("file already exists", failure(result));
                }
                result.put("msg", "file already exists but file attributes changed");
                return Plan.builder().values(result).change(attrs.get())
                        .diff(FileSupport.attributeDiff(dest, destState, after))
                        .reason("set attributes of " + dest).build();
            }
            force = true; // a checksum mismatch downloads again, as Ansible
        }

        // fetch the URL once on the host (to a temp dir the probe removes) to learn what it serves
        String since = null;
        if (!destIsDir && destState.isFile() && !force && host.recordedFile(dest).isEmpty()) {
            since = mtimeHeader(host, dest);
        }
        String config = UriModule.curlConfig(a, url, "GET", headers(a), null)
                + (since != null ? "header = \"If-Modified-Since: " + since + "\"\n" : "")
                + (force ? "header = \"Cache-Control: no-cache\"\n" : "");
        Fetch f = fetch(host, config, algorithm);
        result.put("elapsed", 0);
        if (f.status() == 304) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("url", url);
            v.put("dest", dest);
            v.put("msg", f.msg());
            v.put("status_code", 304);
            v.put("elapsed", 0);
            return Plan.nothing("not modified", v);
        }
        if (f.status() == -1) {
            throw new ModuleException(f.msg(), Map.of("url", url, "dest", dest, "elapsed", 0));
        }
        if (f.status() != 200 && !url.startsWith("file:/")) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("status_code", f.status());
            v.put("response", f.msg());
            v.put("url", url);
            v.put("dest", dest);
            v.put("elapsed", 0);
            throw new ModuleException("Request failed", v);
        }
        String target = dest;
        if (destIsDir) {
            String name = f.filename() != null ? f.filename() : urlFilename(f.url() != null ? f.url() : url);
            target = FileSupport.join(FileSupport.stripSlash(dest), name);
            result.put("dest", target);
        }
        FileState current = destIsDir ? host.fileFollow(target) : destState;
        result.put("checksum_src", f.sha1());
        if (current.exists()) {
            result.put("checksum_dest", current.sha1());
        } else {
            String parent = FileSupport.parent(target);
            if (parent != null && !host.fileFollow(parent).exists()) {
                throw new ModuleException("Destination " + parent + " does not exist", failure(result));
            }
        }
        if (algorithm != null && !checksum.equals(f.digest())) {
            throw new ModuleException("The checksum for " + target + " did not match " + checksum + "; it was "
                    + f.digest() + ".", failure(result));
        }
        result.put("msg", f.msg());
        result.put("status_code", f.status());
        if (f.sha1().equals(current.sha1())) {
            Optional<Change> attrs = FileSupport.attributes(ctx, current, mode, owner, group, false);
            FileState after = attrs.map(c -> FileSupport.after(current, List.of(c), user(host), current.path()))
                    .orElse(current);
            result.putAll(FileSupport.fileValues(after));
            result.put("md5sum", f.md5());
            if (attrs.isEmpty()) {
                return Plan.nothing("the content at " + target + " is the URL's", failure(result));
            }
            return Plan.builder().values(result).change(attrs.get())
                    .diff(FileSupport.attributeDiff(target, current, after)).reason("set attributes of " + target).build();
        }

        Download d = new Download(target, config.replace("header = \"If-Modified-Since: " + since + "\"\n", ""),
                algorithm, checksum, f.sha1(), f.size(), mode, owner, group, a.bool("backup") && current.exists(),
                current);
        FileState after = FileSupport.after(current, List.of(d), user(host), target);
        result.putAll(FileSupport.fileValues(after));
        result.put("md5sum", f.md5());
        Plan.Builder plan = Plan.builder().values(result).change(d).reason("download " + url + " to " + target);
        if (ctx.wantsDiff()) {
            plan.diff(new Diff(target, target, current.exists() ? "(" + current.size() + " bytes, sha1 " + current.sha1() + ")\n"
                    : "", "(" + f.size() + " bytes from " + url + ", sha1 " + f.sha1() + ")\n"));
        }
        String finalTarget = target;
        return plan.mapper((planned, results) -> {
            CommandResult r = results.get(0);
            Map<String, Object> out = new LinkedHashMap<>(planned);
            Map<String, String> kv = new LinkedHashMap<>();
            for (String line : r.out().split("\n")) {
                if (line.startsWith(MARK)) {
                    String[] p = line.substring(MARK.length()).split(" ", 2);
                    kv.put(p[0], p.length > 1 ? p[1] : "");
                }
            }
            if (r.exitCode() != 0) {
                String why = kv.containsKey("mismatch")
                        ? "The checksum for " + finalTarget + " did not match " + planned.get("checksum") + "; it was "
                        + kv.get("mismatch") + "."
                        : "failed to download " + url + " to " + finalTarget + ": " + (r.err().isBlank() ? r.out() : r.err()).trim();
                throw new ModuleException(why, failure(planned));
            }
            if (kv.containsKey("sha1")) {
                out.put("checksum_src", kv.get("sha1"));
            }
            if (kv.containsKey("md5")) {
                out.put("md5sum", kv.get("md5"));
            }
            if (kv.containsKey("backup")) {
                out.put("backup_file", kv.get("backup"));
            }
            return out;
        }).build();
    }

    /** Failure values: a ModuleException keeps no nulls (Ansible's None values are left out). */
    private static Map<String, Object> failure(Map<String, Object> values) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.values().removeIf(java.util.Objects::isNull);
        return v;
    }

    private static String user(HostView host) {
        try {
            return host.user();
        } catch (ConnectionException e) {
            return "root";
        }
    }

    private static Map<String, Object> headers(Args a) {
        return new LinkedHashMap<>(a.map("headers"));
    }

    /** Ansible's url_filename: the last path segment, index.html for none. */
    static String urlFilename(String url) {
        String path;
        try {
            path = java.net.URI.create(url).getPath();
        } catch (IllegalArgumentException e) {
            path = url.replaceAll("[?#].*", "");
        }
        String fn = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return fn.isEmpty() ? "index.html" : fn;
    }

    /** dest's mtime as an HTTP date (If-Modified-Since). */
    private static String mtimeHeader(HostView host, String dest) throws ConnectionException {
        CommandResult r = host.probe("stat -L -c %Y -- " + ShellQuote.quote(dest));
        if (!r.succeeded() || !r.out().trim().matches("\\d+")) {
            return null;
        }
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(
                java.time.Instant.ofEpochSecond(Long.parseLong(r.out().trim())), ZoneOffset.UTC)).replace("+0000", "GMT");
    }

    /** The digest of {@code path} with {@code algorithm}: from the run's simulation when it wrote the file, else the host. */
    private static String digest(HostView host, String path, String algorithm) throws ConnectionException {
        if (host.recordedFile(path).isPresent()) {
            Optional<byte[]> content = host.read(path);
            if (content.isPresent()) {
                try {
                    String javaName = switch (algorithm) {
                        case "md5" -> "MD5";
                        case "sha1" -> "SHA-1";
                        default -> "SHA-" + algorithm.substring(3);
                    };
                    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance(javaName)
                            .digest(content.get()));
                } catch (java.security.NoSuchAlgorithmException e) {
                    return "";
                }
            }
        }
        CommandResult r = host.probe(algorithm + "sum < " + ShellQuote.quote(path) + " 2>/dev/null");
        String out = r.out().trim();
        return out.isEmpty() ? "" : out.split("\\s+")[0];
    }

    /** algo:URL: the checksum file fetched on the host, the line for the URL's file name, as Ansible reads it. */
    private static String checksumFromUrl(ModuleContext ctx, Args a, String checksumUrl, String url)
            throws ModuleException, ConnectionException {
        Fetch f = fetch(ctx.host(), UriModule.curlConfig(a, checksumUrl, "GET", headers(a), null), null, true);
        if (f.status() != 200 && !checksumUrl.startsWith("file:/")) {
            throw new ModuleException("Request failed", Map.of("status_code", f.status(), "response", f.msg(),
                    "url", checksumUrl));
        }
        String filename = urlFilename(url);
        List<String> lines = List.of(f.body().split("\n", -1));
        List<String> clean = new ArrayList<>();
        for (String l : lines) {
            clean.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        }
        if (!clean.isEmpty() && clean.get(clean.size() - 1).isEmpty()) {
            clean.remove(clean.size() - 1);
        }
        if (clean.size() == 1 && clean.get(0).trim().split("\\s+").length == 1) {
            return clean.get(0);
        }
        for (String line : clean) {
            String[] parts = line.split(" ", 2);
            if (parts.length == 2) {
                String name = parts[1].startsWith(" ") || parts[1].startsWith("*") ? parts[1].substring(1) : parts[1];
                name = name.replaceAll("^[./]+", "");
                if (name.equals(filename)) {
                    return parts[0];
                }
            }
        }
        throw new ModuleException("Unable to find a checksum for file '" + filename + "' in '" + checksumUrl + "'");
    }

    /** What the probe's download found. */
    record Fetch(int status, String msg, String url, String filename, String sha1, String md5, String digest, long size,
                 String body) {
    }

    private static Fetch fetch(HostView host, String config, String algorithm) throws ConnectionException, ModuleException {
        return fetch(host, config, algorithm, false);
    }

    /**
     * The probe: fetch with curl (else python3) into a temp dir, print status, final URL, headers
     * and the body's SHA-1, MD5 and {@code algorithm} digest (the body itself with {@code withBody}),
     * remove the temp dir.
     */
    private static Fetch fetch(HostView host, String config, String algorithm, boolean withBody)
            throws ConnectionException, ModuleException {
        String digest = algorithm == null ? "" : "echo \"" + MARK + "digest $(" + algorithm + "sum < \"$t/b\" | cut -d' ' -f1)\"; ";
        String script = "t=$(mktemp -d) || exit 1; trap 'rm -rf \"$t\"' EXIT; : > \"$t/h\"; : > \"$t/b\"\n"
                + "printf '%s' " + ShellQuote.quote(b64(config)) + " | base64 -d > \"$t/c\"\n"
                + FETCH
                + "echo \"" + MARK + "rc $rc\"; echo \"" + MARK + "code $(head -n1 \"$t/w\")\"; "
                + "echo \"" + MARK + "url $(sed -n 2p \"$t/w\")\"; "
                + "echo \"" + MARK + "sha1 $(sha1sum < \"$t/b\" | cut -c1-40)\"; echo \"" + MARK + "md5 $(md5sum < \"$t/b\" | cut -c1-32)\"; "
                + "echo \"" + MARK + "size $(wc -c < \"$t/b\")\"; " + digest
                + "echo \"" + MARK + "err $(tail -n1 \"$t/e\")\"; "
                + "tr -d '\\r' < \"$t/h\" | sed -n 's/^[Cc]ontent-[Dd]isposition: */" + MARK + "disposition /p'\n"
                + (withBody ? "echo '" + MARK + "body'; cat \"$t/b\"\n" : "");
        CommandResult r = host.probe(script);
        Map<String, String> kv = new LinkedHashMap<>();
        String out = r.out();
        String body = "";
        int bodyAt = out.indexOf(MARK + "body\n");
        if (bodyAt >= 0) {
            body = out.substring(bodyAt + MARK.length() + 5);
            out = out.substring(0, bodyAt);
        }
        for (String line : out.split("\n")) {
            if (line.startsWith(MARK)) {
                String[] p = line.substring(MARK.length()).split(" ", 2);
                kv.putIfAbsent(p[0], p.length > 1 ? p[1].trim() : "");
            }
        }
        if ("notool".equals(kv.get("tool"))) {
            throw new ModuleException("get_url needs curl or python3 on the host, and neither was found (apt-get install curl)");
        }
        if (!kv.containsKey("rc")) {
            throw new ModuleException("get_url: the download script failed on the host: " + (r.err() + r.out()).trim());
        }
        int rc = Integer.parseInt(kv.get("rc"));
        String code = kv.getOrDefault("code", "");
        int status = code.matches("\\d+") ? Integer.parseInt(code) : -1;
        if (rc != 0 && !(status >= 300)) {
            String err = kv.getOrDefault("err", "");
            String msg = err.contains("Connection refused") || err.contains("Couldn't connect")
                    ? "Request failed: <urlopen error [Errno 111] Connection refused>" : "Request failed: " + err;
            return new Fetch(-1, msg, null, null, null, null, null, 0, "");
        }
        String filename = null;
        String disp = kv.get("disposition");
        if (disp != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("attachment; ?filename=\"?([^\"]+)").matcher(disp);
            if (m.lookingAt()) {
                filename = FileSupport.basename(m.group(1));
            }
        }
        String msg = status == 200 ? "OK (" + kv.getOrDefault("size", "0") + " bytes)"
                : status == 304 ? "HTTP Error 304: Not Modified" : "HTTP Error " + status;
        if (status == 0 && url(kv).startsWith("file:")) {
            status = 200;
            msg = "OK (" + kv.getOrDefault("size", "0") + " bytes)";
        }
        return new Fetch(status, msg, kv.get("url"), filename, kv.get("sha1"), kv.get("md5"), kv.get("digest"),
                Long.parseLong(kv.getOrDefault("size", "0").trim()), body);
    }

    private static String url(Map<String, String> kv) {
        return kv.getOrDefault("url", "");
    }

    private static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Fetches the curl config in $t/c into $t/b (headers $t/h, code and final URL $t/w, error $t/e)
     * with curl, else python3 reading the same config; sets rc.
     */
    static final String FETCH = "if command -v curl >/dev/null 2>&1; then "
            + "curl -K \"$t/c\" -D \"$t/h\" -o \"$t/b\" -w '%{http_code}\\n%{url_effective}\\n' > \"$t/w\" 2>\"$t/e\"; rc=$?\n"
            + "elif command -v python3 >/dev/null 2>&1; then python3 -c " + ShellQuote.quote(String.join("\n",
                    "import sys, ssl, base64, urllib.request, urllib.error",
                    "d = sys.argv[1]; o = {}; hdrs = []",
                    "for line in open(d + '/c').read().split('\\n'):",
                    "    k, sep, v = line.partition(' = ')",
                    "    if not sep:",
                    "        o[line.strip()] = True; continue",
                    "    v = v[1:-1].replace('\\\\\"', '\"').replace('\\\\\\\\', '\\\\')",
                    "    if k == 'header': hdrs.append(v)",
                    "    else: o[k] = v",
                    "ctx = ssl._create_unverified_context() if 'insecure' in o else ssl.create_default_context(cafile=o.get('cacert'))",
                    "handlers = [urllib.request.HTTPSHandler(context=ctx)]",
                    "if 'noproxy' in o: handlers.append(urllib.request.ProxyHandler({}))",
                    "req = urllib.request.Request(o['url'])",
                    "for h in hdrs:",
                    "    n, _, val = h.partition(':'); req.add_header(n.strip().rstrip(';'), val.strip())",
                    "req.add_header('User-Agent', o.get('user-agent', 'ansible-httpget'))",
                    "if 'user' in o:",
                    "    req.add_header('Authorization', 'Basic ' + base64.b64encode(o['user'].encode()).decode())",
                    "try:",
                    "    r = urllib.request.build_opener(*handlers).open(req, timeout=float(o.get('max-time', 10)))",
                    "except urllib.error.HTTPError as e:",
                    "    r = e",
                    "except Exception as e:",
                    "    open(d + '/e', 'w').write(str(e)); open(d + '/w', 'w').write('000\\n\\n'); sys.exit(1)",
                    "open(d + '/b', 'wb').write(r.read())",
                    "open(d + '/h', 'w').write(''.join('%s: %s\\n' % kv for kv in r.headers.items()))",
                    "open(d + '/w', 'w').write('%d\\n%s\\n' % (r.code, r.geturl()))",
                    "sys.exit(0 if r.code < 400 else 22)")) + " \"$t\"; rc=$?\n"
            + "else echo '" + MARK + "tool notool'; exit 0; fi\n";

    /**
     * The download into a temp file beside the target, checked (checksum), given its attributes,
     * backed up over, then renamed onto the target.
     */
    record Download(String path, String config, String algorithm, String checksum, String sha1, long size, String mode,
                    String owner, String group, boolean backup, FileState replaces) implements Change {
        @Override
        public String describe() {
            return "download " + path;
        }

        @Override
        public ShellCommand command() {
            String p = ShellQuote.quote(path);
            StringBuilder s = new StringBuilder("t=$(mktemp -d) || exit 1; n=$(mktemp ")
                    .append(ShellQuote.quote(path + ".drover-get_url.XXXXXX")).append(") || exit 1; ")
                    .append("trap 'rm -rf \"$t\" \"$n\"' EXIT; : > \"$t/h\"; : > \"$t/b\"; cat > \"$t/c\"\n")
                    .append(FETCH)
                    .append("[ \"$rc\" -eq 0 ] || { cat \"$t/e\" >&2; exit 1; }\n")
                    .append("cat \"$t/b\" > \"$n\" || exit 1\n");
            if (algorithm != null) {
                s.append("c=$(").append(algorithm).append("sum < \"$n\" | cut -d' ' -f1); [ \"$c\" = ")
                        .append(ShellQuote.quote(checksum)).append(" ] || { echo \"").append(MARK)
                        .append("mismatch $c\"; exit 1; }\n");
            }
            String octal = mode != null ? mode : replaces.exists() ? replaces.mode() : null;
            if (octal != null) {
                s.append("chmod ").append(ShellQuote.quote(octal)).append(" \"$n\" || exit 1\n");
            } else {
                s.append("chmod ").append("$(printf '%04o' $(( 0666 & ~$(umask) ))) \"$n\"\n");
            }
            if (owner != null) {
                s.append("chown ").append(ShellQuote.quote(owner)).append(" \"$n\" || exit 1\n");
            } else if (replaces.exists()) {
                s.append("chown --reference=").append(p).append(" \"$n\" 2>/dev/null\n");
            }
            if (group != null) {
                s.append("chgrp ").append(ShellQuote.quote(group)).append(" \"$n\" || exit 1\n");
            }
            if (backup) {
                s.append("b=").append(p).append(".$$.$(date +%Y-%m-%d@%H:%M:%S)~; cp -p -- ").append(p)
                        .append(" \"$b\" && echo \"").append(MARK).append("backup $b\"\n");
            }
            s.append("echo \"").append(MARK).append("sha1 $(sha1sum < \"$n\" | cut -c1-40)\"; echo \"").append(MARK)
                    .append("md5 $(md5sum < \"$n\" | cut -c1-32)\"\n")
                    .append("mv -f \"$n\" ").append(p).append(" && trap 'rm -rf \"$t\"' EXIT");
            return new ShellCommand(s.toString(), config.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void simulate(SimulatedState state, String user) {
            String base = replaces.exists() ? replaces.mode() : "0644";
            state.putFile(new FileState(path, FileState.Kind.FILE, Modes.apply(mode, base, false),
                    owner != null ? owner : replaces.exists() ? replaces.owner() : user,
                    group != null ? group : replaces.exists() ? replaces.group() : user, size, sha1, null), null);
        }

        @Override
        public boolean exitCodeIsResult() {
            return true;
        }
    }
}
