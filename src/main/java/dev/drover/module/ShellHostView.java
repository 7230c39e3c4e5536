package dev.drover.module;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import dev.drover.connection.ShellQuote;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * A {@link HostView} that asks the host through its {@link Shell}: each question is one round
 * trip. Paths are taken as given (modules expand a leading {@code ~} against {@link #home()}).
 */
public final class ShellHostView implements HostView {
    /**
     * Who a shell runs as never changes during its life, but a view is made per task (and loop
     * item): remembering the answer per shell saves a round trip for every copy, template and
     * file task (bench/playbook.yml on one host, first run: 114 commands before, 100 after).
     */
    private static final Map<Shell, String[]> IDENTITIES = Collections.synchronizedMap(new WeakHashMap<>());

    private final Shell shell;
    private String user;
    private String home;

    public ShellHostView(Shell shell) {
        this.shell = shell;
    }

    @Override
    public FileState file(String path) throws ConnectionException {
        return stat(path, false);
    }

    @Override
    public FileState fileFollow(String path) throws ConnectionException {
        return stat(path, true);
    }

    /**
     * One script: {@code stat} for kind, mode, owner, group and size, then {@code readlink} for a
     * link or {@code sha1sum} for a readable regular file.
     */
    private FileState stat(String path, boolean follow) throws ConnectionException {
        String p = ShellQuote.quote(path);
        String l = follow ? "-L " : "";
        String exists = follow ? "[ -e " + p + " ]" : "{ [ -e " + p + " ] || [ -L " + p + " ]; }";
        String script = "if " + exists + "; then stat " + l + "--printf '%F\\t%a\\t%U\\t%G\\t%s\\n' -- " + p
                + " || exit 3; "
                + (follow ? "" : "if [ -L " + p + " ]; then readlink -- " + p + "; el")
                + "if [ -f " + p + " ] && [ -r " + p + " ]; then sha1sum < " + p + " | cut -c1-40; fi; "
                + "else echo ABSENT; fi";
        CommandResult r = shell.run(script);
        String out = r.out();
        if (!r.succeeded() || out.startsWith("ABSENT")) {
            return FileState.absent(path);
        }
        int nl = out.indexOf('\n');
        String[] f = out.substring(0, nl).split("\t", -1);
        String rest = out.substring(nl + 1);
        if (rest.endsWith("\n")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        FileState.Kind kind = switch (f[0]) {
            case "regular file", "regular empty file" -> FileState.Kind.FILE;
            case "directory" -> FileState.Kind.DIRECTORY;
            case "symbolic link" -> FileState.Kind.LINK;
            default -> FileState.Kind.OTHER;
        };
        String mode = Modes.octal(Integer.parseInt(f[1], 8));
        long size = Long.parseLong(f[4].trim());
        String sha1 = kind == FileState.Kind.FILE && !rest.isEmpty() ? rest.trim() : null;
        String target = kind == FileState.Kind.LINK ? rest : null;
        return new FileState(path, kind, mode, f[2], f[3], size, sha1, target);
    }

    @Override
    public Optional<byte[]> read(String path) throws ConnectionException {
        String p = ShellQuote.quote(path);
        CommandResult r = shell.run("if [ -f " + p + " ] && [ -r " + p + " ]; then exec cat -- " + p
                + "; else exit 3; fi");
        return r.succeeded() ? Optional.of(r.stdout()) : Optional.empty();
    }

    @Override
    public Optional<UserState> user(String name) throws ConnectionException {
        String n = ShellQuote.quote(name);
        CommandResult r = shell.run("getent passwd -- " + n + " || exit 2; id -gn -- " + n + "; id -Gn -- " + n);
        if (!r.succeeded()) {
            return Optional.empty();
        }
        String[] lines = r.out().split("\n");
        String[] pw = lines[0].split(":", -1);
        if (pw.length < 7) {
            return Optional.empty();
        }
        String group = lines.length > 1 ? lines[1].trim() : null;
        List<String> groups = lines.length > 2 && !lines[2].isBlank()
                ? new ArrayList<>(Arrays.asList(lines[2].trim().split("\\s+"))) : new ArrayList<>();
        return Optional.of(new UserState(pw[0], Integer.parseInt(pw[2]), Integer.parseInt(pw[3]), group, pw[4],
                pw[5], pw[6], List.copyOf(groups)));
    }

    @Override
    public Optional<GroupState> group(String name) throws ConnectionException {
        CommandResult r = shell.run("getent group -- " + ShellQuote.quote(name));
        if (!r.succeeded()) {
            return Optional.empty();
        }
        String[] g = r.out().split("\n")[0].split(":", -1);
        if (g.length < 3) {
            return Optional.empty();
        }
        int gid = Integer.parseInt(g[2]);
        return Optional.of(new GroupState(g[0], gid, gid < 1000));
    }

    @Override
    public CommandResult probe(String script) throws ConnectionException {
        return shell.run(script);
    }

    @Override
    public String user() throws ConnectionException {
        whoami();
        return user;
    }

    @Override
    public String home() throws ConnectionException {
        whoami();
        return home;
    }

    private void whoami() throws ConnectionException {
        if (user != null) {
            return;
        }
        String[] known = IDENTITIES.get(shell);
        if (known != null) {
            user = known[0];
            home = known[1];
            return;
        }
        CommandResult r = shell.run("id -un; printf '%s\\n' \"$HOME\"");
        if (!r.succeeded()) {
            throw new ConnectionException("cannot tell the remote user: " + r.err().trim());
        }
        String[] lines = new String(r.stdout(), StandardCharsets.UTF_8).split("\n", -1);
        user = lines[0].trim();
        home = lines.length > 1 ? lines[1] : "";
        IDENTITIES.put(shell, new String[] {user, home});
    }
}
