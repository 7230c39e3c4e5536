package dev.drover.module;

import java.nio.file.Path;

/** What a module sees of the task it runs for. */
public interface ModuleContext {

    /** The task's arguments, templated (except parameters declared raw). */
    Args args();

    /** The host's state (simulated first, in check mode). */
    HostView host();

    /** The inventory name of the host. */
    String hostName();

    /** True when --diff asked for before/after: read old content only then. */
    boolean wantsDiff();

    /**
     * A file on the controller named by a task's {@code src}: absolute, or searched as Ansible does
     * in the role's / playbook's {@code kind} directory ({@code files} or {@code templates}) and
     * then beside the task file and playbook.
     */
    Path findLocalFile(String src, String kind) throws ModuleException;

    /** Renders a template file from the controller with the task's variables (trim_blocks on). */
    String renderTemplate(Path template) throws ModuleException;

    /** As {@link #renderTemplate(Path)} with the template module's trim_blocks and lstrip_blocks. */
    String renderTemplate(Path template, boolean trimBlocks, boolean lstripBlocks) throws ModuleException;

    /**
     * As {@link #renderTemplate(Path, boolean, boolean)} with {@code extraVars} over the task's
     * variables (a quadlet {@code files} item's {@code vars}).
     */
    default String renderTemplate(Path template, boolean trimBlocks, boolean lstripBlocks,
                                  java.util.Map<String, Object> extraVars) throws ModuleException {
        if (extraVars.isEmpty()) {
            return renderTemplate(template, trimBlocks, lstripBlocks);
        }
        throw new ModuleException("this context cannot render a template with extra variables");
    }

    /** Evaluates a bare Jinja2 expression ({@code foo.bar | length}) with the task's variables. */
    Object evaluate(String expression) throws ModuleException;

    /** Evaluates a bare expression as a condition, as {@code when} does. */
    boolean isTrue(String expression) throws ModuleException;

    /** Renders text containing {@code {{ }}} with the task's variables. */
    Object render(Object value) throws ModuleException;

    /** The controller file the task was read from (include_vars' {@code dir} is relative to it). */
    default Path taskFile() {
        return null;
    }

    /** The directory of the role the task belongs to, or null outside a role. */
    default Path rolePath() {
        return null;
    }

    /**
     * A variable of the task as Ansible's task vars hold it ({@code ansible_python_interpreter},
     * a fact), or null when undefined. For modules run through Ansible, which pass some to the host.
     */
    default Object variable(String name) {
        return null;
    }

    /** The task's {@code no_log}, templated (Ansible passes it to its modules as {@code _ansible_no_log}). */
    default boolean noLog() {
        return false;
    }

    /** The run's verbosity ({@code -v} count): Ansible passes it as {@code _ansible_verbosity}. */
    default int verbosity() {
        return 0;
    }
}
