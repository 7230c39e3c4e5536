package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where controller files are searched, as Ansible's find_file_in_search_path: in the task's role
 * ({@code role_path}) and then the playbook's directory, each first in {@code SUBDIR/} (files,
 * templates, vars) and then at its top.
 */
public final class SearchPath {
    private SearchPath() {
    }

    /** The directories searched, in order: the role's path, then the playbook's directory. */
    static List<Path> bases() {
        List<Path> out = new ArrayList<>();
        for (String var : List.of("role_path", "playbook_dir")) {
            Object v = Jinja.variable(var);
            if (v != null) {
                out.add(Path.of(Py.str(v)));
            }
        }
        return out;
    }

    /** The candidate paths of {@code file} ({@code file} itself when it is absolute). */
    static List<Path> candidates(String file, String sub) {
        Path p = Path.of(file);
        if (p.isAbsolute()) {
            return List.of(p);
        }
        List<Path> out = new ArrayList<>();
        for (Path base : bases()) {
            out.add(base.resolve(sub).resolve(file));
            out.add(base.resolve(file));
        }
        out.add(p);
        return out;
    }

    /** The first existing candidate of {@code file}, or null. */
    public static Path locate(String file, String sub) {
        for (Path c : candidates(file, sub)) {
            if (Files.exists(c)) {
                return c;
            }
        }
        return null;
    }

    /** As {@link #locate}, failing the render with Ansible's message when nothing exists. */
    static Path find(String file, String sub) {
        Path p = locate(file, sub);
        if (p == null) {
            throw Jinja.fail(new TemplateException("Unable to find '" + file + "' in expected paths"));
        }
        return p;
    }
}
