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
