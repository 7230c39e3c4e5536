package dev.drover.engine;

import dev.drover.module.Args;
import dev.drover.module.HostView;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.playbook.Role;
import dev.drover.playbook.Task;
import dev.drover.template.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a module sees of the task it runs for, as the engine provides it. */
final class TaskContext implements ModuleContext {
    private final RunContext rc;
    private final Task task;
    private final String hostName;
    private final Args args;
    private final HostView host;
    private final Map<String, Object> vars;
    private final boolean diff;

    TaskContext(RunContext rc, Task task, String hostName, Args args, HostView host, Map<String, Object> vars,
                boolean diff) {
        this.rc = rc;
        this.task = task;
        this.hostName = hostName;
        this.args = args;
        this.host = host;
        this.vars = vars;
        this.diff = diff;
    }

    @Override
    public Args args() {
        return args;
    }

    @Override
    public HostView host() {
        return host;
    }

    @Override
    public String hostName() {
        return hostName;
    }

    @Override
    public boolean wantsDiff() {
        return diff;
    }

    @Override
    public Path findLocalFile(String src, String kind) throws ModuleException {
        Path given = Path.of(src);
        if (given.isAbsolute()) {
            if (Files.exists(given)) {
                return given;
            }
            throw new ModuleException("Could not find or access '" + src + "' on the Ansible Controller.");
        }
        List<Path> candidates = ControllerFiles.candidates(task, rc.playbookDir, src, kind);
        for (Path c : candidates) {
            if (Files.exists(c)) {
                return c.normalize();
            }
        }
        throw new ModuleException("Could not find or access '" + src + "'\nSearched in:\n\t"
                + String.join("\n\t", candidates.stream().map(Path::toString).distinct().toList())
                + "\non the Ansible Controller.");
    }

    @Override
    public Path taskFile() {
        return task.file();
    }

    @Override
    public Path rolePath() {
        return task.scope().role() == null ? null : task.scope().role().path();
    }

    @Override
    public String renderTemplate(Path template) throws ModuleException {
        return renderTemplate(template, true, false);
    }

    @Override
    public String renderTemplate(Path template, boolean trimBlocks, boolean lstripBlocks) throws ModuleException {
        return renderTemplate(template, trimBlocks, lstripBlocks, Map.of());
    }

    @Override
    public String renderTemplate(Path template, boolean trimBlocks, boolean lstripBlocks,
                                 Map<String, Object> extraVars) throws ModuleException {
        try {
            String text = Files.readString(template, StandardCharsets.UTF_8);
            Map<String, Object> v = new LinkedHashMap<>(vars);
            v.putAll(extraVars);
            v.put("template_path", template.toString());
            v.put("template_fullpath", template.toAbsolutePath().toString());
            v.put("template_host", java.net.InetAddress.getLocalHost().getHostName());
            v.put("template_uid", System.getProperty("user.name"));
            v.put("ansible_managed", "Ansible managed");
            return rc.templar.renderText(text, v, trimBlocks, lstripBlocks);
        } catch (IOException e) {
            throw new ModuleException("cannot read template " + template + ": " + e.getMessage());
        } catch (TemplateException e) {
            throw new ModuleException(template + ": " + e.getMessage());
        }
    }

    @Override
    public Object evaluate(String expression) throws ModuleException {
        try {
            return rc.templar.evaluate(expression, vars);
        } catch (TemplateException e) {
            throw new ModuleException(e.getMessage());
        }
    }

    @Override
    public boolean isTrue(String expression) throws ModuleException {
        try {
            return rc.templar.isTrue(expression, vars);
        } catch (TemplateException e) {
            throw new ModuleException("The conditional check '" + expression + "' failed. The error was: " + e.getMessage());
        }
    }

    @Override
    public Object render(Object value) throws ModuleException {
        try {
            return rc.templar.render(value, vars);
        } catch (TemplateException e) {
            throw new ModuleException(e.getMessage());
        }
    }

    @Override
    public Object variable(String name) {
        if (!vars.containsKey(name)) {
            return null;
        }
        try {
            return rc.templar.render(vars.get(name), vars);
        } catch (TemplateException e) {
            return null;
        }
    }

    @Override
    public boolean noLog() {
        try {
            Object v = rc.templar.render(task.scope().get("no_log").orElse(false), vars);
            return Boolean.TRUE.equals(dev.drover.playbook.Keywords.toBool(v));
        } catch (TemplateException e) {
            return false;
        }
    }

    @Override
    public int verbosity() {
        return rc.options.verbosity();
    }
}
