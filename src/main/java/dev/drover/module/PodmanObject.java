package dev.drover.module;

import dev.drover.connection.ShellQuote;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A podman object (an image or a secret) of the user a task runs as, as {@code podman ... inspect}
 * reports it: rootless podman keeps one store per user, so the same name may be two objects.
 *
 * @param kind   {@link #IMAGE} or {@link #SECRET}
 * @param name   the name the module asked for ({@code vocalyx-api:1.0}, {@code db_password})
 * @param id     podman's id; for an object a check-mode run would make, a placeholder
 * @param driver a secret's driver ({@code file}); null for images
 * @param labels the object's labels (drover keeps its idempotency hashes there)
 */
public record PodmanObject(String kind, String name, String id, String driver, Map<String, String> labels) {
    public static final String IMAGE = "image";
    public static final String SECRET = "secret";

    public PodmanObject {
        labels = Map.copyOf(labels);
    }

    public String label(String key) {
        return labels.get(key);
    }

    /**
     * The command that prints {@code ID [DRIVER] LABELS-AS-JSON} for one object, or fails when it
     * is absent. (Podman 4.3's {@code image inspect} rejects {@code println} in --format, so the
     * fields are space-separated: ids and driver names hold no spaces, the labels' JSON comes last.)
     */
    public static String inspectScript(String kind, String name) {
        String format = kind.equals(SECRET)
                ? "{{.ID}} {{.Spec.Driver.Name}} {{json .Spec.Labels}}"
                : "{{.Id}} {{json .Labels}}";
        return "podman " + kind + " inspect --format " + ShellQuote.quote(format) + " -- " + ShellQuote.quote(name)
                + " 2>/dev/null";
    }

    /** What {@link #inspectScript} printed (its last non-empty line); empty for no output. */
    public static Optional<PodmanObject> parse(String kind, String name, String out) {
        String[] lines = out.strip().split("\n");
        String line = lines[lines.length - 1].strip();
        if (line.isEmpty()) {
            return Optional.empty();
        }
        boolean secret = kind.equals(SECRET);
        String[] f = line.split(" ", secret ? 3 : 2);
        if (f.length < (secret ? 3 : 2)) {
            return Optional.of(new PodmanObject(kind, name, f[0], null, Map.of()));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        try {
            Object json = dev.drover.yaml.YamlLoader.loadData(f[f.length - 1], "podman inspect");
            if (json instanceof Map<?, ?> m) {
                m.forEach((k, v) -> labels.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            }
        } catch (dev.drover.yaml.YamlException e) {
            // unreadable labels count as none: the module then cannot prove the object current
        }
        return Optional.of(new PodmanObject(kind, name, f[0], secret ? f[1] : null, labels));
    }
}
