package dev.drover.modules.system;

import dev.drover.module.ModuleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Quadlet files as data: which systemd unit each file becomes, which units of the set it depends
 * on, and the order to start them in (tiers: every unit of a tier depends only on units of earlier
 * tiers). Pure: text in, names and tiers out.
 *
 * <p>Names, as podman's quadlet makes them: {@code foo.container} → {@code foo.service} (or its
 * {@code ServiceName=}), {@code foo.kube} → {@code foo.service}, {@code foo.network} →
 * {@code foo-network.service}, {@code foo.volume} → {@code foo-volume.service}, {@code foo.pod} →
 * {@code foo-pod.service}, {@code foo.image} → {@code foo-image.service}, {@code foo.build} →
 * {@code foo-build.service}.
 *
 * <p>Dependencies: in the file's own section ({@code [Container]}, {@code [Pod]}, {@code [Kube]},
 * …) {@code Network=x.network[:opts]}, {@code Volume=y.volume:/path[:opts]}, {@code Mount=…source=y.volume…},
 * {@code Pod=p.pod}, {@code Image=i.image}/{@code i.build}; in {@code [Unit]} {@code Requires=},
 * {@code Requisite=}, {@code BindsTo=}, {@code Wants=}, {@code After=} (space-separated; quadlet
 * file names there count as their units). Only dependencies on units of the set order the start;
 * others ({@code network-online.target}) are left to systemd.
 */
public final class Quadlets {
    /** The kinds of quadlet file drover installs. */
    public static final Set<String> KINDS = Set.of("container", "network", "volume", "pod", "image", "build", "kube");

    private static final Set<String> UNIT_DEPS = Set.of("Requires", "Requisite", "BindsTo", "Wants", "After");

    private Quadlets() {
    }

    /**
     * One parsed file: its name, unit, and what it needs: unit names, or quadlet file names
     * ({@code db.container}) that {@link #tiers} resolves to the unit that file makes in the set.
     */
    public record Parsed(String file, String unit, Set<String> needs) {
    }

    /** The file's kind ({@code container}), or null when the name has no quadlet extension. */
    public static String kind(String file) {
        int dot = file.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        String k = file.substring(dot + 1);
        return KINDS.contains(k) ? k : null;
    }

    /** The unit a quadlet file name becomes, without reading it (no ServiceName=); null for a non-quadlet name. */
    public static String unitOf(String file) {
        String k = kind(file);
        if (k == null) {
            return null;
        }
        String base = file.substring(0, file.length() - k.length() - 1);
        return switch (k) {
            case "container", "kube" -> base + ".service";
            default -> base + "-" + k + ".service";
        };
    }

    /** Sections → key → values, in file order; continuation lines ({@code \} at the end) joined; comments dropped. */
    static Map<String, Map<String, List<String>>> sections(String text) {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        String section = "";
        StringBuilder pending = null;
        for (String raw : text.split("\r?\n", -1)) {
            String line = raw.strip();
            if (pending != null) {
                if (line.endsWith("\\")) {
                    pending.append(' ').append(line, 0, line.length() - 1);
                    continue;
                }
                pending.append(' ').append(line);
                line = pending.toString();
                pending = null;
            } else if (line.endsWith("\\") && !line.startsWith("#") && !line.startsWith(";")) {
                pending = new StringBuilder(line.substring(0, line.length() - 1));
                continue;
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                out.computeIfAbsent(section, s -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            out.computeIfAbsent(section, s -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /** Reads one file: its unit name and what it needs. */
    public static Parsed parse(String file, String text) throws ModuleException {
        String k = kind(file);
        if (k == null) {
            throw new ModuleException(file + " is not a quadlet file: the name must end with one of ."
                    + String.join(", .", new TreeSet<>(KINDS)));
        }
        Map<String, Map<String, List<String>>> s = sections(text);
        String own = Character.toUpperCase(k.charAt(0)) + k.substring(1);
        Map<String, List<String>> body = s.getOrDefault(own, Map.of());
        String unit = unitOf(file);
        List<String> serviceName = body.getOrDefault("ServiceName", List.of());
        if (!serviceName.isEmpty() && !serviceName.get(serviceName.size() - 1).isBlank()) {
            String n = serviceName.get(serviceName.size() - 1);
            unit = n.endsWith(".service") ? n : n + ".service";
        }
        Set<String> needs = new LinkedHashSet<>();
        for (String v : body.getOrDefault("Network", List.of())) {
            quadletRef(v.split(":", 2)[0], needs);
        }
        for (String v : body.getOrDefault("Volume", List.of())) {
            if (v.contains(":")) { // a bare path is an anonymous volume
                quadletRef(v.split(":", 2)[0], needs);
            }
        }
        for (String v : body.getOrDefault("Mount", List.of())) {
            for (String opt : v.split(",")) {
                String[] kv = opt.split("=", 2);
                if (kv.length == 2 && (kv[0].equals("source") || kv[0].equals("src"))) {
                    quadletRef(kv[1], needs);
                }
            }
        }
        for (String key : List.of("Pod", "Image")) {
            for (String v : body.getOrDefault(key, List.of())) {
                quadletRef(v, needs);
            }
        }
        Map<String, List<String>> unitSection = s.getOrDefault("Unit", Map.of());
        for (String key : UNIT_DEPS) {
            for (String v : unitSection.getOrDefault(key, List.of())) {
                for (String name : v.split("\\s+")) {
                    if (name.isEmpty()) {
                        continue;
                    }
                    needs.add(kind(name) != null || name.contains(".") ? name : name + ".service");
                }
            }
        }
        needs.remove(unit);
        needs.remove(file);
        return new Parsed(file, unit, needs);
    }

    /**
     * What a quadlet file's unit reads when it starts, besides the file itself: its environment
     * files ({@code EnvironmentFile=} of {@code [Container]} and {@code [Service]}, a leading
     * {@code -} dropped, relative paths against {@code dir}), its podman secrets ({@code Secret=NAME,…}),
     * the host paths it mounts ({@code Volume=/host/path:…}, {@code Mount=type=bind,source=/host/path,…};
     * named volumes and anonymous ones are not host paths), and the container to wait for when
     * the file has a {@code HealthCmd=} (its {@code ContainerName=}, else quadlet's
     * {@code systemd-UNIT}; null without a health command, with {@code HealthCmd=none}, or with
     * {@code Notify=healthy}, where systemd itself waits for healthy). {@code %h} means {@code home}.
     */
    public record Inputs(List<String> environmentFiles, List<String> secrets, List<String> mounts,
                         String healthContainer) {
    }

    /** The {@link Inputs} of one file ({@code unit} is the unit it makes). */
    public static Inputs inputs(String file, String text, String unit, String dir, String home) {
        Map<String, Map<String, List<String>>> s = sections(text);
        String k = kind(file);
        Map<String, List<String>> body = s.getOrDefault(k == null ? "" : Character.toUpperCase(k.charAt(0)) + k.substring(1), Map.of());
        List<String> env = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        List<String> mounts = new ArrayList<>();
        List<String> envValues = new ArrayList<>(body.getOrDefault("EnvironmentFile", List.of()));
        envValues.addAll(s.getOrDefault("Service", Map.of()).getOrDefault("EnvironmentFile", List.of()));
        for (String v : envValues) {
            for (String one : v.split("\\s+")) {
                String p = one.startsWith("-") ? one.substring(1) : one;
                p = hostPath(p, dir, home, true);
                if (p != null && !env.contains(p)) {
                    env.add(p);
                }
            }
        }
        for (String v : body.getOrDefault("Secret", List.of())) {
            String name = v.split(",", 2)[0].strip();
            if (!name.isEmpty() && !secrets.contains(name)) {
                secrets.add(name);
            }
        }
        for (String v : body.getOrDefault("Volume", List.of())) {
            if (v.contains(":")) {
                String p = hostPath(v.split(":", 2)[0].strip(), dir, home, false);
                if (p != null && !mounts.contains(p)) {
                    mounts.add(p);
                }
            }
        }
        for (String v : body.getOrDefault("Mount", List.of())) {
            boolean bind = false;
            String source = null;
            for (String opt : v.split(",")) {
                String[] kv = opt.strip().split("=", 2);
                if (kv.length == 2 && kv[0].equals("type")) {
                    bind = kv[1].equals("bind");
                } else if (kv.length == 2 && (kv[0].equals("source") || kv[0].equals("src"))) {
                    source = kv[1];
                }
            }
            String p = bind && source != null ? hostPath(source, dir, home, false) : null;
            if (p != null && !mounts.contains(p)) {
                mounts.add(p);
            }
        }
        String health = null;
        List<String> cmd = body.getOrDefault("HealthCmd", List.of());
        List<String> notify = body.getOrDefault("Notify", List.of());
        boolean systemdWaits = !notify.isEmpty() && notify.get(notify.size() - 1).equals("healthy");
        if ("container".equals(k) && !cmd.isEmpty() && !cmd.get(cmd.size() - 1).isBlank()
                && !cmd.get(cmd.size() - 1).equals("none") && !systemdWaits) {
            List<String> name = body.getOrDefault("ContainerName", List.of());
            health = name.isEmpty() || name.get(name.size() - 1).isBlank()
                    ? "systemd-" + (unit.endsWith(".service") ? unit.substring(0, unit.length() - 8) : unit)
                    : name.get(name.size() - 1);
        }
        return new Inputs(env, secrets, mounts, health);
    }

    /** A host path of a quadlet value: absolute, {@code %h/…}, or (where quadlet allows it) relative to the file. */
    private static String hostPath(String v, String dir, String home, boolean relativeOk) {
        if (v.startsWith("%h/") && home != null) {
            return home + v.substring(2);
        }
        if (v.startsWith("/")) {
            return v;
        }
        if (v.startsWith("./") || relativeOk && !v.isEmpty() && !v.contains("%")) {
            return dir + "/" + (v.startsWith("./") ? v.substring(2) : v);
        }
        return null;
    }

    private static void quadletRef(String value, Set<String> needs) {
        if (kind(value.strip()) != null) {
            needs.add(value.strip());
        }
    }

    /**
     * Topological layers of the set's units: tier 0 needs no unit of the set, tier n needs only
     * units of tiers before it; units sorted by name inside a tier.
     *
     * @throws ModuleException naming the units of a dependency cycle
     */
    public static List<List<String>> tiers(List<Parsed> set) throws ModuleException {
        Map<String, Set<String>> deps = new TreeMap<>();
        Map<String, String> fileOf = new LinkedHashMap<>();
        for (Parsed p : set) {
            String other = fileOf.put(p.unit(), p.file());
            if (other != null) {
                throw new ModuleException(other + " and " + p.file() + " both make " + p.unit());
            }
            deps.put(p.unit(), new TreeSet<>());
        }
        Map<String, String> unitOfFile = new LinkedHashMap<>();
        for (Parsed p : set) {
            unitOfFile.put(p.file(), p.unit());
        }
        for (Parsed p : set) {
            for (String need : p.needs()) {
                String n = unitOfFile.containsKey(need) ? unitOfFile.get(need)
                        : kind(need) != null ? unitOf(need) : need;
                if (deps.containsKey(n) && !n.equals(p.unit())) {
                    deps.get(p.unit()).add(n);
                }
            }
        }
        List<List<String>> tiers = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (placed.size() < deps.size()) {
            List<String> tier = new ArrayList<>();
            for (Map.Entry<String, Set<String>> e : deps.entrySet()) {
                if (!placed.contains(e.getKey()) && placed.containsAll(e.getValue())) {
                    tier.add(e.getKey());
                }
            }
            if (tier.isEmpty()) {
                throw new ModuleException("dependency cycle between quadlet units: " + cycle(deps, placed, fileOf));
            }
            placed.addAll(tier);
            tiers.add(tier);
        }
        return tiers;
    }

    /** One cycle among the unplaced units, as {@code a.service (a.container) -> b.service (b.container) -> a.service}. */
    private static String cycle(Map<String, Set<String>> deps, Set<String> placed, Map<String, String> fileOf) {
        String start = deps.keySet().stream().filter(u -> !placed.contains(u)).findFirst().orElseThrow();
        List<String> path = new ArrayList<>();
        String cur = start;
        while (!path.contains(cur)) {
            path.add(cur);
            cur = deps.get(cur).stream().filter(u -> !placed.contains(u)).findFirst().orElseThrow();
        }
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(cur), path.size()));
        loop.add(cur);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < loop.size(); i++) {
            if (i > 0) {
                b.append(" -> ");
            }
            b.append(loop.get(i));
            if (i < loop.size() - 1) {
                b.append(" (").append(fileOf.get(loop.get(i))).append(')');
            }
        }
        return b.toString();
    }
}
