package dev.drover.engine;

import dev.drover.playbook.FreeForm;
import dev.drover.playbook.Task;
import dev.drover.template.Templar;
import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * For the static variable check: the names an {@code include_vars} task defines when that can be
 * known before the run (a literal file found on the controller, or a literal {@code name}); when
 * it cannot (a templated file, a directory), the check is told to stop being sure.
 */
final class IncludedVarNames {
    private IncludedVarNames() {
    }

    static void collect(Task t, Set<String> names, Runnable unsure) {
        Object name = t.args().get("name");
        if (name instanceof String n && !Templar.isTemplated(n)) {
            names.add(n);
            return;
        }
        Object file = t.args().containsKey("file") ? t.args().get("file") : t.args().get(FreeForm.RAW);
        if (name != null || t.args().containsKey("dir") || !(file instanceof String f) || Templar.isTemplated(f)) {
            unsure.run();
            return;
        }
        Path p = find(t, f.strip());
        try {
            Object data = p == null ? null : YamlLoader.loadData(p);
            if (data instanceof Map<?, ?> m) {
                m.keySet().forEach(k -> names.add(String.valueOf(k)));
            } else {
                unsure.run(); // not found here (the run searches the playbook's directory too), or no mapping
            }
        } catch (YamlException | RuntimeException e) {
            unsure.run();
        }
    }

    /** The controller search path of the include_vars action (see TaskContext.findLocalFile). */
    private static Path find(Task t, String f) {
        Path given = Path.of(f);
        if (given.isAbsolute()) {
            return Files.isRegularFile(given) ? given : null;
        }
        List<Path> candidates = new ArrayList<>();
        if (t.scope().role() != null) {
            candidates.add(t.scope().role().path().resolve("vars").resolve(f));
            candidates.add(t.scope().role().path().resolve(f));
        }
        Path dir = t.file().getParent();
        candidates.add(dir.resolve("vars").resolve(f));
        candidates.add(dir.resolve(f));
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        return null;
    }
}
