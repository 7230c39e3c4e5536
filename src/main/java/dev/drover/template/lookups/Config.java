package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * config: the value of an Ansible configuration setting, for the common settings with
 * ansible-core 2.14's defaults (drover reads no ansible.cfg). {@code on_missing=error|warn|skip}.
 */
final class Config implements Lookups.Lookup {
    private static final Map<String, Object> DEFAULTS = defaults();

    private static Map<String, Object> defaults() {
        Map<String, Object> t = new HashMap<>();
        put(t, "ACTION_WARNINGS", true);
        put(t, "ANSIBLE_FORCE_COLOR", false);
        put(t, "ANSIBLE_NOCOLOR", false);
        put(t, "ANSIBLE_NOCOWS", false);
        put(t, "ANSIBLE_PIPELINING", false);
        put(t, "ANY_ERRORS_FATAL", false);
        put(t, "BECOME_ALLOW_SAME_USER", false);
        put(t, "CACHE_PLUGIN", "memory");
        put(t, "CACHE_PLUGIN_TIMEOUT", 86400);
        put(t, "DEFAULT_ASK_PASS", false);
        put(t, "DEFAULT_ASK_VAULT_PASS", false);
        put(t, "DEFAULT_BECOME", false);
        put(t, "DEFAULT_BECOME_ASK_PASS", false);
        put(t, "DEFAULT_BECOME_EXE", null);
        put(t, "DEFAULT_BECOME_FLAGS", null);
        put(t, "DEFAULT_BECOME_METHOD", "sudo");
        put(t, "DEFAULT_BECOME_USER", "root");
        put(t, "DEFAULT_DEBUG", false);
        put(t, "DEFAULT_FORCE_HANDLERS", false);
        put(t, "DEFAULT_FORKS", 5);
        put(t, "DEFAULT_GATHERING", "implicit");
        put(t, "DEFAULT_GATHER_TIMEOUT", null);
        put(t, "DEFAULT_HASH_BEHAVIOUR", "replace");
        put(t, "DEFAULT_HOST_LIST", List.of("/etc/ansible/hosts"));
        put(t, "DEFAULT_JINJA2_NATIVE", false);
        put(t, "DEFAULT_KEEP_REMOTE_FILES", false);
        put(t, "DEFAULT_LOAD_CALLBACK_PLUGINS", false);
        put(t, "DEFAULT_LOG_PATH", null);
        put(t, "DEFAULT_MANAGED_STR", "Ansible managed");
        put(t, "DEFAULT_MODULE_ARGS", null);
        put(t, "DEFAULT_MODULE_NAME", "command");
        put(t, "DEFAULT_NO_LOG", false);
        put(t, "DEFAULT_NO_TARGET_SYSLOG", false);
        put(t, "DEFAULT_NULL_REPRESENTATION", null);
        put(t, "DEFAULT_POLL_INTERVAL", 15);
        put(t, "DEFAULT_PRIVATE_KEY_FILE", null);
        put(t, "DEFAULT_PRIVATE_ROLE_VARS", false);
        put(t, "DEFAULT_REMOTE_PORT", null);
        put(t, "DEFAULT_REMOTE_USER", null);
        put(t, "DEFAULT_STDOUT_CALLBACK", "default");
        put(t, "DEFAULT_STRATEGY", "linear");
        put(t, "DEFAULT_SU", false);
        put(t, "DEFAULT_SYSLOG_FACILITY", "LOG_USER");
        put(t, "DEFAULT_TIMEOUT", 10);
        put(t, "DEFAULT_TRANSPORT", "smart");
        put(t, "DEFAULT_UNDEFINED_VAR_BEHAVIOR", true);
        put(t, "DEFAULT_VAULT_ID_MATCH", false);
        put(t, "DEFAULT_VAULT_IDENTITY", "default");
        put(t, "DEFAULT_VAULT_PASSWORD_FILE", null);
        put(t, "DEFAULT_VERBOSITY", 0);
        put(t, "DISPLAY_ARGS_TO_STDOUT", false);
        put(t, "DISPLAY_SKIPPED_HOSTS", true);
        put(t, "DEPRECATION_WARNINGS", true);
        put(t, "DUPLICATE_YAML_DICT_KEY", "warn");
        put(t, "ERROR_ON_MISSING_HANDLER", true);
        put(t, "HOST_KEY_CHECKING", true);
        put(t, "INJECT_FACTS_AS_VARS", true);
        put(t, "INVALID_TASK_ATTRIBUTE_FAILED", true);
        put(t, "INTERPRETER_PYTHON", "auto");
        put(t, "LOCALHOST_WARNING", true);
        put(t, "MAX_FILE_SIZE_FOR_DIFF", 104448);
        put(t, "RETRY_FILES_ENABLED", false);
        put(t, "SHOW_CUSTOM_STATS", false);
        put(t, "SYSTEM_WARNINGS", true);
        put(t, "TASK_TIMEOUT", 0);
        put(t, "DEFAULT_JINJA2_EXTENSIONS", List.of());
        put(t, "DEFAULT_ALLOW_UNSAFE_LOOKUPS", false);
        String home = System.getProperty("user.home");
        put(t, "DEFAULT_ROLES_PATH", List.of(home + "/.ansible/roles", "/usr/share/ansible/roles", "/etc/ansible/roles"));
        put(t, "COLLECTIONS_PATHS", List.of(home + "/.ansible/collections", "/usr/share/ansible/collections"));
        put(t, "DEFAULT_MODULE_PATH", List.of(home + "/.ansible/plugins/modules", "/usr/share/ansible/plugins/modules"));
        return t;
    }

    private static void put(Map<String, Object> t, String key, Object value) {
        t.put(key, value);
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        String onMissing = Terms.option(options, "on_missing", "error");
        if (!List.of("error", "warn", "skip").contains(onMissing)) {
            throw Terms.error("\"on_missing\" must be a string and one of \"error\", \"warn\" or \"skip\", not " + onMissing);
        }
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            if (!(t instanceof CharSequence)) {
                throw Terms.error("Invalid setting identifier, \"" + Py.str(t) + "\" is not a string, its a " + Jinja.typeName(t));
            }
            String key = t.toString();
            if (DEFAULTS.containsKey(key)) {
                out.add(DEFAULTS.get(key));
            } else if (onMissing.equals("error")) {
                throw Terms.error("Unable to find setting " + key);
            }
        }
        return out;
    }
}
