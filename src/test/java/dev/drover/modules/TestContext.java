package dev.drover.modules;

import dev.drover.module.Args;
import dev.drover.module.HostView;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small {@link ModuleContext} for tests. The real templar is being written in parallel, so
 * templates here only substitute {@code {{ name }}} from {@link #vars}, expressions are variable
 * names, and conditions come from {@link #conditions}.
 */
public final class TestContext implements ModuleContext {
    private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private final Args args;
    private final HostView host;
    public final Map<String, Object> vars = new HashMap<>();
    public final Map<String, Boolean> conditions = new HashMap<>();
    public Path localDir;
    public boolean diff;

    public TestContext(Module module, Map<String, ?> args, HostView host) {
        this.args = new Args(module.spec(), args);
        this.host = host;
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
        return "testhost";
    }

    @Override
    public boolean wantsDiff() {
        return diff;
    }

    @Override
    public Path findLocalFile(String src, String kind) throws ModuleException {
        Path p = src.startsWith("/") ? Path.of(src) : localDir == null ? Path.of(src) : localDir.resolve(src);
        if (!Files.exists(p)) {
            throw new ModuleException("Could not find or access '" + src + "'");
        }
        return p;
    }

    @Override
    public String renderTemplate(Path template, boolean trimBlocks, boolean lstripBlocks) throws ModuleException {
        return renderTemplate(template);
    }

    @Override
    public String renderTemplate(Path template) throws ModuleException {
        try {
            String text = Files.readString(template);
            Matcher m = VAR.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                if (!vars.containsKey(m.group(1))) {
                    throw new ModuleException("'" + m.group(1) + "' is undefined");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(vars.get(m.group(1)))));
            }
            m.appendTail(out);
            return out.toString();
        } catch (IOException e) {
            throw new ModuleException(e.getMessage());
        }
    }

    @Override
    public Object evaluate(String expression) throws ModuleException {
        if (!vars.containsKey(expression.trim())) {
            throw new ModuleException("'" + expression + "' is undefined");
        }
        return vars.get(expression.trim());
    }

    @Override
    public boolean isTrue(String expression) throws ModuleException {
        Boolean b = conditions.get(expression);
        if (b == null) {
            throw new ModuleException("unknown condition in test: " + expression);
        }
        return b;
    }

    @Override
    public Object render(Object value) {
        return value;
    }
}
