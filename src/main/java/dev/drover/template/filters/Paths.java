package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Path filters: basename, dirname, expanduser, realpath, path_join, splitext. */
final class Paths {
    private Paths() {
    }

    static void register(Filters fs) {
        fs.add("basename", (v, a, kw) -> {
            String s = Py.str(v);
            return s.substring(s.lastIndexOf('/') + 1);
        });
        fs.add("dirname", (v, a, kw) -> {
            String s = Py.str(v);
            String head = s.substring(0, s.lastIndexOf('/') + 1);
            if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
                head = head.replaceAll("/+$", "");
            }
            return head;
        });
        fs.add("expanduser", (v, a, kw) -> {
            String s = Py.str(v);
            return s.equals("~") || s.startsWith("~/") ? System.getProperty("user.home") + s.substring(1) : s;
        });
        fs.add("path_join", (v, a, kw) -> {
            List<Object> parts = v instanceof String ? List.of(v) : toList(v);
            String path = "";
            for (Object p : parts) {
                String s = Py.str(p);
                if (s.startsWith("/") || path.isEmpty()) {
                    path = s;
                } else {
                    path = path.endsWith("/") ? path + s : path + "/" + s;
                }
            }
            return path;
        });
        fs.add("splitext", (v, a, kw) -> {
            String s = Py.str(v);
            int slash = s.lastIndexOf('/');
            int dot = s.lastIndexOf('.');
            int nameStart = slash + 1;
            while (nameStart < s.length() && s.charAt(nameStart) == '.') {
                nameStart++;
            }
            if (dot <= slash || dot < nameStart) {
                return new Py.Tuple(Arrays.asList(s, ""));
            }
            return new Py.Tuple(Arrays.asList(s.substring(0, dot), s.substring(dot)));
        });
        fs.add("realpath", (v, a, kw) -> {
            try {
                return Path.of(Py.str(v)).toAbsolutePath().normalize().toRealPath().toString();
            } catch (IOException e) {
                return Path.of(Py.str(v)).toAbsolutePath().normalize().toString();
            }
        });
    }
}
