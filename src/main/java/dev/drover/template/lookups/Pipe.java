package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** pipe: the stdout of a command run on the controller with /bin/sh, right-stripped. */
final class Pipe implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            out.add(pipe(Py.str(t)));
        }
        return out;
    }

    private static String pipe(String command) {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            p.getErrorStream().readAllBytes();
            int rc = p.waitFor();
            if (rc != 0) {
                throw Jinja.fail(new TemplateException("lookup_plugin.pipe(" + command + ") returned " + rc));
            }
            return new String(out, StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            throw Jinja.fail(new TemplateException("lookup_plugin.pipe(" + command + ") failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Jinja.fail(new TemplateException("lookup_plugin.pipe(" + command + ") interrupted"));
        }
    }
}
