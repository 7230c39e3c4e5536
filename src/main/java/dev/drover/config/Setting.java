package dev.drover.config;

import java.util.List;

/**
 * The ansible.cfg / {@code ANSIBLE_*} settings drover reads, with Ansible's names (ansible-core
 * 2.14's {@code config/base.yml} and the ssh connection plugin's options): the ini
 * {@code section.key}s and environment variables that set each (the last listed that is set wins,
 * as in Ansible), its type and drover's default.
 */
public enum Setting {
    DEFAULT_HOST_LIST(Type.PATHLIST, null, ini("defaults.inventory"), env("ANSIBLE_INVENTORY")),
    DEFAULT_ROLES_PATH(Type.PATHSPEC, "~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles",
            ini("defaults.roles_path"), env("ANSIBLE_ROLES_PATH")),
    COLLECTIONS_PATHS(Type.PATHSPEC, "~/.ansible/collections:/usr/share/ansible/collections",
            ini("defaults.collections_paths", "defaults.collections_path"),
            env("ANSIBLE_COLLECTIONS_PATHS", "ANSIBLE_COLLECTIONS_PATH")),
    DEFAULT_MODULE_PATH(Type.PATHSPEC, "~/.ansible/plugins/modules:/usr/share/ansible/plugins/modules",
            ini("defaults.library"), env("ANSIBLE_LIBRARY")),
    DEFAULT_MODULE_UTILS_PATH(Type.PATHSPEC, "~/.ansible/plugins/module_utils:/usr/share/ansible/plugins/module_utils",
            ini("defaults.module_utils"), env("ANSIBLE_MODULE_UTILS")),
    /** drover's default is 50 hosts at once (Ansible's is 5). */
    DEFAULT_FORKS(Type.INT, "50", ini("defaults.forks"), env("ANSIBLE_FORKS")),
    DEFAULT_REMOTE_USER(Type.STR, null, ini("defaults.remote_user"), env("ANSIBLE_REMOTE_USER")),
    DEFAULT_TRANSPORT(Type.STR, null, ini("defaults.transport"), env("ANSIBLE_TRANSPORT")),
    DEFAULT_PRIVATE_KEY_FILE(Type.PATH, null, ini("defaults.private_key_file"), env("ANSIBLE_PRIVATE_KEY_FILE")),
    HOST_KEY_CHECKING(Type.BOOL, "True", ini("defaults.host_key_checking", "ssh_connection.host_key_checking"),
            env("ANSIBLE_HOST_KEY_CHECKING", "ANSIBLE_SSH_HOST_KEY_CHECKING")),
    DEFAULT_TIMEOUT(Type.INT, "10", ini("defaults.timeout"), env("ANSIBLE_TIMEOUT")),
    DEFAULT_GATHERING(Type.STR, "implicit", ini("defaults.gathering"), env("ANSIBLE_GATHERING"),
            List.of("implicit", "explicit", "smart")),
    DEFAULT_GATHER_SUBSET(Type.LIST, null, ini("defaults.gather_subset"), env("ANSIBLE_GATHER_SUBSET")),
    DEFAULT_VAULT_PASSWORD_FILE(Type.PATH, null, ini("defaults.vault_password_file"), env("ANSIBLE_VAULT_PASSWORD_FILE")),
    DEFAULT_VAULT_IDENTITY_LIST(Type.LIST, "", ini("defaults.vault_identity_list"), env("ANSIBLE_VAULT_IDENTITY_LIST")),
    /** Accepted, no effect: drover never writes .retry files (Ansible's default since 2.8). */
    RETRY_FILES_ENABLED(Type.BOOL, "False", ini("defaults.retry_files_enabled"), env("ANSIBLE_RETRY_FILES_ENABLED")),
    DEFAULT_STDOUT_CALLBACK(Type.STR, "default", ini("defaults.stdout_callback"), env("ANSIBLE_STDOUT_CALLBACK"),
            List.of("default", "yaml", "json", "minimal")),
    CALLBACKS_ENABLED(Type.LIST, "", ini("defaults.callback_whitelist", "defaults.callbacks_enabled"),
            env("ANSIBLE_CALLBACK_WHITELIST", "ANSIBLE_CALLBACKS_ENABLED")),
    ANSIBLE_NOCOLOR(Type.BOOL, "False", ini("defaults.nocolor"), env("ANSIBLE_NOCOLOR", "NO_COLOR")),
    INTERPRETER_PYTHON(Type.STR, "auto", ini("defaults.interpreter_python"), env("ANSIBLE_PYTHON_INTERPRETER")),
    ANY_ERRORS_FATAL(Type.BOOL, "False", ini("defaults.any_errors_fatal"), env("ANSIBLE_ANY_ERRORS_FATAL")),
    DEFAULT_BECOME(Type.BOOL, "False", ini("privilege_escalation.become"), env("ANSIBLE_BECOME")),
    DEFAULT_BECOME_METHOD(Type.STR, "sudo", ini("privilege_escalation.become_method"), env("ANSIBLE_BECOME_METHOD")),
    DEFAULT_BECOME_USER(Type.STR, "root", ini("privilege_escalation.become_user"), env("ANSIBLE_BECOME_USER")),
    DEFAULT_BECOME_ASK_PASS(Type.BOOL, "False", ini("privilege_escalation.become_ask_pass"), env("ANSIBLE_BECOME_ASK_PASS")),
    /** The ssh plugin's options: drover honours the -o options it understands and names the rest in a warning. */
    SSH_ARGS(Type.STR, "-C -o ControlMaster=auto -o ControlPersist=60s", ini("ssh_connection.ssh_args"), env("ANSIBLE_SSH_ARGS")),
    SSH_COMMON_ARGS(Type.STR, "", ini("ssh_connection.ssh_common_args"), env("ANSIBLE_SSH_COMMON_ARGS")),
    SSH_EXTRA_ARGS(Type.STR, "", ini("ssh_connection.ssh_extra_args"), env("ANSIBLE_SSH_EXTRA_ARGS")),
    /** Accepted, no effect: drover's one persistent shell per host needs no pipelining. */
    PIPELINING(Type.BOOL, "False", ini("defaults.pipelining", "connection.pipelining", "ssh_connection.pipelining"),
            env("ANSIBLE_PIPELINING", "ANSIBLE_SSH_PIPELINING")),
    /** Ignored: drover keeps no ssh control sockets. */
    CONTROL_PATH(Type.STR, null, ini("ssh_connection.control_path"), env("ANSIBLE_SSH_CONTROL_PATH")),
    /** drover's own (Ansible ignores the section): the journal real runs are recorded in; null: the default place. */
    DROVER_JOURNAL(Type.PATH, null, ini("drover.journal"), env("DROVER_JOURNAL")),
    /** drover's own: False records no run in the journal. */
    DROVER_JOURNAL_ENABLED(Type.BOOL, "True", ini("drover.journal_enabled"), env("DROVER_JOURNAL_ENABLED"));

    /** How a value is read (ansible's {@code ensure_type}). */
    public enum Type { BOOL, INT, STR, PATH, PATHLIST, PATHSPEC, LIST }

    final Type type;
    final String dflt;
    final List<String> ini;
    final List<String> env;
    final List<String> choices;

    Setting(Type type, String dflt, List<String> ini, List<String> env) {
        this(type, dflt, ini, env, List.of());
    }

    Setting(Type type, String dflt, List<String> ini, List<String> env, List<String> choices) {
        this.type = type;
        this.dflt = dflt;
        this.ini = ini;
        this.env = env;
        this.choices = choices;
    }

    /** The ini entries ({@code section.key}) that set it, in Ansible's order (the last set wins). */
    public List<String> iniKeys() {
        return ini;
    }

    /** The environment variables that set it, in Ansible's order (the last set wins). */
    public List<String> envVars() {
        return env;
    }

    /** True for settings drover accepts and ignores. */
    public boolean noEffect() {
        return this == RETRY_FILES_ENABLED || this == PIPELINING || this == CONTROL_PATH;
    }

    private static List<String> ini(String... keys) {
        return List.of(keys);
    }

    private static List<String> env(String... names) {
        return List.of(names);
    }
}
