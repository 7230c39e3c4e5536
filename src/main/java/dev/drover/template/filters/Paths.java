package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.nio.file.Files;
import java.util.ArrayList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Path filters: basename, dirname, expanduser, expandvars, realpath, relpath, path_join, splitext, fileglob (sorted). */
final class Paths {
    private Paths() {
    }

    static void register(Filters fs) {
        fs.add("relpath", (v, a, kw) -> {
            Path start = Path.of(Py.str(arg(a, kw, 0, "start", "."))).toAbsolutePath().normalize();
            String rel = start.relativize(Path.of(Py.str(v)).toAbsolutePath().normalize()).toString();
            return rel.isEmpty() ? "." : rel;
        });
        fs.add("expandvars", (v, a, kw) -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$(\\w+|\\{[^}]*\\})").matcher(Py.str(v));
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String name = m.group(1).startsWith("{") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
                String val = System.getenv(name);
                m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(val == null ? m.group() : val));
            }
            m.appendTail(sb);
            return sb.toString();
        });
        fs.add("fileglob", (v, a, kw) -> {
            Path p = Path.of(Py.str(v));
            Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
            List<Object> out = new ArrayList<>();
            try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p.getFileName().toString())) {
                for (Path f : ds) {
                    if (Files.isRegularFile(f)) {
                        out.add(p.getParent() == null ? f.getFileName().toString() : f.toString());
                    }
                }
            } catch (IOException | RuntimeException e) {
                return out;
            }
            out.sort((x, y) -> Py.str(x).compareTo(Py.str(y)));
            return out;
        });
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
