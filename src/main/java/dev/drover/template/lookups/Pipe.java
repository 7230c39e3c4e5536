package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** pipe: the stdout of a command run on the controller with /bin/sh in the playbook's directory, right-stripped. */
final class Pipe implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            out.add(run(Py.str(t), "pipe").stripTrailing());
        }
        return out;
    }

    /** The command's whole stdout; a non-zero exit fails as lookup_plugin.NAME(command) returned RC. */
    static String run(String command, String name) {
        try {
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            Object dir = Jinja.variable("playbook_dir");
            if (dir != null && java.nio.file.Files.isDirectory(java.nio.file.Path.of(Py.str(dir)))) {
                pb.directory(new java.io.File(Py.str(dir)));
            }
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            int rc = p.waitFor();
            if (rc != 0) {
                throw Jinja.fail(new TemplateException("lookup_plugin." + name + "(" + command + ") returned " + rc));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw Jinja.fail(new TemplateException("lookup_plugin." + name + "(" + command + ") failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Jinja.fail(new TemplateException("lookup_plugin." + name + "(" + command + ") interrupted"));
        }
    }
}
