package dev.drover.playbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The keywords Ansible accepts on plays, blocks, tasks and roles, and small value helpers. */
public final class Keywords {
    private Keywords() {
    }

    /** Keywords every level shares (Ansible's Base, Conditional, Taggable, Become, …). */
    private static final Set<String> COMMON = Set.of(
            "name", "vars", "environment", "become", "become_user", "become_method", "become_flags",
            "become_exe", "check_mode", "diff", "no_log", "tags", "when", "ignore_errors",
            "ignore_unreachable", "any_errors_fatal", "collections", "connection", "debugger",
            "module_defaults", "remote_user", "port", "run_once", "throttle", "timeout", "delegate_to",
            "delegate_facts");

    public static final Set<String> PLAY = union(COMMON, Set.of(
            "hosts", "vars_files", "vars_prompt", "gather_facts", "gather_subset", "gather_timeout",
            "fact_path", "tasks", "pre_tasks", "post_tasks", "handlers", "roles", "serial", "strategy",
            "max_fail_percentage", "order", "force_handlers"));

    public static final Set<String> BLOCK = union(COMMON, Set.of("block", "rescue", "always", "notify"));

    public static final Set<String> TASK = union(COMMON, Set.of(
            "action", "local_action", "args", "async", "poll", "changed_when", "failed_when", "delay",
            "loop", "loop_control", "notify", "register", "retries", "until", "listen"));

    /** Keys allowed in a role entry of a play's {@code roles:} list besides role parameters. */
    public static final Set<String> ROLE_ENTRY = union(COMMON, Set.of("role"));

    /** Task actions the engine handles itself (not modules). */
    public static final Set<String> ENGINE_ACTIONS = Set.of(
            "meta", "include_tasks", "import_tasks", "include_role", "import_role", "import_playbook");

    /** {@code with_items}, {@code with_dict}, … */
    public static boolean isWithLoop(String key) {
        return key.startsWith("with_") && key.length() > 5;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    /** Ansible's boolean conversion (see {@link dev.drover.yaml.Booleans}); null when not a boolean. */
    public static Boolean toBool(Object v) {
        return dev.drover.yaml.Booleans.parse(v);
    }

    /** A list of strings from a list or a comma-separated string. */
    public static List<String> stringList(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (o != null) {
                    out.add(o.toString().trim());
                }
            }
        } else if (v != null) {
            for (String s : v.toString().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /** Strips {@code ansible.builtin.} / {@code ansible.legacy.} from an action name. */
    public static String shortName(String action) {
        for (String p : List.of("ansible.builtin.", "ansible.legacy.")) {
            if (action.startsWith(p)) {
                return action.substring(p.length());
            }
        }
        return action;
    }
}
