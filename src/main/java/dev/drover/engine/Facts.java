package dev.drover.engine;

import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import dev.drover.module.ModuleException;
import dev.drover.modules.facts.SetupModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The play's fact gathering: Ansible's setup (modules/facts) with the play's {@code gather_subset}
 * and {@code fact_path}, one round trip per host; and how a host keeps facts, as Ansible's
 * variable manager does (namespace_facts / clean_facts).
 */
final class Facts {
    private Facts() {
    }

    /** Names a fact result carries without the ansible_ prefix and that are injected as they are. */
    private static final Set<String> UNPREFIXED = Set.of("gather_subset", "module_setup");

    /** Gathers the facts for a play (keywords: gather_subset, fact_path) and returns them namespaced. */
    static Map<String, Object> gather(Shell shell, Map<String, Object> playKeywords)
            throws ConnectionException, ModuleException {
        Object fp = playKeywords.get("fact_path");
        Map<String, Object> facts = SetupModule.gather(shell::run, subset(playKeywords.containsKey("gather_subset") ? playKeywords.get("gather_subset")
                        : dev.drover.config.Settings.current().gatherSubset()), List.of(),
                fp == null ? "/etc/ansible/facts.d" : String.valueOf(fp), new ArrayList<>());
        return namespace(facts);
    }

    private static List<String> subset(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(o -> out.add(String.valueOf(o).strip()));
        } else if (v != null) {
            for (String s : String.valueOf(v).split(",")) {
                out.add(s.strip());
            }
        }
        out.removeIf(String::isEmpty);
        return out.isEmpty() ? List.of("all") : out;
    }

    /** Ansible's namespace_facts: the keys of ansible_facts, without the ansible_ prefix (but ansible_local). */
    static Map<String, Object> namespace(Map<?, ?> facts) {
        Map<String, Object> out = new LinkedHashMap<>();
        facts.forEach((k, v) -> {
            String key = String.valueOf(k);
            out.put(key.startsWith("ansible_") && !key.equals("ansible_local") ? key.substring(8) : key, v);
        });
        return out;
    }

    /** The variable a namespaced fact is injected as (INJECT_FACTS_AS_VARS): its name in the module's result. */
    static String injectedName(String key) {
        return key.startsWith("ansible_") || UNPREFIXED.contains(key) ? key : "ansible_" + key;
    }
}
