package dev.drover.modules.podman;

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
import dev.drover.module.PodmanObject;
import dev.drover.module.ShellCommand;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * containers.podman.podman_secret: create, replace or remove a podman secret of the task's user,
 * idempotently, without the value ever leaving the task's stdin.
 *
 * <p><b>How it knows the secret is current.</b> Podman 4.3 cannot give a secret's value back, so
 * drover stores a salted digest of what it created as a label on the secret itself:
 * {@value #HASH_LABEL}{@code =sha256:SALT:HEX}, HEX being SHA-256 of the salt, the value and the
 * driver options (podman 4.3 has {@code podman secret create --label}). The next run recomputes
 * the digest with the stored salt and compares; nothing is printed. Why a label and not a state
 * file of drover's: the digest lives and dies with the secret (a secret removed or recreated by
 * hand is seen as such), needs no file in the user's home, and is only readable by whoever can
 * already read the value itself (podman's file driver keeps values unencrypted in the same
 * user's store). The salt (random per creation) keeps equal values on different hosts or under
 * different names from having equal labels, and defeats precomputed tables.
 *
 * <p>A secret without that label (made by hand or by another tool) cannot be compared: it is
 * replaced once, then known. {@code skip_existing: true} never touches an existing secret;
 * {@code force: true} always replaces it. Replacing is {@code podman secret rm} then {@code
 * podman secret create} (podman 4.3 has no {@code --replace}).
 *
 * <p>The value goes to {@code podman secret create NAME -} on stdin only: never on a command line,
 * in a description, a diff, a return value or a log line.
 */
public final class PodmanSecretModule implements Module {
    static final String NAME = "podman_secret";
    /** The secret label that holds drover's salted digest of the value. */
    public static final String HASH_LABEL = "drover.data-hash";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final ModuleSpec SPEC = new ModuleSpec(NAME, List.of(PodmanSupport.COLLECTION + NAME), List.of(
            Param.required("name", ParamType.STR),
            Param.of("data", ParamType.STR),
            Param.of("state", ParamType.STR).withDefault("present").withChoices("present", "absent"),
            Param.of("force", ParamType.BOOL).withDefault(false),
            Param.of("skip_existing", ParamType.BOOL).withDefault(false),
            Param.of("driver", ParamType.STR),
            Param.of("driver_opts", ParamType.DICT),
            Param.of("labels", ParamType.DICT)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        String name = a.requireStr("name");
        String state = a.str("state");
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", name);
        v.put("state", state);
        if (state.equals("present") && !a.has("data")) {
            throw new ModuleException("state is present but all of the following are missing: data");
        }
        if (a.raw("data") instanceof dev.drover.yaml.Vaulted) {
            throw new ModuleException("data is a !vault value that was not decrypted (give drover the vault password)");
        }
        PodmanSupport.requirePodman(host);
        Optional<PodmanObject> current = host.podman(PodmanObject.SECRET, name);
        current.ifPresent(o -> v.put("secret", secretValue(o)));

        if (state.equals("absent")) {
            if (current.isEmpty()) {
                return Plan.nothing("secret " + name + " is absent", v);
            }
            return Plan.builder().values(v)
                    .change(new Exec("remove secret " + name,
                            ShellCommand.of("podman secret rm -- " + ShellQuote.quote(name) + " >/dev/null"),
                            (s, u) -> s.putPodman(u, PodmanObject.SECRET, name, null), false))
                    .reason("remove secret " + name).build();
        }

        if (current.isPresent() && a.bool("skip_existing")) {
            return Plan.nothing("secret " + name + " exists (skip_existing)", v);
        }
        byte[] data = a.str("data").getBytes(StandardCharsets.UTF_8);
        String driver = a.has("driver") ? a.str("driver") : "file";
        Map<String, String> opts = PodmanSupport.sortedPairs(a.map("driver_opts"));
        Map<String, String> labels = PodmanSupport.sortedPairs(a.map("labels"));
        labels.remove(HASH_LABEL);
        String why;
        if (current.isEmpty()) {
            why = "secret " + name + " is absent";
        } else if (a.bool("force")) {
            why = "force";
        } else {
            PodmanObject cur = current.get();
            Map<String, String> curLabels = new TreeMap<>(cur.labels());
            curLabels.remove(HASH_LABEL);
            if (cur.label(HASH_LABEL) == null) {
                why = "secret " + name + " has no " + HASH_LABEL + " label: its value cannot be compared";
            } else if (!matches(cur.label(HASH_LABEL), data, opts)) {
                why = "the value differs";
            } else if (cur.driver() != null && !cur.driver().equals(driver)) {
                why = "the driver differs";
            } else if (!curLabels.equals(labels)) {
                why = "the labels differ";
            } else {
                return Plan.nothing("secret " + name + " is as asked", v);
            }
        }

        String salt = HexFormat.of().formatHex(salt());
        String hash = "sha256:" + salt + ":" + digest(salt, data, opts);
        List<String> argv = new ArrayList<>(List.of("podman", "secret", "create", "--driver", driver));
        if (!opts.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            opts.forEach((k, x) -> pairs.add(k + "=" + x));
            argv.addAll(List.of("--driver-opts", String.join(",", pairs)));
        }
        labels.forEach((k, x) -> argv.addAll(List.of("--label", k + "=" + x)));
        argv.addAll(List.of("--label", HASH_LABEL + "=" + hash, "--", name, "-"));
        String script = ShellQuote.join(argv);
        boolean replace = current.isPresent();
        if (replace) {
            script = "podman secret rm -- " + ShellQuote.quote(name) + " >/dev/null && " + script;
        }
        Map<String, String> after = new TreeMap<>(labels);
        after.put(HASH_LABEL, hash);
        String verb = replace ? "replace" : "create";
        return Plan.builder().values(v)
                .change(new Exec(verb + " secret " + name, new ShellCommand(script, data),
                        (s, u) -> s.putPodman(u, PodmanObject.SECRET, name,
                                new PodmanObject(PodmanObject.SECRET, name, "check-mode:" + name, driver, after)), false))
                .reason(verb + " secret " + name + " (" + why + ")")
                .mapper((planned, results) -> {
                    Map<String, Object> out = new LinkedHashMap<>(planned);
                    String[] lines = results.get(0).out().strip().split("\n");
                    out.put("secret", secretValue(new PodmanObject(PodmanObject.SECRET, name,
                            lines[lines.length - 1].strip(), driver, after)));
                    return out;
                })
                .build();
    }

    private static byte[] salt() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    /** SHA-256 of salt, value and driver options, in hex. */
    static String digest(String salt, byte[] data, Map<String, String> opts) {
        byte[] head = (salt + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\n" + opts).getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + data.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        System.arraycopy(tail, 0, all, head.length + data.length, tail.length);
        return PodmanSupport.sha256(all);
    }

    /** True when {@code label} ({@code sha256:SALT:HEX}) is the digest of this value and these options. */
    static boolean matches(String label, byte[] data, Map<String, String> opts) {
        String[] f = label.split(":", 3);
        return f.length == 3 && f[0].equals("sha256") && f[2].equals(digest(f[1], data, opts));
    }

    /** The secret as podman inspect shows it (ID, name, driver, labels), without drover's digest. */
    private static Map<String, Object> secretValue(PodmanObject o) {
        Map<String, Object> labels = new TreeMap<>(o.labels());
        labels.remove(HASH_LABEL);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("Name", o.name());
        spec.put("Driver", Map.of("Name", o.driver() == null ? "file" : o.driver()));
        spec.put("Labels", labels);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", o.id());
        m.put("Spec", spec);
        return m;
    }
}
