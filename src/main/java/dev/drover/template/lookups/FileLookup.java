package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** file: a controller file's content (searched in files/, decrypted when vault data), right-stripped unless rstrip=False. */
final class FileLookup implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        boolean rstrip = Jinja.toBool(options.getOrDefault("rstrip", true));
        boolean lstrip = Jinja.toBool(options.getOrDefault("lstrip", false));
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            Path p = SearchPath.locate(Py.str(t), "files");
            if (p == null || !Files.isRegularFile(p)) {
                throw Jinja.fail(new TemplateException("could not locate file in lookup: " + Py.str(t)));
            }
            String s = Unvault.read(p, true);
            if (rstrip) {
                s = s.stripTrailing();
            }
            if (lstrip) {
                s = s.stripLeading();
            }
            out.add(s);
        }
        return out;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw Jinja.fail(new TemplateException("could not read file " + p + ": " + e.getMessage()));
        }
    }
}
