package dev.drover.modules.system;

import dev.drover.connection.ConnectionException;
import dev.drover.module.Args;
import dev.drover.module.Diff;
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
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * ansible.builtin.known_hosts, following Ansible's algorithm with the host lookup that Ansible
 * asks {@code ssh-keygen -F} for done here, as OpenSSH matches: comma-separated patterns with
 * {@code *}/{@code ?} and {@code !} negation, hashed {@code |1|salt|hmac} names. The first entry
 * of the host with the same key decides: the same key (host field, type, key, marker) is nothing
 * to do, another key of its type is replaced (its line removed, the new key appended), none is an
 * append. {@code state: absent} without a key removes every entry of the host and keeps the old
 * file as {@code FILE.old}, as {@code ssh-keygen -R}.
 */
public final class KnownHostsModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("known_hosts", List.of(), List.of(
            Param.required("name", ParamType.STR).withAliases("host"),
            Param.of("key", ParamType.STR),
            Param.of("path", ParamType.PATH).withDefault("~/.ssh/known_hosts"),
            Param.of("hash_host", ParamType.BOOL).withDefault(false),
            Param.of("state", ParamType.STR).withDefault("present").withChoices("absent", "present")), null, false);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    /** A known_hosts line the host matches: its 1-based number and text. */
    record Found(int line, String text) {
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String host = a.requireStr("name").toLowerCase(Locale.ROOT);
        String key = a.str("key");
        boolean present = a.str("state").equals("present");
        String path = FileSupport.expand(ctx, a.str("path"));
        if ((key == null || key.isEmpty()) && present) {
            throw new ModuleException("No key specified when adding a host");
        }
        if (key != null && key.isEmpty()) {
            key = null;
        }
        if (key != null && a.bool("hash_host")) {
            key = hashHostKey(host, key);
        }
        if (key != null && !key.endsWith("\n")) {
            key += "\n";
        }
        if (key != null) {
            if (Pattern.compile("\\S+(\\s+)?,(\\s+)?").matcher(host).find()) {
                throw new ModuleException("Comma separated list of names is not supported. "
                        + "Please pass a single name to lookup in the known_hosts file.");
            }
            if (lookup(host, key).isEmpty()) {
                throw new ModuleException("Host parameter does not match hashed host field in supplied key");
            }
        }
        HostView view = ctx.host();
        FileState file = view.fileFollow(path);
        String before = file.isFile() ? view.read(file.path()).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("") : "";
        boolean found = false;
        boolean replaceOrAdd = false;
        Integer foundLine = null;
        if (file.exists()) {
            List<Found> entries = lookup(host, before);
            if (!entries.isEmpty()) {
                found = true;
                if (key == null) {
                    replaceOrAdd = false;
                } else {
                    Map<String, String> wanted = normalize(key);
                    replaceOrAdd = true;
                    for (Found e : entries) {
                        Map<String, String> have = normalize(e.text());
                        if (wanted.get("host").startsWith("|1|") && have.get("host").startsWith("|1|")) {
                            wanted.put("host", have.get("host"));
                        }
                        if (wanted.equals(have)) {
                            replaceOrAdd = false;
                            foundLine = e.line();
                            break;
                        } else if (wanted.get("type").equals(have.get("type"))) {
                            foundLine = e.line();
                            break;
                        }
                    }
                }
            }
        }
        Map<String, Object> values = new LinkedHashMap<>(a.asMap());
        values.put("name", host);
        values.put("path", path);
        if (!present && foundLine == null && key != null) {
            return Plan.nothing("host not in the file", values);
        }
        List<String> lines = splitKeepingEnds(before);
        Plan.Builder plan = Plan.builder().values(values);
        String after;
        if (found && key == null && !present) {
            // ssh-keygen -R: every entry of the host goes, the original stays as FILE.old
            List<Integer> drop = lookup(host, before).stream().map(Found::line).toList();
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                if (!drop.contains(i + 1)) {
                    b.append(lines.get(i));
                }
            }
            after = b.toString();
            plan.change(new WriteFile(path + ".old", before.getBytes(StandardCharsets.UTF_8), file.mode(), null, null,
                    view.file(path + ".old").exists() ? FileSupport.replaced(view.file(path + ".old")) : FileState.absent(path + ".old")));
        } else if (replaceOrAdd || found != present) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                if (foundLine != null && foundLine == i + 1 && (replaceOrAdd || !present)) {
                    continue;
                }
                b.append(lines.get(i));
            }
            if (present) {
                b.append(key);
            }
            after = b.toString();
        } else {
            return Plan.nothing("host key already as asked", values);
        }
        String parent = FileSupport.parent(path);
        if (parent != null && view.kindFollow(parent) != FileState.Kind.DIRECTORY) {
            throw new ModuleException("Failed to write to file " + path + ": [Errno 2] No such file or directory: '"
                    + parent + "'");
        }
        plan.change(new WriteFile(file.exists() ? file.path() : path, after.getBytes(StandardCharsets.UTF_8), null, null, null,
                FileSupport.replaced(file)));
        if (ctx.wantsDiff()) {
            plan.diff(new Diff(file.exists() ? path : "/dev/null", path, before, diffAfter(before, foundLine, replaceOrAdd, present, key)));
        }
        return plan.reason(present ? "host key added" : "host key removed").build();
    }

    /** compute_diff: what Ansible shows as the new file (which for ssh-keygen -R is not what it writes). */
    private static String diffAfter(String before, Integer foundLine, boolean replaceOrAdd, boolean present, String key) {
        List<String> lines = new ArrayList<>(splitKeepingEnds(before));
        if ((replaceOrAdd || !present) && foundLine != null && foundLine >= 1 && foundLine <= lines.size()) {
            lines.remove(foundLine - 1);
        }
        if (present && (replaceOrAdd || foundLine == null)) {
            lines.add(key);
        }
        return String.join("", lines);
    }

    static List<String> splitKeepingEnds(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                out.add(s.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** The lines of a known_hosts text whose host field matches {@code host} (what ssh-keygen -F prints). */
    static List<Found> lookup(String host, String text) {
        List<Found> out = new ArrayList<>();
        List<String> lines = splitKeepingEnds(text);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            int h = f[0].startsWith("@") ? 1 : 0;
            if (f.length < h + 3) {
                continue;
            }
            if (hostMatches(host, f[h])) {
                out.add(new Found(i + 1, line));
            }
        }
        return out;
    }

    static boolean hostMatches(String host, String field) {
        if (field.startsWith("|1|")) {
            String[] p = field.split("\\|");
            if (p.length != 4) {
                return false;
            }
            try {
                byte[] salt = Base64.getDecoder().decode(p[2]);
                return Base64.getEncoder().encodeToString(hmac(salt, host)).equals(p[3]);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        boolean matched = false;
        for (String pattern : field.split(",")) {
            boolean negated = pattern.startsWith("!");
            String pat = negated ? pattern.substring(1) : pattern;
            if (glob(pat).matcher(host).matches()) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static Pattern glob(String pattern) {
        StringBuilder b = new StringBuilder();
        for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
            b.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(b.toString());
    }

    private static byte[] hmac(byte[] salt, String host) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return mac.doFinal(host.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
    }

    static String hashHostKey(String host, String key) {
        byte[] salt = new byte[20];
        RANDOM.nextBytes(salt);
        String[] parts = key.strip().split("\\s+");
        int i = parts[0].startsWith("@") ? 1 : 0;
        parts[i] = "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(hmac(salt, host));
        return String.join(" ", parts);
    }

    static Map<String, String> normalize(String key) {
        String[] k = key.strip().split("\\s+");
        Map<String, String> d = new LinkedHashMap<>();
        int i = 0;
        if (k[0].startsWith("@")) {
            d.put("options", k[0]);
            i = 1;
        }
        d.put("host", k.length > i ? k[i] : "");
        d.put("type", k.length > i + 1 ? k[i + 1] : "");
        d.put("key", k.length > i + 2 ? k[i + 2] : "");
        return d;
    }
}
