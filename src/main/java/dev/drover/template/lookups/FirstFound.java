package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * first_found: the first file that exists among the terms (names or {files, paths, skip}
 * mappings), each searched as Ansible's find_file_in_search_path in the role's and then the
 * playbook's {@code files/} (or at their top); {@code skip=true} gives an empty list.
 */
final class FirstFound implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<String> search = new ArrayList<>();
        boolean[] skip = {Jinja.toBool(options.getOrDefault("skip", false))};
        process(terms, options, search, skip);
        for (String fn : search) {
            String name;
            try {
                name = dev.drover.template.Templar.isTemplated(fn) ? Py.str(Jinja.renderTemplate(fn)) : fn;
            } catch (RuntimeException e) {
                continue;
            }
            Path p = SearchPath.locate(name, "files");
            if (p != null) {
                return List.of(p.toAbsolutePath().normalize().toString());
            }
        }
        if (skip[0]) {
            return List.of();
        }
        throw Terms.error("No file was found when using first_found.");
    }

    private static void process(List<?> terms, Map<String, Object> kwargs, List<String> total, boolean[] skip) {
        for (Object term : terms) {
            Map<?, ?> opts;
            if (term instanceof Map<?, ?> m) {
                opts = m;
            } else if (term instanceof CharSequence) {
                opts = kwargs;
            } else if (term instanceof List<?> l) {
                process(l, kwargs, total, skip);
                continue;
            } else {
                throw Jinja.fail(new TemplateException("Invalid term supplied, can handle string, mapping or list of strings but got: "
                        + Jinja.typeName(term) + " for " + Py.str(term)));
            }
            List<String> files = split(opts.get("files"), ",;");
            List<String> paths = split(opts.get("paths"), ",:;");
            if (opts.containsKey("skip")) {
                skip[0] = Jinja.toBool(opts.get("skip"));
            }
            if (!paths.isEmpty()) {
                for (String path : paths) {
                    for (String f : files) {
                        total.add(path.endsWith("/") || f.startsWith("/") ? (f.startsWith("/") ? f : path + f) : path + "/" + f);
                    }
                }
            } else if (!files.isEmpty()) {
                total.clear();
                total.addAll(files);
            } else {
                total.add(Py.str(term));
            }
        }
    }

    private static List<String> split(Object v, String seps) {
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof List<?> l) {
            for (Object o : l) {
                out.addAll(split(o, seps));
            }
            return out;
        }
        for (String part : Py.str(v).split("[" + java.util.regex.Pattern.quote(seps) + "]")) {
            String t = part.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
