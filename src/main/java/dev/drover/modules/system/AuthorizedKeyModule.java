package dev.drover.modules.system;

import dev.drover.connection.ConnectionException;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Diff;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.MakeDirectory;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.UserState;
import dev.drover.module.WriteFile;
import dev.drover.modules.files.FileSupport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ansible.posix.authorized_key, following the collection's algorithm: the file's lines parsed into
 * keys (by key blob; comments and other lines kept as they are, by rank), each given key added,
 * replaced (other options, comment or type) or removed, {@code exclusive} drops every other key,
 * and the file is serialised again (Ansible's spelling: {@code options type blob comment}, so a
 * key without comment ends in a space). Written only when something changed: the {@code .ssh}
 * directory (with {@code manage_dir}) 0700 and the file 0600, both owned by the user.
 */
public final class AuthorizedKeyModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("authorized_key", List.of("ansible.posix.authorized_key"),
            List.of(Param.required("user", ParamType.STR),
                    Param.required("key", ParamType.STR),
                    Param.of("path", ParamType.PATH),
                    Param.of("manage_dir", ParamType.BOOL).withDefault(true),
                    Param.of("state", ParamType.STR).withDefault("present").withChoices("absent", "present"),
                    Param.of("key_options", ParamType.STR),
                    Param.of("exclusive", ParamType.BOOL).withDefault(false),
                    Param.of("comment", ParamType.STR),
                    Param.of("validate_certs", ParamType.BOOL).withDefault(true),
                    Param.of("follow", ParamType.BOOL).withDefault(false)), null, false);

    static final Set<String> KEY_TYPES = Set.of("sk-ecdsa-sha2-nistp256@openssh.com",
            "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
            "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
            "sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519",
            "ssh-ed25519-cert-v01@openssh.com", "ssh-dss", "ssh-rsa", "ssh-xmss@openssh.com",
            "ssh-xmss-cert-v01@openssh.com", "rsa-sha2-256", "rsa-sha2-512", "ssh-rsa-cert-v01@openssh.com",
            "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com");

    /** One entry of the file: a key (type non-null, not "skipped") or a line kept as it is. */
    record Key(String blob, String type, Map<String, String> options, String comment, int rank) {
        boolean skipped() {
            return "skipped".equals(type);
        }

        boolean sameAs(Key o) {
            return blob.equals(o.blob) && Objects.equals(type, o.type) && Objects.equals(options, o.options)
                    && Objects.equals(comment, o.comment);
        }

        Key withRank(int r) {
            return new Key(blob, type, options, comment, r);
        }
    }

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String userName = a.requireStr("user");
        String keyText = a.requireStr("key");
        boolean present = a.str("state").equals("present");
        String keyOptions = a.str("key_options");
        String comment = a.str("comment");
        boolean manageDir = a.bool("manage_dir");
        if (keyText.startsWith("http")) {
            throw new ModuleException("drover does not fetch keys from a URL (" + keyText + "): give the key itself, "
                    + "e.g. with lookup('url', ...) on the controller");
        }
        HostView host = ctx.host();
        UserState user = host.user(userName).orElseThrow(() -> new ModuleException("Failed to lookup user " + userName
                + ": \"getpwnam(): name not found: '" + userName + "'\""));
        String given = a.str("path");
        String keyfile = given != null ? FileSupport.expand(ctx, given) : FileSupport.join(user.home(), ".ssh/authorized_keys");
        String sshdir = given != null ? FileSupport.parent(keyfile) : FileSupport.join(user.home(), ".ssh");
        FileState target = a.bool("follow") ? FileSupport.follow(host, keyfile) : host.file(keyfile);
        String filename = target.path();
        String existing = target.isFile()
                ? host.read(filename).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("") : "";

        LinkedHashMap<String, Key> keys = parseKeys(existing);
        List<String> newKeys = new ArrayList<>();
        for (String s : keyText.split("\r\n|\r|\n")) {
            if (!s.isEmpty() && !s.startsWith("#")) {
                newKeys.add(s);
            }
        }
        boolean write = false;
        List<String> toExist = new ArrayList<>();
        int maxRank = keys.size();
        for (int i = 0; i < newKeys.size(); i++) {
            Key k = parseKey(newKeys.get(i), i);
            if (k == null) {
                throw new ModuleException("invalid key specified: " + newKeys.get(i));
            }
            if (keyOptions != null) {
                k = new Key(k.blob(), k.type(), parseOptions(keyOptions), k.comment(), k.rank());
            }
            if (comment != null) {
                k = new Key(k.blob(), k.type(), k.options(), comment, k.rank());
            }
            Key old = keys.get(k.blob());
            boolean matched = false;
            boolean replace = false;
            if (old != null) {
                if (!k.sameAs(old) && present) {
                    replace = true;
                } else {
                    matched = true;
                }
            }
            if (present) {
                toExist.add(k.blob());
                if (replace) {
                    keys.remove(k.blob());
                    write = true;
                }
                if (!matched) {
                    keys.put(k.blob(), k.withRank(maxRank + k.rank()));
                    write = true;
                }
            } else if (matched) {
                keys.remove(k.blob());
                write = true;
            }
        }
        if (present && a.bool("exclusive")) {
            write |= keys.keySet().retainAll(toExist);
        }

        Map<String, Object> values = new LinkedHashMap<>(a.asMap());
        values.put("keyfile", keyfile);
        if (!write) {
            return Plan.nothing("keys already as asked", values);
        }
        String content = serialize(keys);
        Plan.Builder plan = Plan.builder().values(values);
        String group = user.group();
        if (manageDir && sshdir != null) {
            FileState dir = host.fileFollow(sshdir);
            if (!dir.exists()) {
                List<String> missing = FileSupport.missingDirectories(host, sshdir);
                for (String d : missing) {
                    plan.change(d.equals(sshdir) ? new MakeDirectory(d, "0700", userName, group)
                            : new MakeDirectory(d, null, null, null));
                }
            } else {
                Optional<Change> attrs = FileSupport.attributes(ctx, dir, "0700", userName, group, false);
                attrs.ifPresent(plan::change);
            }
        } else if (FileSupport.parent(filename) != null) {
            for (String d : FileSupport.missingDirectories(host, FileSupport.parent(filename))) {
                plan.change(new MakeDirectory(d, null, null, null));
            }
        }
        plan.change(new WriteFile(filename, content.getBytes(StandardCharsets.UTF_8), "0600", userName, group,
                FileSupport.replaced(target)));
        if (ctx.wantsDiff()) {
            plan.diff(new Diff(keyfile, filename, existing, content));
        }
        return plan.reason(present ? "key added" : "key removed").build();
    }

    static LinkedHashMap<String, Key> parseKeys(String content) {
        LinkedHashMap<String, Key> keys = new LinkedHashMap<>();
        int rank = 0;
        Matcher m = Pattern.compile("[^\n]*\n|[^\n]+$").matcher(content);
        while (m.find()) {
            String line = m.group();
            if (line.isEmpty()) {
                continue;
            }
            Key k = parseKey(line, rank);
            if (k == null) {
                k = new Key(line, "skipped", null, null, rank);
            }
            // a dict keyed by blob (or line): a repeat keeps the first one's place and the last one's value
            keys.put(k.blob(), k);
            rank++;
        }
        return keys;
    }

    /** parsekey: the options before the key type, the blob after it, the rest as comment; null when no key type. */
    static Key parseKey(String rawKey, int rank) {
        String raw = rawKey.replace("\\#", "#");
        List<String> parts = new ArrayList<>();
        for (String p : raw.split("[ \t\r\n]+")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        if (!parts.isEmpty() && parts.get(0).equals("#")) {
            return new Key(raw, "skipped", null, null, rank);
        }
        int typeIndex = -1;
        for (int i = 0; i < parts.size(); i++) {
            if (KEY_TYPES.contains(parts.get(i))) {
                typeIndex = i;
                break;
            }
        }
        if (typeIndex < 0 || typeIndex + 1 >= parts.size()) {
            return null;
        }
        Map<String, String> options = parseOptions(typeIndex > 0 ? String.join(" ", parts.subList(0, typeIndex)) : null);
        String comment = String.join(" ", parts.subList(typeIndex + 2, parts.size()));
        return new Key(parts.get(typeIndex + 1), parts.get(typeIndex), options, comment, rank);
    }

    static Map<String, String> parseOptions(String options) {
        Map<String, String> out = new LinkedHashMap<>();
        if (options == null || options.isEmpty()) {
            return out;
        }
        Matcher m = Pattern.compile("(?:[^,\"']|\"[^\"]*\"|'[^']*')+").matcher(options);
        while (m.find()) {
            String part = m.group();
            int eq = part.indexOf('=');
            if (eq >= 0) {
                out.put(part.substring(0, eq), part.substring(eq + 1));
            } else {
                out.put(part, null);
            }
        }
        return out;
    }

    static String serialize(Map<String, Key> keys) {
        StringBuilder b = new StringBuilder();
        keys.values().stream().sorted(Comparator.comparingInt(Key::rank)).forEach(k -> {
            if (k.skipped()) {
                b.append(k.blob());
                return;
            }
            if (k.options() != null && !k.options().isEmpty()) {
                List<String> opts = new ArrayList<>();
                k.options().forEach((name, value) -> opts.add(value == null ? name : name + "=" + value));
                b.append(String.join(",", opts)).append(' ');
            }
            b.append(k.type()).append(' ').append(k.blob()).append(' ').append(k.comment()).append('\n');
        });
        return b.toString();
    }
}
