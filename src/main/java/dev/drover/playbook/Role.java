package dev.drover.playbook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A role as a play uses it: one per role directory and set of parameters (and keywords, from-files,
 * static or included) in a play, as Ansible's role cache keys it. Compare roles by identity
 * ({@code ==}): two uses of a role with the same parameters are the same role, run once per host
 * unless {@link #allowDuplicates()}.
 *
 * @param defaults        {@code defaults/main.yml} (or {@code defaults_from}) (lowest precedence)
 * @param vars            {@code vars/main.yml} (or {@code vars_from})
 * @param params          parameters given where the role is listed (play, meta dependency)
 * @param dependencies    the roles of {@code meta/main.yml}'s {@code dependencies}, in order
 * @param allowDuplicates {@code allow_duplicates} of the role's meta (for include_role/import_role:
 *                        the include's {@code allow_duplicates}, default true, as Ansible)
 * @param fromInclude     loaded by include_role/import_role
 * @param fromFiles       {@code tasks}, {@code vars}, {@code defaults}, {@code handlers} file names
 *                        given by {@code *_from} (absent: main)
 * @param entryVars       the {@code vars:} of the entry that brought the role (an include's vars):
 *                        Ansible exports them play-wide with the role's vars
 * @param validateSpec    run the role's {@code meta/argument_specs} check first (include_role's
 *                        {@code rolespec_validate}, default true)
 */
public record Role(String name, Path path, Map<String, Object> defaults, Map<String, Object> vars,
                   Map<String, Object> params, List<Dependency> dependencies, boolean allowDuplicates,
                   boolean fromInclude, Map<String, String> fromFiles, Map<String, Object> entryVars,
                   boolean validateSpec) {

    /** A role of {@code meta/main.yml}'s dependencies with the keywords of its entry (when, tags, vars…). */
    public record Dependency(Role role, Map<String, Object> keywords, dev.drover.yaml.Location location) {
    }

    public Role {
        dependencies = List.copyOf(dependencies);
        fromFiles = Map.copyOf(fromFiles);
        entryVars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entryVars));
    }

    /** A role without dependencies, read from its main files. */
    public Role(String name, Path path, Map<String, Object> defaults, Map<String, Object> vars,
                Map<String, Object> params) {
        this(name, path, defaults, vars, params, List.of(), false, false, Map.of(), Map.of(), true);
    }

    /**
     * The collection ({@code ns.coll}) a role of {@code ansible_collections/ns/coll/roles/} belongs
     * to, or null.
     */
    public String collection() {
        int n = path.getNameCount();
        if (n < 5 || !path.getName(n - 2).toString().equals("roles")
                || !path.getName(n - 5).toString().equals("ansible_collections")) {
            return null;
        }
        return path.getName(n - 4) + "." + path.getName(n - 3);
    }

    /** The name without its collection (Ansible's {@code role_name}); {@link #name()} is the full one. */
    public String shortName() {
        String c = collection();
        return c != null && name.startsWith(c + ".") ? name.substring(c.length() + 1) : name;
    }

    /** Every dependency, recursively, in the order they run (Ansible's get_all_dependencies). */
    public List<Role> allDependencies() {
        List<Role> out = new ArrayList<>();
        for (Dependency d : dependencies) {
            out.addAll(d.role().allDependencies());
            out.add(d.role());
        }
        return out;
    }

    /** The defaults this role exports to its play: its dependencies' (recursively), then its own. */
    public Map<String, Object> exportedDefaults() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Role d : allDependencies()) {
            out.putAll(d.defaults());
        }
        out.putAll(defaults);
        return out;
    }

    /**
     * The vars this role exports to its play (Ansible's get_vars): its dependencies' (recursively),
     * its entry's {@code vars:}, its own.
     */
    public Map<String, Object> exportedVars() {
        Map<String, Object> out = dependencyVars();
        out.putAll(entryVars);
        out.putAll(vars);
        return out;
    }

    /** The role's own dependencies' exported vars (recursively), below its own vars. */
    public Map<String, Object> dependencyVars() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Dependency d : dependencies) {
            out.putAll(d.role().exportedVars());
        }
        return out;
    }

    /** The role's own dependencies' defaults (recursively). */
    public Map<String, Object> dependencyDefaults() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Role d : allDependencies()) {
            out.putAll(d.defaults());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "Role[" + name + " " + path + (params.isEmpty() ? "" : " " + params) + "]";
    }
}
