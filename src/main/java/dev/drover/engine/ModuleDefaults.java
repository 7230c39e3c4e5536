package dev.drover.engine;

import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.playbook.Scope;
import dev.drover.template.TemplateException;
import dev.drover.template.Templar;
import dev.drover.yaml.Location;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code module_defaults} (play, role, block, task), as Ansible 2.14's
 * {@code get_action_args_with_defaults}: the dictionaries of every enclosing scope are merged,
 * outermost first (an inner scope's entry for a module replaces an outer one's); the values are
 * templated with the task's variables; then the defaults of each {@code group/NAME} the module
 * belongs to apply, then the module's own (by short name or FQCN alike), and the task's own
 * arguments win over all.
 */
final class ModuleDefaults {
    /** The collection prefixes a module name may carry for drover's modules. */
    private static final List<String> PREFIXES = List.of("ansible.builtin.", "ansible.legacy.", "containers.podman.");

    /**
     * ansible-core's action_groups (ansible/config/ansible_builtin_runtime.yml): the only one that
     * holds a module drover has is {@code testgroup} (ping); the others extend collections' groups.
     */
    private static final Map<String, Set<String>> GROUPS = Map.ofEntries(
            Map.entry("testgroup", Set.of("ping", "legacy_ping", "formerly_core_ping")),
            Map.entry("testlegacy", Set.of("legacy_ping")),
            Map.entry("aws", Set.of()), Map.entry("acme", Set.of()), Map.entry("azure", Set.of()),
            Map.entry("cpm", Set.of()), Map.entry("docker", Set.of()), Map.entry("gcp", Set.of()),
            Map.entry("k8s", Set.of()), Map.entry("os", Set.of()), Map.entry("ovirt", Set.of()),
            Map.entry("vmware", Set.of()));

    private ModuleDefaults() {
    }

    static String canonical(String name) {
        for (String p : PREFIXES) {
            if (name.startsWith(p)) {
                return name.substring(p.length());
            }
        }
        return name;
    }

    /** The merged, templated defaults for {@code action} in {@code scope}, before the task's own arguments. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Scope scope, String action, ModuleSpec spec, Map<String, Object> taskArgs,
                                  Templar templar, Map<String, Object> vars) throws TemplateException {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Scope s : scope.chain()) {
            Object md = s.keywords().get("module_defaults");
            for (Object d : md instanceof List<?> l ? l : md == null ? List.of() : List.of(md)) {
                if (d instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> merged.put(String.valueOf(k), v));
                }
            }
        }
        if (merged.isEmpty()) {
            return Map.of();
        }
        String name = canonical(action);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : merged.entrySet()) {
            if (e.getKey().startsWith("group/")) {
                String group = canonical(e.getKey().substring("group/".length()));
                if (GROUPS.getOrDefault(group, Set.of()).contains(name) && e.getValue() instanceof Map<?, ?>) {
                    out.putAll((Map<String, Object>) templar.render(e.getValue(), vars));
                }
            }
        }
        for (Map.Entry<String, Object> e : merged.entrySet()) {
            if (!e.getKey().startsWith("group/") && canonical(e.getKey()).equals(name) && e.getValue() != null) {
                Object v = templar.render(e.getValue(), vars);
                if (v instanceof Map<?, ?> m) {
                    out.putAll((Map<String, Object>) m);
                }
            }
        }
        // an argument the task gives under another of its names (an alias) wins over the default
        out.keySet().removeIf(k -> taskArgs.containsKey(k) || spec.param(k).map(p -> givenAs(p, taskArgs)).orElse(false)
                || (k.equals(spec.freeForm()) && taskArgs.containsKey(dev.drover.playbook.FreeForm.RAW)));
        return out;
    }

    private static boolean givenAs(Param p, Map<String, Object> taskArgs) {
        return taskArgs.containsKey(p.name()) || p.aliases().stream().anyMatch(taskArgs::containsKey);
    }

    /** The literal argument names the defaults give {@code action} (for the required-argument check). */
    static Set<String> literalNames(Scope scope, String action) {
        Set<String> names = new java.util.HashSet<>();
        String name = canonical(action);
        for (Scope s : scope.chain()) {
            Object md = s.keywords().get("module_defaults");
            for (Object d : md instanceof List<?> l ? l : md == null ? List.of() : List.of(md)) {
                if (!(d instanceof Map<?, ?> m)) {
                    continue;
                }
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    String k = String.valueOf(e.getKey());
                    boolean applies = k.startsWith("group/")
                            ? GROUPS.getOrDefault(canonical(k.substring(6)), Set.of()).contains(name)
                            : canonical(k).equals(name);
                    if (applies && e.getValue() instanceof Map<?, ?> args) {
                        args.keySet().forEach(a -> names.add(String.valueOf(a)));
                    } else if (applies && e.getValue() instanceof String t && Templar.isTemplated(t)) {
                        names.add("*"); // a templated dict: any argument may come from it
                    }
                }
            }
        }
        return names;
    }

    /** Ansible's load-time checks of a module_defaults keyword. */
    static void validate(Map<String, Object> keywords, Location where, List<RunException.Problem> problems) {
        Object md = keywords.get("module_defaults");
        if (md == null) {
            return;
        }
        for (Object d : md instanceof List<?> l ? l : List.of(md)) {
            if (!(d instanceof Map<?, ?> m)) {
                problems.add(new RunException.Problem(where, "The field 'module_defaults' is supposed to be a dictionary or"
                        + " list of dictionaries, the keys of which must be static action, module, or group names. Only the"
                        + " values may contain templates. For example: {'ping': \"{{ ping_defaults }}\"}"));
                continue;
            }
            for (Object k : m.keySet()) {
                String key = String.valueOf(k);
                if (!key.startsWith("group/")) {
                    continue;
                }
                String group = key.substring(6);
                boolean builtin = group.split("\\.").length < 3 || group.startsWith("ansible.builtin.")
                        || group.startsWith("ansible.legacy.");
                if (builtin && !GROUPS.containsKey(canonical(group))) {
                    problems.add(new RunException.Problem(where, "Error loading module_defaults: could not resolve the"
                            + " module_defaults group ansible.builtin." + canonical(group)
                            + dev.drover.playbook.Suggestions.didYouMean(canonical(group), GROUPS.keySet())));
                }
            }
        }
    }
}
