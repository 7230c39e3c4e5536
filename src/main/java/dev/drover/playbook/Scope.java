package dev.drover.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keywords set on a play, role, block or include, inherited by everything inside it. {@code when}
 * conditions accumulate, {@code tags} unite, {@code vars} and {@code environment} merge (inner
 * wins), every other keyword is taken from the nearest scope that sets it.
 *
 * @param keywords the keywords as written (raw YAML data)
 * @param role     the role this scope belongs to, or null
 */
public record Scope(Scope parent, Map<String, Object> keywords, Role role) {

    public Scope {
        keywords = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keywords));
        if (role == null && parent != null) {
            role = parent.role;
        }
    }

    public static Scope root(Map<String, Object> keywords) {
        return new Scope(null, keywords, null);
    }

    public Scope child(Map<String, Object> childKeywords) {
        return new Scope(this, childKeywords, null);
    }

    public Scope childForRole(Map<String, Object> childKeywords, Role r) {
        return new Scope(this, childKeywords, r);
    }

    /** The nearest value of an inheritable keyword. */
    public Optional<Object> get(String keyword) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.keywords.containsKey(keyword)) {
                return Optional.ofNullable(s.keywords.get(keyword));
            }
        }
        return Optional.empty();
    }

    /** Every {@code when} condition from the outermost scope to this one. */
    public List<Object> conditions() {
        List<Object> out = new ArrayList<>();
        List<Scope> chain = chain();
        for (Scope s : chain) {
            Object w = s.keywords.get("when");
            if (w instanceof List<?> l) {
                out.addAll(l);
            } else if (w != null) {
                out.add(w);
            }
        }
        return out;
    }

    public Set<String> tags() {
        Set<String> out = new LinkedHashSet<>();
        for (Scope s : chain()) {
            out.addAll(Keywords.stringList(s.keywords.get("tags")));
        }
        return out;
    }

    /** Merged {@code vars} (outer first, inner wins); raw, not templated. */
    public Map<String, Object> vars() {
        return merged("vars");
    }

    public Map<String, Object> environment() {
        return merged("environment");
    }

    /**
     * The {@code environment} keyword of each scope, outermost first, as written: a dict, a list
     * of dicts, or a template ({@code "{{ proxy_env }}"}) that the task renders to a dict.
     */
    public List<Object> environmentLayers() {
        List<Object> out = new ArrayList<>();
        for (Scope s : chain()) {
            Object v = s.keywords.get("environment");
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> merged(String keyword) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Scope s : chain()) {
            Object v = s.keywords.get(keyword);
            if (v instanceof Map<?, ?> m) {
                out.putAll((Map<String, Object>) m);
            } else if (v instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> m) {
                        out.putAll((Map<String, Object>) m);
                    }
                }
            }
        }
        return out;
    }

    /** Scopes from the outermost to this one. */
    public List<Scope> chain() {
        List<Scope> chain = new ArrayList<>();
        for (Scope s = this; s != null; s = s.parent) {
            chain.add(0, s);
        }
        return chain;
    }
}
