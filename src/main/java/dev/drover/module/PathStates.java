package dev.drover.module;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The states of many paths in one round trip (lstat, a regular file's SHA-1, a link's target),
 * for modules that compare a whole tree (copy of a directory, assemble, fetch). Paths that
 * earlier steps of a check run recorded are answered from the simulation
 * ({@link HostView#recordedFile}); only the others are asked. {@link HostView#states} by default.
 */
public final class PathStates {
    private PathStates() {
    }

    public static Map<String, FileState> states(HostView host, Collection<String> paths) throws ConnectionException {
        Map<String, FileState> out = new LinkedHashMap<>();
        List<String> ask = new java.util.ArrayList<>();
        for (String p : paths) {
            Optional<FileState> recorded = host.recordedFile(p);
            if (recorded.isPresent()) {
                out.put(p, recorded.get());
            } else if (!out.containsKey(p)) {
                ask.add(p);
                out.put(p, null);
            }
        }
        if (ask.isEmpty()) {
            return out;
        }
        StringBuilder s = new StringBuilder("for p in");
        for (String p : ask) {
            s.append(' ').append(ShellQuote.quote(p));
        }
        s.append("; do if [ -L \"$p\" ] || [ -e \"$p\" ]; then s=$(stat -c '%F\t%a\t%U\t%G\t%s' -- \"$p\" 2>/dev/null)")
                .append(" || s=ERR; h=-; l=-; if [ -f \"$p\" ] && [ ! -L \"$p\" ] && [ -r \"$p\" ]; then")
                .append(" h=$(sha1sum < \"$p\" | cut -c1-40); fi; if [ -L \"$p\" ]; then l=$(readlink -- \"$p\"); fi;")
                .append(" printf '%s\\t%s\\t%s\\n' \"$s\" \"$h\" \"$l\"; else echo ABSENT; fi; done");
        CommandResult r = host.probe(s.toString());
        String[] lines = r.out().split("\n", -1);
        for (int i = 0; i < ask.size(); i++) {
            String p = ask.get(i);
            out.put(p, i < lines.length ? parse(p, lines[i]) : FileState.absent(p));
        }
        return out;
    }

    /** One line of {@code stat -c '%F\t%a\t%U\t%G\t%s'} + sha1 + link target ({@code -} for none). */
    static FileState parse(String path, String line) {
        String[] f = line.split("\t", -1);
        if (f.length < 7) {
            return FileState.absent(path);
        }
        FileState.Kind kind = switch (f[0]) {
            case "regular file", "regular empty file" -> FileState.Kind.FILE;
            case "directory" -> FileState.Kind.DIRECTORY;
            case "symbolic link" -> FileState.Kind.LINK;
            default -> FileState.Kind.OTHER;
        };
        return new FileState(path, kind, Modes.octal(Integer.parseInt(f[1], 8)), f[2], f[3],
                Long.parseLong(f[4].trim()), kind == FileState.Kind.FILE && !f[5].equals("-") ? f[5] : null,
                kind == FileState.Kind.LINK ? f[6] : null);
    }
}
