package dev.drover.journal;

import dev.drover.engine.TaskResult;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a changed result touched, for the journal: {@code file PATH}, {@code user NAME},
 * {@code group NAME}, {@code unit NAME}, {@code image NAME}, {@code package NAME}, {@code linger USER}, read from the
 * values modules return (Ansible's names: {@code dest}/{@code path}, {@code name}), for the
 * result and each of its loop items. Results that changed nothing touched nothing.
 */
final class Touched {
    private Touched() {
    }

    static List<String> of(String action, TaskResult r) {
        Set<String> out = new LinkedHashSet<>();
        add(out, shortName(action), r);
        return List.copyOf(out);
    }

    private static void add(Set<String> out, String module, TaskResult r) {
        if (!r.items().isEmpty()) {
            for (TaskResult item : r.items()) {
                add(out, module, item);
            }
            return;
        }
        if (!r.changed()) {
            return;
        }
        Map<String, Object> v = r.values();
        String kind = switch (module) {
            case "user" -> "user";
            case "group" -> "group";
            case "systemd", "systemd_service", "service" -> "unit";
            case "podman_image" -> "image";
            case "apt", "dnf", "package", "pip" -> "package";
            default -> null;
        };
        if (module.equals("linger") && v.get("user") != null) {
            out.add("linger " + v.get("user"));
            return;
        }
        if (kind != null && v.get("name") != null) {
            Object name = v.get("name");
            for (Object n : name instanceof List<?> l ? l : List.of(name)) {
                out.add(kind + " " + n);
            }
            return;
        }
        for (String k : List.of("dest", "path")) {
            if (v.get(k) instanceof String p && !p.isEmpty()) {
                out.add("file " + p);
                return;
            }
        }
    }

    /** {@code ansible.builtin.copy} → {@code copy}; {@code containers.podman.podman_image} → {@code podman_image}. */
    static String shortName(String action) {
        if (action == null) {
            return "";
        }
        int dot = action.lastIndexOf('.');
        return dot < 0 ? action : action.substring(dot + 1);
    }
}
